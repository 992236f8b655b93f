// notify: how an event reaches a person (product.md §6). Every notification is an in-app message
// (the inbox); when the person holds a remaining one-time authorisation for the event's template,
// it also goes out as a WeChat subscribe message.
//
// Subscribe messages, in short:
// - the mini-program asks consent (wx.requestSubscribeMessage) on a tap and reports each accepted
//   template id with `messages.grantSubscribe`: one accepted template = one send later;
// - the remaining sends are counted per person and template in `subscribe_quota`
//   (`_id` = `${openid}:${templateId}`); a send spends one with a conditional update first;
// - every attempt is written to `subscribe_sends` (status sent / refused / failed, with WeChat's errcode);
//   a refused or failed send is never retried, and 43101 (no authorisation left on WeChat's side)
//   resets the counted quota to 0;
// - only a newly written in-app message sends one, so an idempotent event (a `key`) sent twice
//   pushes once;
// - the send is subscribeMessage.send through the open-API client (wxopen.ts); on the local cloud
//   its stand-in WeChat keeps what would have been delivered.
import type { MessageInput, MessageDoc } from './model';
import { insertOnce, isDuplicateKey } from './cas';
import { cmd, collection } from './db';
import { subscribeTemplates, templateFor } from './templates';
import { sendSubscribe } from './wxopen';
import { longDateTime } from '../../miniprogram/shared/clock';

export { subscribeTemplates, templateFor, type TemplateKind } from './templates';

// ---------------------------------------------------------------------------------------------
// The send.

/** What became of one send, as `subscribe_sends` records it. */
export type SendOutcome = { status: 'sent' } | { status: 'refused' | 'failed'; errcode?: number; errmsg?: string };

/** 43101: the user has no authorisation left (refused, or spent) — WeChat's word is final. */
const NO_AUTHORISATION = 43101;

function miniprogramState(): 'developer' | 'trial' | 'formal' {
  const value = process.env.WX_MINIPROGRAM_STATE;
  return value === 'developer' || value === 'trial' ? value : 'formal';
}

async function send(
  openid: string,
  templateId: string,
  page: string,
  data: Record<string, { value: string }>,
): Promise<SendOutcome> {
  const { errCode, errMsg } = await sendSubscribe({ touser: openid, templateId, page, data, state: miniprogramState() });
  if (errCode === 0) return { status: 'sent' };
  return { status: errCode === NO_AUTHORISATION ? 'refused' : 'failed', errcode: errCode, errmsg: errMsg };
}

// ---------------------------------------------------------------------------------------------
// Quota.

export const QUOTA_CAP = 50;

export interface QuotaDoc {
  _id: string;
  openid: string;
  templateId: string;
  remaining: number;
  grantedAt: Date;
  updatedAt: Date;
  /** The mark of the last batch spend (notify's spendMany reads it back after a race). */
  lastSpend?: string;
}

const quotaId = (openid: string, templateId: string) => `${openid}:${templateId}`;

/** Adds one send for each accepted template; answers what remains per template. */
export async function grantSubscribe(openid: string, templateIds: string[], now: Date): Promise<Record<string, number>> {
  const known = new Set(Object.values(subscribeTemplates()));
  const out: Record<string, number> = {};
  for (const templateId of [...new Set(templateIds)].filter((t) => known.has(t))) {
    const _id = quotaId(openid, templateId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await collection('subscribe_quota')
        .where({ _id, remaining: cmd().lt(QUOTA_CAP) })
        .update({ remaining: cmd().inc(1), grantedAt: now, updatedAt: now });
      if (res.updated === 1) break;
      const existing = await collection('subscribe_quota').where({ _id }).limit(1).get();
      const doc = existing.data[0] as QuotaDoc | undefined;
      if (doc && doc.remaining >= QUOTA_CAP) break; // at the cap: keep it there
      if (doc) continue; // created meanwhile by a concurrent grant: add to it
      if (await insertOnce('subscribe_quota', { _id, openid, templateId, remaining: 1, grantedAt: now, updatedAt: now })) break;
    }
    const doc = await collection('subscribe_quota').where({ _id }).limit(1).get();
    out[templateId] = (doc.data[0] as QuotaDoc | undefined)?.remaining ?? 0;
  }
  return out;
}

async function spendOne(openid: string, templateId: string, now: Date): Promise<boolean> {
  const res = await collection('subscribe_quota')
    .where({ _id: quotaId(openid, templateId), remaining: cmd().gt(0) })
    .update({ remaining: cmd().inc(-1), updatedAt: now });
  return res.updated === 1;
}

// ---------------------------------------------------------------------------------------------
// Template data.

/** `thing` keywords hold at most 20 characters. */
function thing(value: string): string {
  const chars = Array.from(value.replace(/\s+/g, ' ').trim());
  return chars.length <= 20 ? chars.join('') : `${chars.slice(0, 19).join('')}…`;
}

/**
 * Every template is chosen with the same keyword layout: thing1 (事项), thing2 (说明), time3 (时间).
 * A template with other keywords needs its own layout here.
 */
export function templateData(msg: MessageInput, now: Date): Record<string, { value: string }> {
  return {
    thing1: { value: thing(msg.title) || '社区消息' },
    thing2: { value: thing(msg.body || '请打开小程序查看详情') },
    time3: { value: longDateTime(now) },
  };
}

const pageOf = (link: string | undefined) => (link ? link.replace(/^\/+/, '') : 'pages/mine/index');

/**
 * Sends the subscribe message of one new in-app message, if the person has quota for its
 * template. Never throws: the event that caused it has already happened.
 */
export async function pushSubscribe(communityId: string, openid: string, msg: MessageInput, now: Date): Promise<boolean> {
  const templateId = templateFor(msg.type);
  if (!templateId) return false;
  try {
    if (!(await spendOne(openid, templateId, now))) return false;
    const page = pageOf(msg.link);
    const data = templateData(msg, now);
    const outcome = await send(openid, templateId, page, data);
    if (outcome.status === 'refused') {
      await collection('subscribe_quota').doc(quotaId(openid, templateId)).update({ remaining: 0, updatedAt: now });
    }
    await collection('subscribe_sends').add({
      communityId,
      openid,
      templateId,
      type: msg.type,
      page,
      data,
      ...outcome,
      at: now,
    });
    return outcome.status === 'sent';
  } catch (err) {
    console.error('[notify] subscribe message not sent:', err instanceof Error ? err.message : String(err));
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// notify.

const CONCURRENCY = 8;
/** In-app messages written per data call (one insert of many documents). */
export const NOTIFY_BATCH = 200;

const messageOf = (communityId: string, openid: string, msg: MessageInput, now: Date): Omit<MessageDoc, '_id'> => ({
  ...msg,
  communityId,
  openid,
  read: false,
  createdAt: now,
});

/**
 * Writes one batch of in-app messages with one insert; answers the recipients whose message is
 * new. With a `key` a message exists once per person: if the batch insert meets one that exists
 * (a repeated event, a concurrent sender), the ones already there are left out and the rest
 * written, falling back to one insert each if another sender is still racing us.
 */
async function writeMessages(communityId: string, openids: string[], msg: MessageInput, now: Date): Promise<string[]> {
  const key = msg.key;
  if (!key) {
    await collection('messages').add(openids.map((openid) => messageOf(communityId, openid, msg, now)));
    return openids;
  }
  const keyed = (openid: string) => ({ _id: `${key}:${openid}`, ...messageOf(communityId, openid, msg, now) });
  if (openids.length === 1) return (await insertOnce('messages', keyed(openids[0]))) ? openids : [];
  try {
    await collection('messages').add(openids.map(keyed));
    return openids;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const ids = openids.map((openid) => `${key}:${openid}`);
  const existing = await collection('messages')
    .where({ _id: cmd().in(ids) })
    .field({ _id: true })
    .limit(ids.length)
    .get();
  const there = new Set((existing.data as { _id: string }[]).map((d) => d._id));
  const fresh = openids.filter((openid) => !there.has(`${key}:${openid}`));
  if (fresh.length === 0) return [];
  try {
    await collection('messages').add(fresh.map(keyed));
    return fresh;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const created: string[] = [];
  for (const openid of fresh) if (await insertOnce('messages', keyed(openid))) created.push(openid);
  return created;
}

/** One in-app message just written, whose subscribe message may follow. */
interface Delivery {
  communityId: string;
  openid: string;
  msg: MessageInput;
  templateId: string;
}

/**
 * Spends one send of each quota with one conditional update; answers whose was spent. Usually all
 * (the update changed as many as asked); when a concurrent sender emptied one meanwhile, one read
 * of this spend's mark tells which — one whose mark another spend overwrote is left out (a send
 * lost, never one sent without quota).
 */
async function spendMany(ids: string[], now: Date): Promise<Set<string>> {
  const mark = `${now.getTime()}:${Math.random().toString(36).slice(2, 12)}`;
  const res = await collection('subscribe_quota')
    .where({ _id: cmd().in(ids), remaining: cmd().gt(0) })
    .update({ remaining: cmd().inc(-1), updatedAt: now, lastSpend: mark });
  if (res.updated === ids.length) return new Set(ids);
  if (res.updated === 0) return new Set();
  const spent = await collection('subscribe_quota')
    .where({ _id: cmd().in(ids), lastSpend: mark })
    .field({ _id: true })
    .limit(ids.length)
    .get();
  return new Set((spent.data as { _id: string }[]).map((q) => q._id));
}

/**
 * Subscribe messages for new in-app messages, in a constant number of data calls whatever the
 * number of people: one read finds who holds quota, one update spends it, one add records every
 * attempt, one update zeroes the quota of those WeChat refused. The sends themselves are one
 * open-API call per person (WeChat has no batch send), CONCURRENCY at a time. One person gets at
 * most one subscribe message per template from one batch (the inbox has every message).
 */
async function pushMany(batch: Omit<Delivery, 'templateId'>[], now: Date): Promise<void> {
  const byQuota = new Map<string, Delivery>();
  for (const d of batch) {
    const templateId = templateFor(d.msg.type);
    if (templateId && !byQuota.has(quotaId(d.openid, templateId)))
      byQuota.set(quotaId(d.openid, templateId), { ...d, templateId });
  }
  if (byQuota.size === 0) return;
  if (byQuota.size === 1) {
    const [d] = byQuota.values();
    await pushSubscribe(d.communityId, d.openid, d.msg, now);
    return;
  }
  try {
    const res = await collection('subscribe_quota')
      .where({ _id: cmd().in([...byQuota.keys()]), remaining: cmd().gt(0) })
      .field({ _id: true })
      .limit(byQuota.size)
      .get();
    const holders = (res.data as { _id: string }[]).map((q) => q._id);
    if (holders.length === 0) return;
    const spent = await spendMany(holders, now);
    const sends = holders.filter((id) => spent.has(id)).map((id) => byQuota.get(id)!);
    const outcomes: SendOutcome[] = [];
    for (let i = 0; i < sends.length; i += CONCURRENCY) {
      const part = sends.slice(i, i + CONCURRENCY);
      outcomes.push(
        ...(await Promise.all(part.map((d) => send(d.openid, d.templateId, pageOf(d.msg.link), templateData(d.msg, now))))),
      );
    }
    const refused = sends.filter((_, i) => outcomes[i].status === 'refused');
    if (refused.length > 0) {
      await collection('subscribe_quota')
        .where({ _id: cmd().in(refused.map((d) => quotaId(d.openid, d.templateId))) })
        .update({ remaining: 0, updatedAt: now });
    }
    if (sends.length > 0) {
      await collection('subscribe_sends').add(
        sends.map((d, i) => ({
          communityId: d.communityId,
          openid: d.openid,
          templateId: d.templateId,
          type: d.msg.type,
          page: pageOf(d.msg.link),
          data: templateData(d.msg, now),
          ...outcomes[i],
          at: now,
        })),
      );
    }
  } catch (err) {
    console.error('[notify] subscribe messages not sent:', err instanceof Error ? err.message : String(err));
  }
}

/**
 * Tells each recipient: an in-app message (idempotent per `key` and person) and, for a message
 * written now, a subscribe message where quota allows. Answers how many in-app messages are new.
 * Messages are written NOTIFY_BATCH to a data call.
 */
export async function notify(communityId: string, to: string[], msg: MessageInput, now: Date): Promise<number> {
  const recipients = [...new Set(to.filter(Boolean))];
  let sent = 0;
  for (let i = 0; i < recipients.length; i += NOTIFY_BATCH) {
    const created = await writeMessages(communityId, recipients.slice(i, i + NOTIFY_BATCH), msg, now);
    await pushMany(
      created.map((openid) => ({ communityId, openid, msg })),
      now,
    );
    sent += created.length;
  }
  return sent;
}

/** One notification of a batch: a message to people of a community. */
export interface Notice {
  communityId: string;
  to: string[];
  msg: MessageInput;
}

/**
 * notify() for many messages at once (the timer's escalations): the in-app messages of every
 * notice in one add when they all have a key (idempotent), then their subscribe messages in
 * pushMany's constant number of calls. Answers how many in-app messages are new.
 */
export async function notifyMany(notices: Notice[], now: Date): Promise<number> {
  const items = notices.map((n) => ({ ...n, to: [...new Set(n.to.filter(Boolean))] })).filter((n) => n.to.length > 0);
  const count = items.reduce((sum, n) => sum + n.to.length, 0);
  if (items.length === 0) return 0;
  if (items.length === 1 || count > NOTIFY_BATCH || items.some((n) => !n.msg.key)) {
    let sent = 0;
    for (const n of items) sent += await notify(n.communityId, n.to, n.msg, now);
    return sent;
  }
  const created: Omit<Delivery, 'templateId'>[] = [];
  try {
    const docs = items.flatMap((n) =>
      n.to.map((openid) => ({ _id: `${n.msg.key}:${openid}`, ...messageOf(n.communityId, openid, n.msg, now) })),
    );
    await collection('messages').add(docs);
    for (const n of items) for (const openid of n.to) created.push({ communityId: n.communityId, openid, msg: n.msg });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    // Some were written before (a repeated run): each notice on its own finds which.
    for (const n of items) {
      const fresh = await writeMessages(n.communityId, n.to, n.msg, now);
      for (const openid of fresh) created.push({ communityId: n.communityId, openid, msg: n.msg });
    }
  }
  await pushMany(created, now);
  return created.length;
}
