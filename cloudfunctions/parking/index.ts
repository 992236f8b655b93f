// parking: residents share private spots by the half hour (product.md §4, docs/parking.md).
//
// Overlap is impossible by construction: a booking holds one claim document per half hour of
// its spot (`_id = spotId:YYYYMMDDHHmm`, inserted with insertOnce), and becomes `booked` only
// once every claim is its own. Availability is computed from windows and bookings.
import { audit, auditIfStaff } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { assertCleanText } from '../common/content';
import { checkAttachments } from '../common/files';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { notify } from '../common/notify';
import type { MemberDoc } from '../common/model';
import { ANY_MEMBER, action, createFunction, type MemberCtx } from '../common/router';
import { PAGE_SIZE } from '../common/schema';
import { parkingSchemas as s, type BookingStatus, type FreeSpot, type ParkingApi, type ScheduleDay, type SpotView } from './api';
import { PAGES, abandon, applyEffects, releaseSlots, strikeTimes } from './effects';
import {
  BOOKINGS,
  DEFAULT_MAX_MINUTES,
  LEDGER,
  POINTS_PER_BOOKING,
  SLOTS,
  SPOTS,
  bookingIdFor,
  newAttempt,
  slotIdFor,
  spotIdFor,
  type BookingDoc,
  type SlotDoc,
  type SpotDoc,
} from './model';
import {
  blockedUntil,
  coveringWindow,
  recentStrikes,
  dayLabel,
  isClosing,
  isExpired,
  occurrences,
  windowsOverlap,
  type Window,
} from './rules';
import {
  DAY_MS,
  MINUTE,
  clockText,
  dateText,
  dayFromText,
  isOnHalfHour,
  isoLocal,
  local,
  rangeLabel,
  slotsOf,
  weekdayText,
} from './time';
import {
  BOOKER_CANCEL_BEFORE_MIN,
  CHECK_IN_EARLY_MIN,
  NO_SHOW_AFTER_MIN,
  OVERSTAY_GRACE_MIN,
  bookingView,
  releaseFromOnLeave,
  spotView,
  viewerOf,
  windowLabel,
} from './views';

const WORKER = ['worker'] as const;
/** Bookings reach this far ahead. */
const BOOKING_HORIZON_DAYS = 30;
/** One-off windows: at most this long, ending at most this far ahead. */
const ONCE_WINDOW_MAX_DAYS = 7;
const WINDOW_HORIZON_DAYS = 60;
const MAX_WINDOWS = 20;
/** Verified spots a search looks at; see docs/parking.md. */
const SEARCH_SPOT_LIMIT = 200;
/** Rounds of claiming before a booking gives up to a claim held by an unfinished attempt. */
const CLAIM_ROUNDS = 3;

const OPEN_STATUSES: BookingStatus[] = ['booked', 'checked_in'];
const PAST_STATUSES: BookingStatus[] = ['completed', 'cancelled', 'no_show'];

const invalid = (message: string) => new AppError('E_VALIDATION', message);
const SLOT_TAKEN = '所选时段已被其他邻居预约，请换个时间或换个车位';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function hoursText(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} 小时` : `${(minutes / 60).toFixed(1)} 小时`;
}

// ---------------------------------------------------------------------------------------------
// Loading, with the community scope and who may act

async function loadSpot(ctx: MemberCtx, spotId: string): Promise<SpotDoc> {
  const spot = await findById<SpotDoc>(SPOTS, spotId);
  if (!spot || spot.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', '车位不存在或已删除，请刷新后重试');
  return spot;
}

async function ownSpot(ctx: MemberCtx, spotId: string): Promise<SpotDoc> {
  const spot = await loadSpot(ctx, spotId);
  if (spot.owner !== ctx.openid) throw new AppError('E_FORBIDDEN', '只有车主本人可以管理这个车位');
  return spot;
}

async function loadBooking(ctx: MemberCtx, bookingId: string): Promise<BookingDoc> {
  const b = await findById<BookingDoc>(BOOKINGS, bookingId);
  if (!b || b.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', '预约不存在或已删除，请刷新后重试');
  if (b.booker !== ctx.openid && b.owner !== ctx.openid) throw new AppError('E_FORBIDDEN', '只有预约人或车主可以处理这笔预约');
  if (b.status === 'pending') throw new AppError('E_CONFLICT', '这笔预约还在处理中，请稍后刷新');
  return b;
}

async function ownersOf(ctx: MemberCtx, spots: SpotDoc[]): Promise<Map<string, MemberDoc>> {
  const ids = [...new Set(spots.map((x) => `${ctx.communityId}:${x.owner}`))];
  if (ids.length === 0) return new Map();
  const docs = await getAll<MemberDoc>(
    collection('members')
      .where({ _id: cmd().in(ids) })
      .limit(ids.length),
  );
  return new Map(docs.map((m) => [m.openid, m]));
}

// ---------------------------------------------------------------------------------------------
// Time rules

/** A bookable range: half hours, forward, not past, not too long, not too far ahead. */
function checkRange(start: Date, end: Date, now: Date, maxMinutes: number): void {
  if (!isOnHalfHour(start) || !isOnHalfHour(end)) throw invalid('时间需按半小时选择，例如 10:00 或 10:30');
  if (end <= start) throw invalid('结束时间需晚于开始时间');
  if (start < now) throw invalid('开始时间已经过去，请选择现在之后的时间');
  if (end.getTime() - start.getTime() > maxMinutes * MINUTE) throw invalid(`每次最多预约 ${hoursText(maxMinutes)}，请缩短时间`);
  if (start.getTime() > now.getTime() + BOOKING_HORIZON_DAYS * DAY_MS)
    throw invalid(`只能预约 ${BOOKING_HORIZON_DAYS} 天以内的车位`);
}

async function assertNotBlocked(ctx: MemberCtx): Promise<void> {
  const until = blockedUntil(await strikeTimes(ctx.communityId, ctx.openid, ctx.now), ctx.now);
  if (until) {
    throw new AppError('E_FORBIDDEN', `近 30 天内未按时入场或超时离场已满 3 次，暂停预约至${dayLabel(until)}，到期自动恢复`);
  }
}

/** The window a publish request describes, validated; its id is given by the caller. */
function windowFromInput(
  input: { start?: Date; end?: Date; weekdays?: number[]; from?: string; to?: string },
  id: string,
  now: Date,
): Window {
  const once = input.start !== undefined || input.end !== undefined;
  const weekly = input.weekdays !== undefined || input.from !== undefined || input.to !== undefined;
  if (once === weekly) {
    throw invalid('请选择一种开放方式：单次（填开始和结束时间），或每周重复（选星期和起止时刻）');
  }
  if (once) {
    const { start, end } = input;
    if (!start) throw invalid('请填写开始时间');
    if (!end) throw invalid('请填写结束时间');
    if (!isOnHalfHour(start) || !isOnHalfHour(end)) throw invalid('时间需按半小时选择，例如 08:00 或 08:30');
    if (end <= start) throw invalid('结束时间需晚于开始时间');
    if (end <= now) throw invalid('这个时段已经过去，请选择之后的时间');
    if (end.getTime() - start.getTime() > ONCE_WINDOW_MAX_DAYS * DAY_MS) {
      throw invalid(`单次开放最长 ${ONCE_WINDOW_MAX_DAYS} 天；长期开放请用“每周重复”`);
    }
    if (end.getTime() > now.getTime() + WINDOW_HORIZON_DAYS * DAY_MS)
      throw invalid(`只能发布 ${WINDOW_HORIZON_DAYS} 天以内的时段`);
    return { id, kind: 'once', start, end };
  }
  if (!input.weekdays || input.weekdays.length === 0) throw invalid('请选择每周哪几天开放');
  if (!input.from) throw invalid('请选择每天开始开放的时刻');
  if (!input.to) throw invalid('请选择每天结束开放的时刻');
  return { id, kind: 'weekly', weekdays: [...new Set(input.weekdays)].sort((a, b) => a - b), from: input.from, to: input.to };
}

// ---------------------------------------------------------------------------------------------
// Booking: claims

/**
 * Claims every half hour of the booking, or none. Claims are taken one by one from the earliest,
 * stopping at the first one held by someone else: of many attempts on the same range, the one
 * that takes its first half hour takes them all, so a crowd always has a winner. A slot held by
 * a finished booking is a conflict at once; one held by an attempt still in flight may free up,
 * so a few rounds are tried.
 */
async function claimSlots(b: BookingDoc, now: Date): Promise<void> {
  for (let round = 1; ; round++) {
    let lost: string | undefined;
    for (const start of slotsOf(new Date(b.start), new Date(b.end))) {
      const claim: SlotDoc = {
        _id: slotIdFor(b.spotId, start),
        communityId: b.communityId,
        spotId: b.spotId,
        start,
        bookingId: b._id,
        attempt: b.attempt,
        createdAt: now,
      };
      if (!(await insertOnce(SLOTS, claim))) {
        lost = claim._id;
        break;
      }
    }
    if (!lost) return;
    await releaseSlots(b);
    if (round >= CLAIM_ROUNDS) throw new AppError('E_CONFLICT', SLOT_TAKEN);
    const holder = await findById<SlotDoc>(SLOTS, lost);
    if (holder) {
      const holding = await findById<BookingDoc>(BOOKINGS, holder.bookingId);
      if (holding && holding.status !== 'pending') throw new AppError('E_CONFLICT', SLOT_TAKEN);
    }
    await sleep(20 + Math.floor(Math.random() * 60));
  }
}

/** The answer to a request id seen before: the booking it made, once it is settled. */
async function repeatedBooking(
  existing: BookingDoc,
  input: { spotId: string; start: Date; end: Date },
  ctx: MemberCtx,
): Promise<ParkingApi['book']['output']> {
  let b: BookingDoc | null = existing;
  for (let i = 0; b && b.status === 'pending' && i < 30; i++) {
    await sleep(100);
    b = await findById<BookingDoc>(BOOKINGS, existing._id);
  }
  if (!b) throw new AppError('E_CONFLICT', SLOT_TAKEN);
  if (b.status === 'pending') throw new AppError('E_CONFLICT', '上一次预约还在处理中，请稍后到“我的预约”查看');
  if (
    b.spotId !== input.spotId ||
    new Date(b.start).getTime() !== input.start.getTime() ||
    new Date(b.end).getTime() !== input.end.getTime()
  ) {
    throw new AppError('E_CONFLICT', '这个预约请求已经提交过其他时段，请重新选择后再提交');
  }
  return bookingView(b, viewerOf(ctx), ctx.now);
}

/** A state change of a booking: compare-and-set on its version, then its follow-ups. */
async function transition(ctx: MemberCtx, b: BookingDoc, patch: Partial<BookingDoc>, conflict: string): Promise<BookingDoc> {
  await compareAndSet(BOOKINGS, { _id: b._id, version: b.version, status: b.status }, { ...patch, updatedAt: ctx.now }, conflict);
  const next: BookingDoc = { ...b, ...patch, updatedAt: ctx.now, version: b.version + 1 };
  if (next.effectsPending) await applyEffects(next, ctx.now);
  await auditIfStaff(ctx, { target: `parking_booking:${b._id}`, before: { status: b.status }, after: { status: next.status } });
  return next;
}

// ---------------------------------------------------------------------------------------------
// Spots and windows

async function notifyWorkers(ctx: MemberCtx, spot: SpotDoc): Promise<void> {
  const workers = await getAll<MemberDoc>(
    collection('members').where({ communityId: ctx.communityId, status: 'active', roles: 'worker' }).limit(50),
  );
  await notify(
    ctx.communityId,
    workers.map((w) => w.openid),
    {
      type: 'system',
      title: `有新的共享车位待核实：${spot.code}`,
      body: `${spot.ownerBuilding} ${spot.ownerName} 登记了车位 ${spot.code}（${spot.location}），请核实产权后通过`,
      link: PAGES.verify,
      key: `parking-register:${spot._id}:${spot.version}`,
    },
    ctx.now,
  );
}

/** A worker's decision on a pending spot: compare-and-set, audit, the owner is told. */
async function decideSpot(ctx: MemberCtx, spotId: string, to: 'verified' | 'rejected', reason = ''): Promise<SpotView> {
  const spot = await loadSpot(ctx, spotId);
  if (spot.status !== 'pending') {
    throw new AppError('E_CONFLICT', spot.status === 'verified' ? '该车位已核实过了' : '该车位的登记已被驳回，请等车主重新提交');
  }
  if (to === 'rejected') await assertCleanText({ 原因: reason }, ctx.openid);
  const patch: Partial<SpotDoc> =
    to === 'verified'
      ? { status: to, verifiedBy: ctx.openid, verifiedAt: ctx.now, updatedAt: ctx.now }
      : { status: to, rejectReason: reason, updatedAt: ctx.now };
  await compareAndSet(
    SPOTS,
    { _id: spot._id, version: spot.version, status: 'pending' },
    patch,
    '该车位刚被其他工作人员处理过，请刷新列表',
  );
  const after = to === 'verified' ? { status: to } : { status: to, rejectReason: reason };
  await audit(ctx, { target: `parking_spot:${spot._id}`, before: { status: spot.status }, after });
  const key = `parking-${to}:${spot._id}:${spot.version + 1}`;
  await notify(
    ctx.communityId,
    [spot.owner],
    to === 'verified'
      ? {
          type: 'parking.verified',
          title: `车位 ${spot.code} 已通过社区核实`,
          body: '现在可以发布开放时段，邻居就能预约了',
          link: PAGES.spot(spot._id),
          key,
        }
      : {
          type: 'parking.rejected',
          title: `车位 ${spot.code} 未通过核实`,
          body: `原因：${reason}。修改后可重新提交登记。`,
          link: PAGES.spots,
          key,
        },
    ctx.now,
  );
  const next: SpotDoc = { ...spot, ...patch, version: spot.version + 1 };
  const owners = await ownersOf(ctx, [next]);
  return spotView(next, viewerOf(ctx), ctx.now, owners.get(next.owner));
}

/** Changes a spot's windows under compare-and-set. */
async function saveWindows(ctx: MemberCtx, spot: SpotDoc, windows: Window[], extra: Partial<SpotDoc> = {}): Promise<SpotDoc> {
  await compareAndSet(
    SPOTS,
    { _id: spot._id, version: spot.version },
    { windows, ...extra, updatedAt: ctx.now },
    '车位的开放时段刚被修改过，请刷新后重试',
  );
  return { ...spot, windows, ...extra, updatedAt: ctx.now, version: spot.version + 1 };
}

function page<T>(docs: T[], pageNo: number) {
  return { items: docs.slice(0, PAGE_SIZE), page: pageNo, hasMore: docs.length > PAGE_SIZE };
}

/** Clips [start, end) to a day and labels it `10:00–12:00` (`24:00` at the day's end). */
function clipToDay(start: Date, end: Date, day: Date) {
  const dayEnd = new Date(day.getTime() + DAY_MS);
  const s = start < day ? day : start;
  const e = end > dayEnd ? dayEnd : end;
  return { start: s, end: e, label: `${clockText(s)}–${e.getTime() === dayEnd.getTime() ? '24:00' : clockText(e)}` };
}

export const main = createFunction<ParkingApi>('parking', {
  registerSpot: action({
    schema: s.registerSpot,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      await assertCleanText({ 位置: input.location }, ctx.openid, 1);
      const id = spotIdFor(ctx.communityId, input.code);
      const details = {
        location: input.location,
        photo: input.photo ?? '',
        maxMinutes: (input.maxHours ?? DEFAULT_MAX_MINUTES / 60) * 60,
      };
      const mine = { owner: ctx.openid, ownerName: ctx.member.name, ownerBuilding: ctx.member.building };
      let spot = await findById<SpotDoc>(SPOTS, id);
      // A claim repeated with the photo it already has keeps it (the owner's own upload).
      const kept = spot && spot.owner === ctx.openid && spot.photo ? [spot.photo] : [];
      await checkAttachments(details.photo ? [details.photo] : [], ctx.openid, { keep: kept });
      if (!spot) {
        const doc: SpotDoc = {
          _id: id,
          communityId: ctx.communityId,
          ...mine,
          code: input.code,
          ...details,
          status: 'pending',
          rejectReason: '',
          windows: [],
          windowSeq: 0,
          createdAt: ctx.now,
          updatedAt: ctx.now,
          version: 1,
        };
        if (await insertOnce(SPOTS, doc)) {
          await notifyWorkers(ctx, doc);
          return spotView(doc, viewerOf(ctx), ctx.now, ctx.member);
        }
        spot = await findById<SpotDoc>(SPOTS, id);
        if (!spot) throw new AppError('E_CONFLICT');
      }
      const takenMessage = `车位 ${input.code} 已由其他住户登记。如果这是您的车位，请带上产权或租赁证明联系社区工作者`;
      if (spot.owner !== ctx.openid && spot.status !== 'rejected') throw new AppError('E_CONFLICT', takenMessage);
      if (spot.owner === ctx.openid && spot.status === 'verified') {
        const same =
          spot.location === details.location && (spot.photo || '') === details.photo && spot.maxMinutes === details.maxMinutes;
        if (same) return spotView(spot, viewerOf(ctx), ctx.now, ctx.member);
        throw new AppError('E_CONFLICT', '该车位已核实，如需修改位置等信息请联系社区工作者');
      }
      // The owner correcting a pending or rejected claim, or a new claimant after a rejection.
      const patch: Partial<SpotDoc> = { ...mine, ...details, status: 'pending', rejectReason: '', updatedAt: ctx.now };
      if (spot.owner !== ctx.openid) Object.assign(patch, { windows: [] });
      await compareAndSet(SPOTS, { _id: id, version: spot.version, status: spot.status, owner: spot.owner }, patch, takenMessage);
      const next: SpotDoc = { ...spot, ...patch, version: spot.version + 1 };
      await notifyWorkers(ctx, next);
      return spotView(next, viewerOf(ctx), ctx.now, ctx.member);
    },
  }),

  mySpots: action({
    schema: s.mySpots,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const pageNo = input.page ?? 1;
      const docs = await getAll<SpotDoc>(
        collection(SPOTS)
          .where({ communityId: ctx.communityId, owner: ctx.openid })
          .orderBy('createdAt', 'asc')
          .skip((pageNo - 1) * PAGE_SIZE)
          .limit(PAGE_SIZE + 1),
      );
      const earned = await collection(LEDGER)
        .where({ communityId: ctx.communityId, openid: ctx.openid, source: 'parking' })
        .count();
      const viewer = viewerOf(ctx);
      return {
        ...page(
          docs.map((d) => spotView(d, viewer, ctx.now, ctx.member)),
          pageNo,
        ),
        points: earned.total * POINTS_PER_BOOKING,
      };
    },
  }),

  listSpots: action({
    schema: s.listSpots,
    roles: WORKER,
    handler: async (input, ctx) => {
      const pageNo = input.page ?? 1;
      const where: Record<string, unknown> = { communityId: ctx.communityId };
      if (input.status) where.status = input.status;
      // The verification queue reads oldest first; other lists newest first.
      const docs = await getAll<SpotDoc>(
        collection(SPOTS)
          .where(where)
          .orderBy('createdAt', input.status === 'pending' ? 'asc' : 'desc')
          .skip((pageNo - 1) * PAGE_SIZE)
          .limit(PAGE_SIZE + 1),
      );
      const owners = await ownersOf(ctx, docs.slice(0, PAGE_SIZE));
      const viewer = viewerOf(ctx);
      return page(
        docs.map((d) => spotView(d, viewer, ctx.now, owners.get(d.owner))),
        pageNo,
      );
    },
  }),

  verifySpot: action({
    schema: s.verifySpot,
    roles: WORKER,
    handler: async ({ spotId }, ctx) => decideSpot(ctx, spotId, 'verified'),
  }),

  rejectSpot: action({
    schema: s.rejectSpot,
    roles: WORKER,
    handler: async ({ spotId, reason }, ctx) => decideSpot(ctx, spotId, 'rejected', reason),
  }),

  publishWindow: action({
    schema: s.publishWindow,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const spot = await ownSpot(ctx, input.spotId);
      if (spot.status !== 'verified') throw new AppError('E_CONFLICT', '车位通过社区核实后才能发布开放时段');
      const window = windowFromInput(input, `w${spot.windowSeq + 1}`, ctx.now);
      const kept = spot.windows.filter((w) => !isExpired(w, ctx.now));
      const clash = kept.find((w) => windowsOverlap(w, window));
      if (clash) throw new AppError('E_CONFLICT', `与已发布的时段重叠，请调整时间：${windowLabel(clash)}`);
      if (kept.length >= MAX_WINDOWS)
        throw new AppError('E_CONFLICT', `每个车位最多 ${MAX_WINDOWS} 个开放时段，请先删除不用的时段`);
      const next = await saveWindows(ctx, spot, [...kept, window], { windowSeq: spot.windowSeq + 1 });
      await auditIfStaff(ctx, { target: `parking_spot:${spot._id}`, after: { window: window.id } });
      return spotView(next, viewerOf(ctx), ctx.now, ctx.member);
    },
  }),

  removeWindow: action({
    schema: s.removeWindow,
    roles: ANY_MEMBER,
    handler: async ({ spotId, windowId }, ctx) => {
      let spot = await ownSpot(ctx, spotId);
      const target = spot.windows.find((w) => w.id === windowId);
      if (!target) throw new AppError('E_NOT_FOUND', '该开放时段不存在或已删除，请刷新后重试');
      if (isClosing(target, ctx.now)) throw new AppError('E_CONFLICT', '这个时段正在删除，请稍后刷新');
      // 1. Mark the window closing: from now on no booking can start to rely on it.
      spot = await saveWindows(
        ctx,
        spot,
        spot.windows.map((w) => (w.id === windowId ? { ...w, closingSince: ctx.now } : w)),
      );
      // 2. Every booking that relied on it is visible by now (a booking re-reads the window after
      //    its document exists), so an empty answer means none can appear any more.
      const open = await getAll<BookingDoc>(
        collection(BOOKINGS)
          .where({ communityId: ctx.communityId, spotId, windowId, status: cmd().in(['pending', ...OPEN_STATUSES]) })
          .orderBy('start', 'asc')
          .limit(20),
      );
      if (open.length > 0) {
        // 3a. Reopen it and say why.
        for (let attempt = 0; attempt < 3; attempt++) {
          const fresh = (await findById<SpotDoc>(SPOTS, spotId))!;
          const reopened = fresh.windows.map((w) => {
            if (w.id !== windowId) return w;
            const { closingSince: _closing, ...rest } = w;
            return rest as Window;
          });
          try {
            await saveWindows(ctx, fresh, reopened);
            break;
          } catch (err) {
            if (!(err instanceof AppError) || err.code !== 'E_CONFLICT' || attempt === 2) throw err;
          }
        }
        const first = open.find((b) => b.status !== 'pending') ?? open[0];
        const more = open.length >= 20 ? '20 个以上' : `${open.length} 个`;
        throw new AppError(
          'E_CONFLICT',
          `这个时段还有 ${more}预约未结束（最近一个：${rangeLabel(new Date(first.start), new Date(first.end))}，车牌 ${first.plate}），请等预约结束，或先取消这些预约后再删除`,
        );
      }
      // 3b. Remove it.
      const next = await saveWindows(
        ctx,
        spot,
        spot.windows.filter((w) => w.id !== windowId),
      );
      await auditIfStaff(ctx, { target: `parking_spot:${spot._id}`, before: { window: windowId } });
      return spotView(next, viewerOf(ctx), ctx.now, ctx.member);
    },
  }),

  spotSchedule: action({
    schema: s.spotSchedule,
    roles: ANY_MEMBER,
    handler: async ({ spotId, date, days = 7 }, ctx) => {
      const spot = await loadSpot(ctx, spotId);
      const viewer = viewerOf(ctx);
      const mine = spot.owner === ctx.openid;
      if (!mine && !viewer.isWorker && spot.status !== 'verified') throw new AppError('E_NOT_FOUND', '车位不存在或还未开放');
      const from = dayFromText(date);
      const to = new Date(from.getTime() + days * DAY_MS);
      const bookings = await getAll<BookingDoc>(
        collection(BOOKINGS)
          .where({
            communityId: ctx.communityId,
            spotId,
            status: cmd().in(mine ? [...OPEN_STATUSES, 'completed'] : OPEN_STATUSES),
            start: cmd().lt(to),
            end: cmd().gt(from),
          })
          .orderBy('start', 'asc')
          .limit(500),
      );
      const windows = spot.windows.filter((w) => !isExpired(w, ctx.now) && !isClosing(w, ctx.now));
      const out: ScheduleDay[] = [];
      for (let i = 0; i < days; i++) {
        const day = new Date(from.getTime() + i * DAY_MS);
        const dayEnd = new Date(day.getTime() + DAY_MS);
        const l = local(day);
        out.push({
          date: dateText(day),
          label: `${l.month}月${l.day}日 ${weekdayText(l.weekday)}`,
          windows: windows
            .flatMap((w) => occurrences(w, day, dayEnd))
            .sort((a, b) => a.start.getTime() - b.start.getTime())
            .map((o) => {
              const c = clipToDay(o.start, o.end, day);
              return { windowId: o.windowId, start: isoLocal(c.start), end: isoLocal(c.end), label: c.label };
            }),
          bookings: bookings
            .filter((b) => new Date(b.start) < dayEnd && new Date(b.end) > day)
            .map((b) => {
              const c = clipToDay(new Date(b.start), new Date(b.end), day);
              const base = { start: isoLocal(c.start), end: isoLocal(c.end), label: c.label };
              // Only the owner sees whole plates and names; a worker sees the booking, plate masked.
              if (!mine && !viewer.isWorker) return base;
              const view = bookingView(b, viewer, ctx.now);
              return mine
                ? { ...base, bookingId: b._id, status: view.status, plate: b.plate, bookerName: b.bookerName }
                : { ...base, bookingId: b._id, status: view.status, plate: view.plate };
              return base;
            }),
        });
      }
      return { spot: spotView(spot, viewer, ctx.now, mine ? ctx.member : undefined), days: out };
    },
  }),

  spotBookings: action({
    schema: s.spotBookings,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const spot = await ownSpot(ctx, input.spotId);
      const pageNo = input.page ?? 1;
      const upcoming = (input.scope ?? 'upcoming') === 'upcoming';
      const docs = await getAll<BookingDoc>(
        collection(BOOKINGS)
          .where({ communityId: ctx.communityId, spotId: spot._id, status: cmd().in(upcoming ? OPEN_STATUSES : PAST_STATUSES) })
          .orderBy('start', upcoming ? 'asc' : 'desc')
          .skip((pageNo - 1) * PAGE_SIZE)
          .limit(PAGE_SIZE + 1),
      );
      const viewer = viewerOf(ctx);
      return page(
        docs.map((b) => bookingView(b, viewer, ctx.now)),
        pageNo,
      );
    },
  }),

  search: action({
    schema: s.search,
    roles: ANY_MEMBER,
    handler: async ({ start, end, page: pageArg }, ctx) => {
      checkRange(start, end, ctx.now, 24 * 60);
      const minutes = (end.getTime() - start.getTime()) / MINUTE;
      const spots = await getAll<SpotDoc>(
        collection(SPOTS)
          .where({ communityId: ctx.communityId, status: 'verified' })
          .orderBy('code', 'asc')
          .limit(SEARCH_SPOT_LIMIT),
      );
      const candidates: { spot: SpotDoc; windowId: string }[] = [];
      for (const spot of spots) {
        if (spot.owner === ctx.openid || minutes > spot.maxMinutes) continue;
        const hit = coveringWindow(spot.windows, start, end, ctx.now);
        if (hit) candidates.push({ spot, windowId: hit.windowId });
      }
      const busy = new Set<string>();
      if (candidates.length > 0) {
        const taken = await getAll<BookingDoc>(
          collection(BOOKINGS)
            .where({
              communityId: ctx.communityId,
              spotId: cmd().in(candidates.map((c) => c.spot._id)),
              status: cmd().in(OPEN_STATUSES),
              start: cmd().lt(end),
              end: cmd().gt(start),
            })
            .limit(1000),
        );
        for (const b of taken) busy.add(b.spotId);
      }
      const free: FreeSpot[] = candidates
        .filter((c) => !busy.has(c.spot._id))
        .map(({ spot, windowId }) => ({
          spotId: spot._id,
          code: spot.code,
          location: spot.location,
          photo: spot.photo || undefined,
          ownerBuilding: spot.ownerBuilding,
          maxHours: spot.maxMinutes / 60,
          windowLabel: windowLabel(spot.windows.find((w) => w.id === windowId)!),
        }));
      const pageNo = pageArg ?? 1;
      const until = blockedUntil(await strikeTimes(ctx.communityId, ctx.openid, ctx.now), ctx.now);
      return {
        items: free.slice((pageNo - 1) * PAGE_SIZE, pageNo * PAGE_SIZE),
        page: pageNo,
        hasMore: free.length > pageNo * PAGE_SIZE,
        start: isoLocal(start),
        end: isoLocal(end),
        blockedUntil: until ? isoLocal(until) : undefined,
      };
    },
  }),

  book: action({
    schema: s.book,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const { start, end } = input;
      const id = bookingIdFor(ctx.communityId, ctx.openid, input.requestId);
      const existing = await findById<BookingDoc>(BOOKINGS, id);
      if (existing) return repeatedBooking(existing, input, ctx);

      const spot = await loadSpot(ctx, input.spotId);
      if (spot.owner === ctx.openid) throw new AppError('E_FORBIDDEN', '不能预约自己的车位');
      if (spot.status !== 'verified') throw new AppError('E_CONFLICT', '该车位还没通过社区核实，暂不能预约');
      checkRange(start, end, ctx.now, spot.maxMinutes);
      const occurrence = coveringWindow(spot.windows, start, end, ctx.now);
      if (!occurrence) throw invalid('所选时间不在车主开放的同一个时段内，请对照“可约时段”重新选择');
      await assertNotBlocked(ctx);

      const doc: BookingDoc = {
        _id: id,
        communityId: ctx.communityId,
        spotId: spot._id,
        spotCode: spot.code,
        spotLocation: spot.location,
        owner: spot.owner,
        booker: ctx.openid,
        bookerName: ctx.member.name,
        bookerBuilding: ctx.member.building,
        plate: input.plate,
        start,
        end,
        windowId: occurrence.windowId,
        requestId: input.requestId,
        attempt: newAttempt(),
        status: 'pending',
        effectsPending: false,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        version: 1,
      };
      if (!(await insertOnce(BOOKINGS, doc))) {
        const again = await findById<BookingDoc>(BOOKINGS, id);
        if (again) return repeatedBooking(again, input, ctx);
        throw new AppError('E_CONFLICT', SLOT_TAKEN);
      }
      try {
        // The window must still be open now that this booking is visible to a removal.
        const fresh = await findById<SpotDoc>(SPOTS, spot._id);
        const still =
          fresh?.status === 'verified' &&
          coveringWindow(
            fresh.windows.filter((w) => w.id === occurrence.windowId),
            start,
            end,
            ctx.now,
          );
        if (!still) throw new AppError('E_CONFLICT', '车主刚调整了开放时段，请刷新后重新选择');
        await claimSlots(doc, ctx.now);
        await compareAndSet(
          BOOKINGS,
          { _id: id, version: 1, status: 'pending' },
          { status: 'booked', effectsPending: true, updatedAt: ctx.now },
          SLOT_TAKEN,
        );
      } catch (err) {
        await abandon(doc);
        throw err;
      }
      const booked: BookingDoc = { ...doc, status: 'booked', effectsPending: true, version: 2 };
      await applyEffects(booked, ctx.now);
      await auditIfStaff(ctx, { target: `parking_booking:${id}`, after: { status: 'booked', spotId: spot._id } });
      return bookingView(booked, viewerOf(ctx), ctx.now);
    },
  }),

  cancelBooking: action({
    schema: s.cancelBooking,
    roles: ANY_MEMBER,
    handler: async ({ bookingId, reason }, ctx) => {
      const b = await loadBooking(ctx, bookingId);
      if (b.status === 'checked_in') throw new AppError('E_CONFLICT', '车辆已入场，不能取消；离开时请点“离场”');
      if (b.status !== 'booked') throw new AppError('E_CONFLICT', '这笔预约已结束或已取消，请刷新');
      const byOwner = b.owner === ctx.openid;
      if (byOwner) {
        if (!reason) throw invalid('请填写取消原因，预约人会收到通知');
        await assertCleanText({ 原因: reason }, ctx.openid);
      } else if (ctx.now.getTime() > new Date(b.start).getTime() - BOOKER_CANCEL_BEFORE_MIN * MINUTE) {
        throw new AppError('E_CONFLICT', `开始前 ${BOOKER_CANCEL_BEFORE_MIN} 分钟内不能取消。如果来不了，请尽早联系车主`);
      } else if (reason) {
        await assertCleanText({ 原因: reason }, ctx.openid);
      }
      const patch: Partial<BookingDoc> = { status: 'cancelled', cancelledBy: byOwner ? 'owner' : 'booker', effectsPending: true };
      if (reason) patch.cancelReason = reason;
      const next = await transition(ctx, b, patch, '这笔预约的状态刚刚变了，请刷新后再试');
      return bookingView(next, viewerOf(ctx), ctx.now);
    },
  }),

  checkIn: action({
    schema: s.checkIn,
    roles: ANY_MEMBER,
    handler: async ({ bookingId }, ctx) => {
      const b = await loadBooking(ctx, bookingId);
      if (b.booker !== ctx.openid) throw new AppError('E_FORBIDDEN', '只有预约人本人可以入场打卡');
      if (b.status !== 'booked')
        throw new AppError('E_CONFLICT', b.status === 'checked_in' ? '已经入场了' : '这笔预约已结束或已取消，请刷新');
      const start = new Date(b.start).getTime();
      if (ctx.now.getTime() < start - CHECK_IN_EARLY_MIN * MINUTE) {
        throw new AppError(
          'E_CONFLICT',
          `还没到入场时间：开始前 ${CHECK_IN_EARLY_MIN} 分钟起可以入场（${rangeLabel(new Date(b.start), new Date(b.end))}）`,
        );
      }
      if (ctx.now.getTime() >= start + NO_SHOW_AFTER_MIN * MINUTE) {
        throw new AppError('E_CONFLICT', `已超过开始时间 ${NO_SHOW_AFTER_MIN} 分钟，这笔预约已失效，请重新预约`);
      }
      const next = await transition(
        ctx,
        b,
        { status: 'checked_in', checkedInAt: ctx.now },
        '这笔预约的状态刚刚变了，请刷新后再试',
      );
      return bookingView(next, viewerOf(ctx), ctx.now);
    },
  }),

  checkOut: action({
    schema: s.checkOut,
    roles: ANY_MEMBER,
    handler: async ({ bookingId }, ctx) => {
      const b = await loadBooking(ctx, bookingId);
      if (b.booker !== ctx.openid) throw new AppError('E_FORBIDDEN', '只有预约人本人可以离场打卡');
      if (b.status !== 'checked_in') {
        throw new AppError('E_CONFLICT', b.status === 'booked' ? '还没有入场，不能离场' : '这笔预约已经结束，请刷新');
      }
      const patch: Partial<BookingDoc> = {
        status: 'completed',
        checkedOutAt: ctx.now,
        overstay: ctx.now.getTime() > new Date(b.end).getTime() + OVERSTAY_GRACE_MIN * MINUTE,
        effectsPending: true,
      };
      const releasedFrom = releaseFromOnLeave(b, ctx.now);
      if (releasedFrom) patch.releasedFrom = releasedFrom;
      const next = await transition(ctx, b, patch, '这笔预约的状态刚刚变了，请刷新后再试');
      return bookingView(next, viewerOf(ctx), ctx.now);
    },
  }),

  myBookings: action({
    schema: s.myBookings,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const pageNo = input.page ?? 1;
      const upcoming = (input.scope ?? 'upcoming') === 'upcoming';
      const docs = await getAll<BookingDoc>(
        collection(BOOKINGS)
          .where({ communityId: ctx.communityId, booker: ctx.openid, status: cmd().in(upcoming ? OPEN_STATUSES : PAST_STATUSES) })
          .orderBy('start', upcoming ? 'asc' : 'desc')
          .skip((pageNo - 1) * PAGE_SIZE)
          .limit(PAGE_SIZE + 1),
      );
      const viewer = viewerOf(ctx);
      const strikes = await strikeTimes(ctx.communityId, ctx.openid, ctx.now);
      const until = blockedUntil(strikes, ctx.now);
      return {
        ...page(
          docs.map((b) => bookingView(b, viewer, ctx.now)),
          pageNo,
        ),
        blockedUntil: until ? isoLocal(until) : undefined,
        recentStrikes: recentStrikes(strikes, ctx.now),
      };
    },
  }),
});
