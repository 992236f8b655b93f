// Bookings: a neighbour books a free range of a spot, checks in and out; either side cancels.
//
// Overlap is impossible by construction: a booking holds one claim document per half hour of
// its spot, its booker and its plate (deterministic ids inserted with insertOnce, claims.ts), and
// becomes `booked` only once every claim is its own.
import { audit } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { findById } from '../common/db';
import { AppError } from '../common/errors';
import { assertSameRequest, type RequestBody } from '../common/request';
import { ANY_MEMBER, action, type MemberCtx } from '../common/router';
import { MINUTE_MS } from '../../miniprogram/shared/clock';
import { parkingSchemas as s, type ParkingApi } from './api';
import { SLOT_TAKEN, claimAll } from './claims';
import { abandon, applyEffects, strikeTimes } from './effects';
import { BOOKINGS, SPOTS, bookingIdFor, newAttempt, type BookingDoc, type SpotDoc } from './model';
import { blockedUntil, checkRange, coveringWindow, dayLabel, invalid, recentStrikes } from './rules';
import { bookingPage, loadBooking, loadSpot } from './store';
import { isoMinute, rangeLabel } from './time';
import {
  BOOKER_CANCEL_BEFORE_MIN,
  CHECK_IN_EARLY_MIN,
  NO_SHOW_AFTER_MIN,
  OVERSTAY_GRACE_MIN,
  bookingView,
  releaseFromOnLeave,
  viewerOf,
} from './views';

const CHANGED = '这笔预约的状态刚刚变了，请刷新后再试';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function assertNotBlocked(ctx: MemberCtx): Promise<void> {
  const until = blockedUntil(await strikeTimes(ctx.communityId, ctx.openid, ctx.now), ctx.now);
  if (until) {
    throw new AppError('E_FORBIDDEN', `近 30 天内未按时入场或超时离场已满 3 次，暂停预约至${dayLabel(until)}，到期自动恢复`);
  }
}

/** What makes two bookings the same request: the spot, the range and the plate as stored. */
const bookingBody = (b: { spotId: string; start: Date; end: Date; plate: string }): RequestBody => ({
  spotId: b.spotId,
  start: new Date(b.start),
  end: new Date(b.end),
  plate: b.plate,
});
const OTHER_BOOKING =
  '这个请求编号已用于另一笔预约（车位、时段或车牌不同）。请先到“我的预约”查看上一笔是否已成功；确需再约，请重新提交';

/** The answer to a request id seen before: the booking it made, once it is settled. */
async function repeatedBooking(
  existing: BookingDoc,
  input: { spotId: string; start: Date; end: Date; plate: string },
  ctx: MemberCtx,
): Promise<ParkingApi['book']['output']> {
  assertSameRequest(bookingBody(existing), bookingBody(input), OTHER_BOOKING);
  let b: BookingDoc | null = existing;
  for (let i = 0; b && b.status === 'pending' && i < 30; i++) {
    await sleep(100);
    b = await findById<BookingDoc>(BOOKINGS, existing._id);
  }
  if (!b) throw new AppError('E_CONFLICT', SLOT_TAKEN);
  if (b.status === 'pending') throw new AppError('E_CONFLICT', '上一次预约还在处理中，请稍后到“我的预约”查看');
  return bookingView(b, viewerOf(ctx), ctx.now);
}

/** A state change of a booking: compare-and-set on its version, then its follow-ups. */
async function transition(ctx: MemberCtx, b: BookingDoc, patch: Partial<BookingDoc>, conflict: string): Promise<BookingDoc> {
  await compareAndSet(BOOKINGS, { _id: b._id, version: b.version, status: b.status }, { ...patch, updatedAt: ctx.now }, conflict);
  const next: BookingDoc = { ...b, ...patch, updatedAt: ctx.now, version: b.version + 1 };
  if (next.effectsPending) await applyEffects(next, ctx.now);
  const after = { status: next.status, ...(patch.overstay ? { overstay: true } : {}) };
  await audit(ctx, { target: `parking_booking:${b._id}`, before: { status: b.status }, after });
  return next;
}

export const bookingActions = {
  book: action({
    schema: s.book,
    roles: ANY_MEMBER,
    limit: 'booking',
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
        await claimAll(doc, ctx.now);
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
      await audit(ctx, {
        target: `parking_booking:${id}`,
        after: { status: 'booked', spot: spot.code, time: rangeLabel(start, end) },
      });
      return bookingView(booked, viewerOf(ctx), ctx.now);
    },
  }),

  cancelBooking: action({
    schema: s.cancelBooking,
    roles: ANY_MEMBER,
    limit: 'booking',
    handler: async ({ bookingId, reason }, ctx) => {
      const b = await loadBooking(ctx, bookingId);
      if (b.status === 'checked_in') throw new AppError('E_CONFLICT', '车辆已入场，不能取消；离开时请点“离场”');
      if (b.status !== 'booked') throw new AppError('E_CONFLICT', '这笔预约已结束或已取消，请刷新');
      const byOwner = b.owner === ctx.openid;
      if (byOwner) {
        if (!reason) throw invalid('请填写取消原因，预约人会收到通知');
      } else if (ctx.now.getTime() > new Date(b.start).getTime() - BOOKER_CANCEL_BEFORE_MIN * MINUTE_MS) {
        throw new AppError('E_CONFLICT', `开始前 ${BOOKER_CANCEL_BEFORE_MIN} 分钟内不能取消。如果来不了，请尽早联系车主`);
      }
      const patch: Partial<BookingDoc> = { status: 'cancelled', cancelledBy: byOwner ? 'owner' : 'booker', effectsPending: true };
      if (reason) patch.cancelReason = reason;
      const next = await transition(ctx, b, patch, CHANGED);
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
      if (ctx.now.getTime() < start - CHECK_IN_EARLY_MIN * MINUTE_MS) {
        throw new AppError(
          'E_CONFLICT',
          `还没到入场时间：开始前 ${CHECK_IN_EARLY_MIN} 分钟起可以入场（${rangeLabel(new Date(b.start), new Date(b.end))}）`,
        );
      }
      if (ctx.now.getTime() >= start + NO_SHOW_AFTER_MIN * MINUTE_MS) {
        throw new AppError('E_CONFLICT', `已超过开始时间 ${NO_SHOW_AFTER_MIN} 分钟，这笔预约已失效，请重新预约`);
      }
      const next = await transition(ctx, b, { status: 'checked_in', checkedInAt: ctx.now }, CHANGED);
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
        overstay: ctx.now.getTime() > new Date(b.end).getTime() + OVERSTAY_GRACE_MIN * MINUTE_MS,
        effectsPending: true,
      };
      const releasedFrom = releaseFromOnLeave(b, ctx.now);
      if (releasedFrom) patch.releasedFrom = releasedFrom;
      const next = await transition(ctx, b, patch, CHANGED);
      return bookingView(next, viewerOf(ctx), ctx.now);
    },
  }),

  myBookings: action({
    schema: s.myBookings,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const pageNo = input.page ?? 1;
      const { docs, hasMore } = await bookingPage(ctx, { booker: ctx.openid }, input.scope ?? 'upcoming', pageNo);
      const viewer = viewerOf(ctx);
      const strikes = await strikeTimes(ctx.communityId, ctx.openid, ctx.now);
      const until = blockedUntil(strikes, ctx.now);
      return {
        items: docs.map((b) => bookingView(b, viewer, ctx.now)),
        page: pageNo,
        hasMore,
        blockedUntil: until ? isoMinute(until) : undefined,
        recentStrikes: recentStrikes(strikes, ctx.now),
      };
    },
  }),
};
