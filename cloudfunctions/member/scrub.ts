// Erasure, collection by collection (docs/privacy.md): everything that names a person is removed
// or replaced, and the openid in records kept for the statistics is replaced by a random token
// that links those records to each other and to nobody. Writes are batched: one conditional
// update or removal per collection and kind of reference, whatever the number of documents —
// except orders, whose timelines and lists name people element by element (one compare-and-set
// per order the person was part of), and the statistics' volunteer boards, which name them as a
// field (one conditional update per month they served).
import { compareAndSet, isDuplicateKey } from '../common/cas';
import { AppError } from '../common/errors';
import type { MemberDoc } from '../common/model';
import { cmd, collection, db, getAll } from '../common/db';
import { orderLink } from '../orders/lifecycle';
import { moveOnBoards } from '../orders/counters';
import { ORDERS, POINTS_LEDGER, VOLUNTEER_STATS, type OrderDoc, type VolunteerStatsDoc } from '../orders/model';
import { BOOKINGS, SPOTS, STRIKES, type BookingDoc, type SpotDoc } from '../parking/model';
import { forgetHolds } from '../parking/claims';
import { scrubVotes } from '../affairs/scrub-votes';
import { scrubRegister } from '../affairs/scrub-register';
import { scrubTopics } from '../affairs/scrub-topics';
import { scrubLedger } from '../ledger/scrub';
import { FAMILY_CODES, FAMILY_LINKS, familyOrderLink, type FamilyLinkDoc } from '../common/family';
import { scrubProperty } from '../property/scrub';

/** What an erased person is called wherever a name is kept. */
export const ERASED_NAME = '已注销用户';
const ERASED_TEXT = '（内容已随用户注销删除）';
const PAGE = 1000;
const IN_CHUNK = 500;

/** Everything known about the person that may appear in texts other people received. */
export interface Secrets {
  openid: string;
  token: string;
  names: string[];
  phones: string[];
  plates: string[];
}

/** Counts of the erasure's data calls and what they changed. */
export interface ScrubReport {
  orders: number;
  bookings: number;
  files: string[];
  spotIds: string[];
}

const chunks = <T>(list: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every document of `name` matching `where`, a thousand a call. */
async function readAll<T>(name: string, where: Record<string, unknown>): Promise<T[]> {
  const out: T[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const docs = await getAll<T>(collection(name).where(where).orderBy('_id', 'asc').skip(skip).limit(PAGE));
    out.push(...docs);
    if (docs.length < PAGE) return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Orders

/** The value without undefined fields (a stored document has none), one level into arrays. */
function defined(v: object): object {
  const strip = (x: unknown): unknown =>
    x && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Date)
      ? Object.fromEntries(Object.entries(x).filter(([, y]) => y !== undefined))
      : x;
  return Array.isArray(v) ? v.map(strip) : (strip(v) as object);
}

/** Replaces the person's name, phone and plates in a text other people wrote (为钱小满代下单). */
export function redactor(s: Secrets): (text: string) => string {
  const words = [...new Set([...s.names, ...s.phones, ...s.plates])].filter((w) => w.length >= 2);
  if (words.length === 0) return (t) => t;
  const pattern = new RegExp(words.map(escape).join('|'), 'g');
  return (t) => t.replace(pattern, ERASED_NAME);
}

/** The order with the person taken out: the fields to set, and the pictures to delete. */
export function scrubOrder(o: OrderDoc, s: Secrets): { patch: Record<string, unknown>; files: string[] } {
  const { openid, token } = s;
  const swap = (v: string | null | undefined) => (v === openid ? token : v);
  const redact = redactor(s);
  const served = o.forOpenid === openid;
  const patch: Record<string, unknown> = {
    parties: o.parties.map(swap),
    passedOver: o.passedOver.map((p) =>
      p.openid === openid ? { ...p, openid: token, name: ERASED_NAME, reason: '' } : { ...p, reason: redact(p.reason) },
    ),
    timeline: o.timeline.map((e) => {
      if (e.actor !== openid) return e.note ? { ...e, note: redact(e.note) } : e;
      const { note: _own, ...rest } = e; // their own words go with them
      void _own;
      return { ...rest, actor: token, actorName: ERASED_NAME };
    }),
  };
  if (!served) patch.description = redact(o.description);
  const files: string[] = [];
  if (o.orderedBy === openid) Object.assign(patch, { orderedBy: token, orderedByName: ERASED_NAME });
  if (served) {
    const { building, gridId } = o.beneficiary;
    patch.forOpenid = token;
    patch.beneficiary = gridId ? { name: ERASED_NAME, building, room: '', gridId } : { name: ERASED_NAME, building, room: '' };
    patch.description = ERASED_TEXT;
    patch.photos = [];
    files.push(...(o.photos ?? []));
    if (o.completion) {
      // Pictures of the service are pictures of the person's home.
      files.push(...o.completion.photos);
      patch.completion = { ...o.completion, note: redact(o.completion.note), photos: [] };
    }
  }
  if (o.voice && (served || o.orderedBy === openid)) {
    // A voice message is the person's own voice (and its transcript their words): it goes, file too.
    files.push(o.voice.fileId);
    Object.assign(patch, { voice: null, voiceTraceId: null });
  }
  if (o.volunteerOpenid === openid)
    Object.assign(patch, { volunteerOpenid: token, volunteerName: ERASED_NAME, volunteerPhone: null });
  const rating = (r: NonNullable<OrderDoc['rating']>) =>
    r.by === openid || served ? { stars: r.stars, by: swap(r.by), at: r.at } : { ...r, comment: r.comment && redact(r.comment) };
  if (o.rating) patch.rating = rating(o.rating);
  if (o.previousRatings?.length) patch.previousRatings = o.previousRatings.map(rating);
  if (o.review) patch.review = { ...o.review, by: swap(o.review.by), note: o.review.note && redact(o.review.note) };
  if (o.followUp) patch.followUp = { ...o.followUp, by: swap(o.followUp.by), note: o.followUp.note && redact(o.followUp.note) };
  if (o.cancellation && (o.cancellation.by === openid || served)) {
    patch.cancellation = {
      ...o.cancellation,
      by: swap(o.cancellation.by),
      byName: o.cancellation.by === openid ? ERASED_NAME : o.cancellation.byName,
      reason: o.cancellation.by === openid ? ERASED_TEXT : redact(o.cancellation.reason),
    };
  }
  // Whole values: a plain object would be merged field by field.
  for (const [k, v] of Object.entries(patch)) if (v && typeof v === 'object') patch[k] = cmd().set(defined(v));
  return { patch, files };
}

/** Orders the person ordered, was served by, served, declined or acted on. */
async function ordersOf(openid: string): Promise<OrderDoc[]> {
  const byId = new Map<string, OrderDoc>();
  for (const where of [
    { parties: openid },
    { volunteerOpenid: openid },
    { 'passedOver.openid': openid },
    { 'timeline.actor': openid },
  ])
    for (const o of await readAll<OrderDoc>(ORDERS, where)) byId.set(o._id, o);
  return [...byId.values()];
}

const CONCURRENCY = 8;

async function scrubOrders(s: Secrets, now: Date): Promise<{ ids: string[]; files: string[] }> {
  const orders = await ordersOf(s.openid);
  const files: string[] = [];
  const write = async (o: OrderDoc): Promise<void> => {
    let current: OrderDoc | undefined = o;
    for (let round = 0; current && round < 5; round++) {
      const scrubbed = scrubOrder(current, s);
      const res = await collection(ORDERS)
        .where({ _id: current._id, version: current.version })
        .update({ ...scrubbed.patch, updatedAt: now, version: cmd().inc(1) });
      if (res.updated === 1) {
        files.push(...scrubbed.files);
        return;
      }
      // Someone moved the order meanwhile: scrub what it is now.
      current = (await getAll<OrderDoc>(collection(ORDERS).where({ _id: o._id }).limit(1)))[0];
    }
    if (current) throw new Error('order kept changing during erasure');
  };
  for (let i = 0; i < orders.length; i += CONCURRENCY) await Promise.all(orders.slice(i, i + CONCURRENCY).map(write));
  return { ids: orders.map((o) => o._id), files };
}

// ---------------------------------------------------------------------------------------------
// Everything else: one conditional write per collection and kind of reference.

async function scrubParking(s: Secrets): Promise<{ bookings: BookingDoc[]; files: string[]; spotIds: string[] }> {
  const { openid, token } = s;
  const spots = await readAll<SpotDoc>(SPOTS, { owner: openid });
  const bookings = await readAll<BookingDoc>(BOOKINGS, { booker: openid });
  s.plates.push(...bookings.map((b) => b.plate).filter(Boolean));
  await collection(SPOTS)
    .where({ owner: openid })
    .update({ owner: token, ownerName: ERASED_NAME, photo: cmd().remove(), windows: [] });
  await collection(SPOTS).where({ verifiedBy: openid }).update({ verifiedBy: token });
  await collection(BOOKINGS).where({ booker: openid }).update({ booker: token, bookerName: ERASED_NAME, plate: '' });
  // Their bookings' half-hour holds carry a hash of the person and of the car in their ids.
  await forgetHolds(bookings.map((b) => b._id));
  await collection(BOOKINGS).where({ owner: openid }).update({ owner: token });
  await collection(STRIKES).where({ openid }).update({ openid: token });
  return {
    bookings,
    files: spots.map((x) => x.photo).filter((p): p is string => !!p),
    spotIds: [...new Set([...spots.map((x) => x._id), ...bookings.map((b) => b.spotId)])],
  };
}

async function scrubPoints(s: Secrets, communities: string[]): Promise<void> {
  const { openid, token } = s;
  await collection(POINTS_LEDGER).where({ openid }).update({ openid: token });
  const stats = await getAll<VolunteerStatsDoc>(collection(VOLUNTEER_STATS).where({ openid }).limit(100));
  if (stats.length) {
    // The _id names the person: the totals move to the token's id.
    const moved = stats.map((d) => ({ ...d, _id: `${d.communityId}:${token}`, openid: token }));
    try {
      await collection(VOLUNTEER_STATS).add(moved);
    } catch (err) {
      // Already moved by an earlier, interrupted erasure (or a concurrent one) with the same token.
      if (!isDuplicateKey(err)) throw err;
    }
    await collection(VOLUNTEER_STATS).where({ openid }).remove();
  }
  // The monthly served minutes (the statistics' top volunteers) likewise: on each month's board of
  // their communities their entry moves to the token's key; the figures stay, the person does not
  // (their row shows 已注销用户).
  await moveOnBoards(openid, token, communities);
}

async function scrubNotices(s: Secrets): Promise<void> {
  const { openid, token } = s;
  await collection('notice_reads').where({ openid }).remove();
  await collection('notices').where({ authorOpenid: openid }).update({ authorOpenid: token, authorName: ERASED_NAME });
  await collection('notice_reminders')
    .where({ recipients: openid, done: true })
    .update({ recipients: cmd().pull(openid) });
  await collection('group_bindings').where({ boundBy: openid }).update({ boundBy: token });
  await collection('invites').where({ createdBy: openid }).update({ createdBy: token });
}

/**
 * Proofs other members carry that the person gave: a room they confirmed as family (one update),
 * tags they verified as a worker (an array, so one compare-and-set per member, retried on a race).
 */
async function scrubProofs(s: Secrets): Promise<void> {
  const { openid, token } = s;
  await collection('members')
    .where({ 'household.by': openid })
    .update({ 'household.by': token, 'household.byName': ERASED_NAME });
  for (let attempt = 0; attempt < 3; attempt++) {
    const tagged = await readAll<MemberDoc>('members', { 'tagProofs.by': openid });
    if (tagged.length === 0) return;
    for (const m of tagged) {
      const proofs = (m.tagProofs ?? []).map((p) => (p.by === openid ? { ...p, by: token, byName: ERASED_NAME } : p));
      try {
        await compareAndSet('members', { _id: m._id, version: m.version }, { tagProofs: cmd().set(proofs) });
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'E_CONFLICT')) throw err; // changed meanwhile: read again
      }
    }
  }
}

/** The person's inbox and consent go; other people's messages about them lose what names them. */
async function scrubMessages(s: Secrets, links: string[], communities: string[]): Promise<void> {
  const { openid } = s;
  await collection('messages').where({ openid }).remove();
  await collection('subscribe_quota').where({ openid }).remove();
  await collection('subscribe_sends').where({ openid }).remove();
  // Rate-limit counters are keyed by the openid; a fresh start after erasure costs nothing.
  await collection('rate_limits').where({ openid }).remove();
  // Console sessions (where and when the person signed in on a computer) go, and end with it.
  await collection('desk_sessions').where({ openid }).remove();
  // A street leader's appointment (its _id is the openid; docs/street.md) ends with the erasure.
  await collection('street_leaders').where({ _id: openid }).remove();
  const words = [...new Set([...s.names, ...s.phones, ...s.plates])].filter((w) => w.length >= 2).map(escape);
  if (words.length === 0) return;
  const naming = () =>
    cmd().or([{ title: db().RegExp({ regexp: words.join('|') }) }, { body: db().RegExp({ regexp: words.join('|') }) }]);
  for (const part of chunks(links, IN_CHUNK)) {
    await collection('messages')
      .where(cmd().and([{ link: cmd().in(part) }, naming()]))
      .update({ title: '一条消息因涉及已注销用户的个人信息已删除', body: cmd().remove() });
  }
  if (communities.length) {
    const regexp = db().RegExp({ regexp: words.join('|') });
    for (const field of ['data.thing1.value', 'data.thing2.value']) {
      await collection('subscribe_sends')
        .where({ communityId: cmd().in(communities), [field]: regexp })
        .update({ [field]: '（已删除）' });
    }
  }
}

/** Audit entries keep what happened; who it was becomes the token, and their details go. */
async function scrubAudit(s: Secrets, communities: string[], orderIds: string[]): Promise<void> {
  const { openid, token } = s;
  await collection('audit').where({ actor: openid }).update({ actor: token, note: cmd().remove() });
  for (const c of communities) {
    await collection('audit')
      .where({ target: `member:${c}:${openid}` })
      .update({
        target: `member:${c}:${token}`,
        'before.tags': cmd().remove(),
        'after.tags': cmd().remove(),
        // 长辈模式 says something about age, like the tags.
        'before.elderMode': cmd().remove(),
        'after.elderMode': cmd().remove(),
        'before.rejectReason': cmd().remove(),
        'after.rejectReason': cmd().remove(),
        'before.room': cmd().remove(),
        'after.room': cmd().remove(),
        'before.name': cmd().remove(),
        'after.name': cmd().remove(),
        'before.phone': cmd().remove(),
        'after.phone': cmd().remove(),
        note: cmd().remove(),
      });
  }
  // Proofs they gave, as the audit recorded them (a room confirmed, tags verified).
  for (const side of ['before', 'after']) {
    await collection('audit')
      .where({ [`${side}.household.by`]: openid })
      .update({ [`${side}.household.by`]: token, [`${side}.household.byName`]: ERASED_NAME });
    await collection('audit')
      .where({ [`${side}.tagProofs.by`]: openid })
      .update({ [`${side}.tagProofs`]: cmd().remove() });
  }
  for (const part of chunks(
    orderIds.map((id) => `order:${id}`),
    IN_CHUNK,
  )) {
    for (const field of ['before.volunteerOpenid', 'after.volunteerOpenid', 'after.forOpenid']) {
      await collection('audit')
        .where({ target: cmd().in(part), [field]: openid })
        .update({ [field]: token });
    }
  }
}

/**
 * 亲情代办 (docs/family.md): the person's links, as the relative or as the elder, and the family
 * codes they made or that were made for them, are removed (a link is about two people and one of
 * them is gone). The names and phones a relative gave are added to the secrets, so the messages
 * that named them (the elder's 「李娜（女儿）申请绑定」) are scrubbed with the rest.
 */
async function scrubFamily(s: Secrets): Promise<void> {
  const { openid } = s;
  const asRelative = await readAll<FamilyLinkDoc>(FAMILY_LINKS, { relativeOpenid: openid });
  s.names.push(...asRelative.map((l) => l.relativeName));
  s.phones.push(...asRelative.map((l) => l.relativePhone ?? '').filter(Boolean));
  await collection(FAMILY_LINKS).where({ relativeOpenid: openid }).remove();
  await collection(FAMILY_LINKS).where({ elderOpenid: openid }).remove();
  await collection(FAMILY_CODES).where({ elderOpenid: openid }).remove();
  await collection(FAMILY_CODES).where({ createdBy: openid }).remove();
}

/** Scrubs every collection; answers what the caller needs for the rest of the erasure. */
export async function scrubAll(s: Secrets, communities: string[], now: Date): Promise<ScrubReport> {
  await scrubFamily(s);
  const orders = await scrubOrders(s, now);
  const parking = await scrubParking(s);
  await scrubPoints(s, communities);
  await scrubNotices(s);
  await scrubProofs(s);
  const votes = await scrubVotes(s.openid, s.token, communities);
  const topics = await scrubTopics(s.openid, s.token, ERASED_NAME, ERASED_TEXT);
  await scrubLedger(s.openid, s.token, ERASED_NAME);
  await scrubRegister(s.openid, s.token, ERASED_NAME);
  await scrubProperty(s.openid, s.token, ERASED_NAME);
  const links = [
    ...orders.ids.map(orderLink),
    ...orders.ids.map(familyOrderLink),
    '/packages/family/confirm/index',
    '/packages/family/home/index',
    ...parking.spotIds.map((id) => `/packages/parking/spot/index?id=${id}`),
    '/packages/parking/verify/index',
  ];
  await scrubMessages(s, links, communities);
  await scrubAudit(s, communities, orders.ids);
  return {
    orders: orders.ids.length,
    bookings: parking.bookings.length,
    files: [...orders.files, ...parking.files, ...votes.files, ...topics.files],
    spotIds: parking.spotIds,
  };
}
