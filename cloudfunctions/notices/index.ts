// notices: workers post notices to the whole community or chosen buildings; residents read the
// ones for their building, and each opening records one read receipt per member; workers see
// per-building read rates and the households nobody has opened it in, and can remind them once.
import crypto from 'crypto';
import { AppError } from '../common/errors';
import { audit } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { assertCleanText } from '../common/content';
import { checkAttachments } from '../common/files';
import { cmd, collection, findById, getAll } from '../common/db';
import { groupIdOf } from '../common/wxopen';
import { buildingsOf, type CommunityDoc, type MemberDoc } from '../common/model';
import { action, ANY_MEMBER, createFunction, type MemberCtx } from '../common/router';
import { PAGE_SIZE } from '../common/schema';
import { continueReminder, reminderProgress, REMINDERS, type ReminderDoc } from './reminders';
import { shortList } from '../common/validation';
import {
  noticeSchemas as s,
  type BuildingStats,
  type GroupBinding,
  type NoticeBox,
  type NoticeCategory,
  type NoticeDetail,
  type NoticeState,
  type NoticeSummary,
  type NoticesApi,
  type UnreadHousehold,
} from './api';
import type { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Stored shapes.

/** Stored status; `scheduled` and `expired` are derived from the times (see stateOf). */
type StoredStatus = 'draft' | 'published' | 'withdrawn';

export interface NoticeDoc {
  _id: string;
  communityId: string;
  title: string;
  body: string;
  category: NoticeCategory;
  /** Chosen buildings, in community order; empty for the whole community. */
  buildings: string[];
  /** What the feed query matches: `['*']` for the whole community, else the buildings. */
  audience: string[];
  pinned: boolean;
  images: string[];
  status: StoredStatus;
  /** When it becomes visible; null for a draft without a time. */
  publishAt: Date | null;
  expiresAt: Date | null;
  /** expiresAt, or far in the future: the feed filters on it with one range condition. */
  visibleUntil: Date;
  readCount: number;
  remindedAt?: Date | null;
  remindedCount?: number;
  withdrawReason?: string;
  authorOpenid: string;
  authorName: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface NoticeReadDoc {
  _id: string; // `${noticeId}:${openid}`
  communityId: string;
  noticeId: string;
  openid: string;
  building: string;
  room: string;
  readAt: Date;
}

interface GroupBindingDoc {
  _id: string; // `${communityId}:${groupKey}`
  communityId: string;
  groupKey: string;
  openGId: string;
  building: string;
  boundBy: string;
  boundAt: Date;
}

const WHOLE = '*';
const FAR_FUTURE = new Date('9999-12-31T00:00:00.000Z');
const MAX_SCHEDULE_DAYS = 90;
/** Largest audience counted by stats and remind (members are read 1000 at a time). */
const MAX_AUDIENCE = 20000;
const BATCH = 1000;
const ATTENTION_TAGS = ['独居老人', '高龄', '残疾'];
/**
 * How long remind sends before it answers (the function's timeout is 10 s; reading the audience
 * comes first). The rest of a large reminder goes out with the timer.
 */
export const REMIND_BUDGET_MS = 4000;

export const readId = (noticeId: string, openid: string) => `${noticeId}:${openid}`;

// ---------------------------------------------------------------------------------------------
// Derived state and views.

export function stateOf(n: NoticeDoc, now: Date): NoticeState {
  if (n.status === 'draft' || n.status === 'withdrawn') return n.status;
  if (n.publishAt && new Date(n.publishAt) > now) return 'scheduled';
  if (new Date(n.visibleUntil) <= now) return 'expired';
  return 'published';
}

const isWorker = (ctx: MemberCtx) => ctx.member.roles.includes('worker');

/** The notice is live and addressed to the member's building. */
function visibleTo(n: NoticeDoc, member: MemberDoc, now: Date): boolean {
  return stateOf(n, now) === 'published' && (n.audience.includes(WHOLE) || n.audience.includes(member.building));
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : undefined);
const audienceText = (buildings: string[]) => (buildings.length ? buildings.join('、') : '全体居民');

function excerpt(body: string): string {
  const chars = Array.from(body.replace(/\s+/g, ' ').trim());
  return chars.length <= 60 ? chars.join('') : `${chars.slice(0, 60).join('')}…`;
}

function toSummary(n: NoticeDoc, ctx: MemberCtx, read?: boolean): NoticeSummary {
  const view: NoticeSummary = {
    _id: n._id,
    title: n.title,
    excerpt: excerpt(n.body),
    category: n.category,
    buildings: n.buildings,
    audienceText: audienceText(n.buildings),
    pinned: n.pinned,
    hasImages: n.images.length > 0,
    state: stateOf(n, ctx.now),
    publishAt: iso(n.publishAt),
    expiresAt: iso(n.expiresAt),
    updatedAt: iso(n.updatedAt)!,
  };
  if (read !== undefined) view.read = read;
  if (isWorker(ctx)) view.readCount = n.readCount;
  return view;
}

function toDetail(n: NoticeDoc, ctx: MemberCtx, read: boolean): NoticeDetail {
  const manage = isWorker(ctx);
  return {
    ...toSummary(n, ctx, read),
    body: n.body,
    images: n.images,
    authorName: n.authorName,
    canManage: manage,
    remindedAt: manage ? iso(n.remindedAt) : undefined,
    withdrawReason: n.status === 'withdrawn' ? n.withdrawReason : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Loading.

async function requireCommunity(ctx: MemberCtx): Promise<CommunityDoc> {
  const community = await findById<CommunityDoc>('communities', ctx.communityId);
  if (!community) throw new AppError('E_NOT_FOUND', '社区不存在');
  return community;
}

async function requireNotice(ctx: MemberCtx, noticeId: string): Promise<NoticeDoc> {
  const n = await findById<NoticeDoc>('notices', noticeId);
  if (!n || n.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', '这条通知不存在或已被删除');
  return n;
}

/** Why a resident cannot open a notice of their community, in words they can act on. */
function unavailable(n: NoticeDoc, now: Date): AppError {
  const state = stateOf(n, now);
  const message: Record<NoticeState, string> = {
    withdrawn: '这条通知已被社区撤回',
    expired: '这条通知已过期',
    scheduled: '这条通知还没有发布，请稍后再看',
    draft: '这条通知不存在或已被删除',
    published: '这条通知是发给其他楼栋的，您所在的楼栋不在通知范围内',
  };
  return new AppError('E_NOT_FOUND', message[state]);
}

// ---------------------------------------------------------------------------------------------
// Writing: the fields of post and update.

type NoticeInput = z.output<typeof s.post> | z.output<typeof s.update>;

function audienceOf(input: NoticeInput, community: CommunityDoc): string[] {
  const all = buildingsOf(community);
  const chosen = [...new Set(input.buildings ?? [])];
  const unknown = chosen.filter((b) => !all.includes(b));
  if (unknown.length) throw new AppError('E_VALIDATION', `楼栋「${shortList(unknown)}」不在本社区，请重新选择`);
  return all.filter((b) => chosen.includes(b));
}

/** The stored fields an input describes, checked against the clock and the community. */
function fieldsOf(input: NoticeInput, community: CommunityDoc, now: Date) {
  const buildings = audienceOf(input, community);
  const requested = input.publishAt ? new Date(input.publishAt) : null;
  if (requested && requested.getTime() > now.getTime() + MAX_SCHEDULE_DAYS * 86400_000) {
    throw new AppError('E_VALIDATION', `定时发布最多提前 ${MAX_SCHEDULE_DAYS} 天，请重新选择发布时间`);
  }
  const status: StoredStatus = input.draft ? 'draft' : 'published';
  // A past or absent time publishes now; a draft keeps the time it was given, if any.
  const publishAt = status === 'draft' ? requested : requested && requested > now ? requested : now;
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= (publishAt && publishAt > now ? publishAt : now)) {
    throw new AppError('E_VALIDATION', '有效期必须晚于发布时间，请重新选择');
  }
  return {
    title: input.title,
    body: input.body,
    category: input.category,
    buildings,
    audience: buildings.length ? buildings : [WHOLE],
    pinned: input.pinned ?? false,
    images: [...new Set(input.images ?? [])],
    status,
    publishAt,
    expiresAt,
    visibleUntil: expiresAt ?? FAR_FUTURE,
  };
}

const checkText = (input: NoticeInput, ctx: MemberCtx) => assertCleanText({ 标题: input.title, 正文: input.body }, ctx.openid, 3);

function newNoticeId(ctx: MemberCtx, requestId: string | undefined): string {
  if (!requestId) return `n${crypto.randomBytes(10).toString('hex')}`;
  const digest = crypto.createHash('sha1').update(`${ctx.communityId}\n${ctx.openid}\n${requestId}`).digest('hex');
  return `n${digest.slice(0, 20)}`;
}

// ---------------------------------------------------------------------------------------------
// Read receipts and the audience.

/** Records the member's read receipt once; the notice's readCount moves only for a new one. */
async function recordRead(n: NoticeDoc, ctx: MemberCtx): Promise<boolean> {
  const doc: NoticeReadDoc = {
    _id: readId(n._id, ctx.openid),
    communityId: ctx.communityId,
    noticeId: n._id,
    openid: ctx.openid,
    building: ctx.member.building,
    room: ctx.member.room,
    readAt: ctx.now,
  };
  const created = await insertOnce('notice_reads', doc);
  if (created)
    await collection('notices')
      .doc(n._id)
      .update({ readCount: cmd().inc(1) });
  return created;
}

async function pages<T>(query: (offset: number) => Promise<T[]>, max: number): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; offset < max; offset += BATCH) {
    const batch = await query(offset);
    out.push(...batch);
    if (batch.length < BATCH) break;
  }
  return out;
}

/** Active members the notice is addressed to, counted now (members who joined later count too). */
async function audienceMembers(n: NoticeDoc): Promise<MemberDoc[]> {
  const base = { communityId: n.communityId, status: 'active' };
  const wheres = n.audience.includes(WHOLE) ? [base] : n.buildings.map((building) => ({ ...base, building }));
  const all: MemberDoc[] = [];
  for (const where of wheres) {
    all.push(
      ...(await pages(
        (offset) => getAll<MemberDoc>(collection('members').where(where).orderBy('_id', 'asc').skip(offset).limit(BATCH)),
        MAX_AUDIENCE,
      )),
    );
  }
  return all;
}

async function readersOf(n: NoticeDoc): Promise<Set<string>> {
  const reads = await pages(
    (offset) =>
      getAll<NoticeReadDoc>(
        collection('notice_reads').where({ noticeId: n._id }).orderBy('_id', 'asc').skip(offset).limit(BATCH),
      ),
    MAX_AUDIENCE,
  );
  return new Set(reads.map((r) => r.openid));
}

interface Household {
  building: string;
  room: string;
  members: MemberDoc[];
  read: boolean;
}

const householdKey = (m: MemberDoc) => `${m.building}\u0000${m.room.trim()}`;
const roomOrder = (a: string, b: string) => a.localeCompare(b, 'zh-Hans-CN', { numeric: true });

async function tally(n: NoticeDoc, community: CommunityDoc) {
  const [members, readers] = await Promise.all([audienceMembers(n), readersOf(n)]);
  const households = new Map<string, Household>();
  for (const m of members) {
    const key = householdKey(m);
    const h = households.get(key) ?? { building: m.building, room: m.room.trim(), members: [], read: false };
    h.members.push(m);
    if (readers.has(m.openid)) h.read = true;
    households.set(key, h);
  }
  const order = n.buildings.length ? n.buildings : buildingsOf(community);
  const extra = [...new Set(members.map((m) => m.building))].filter((b) => !order.includes(b));
  const buildings: BuildingStats[] = [...order, ...extra].map((building) => {
    const inB = members.filter((m) => m.building === building);
    const hs = [...households.values()].filter((h) => h.building === building);
    const readHouseholds = hs.filter((h) => h.read).length;
    return {
      building,
      members: inB.length,
      read: inB.filter((m) => readers.has(m.openid)).length,
      households: hs.length,
      readHouseholds,
      rate: hs.length ? readHouseholds / hs.length : 0,
    };
  });
  const sum = (k: 'members' | 'read' | 'households' | 'readHouseholds') => buildings.reduce((acc, b) => acc + b[k], 0);
  const totals = {
    members: sum('members'),
    read: sum('read'),
    households: sum('households'),
    readHouseholds: sum('readHouseholds'),
    rate: 0,
  };
  totals.rate = totals.households ? totals.readHouseholds / totals.households : 0;
  const position = new Map([...order, ...extra].map((b, i) => [b, i]));
  const unread = [...households.values()]
    .filter((h) => !h.read)
    .map((h) => ({ ...h, attention: h.members.some((m) => m.tags.some((t) => ATTENTION_TAGS.includes(t))) }))
    .sort(
      (a, b) =>
        Number(b.attention) - Number(a.attention) ||
        (position.get(a.building) ?? 0) - (position.get(b.building) ?? 0) ||
        roomOrder(a.room, b.room),
    );
  return { buildings, totals, unread };
}

const unreadView = (h: Household & { attention: boolean }): UnreadHousehold => ({
  building: h.building,
  room: h.room,
  members: h.members.map((m) => ({ name: m.name, phone: m.phone, tags: m.tags })),
  attention: h.attention,
});

// ---------------------------------------------------------------------------------------------
// Group chats. WeChat tells a group's opengid only to someone who opened a card inside it, as a
// cloudID (wx.getGroupEnterInfo); the open-API client exchanges it for the id (common/wxopen.ts).

const groupKeyOf = (openGId: string) => crypto.createHash('sha1').update(openGId).digest('hex').slice(0, 24);

// ---------------------------------------------------------------------------------------------
// Lists.

async function feed(ctx: MemberCtx, category: NoticeCategory | undefined, page: number) {
  const where: Record<string, unknown> = {
    communityId: ctx.communityId,
    status: 'published',
    audience: cmd().in([WHOLE, ctx.member.building]),
    publishAt: cmd().lte(ctx.now),
    visibleUntil: cmd().gt(ctx.now),
  };
  if (category) where.category = category;
  const docs = await getAll<NoticeDoc>(
    collection('notices')
      .where(where)
      .orderBy('pinned', 'desc')
      .orderBy('publishAt', 'desc')
      .skip((page - 1) * PAGE_SIZE)
      .limit(PAGE_SIZE + 1),
  );
  const shown = docs.slice(0, PAGE_SIZE);
  const ids = shown.map((n) => readId(n._id, ctx.openid));
  const reads = ids.length
    ? await getAll<NoticeReadDoc>(
        collection('notice_reads')
          .where({ _id: cmd().in(ids) })
          .limit(PAGE_SIZE),
      )
    : [];
  const read = new Set(reads.map((r) => r.noticeId));
  return { items: shown.map((n) => toSummary(n, ctx, read.has(n._id))), hasMore: docs.length > PAGE_SIZE };
}

async function box(ctx: MemberCtx, which: Exclude<NoticeBox, 'feed'>, category: NoticeCategory | undefined, page: number) {
  const where: Record<string, unknown> = { communityId: ctx.communityId };
  let order: [string, 'asc' | 'desc'];
  switch (which) {
    case 'drafts':
      Object.assign(where, { status: 'draft' });
      order = ['updatedAt', 'desc'];
      break;
    case 'scheduled':
      Object.assign(where, { status: 'published', publishAt: cmd().gt(ctx.now) });
      order = ['publishAt', 'asc'];
      break;
    case 'sent':
      Object.assign(where, { status: 'published', publishAt: cmd().lte(ctx.now) });
      order = ['publishAt', 'desc'];
      break;
    case 'withdrawn':
      Object.assign(where, { status: 'withdrawn' });
      order = ['updatedAt', 'desc'];
      break;
    default:
      throw new AppError('E_VALIDATION', '列表不在可选范围内');
  }
  if (category) where.category = category;
  const docs = await getAll<NoticeDoc>(
    collection('notices')
      .where(where)
      .orderBy(order[0], order[1])
      .skip((page - 1) * PAGE_SIZE)
      .limit(PAGE_SIZE + 1),
  );
  return { items: docs.slice(0, PAGE_SIZE).map((n) => toSummary(n, ctx)), hasMore: docs.length > PAGE_SIZE };
}

// ---------------------------------------------------------------------------------------------

export const main = createFunction<NoticesApi>('notices', {
  post: action({
    schema: s.post,
    roles: ['worker'],
    handler: async (input, ctx) => {
      const community = await requireCommunity(ctx);
      const fields = fieldsOf(input, community, ctx.now);
      await checkText(input, ctx);
      await checkAttachments(fields.images, ctx.openid);
      const doc: NoticeDoc = {
        _id: newNoticeId(ctx, input.requestId),
        communityId: ctx.communityId,
        ...fields,
        readCount: 0,
        remindedAt: null,
        authorOpenid: ctx.openid,
        authorName: ctx.member.name,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        version: 1,
      };
      if (!(await insertOnce('notices', doc))) {
        // The same request again (a double tap, a retry): answer what the first one stored.
        return toDetail(await requireNotice(ctx, doc._id), ctx, false);
      }
      await audit(ctx, {
        target: `notice:${doc._id}`,
        after: { title: doc.title, status: doc.status, audience: doc.audience, publishAt: doc.publishAt, pinned: doc.pinned },
      });
      return toDetail(doc, ctx, false);
    },
  }),

  update: action({
    schema: s.update,
    roles: ['worker'],
    handler: async (input, ctx) => {
      const notice = await requireNotice(ctx, input.noticeId);
      const state = stateOf(notice, ctx.now);
      if (state !== 'draft' && state !== 'scheduled') {
        throw new AppError('E_CONFLICT', '只有草稿和定时发布的通知可以修改；已发布的通知请先撤回，再重新发布');
      }
      const community = await requireCommunity(ctx);
      const fields = fieldsOf(input, community, ctx.now);
      await checkText(input, ctx);
      await checkAttachments(fields.images, ctx.openid, { keep: notice.images });
      const expect: { _id: string; version: number } & Record<string, unknown> = {
        _id: notice._id,
        version: notice.version,
        status: notice.status,
      };
      // A scheduled notice must still be in the future when the edit lands.
      if (state === 'scheduled') expect.publishAt = cmd().gt(ctx.now);
      const patch = { ...fields, updatedAt: ctx.now };
      await compareAndSet('notices', expect, patch, '通知已被修改或已发布，请刷新后重试');
      await audit(ctx, {
        target: `notice:${notice._id}`,
        before: { title: notice.title, status: notice.status, audience: notice.audience, publishAt: notice.publishAt },
        after: { title: fields.title, status: fields.status, audience: fields.audience, publishAt: fields.publishAt },
      });
      return toDetail({ ...notice, ...patch, version: notice.version + 1 }, ctx, false);
    },
  }),

  withdraw: action({
    schema: s.withdraw,
    roles: ['worker'],
    handler: async ({ noticeId, reason }, ctx) => {
      const notice = await requireNotice(ctx, noticeId);
      if (notice.status === 'withdrawn') throw new AppError('E_CONFLICT', '这条通知已经撤回了');
      const patch = { status: 'withdrawn' as const, withdrawReason: reason ?? '', updatedAt: ctx.now };
      await compareAndSet(
        'notices',
        { _id: notice._id, version: notice.version, status: notice.status },
        patch,
        '通知已被修改，请刷新后重试',
      );
      await audit(ctx, {
        target: `notice:${notice._id}`,
        before: { status: notice.status },
        after: { status: 'withdrawn', reason },
      });
      return toDetail({ ...notice, ...patch, version: notice.version + 1 }, ctx, false);
    },
  }),

  list: action({
    schema: s.list,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const which = input.box ?? 'feed';
      const page = input.page ?? 1;
      if (which !== 'feed' && !isWorker(ctx)) throw new AppError('E_FORBIDDEN', '只有社区工作者可以查看草稿、定时和已发通知');
      const res = which === 'feed' ? await feed(ctx, input.category, page) : await box(ctx, which, input.category, page);
      return { ...res, page, box: which };
    },
  }),

  get: action({
    schema: s.get,
    roles: ANY_MEMBER,
    handler: async ({ noticeId }, ctx) => {
      const notice = await requireNotice(ctx, noticeId);
      if (visibleTo(notice, ctx.member, ctx.now)) {
        if (await recordRead(notice, ctx)) notice.readCount += 1;
        return toDetail(notice, ctx, true);
      }
      if (!isWorker(ctx)) throw unavailable(notice, ctx.now);
      // A worker managing a notice not addressed to them (or not live): no receipt.
      const receipt = await findById<NoticeReadDoc>('notice_reads', readId(notice._id, ctx.openid));
      return toDetail(notice, ctx, Boolean(receipt));
    },
  }),

  stats: action({
    schema: s.stats,
    roles: ['worker'],
    handler: async ({ noticeId, building, page: pageNo }, ctx) => {
      const notice = await requireNotice(ctx, noticeId);
      const community = await requireCommunity(ctx);
      const [{ buildings, totals, unread }, reminder] = await Promise.all([
        tally(notice, community),
        notice.remindedAt ? reminderProgress(notice._id) : undefined,
      ]);
      const rows = building ? unread.filter((h) => h.building === building) : unread;
      const page = pageNo ?? 1;
      const slice = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      return {
        noticeId: notice._id,
        title: notice.title,
        state: stateOf(notice, ctx.now),
        audienceText: audienceText(notice.buildings),
        totals,
        buildings,
        unread: { items: slice.map(unreadView), page, hasMore: rows.length > page * PAGE_SIZE },
        remindedAt: iso(notice.remindedAt),
        remindedCount: notice.remindedCount,
        remindPending: reminder?.pending,
        remindDone: reminder?.done,
      };
    },
  }),

  remind: action({
    schema: s.remind,
    roles: ['worker'],
    handler: async ({ noticeId }, ctx) => {
      const notice = await requireNotice(ctx, noticeId);
      if (stateOf(notice, ctx.now) !== 'published') throw new AppError('E_CONFLICT', '只能提醒已发布且未过期的通知');
      if (notice.remindedAt) throw new AppError('E_CONFLICT', '这条通知已经提醒过一次了，每条通知只能提醒一次');
      // Claim the one reminder first: of two workers tapping at once, one sends.
      await compareAndSet(
        'notices',
        { _id: notice._id, version: notice.version, remindedAt: null },
        { remindedAt: ctx.now, updatedAt: ctx.now },
        '这条通知已经提醒过一次了，每条通知只能提醒一次',
      );
      const started = performance.now();
      const community = await requireCommunity(ctx);
      const { unread } = await tally(notice, community);
      const to = [...new Set(unread.flatMap((h) => h.members.map((m) => m.openid)))];
      const job: ReminderDoc = {
        _id: notice._id,
        communityId: ctx.communityId,
        noticeId: notice._id,
        message: {
          type: 'notice.reminder',
          title: `请查看社区通知：${notice.title}`,
          body: `${notice.category} · 社区提醒您查看这条通知`,
          link: `/pages/notices/detail/index?id=${notice._id}`,
          key: `notice.reminder:${notice._id}`,
        },
        recipients: to,
        total: to.length,
        cursor: 0,
        sent: 0,
        done: to.length === 0,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      // The claim above makes this the only job of the notice.
      await collection(REMINDERS).add(job);
      const progress = await continueReminder(job, ctx.now, started + REMIND_BUDGET_MS);
      await audit(ctx, {
        target: `notice:${notice._id}`,
        after: { remindedAt: ctx.now, recipients: to.length, remindedCount: progress.sent },
      });
      return progress;
    },
  }),

  bindGroup: action({
    schema: s.bindGroup,
    roles: ['worker'],
    handler: async ({ building, cloudId }, ctx) => {
      const community = await requireCommunity(ctx);
      if (!buildingsOf(community).includes(building)) throw new AppError('E_VALIDATION', '所选楼栋不在本社区');
      const openGId = await groupIdOf(cloudId);
      if (!openGId) throw new AppError('E_VALIDATION', '没能识别这个群，请在楼栋群里点开卡片后重试');
      const groupKey = groupKeyOf(openGId);
      const doc: GroupBindingDoc = {
        _id: `${ctx.communityId}:${groupKey}`,
        communityId: ctx.communityId,
        groupKey,
        openGId,
        building,
        boundBy: ctx.openid,
        boundAt: ctx.now,
      };
      const { _id, ...data } = doc;
      const before = await findById<GroupBindingDoc>('group_bindings', _id);
      await collection('group_bindings').doc(_id).set(data);
      await audit(ctx, {
        target: `group:${groupKey}`,
        before: before ? { building: before.building } : undefined,
        after: { building },
      });
      return { groupKey, building, boundAt: ctx.now.toISOString() } satisfies GroupBinding;
    },
  }),

  groups: action({
    schema: s.groups,
    roles: ['worker'],
    handler: async (_input, ctx) => {
      const docs = await getAll<GroupBindingDoc>(
        collection('group_bindings').where({ communityId: ctx.communityId }).orderBy('boundAt', 'desc').limit(100),
      );
      return {
        items: docs.map((d) => ({ groupKey: d.groupKey, building: d.building, boundAt: new Date(d.boundAt).toISOString() })),
      };
    },
  }),
});
