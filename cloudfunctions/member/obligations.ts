// What a member leaves behind in a community when their membership ends (leave, remove, erase):
// - orders they are served by that have not started (pending, open, dispatched, accepted) are
//   cancelled, with the message the cancel path sends; orders they placed for someone who stays
//   go on (that person may cancel them);
// - orders assigned to them as a volunteer (dispatched, accepted, in service) go back to the
//   dispatch queue, as a decline does: the volunteer recorded in passedOver, a new dispatch clock,
//   the workers (and, once accepted, the residents) told;
// - their upcoming parking bookings are cancelled (the owner told), their spots' windows are
//   withdrawn (a claim still waiting for verification is closed as rejected) and the upcoming
//   bookings of their spots cancelled (each booker told).
// Checked-in bookings and orders already served finish as they are. Each change is a
// compare-and-set on one document; one that loses a race to the person acting at the same moment
// is read again and handled in its new state.
import type { AuditEntry } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import type { MemberDoc } from '../common/model';
import { notify } from '../common/notify';
import { countOrder } from '../orders/counters';
import { clockPatch, orderLink, timelineEntry } from '../orders/lifecycle';
import { ORDERS, type OrderDoc } from '../orders/model';
import { applyEffects } from '../parking/effects';
import { BOOKINGS, SPOTS, type BookingDoc, type SpotDoc } from '../parking/model';

/** Who ends the membership: the member themself (leave, erase) or a worker (remove). */
export interface Actor {
  openid: string;
  name: string;
}

export interface ObligationCounts {
  cancelledOrders: number;
  returnedOrders: number;
  cancelledBookings: number;
  withdrawnSpots: number;
}

const CANCELLABLE = ['pending', 'open', 'dispatched', 'accepted'] as const;
const ASSIGNED = ['dispatched', 'accepted', 'in_service'] as const;
const ROUNDS = 3;

async function workersOf(communityId: string): Promise<string[]> {
  const docs = await getAll<MemberDoc>(
    collection('members').where({ communityId, status: 'active', roles: 'worker' }).field({ openid: true }).limit(50),
  );
  return docs.map((m) => m.openid);
}

/** Runs `step` on a document, reading it again after a lost compare-and-set (a few rounds). */
async function withRetry<T extends { _id: string }>(name: string, doc: T, step: (d: T) => Promise<boolean>): Promise<T | null> {
  let current: T | null = doc;
  for (let round = 0; current && round < ROUNDS; round++) {
    try {
      return (await step(current)) ? current : null;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'E_CONFLICT') throw err;
      current = await findById<T>(name, doc._id);
    }
  }
  return null;
}

async function cancelOrder(o: OrderDoc, m: MemberDoc, actor: Actor, reason: string, now: Date): Promise<boolean> {
  if (o.forOpenid !== m.openid || !(CANCELLABLE as readonly string[]).includes(o.status)) return false;
  await compareAndSet(
    ORDERS,
    { _id: o._id, version: o.version, status: o.status },
    {
      ...clockPatch(o, null, now),
      status: 'cancelled',
      cancellation: cmd().set({ reason, by: actor.openid, byName: actor.name, at: now }),
      timeline: cmd().push([timelineEntry(actor.openid, actor.name, 'cancel', now, reason)]),
      updatedAt: now,
    },
  );
  await countOrder('cancelled', o, now);
  const to = [...o.parties, o.volunteerOpenid].filter((x): x is string => !!x && x !== m.openid);
  if (to.length) {
    await notify(
      o.communityId,
      [...new Set(to)],
      { type: 'order.cancelled', title: `订单已取消：${o.serviceName}`, body: `原因：${reason}`, link: orderLink(o._id) },
      now,
    );
  }
  return true;
}

async function returnOrder(
  o: OrderDoc,
  m: MemberDoc,
  actor: Actor,
  reason: string,
  now: Date,
  workers: () => Promise<string[]>,
): Promise<boolean> {
  if (o.volunteerOpenid !== m.openid || !(ASSIGNED as readonly string[]).includes(o.status)) return false;
  await compareAndSet(
    ORDERS,
    { _id: o._id, version: o.version, status: o.status },
    {
      ...clockPatch(o, 'dispatch', now),
      status: 'pending',
      volunteerOpenid: null,
      volunteerName: null,
      volunteerPhone: null,
      passedOver: cmd().push([{ openid: m.openid, name: m.name, reason, timedOut: false, at: now }]),
      timeline: cmd().push([timelineEntry(actor.openid, actor.name, 'decline', now, reason)]),
      updatedAt: now,
    },
  );
  await notify(
    o.communityId,
    await workers(),
    {
      type: 'order.declined',
      title: `志愿者已离开社区，请重新派单：${o.serviceName}`,
      body: `原因：${reason}`,
      link: orderLink(o._id),
    },
    now,
  );
  if (o.status !== 'dispatched') {
    await notify(
      o.communityId,
      o.parties,
      { type: 'order.declined', title: `志愿者无法继续服务，社区将重新安排：${o.serviceName}`, link: orderLink(o._id) },
      now,
    );
  }
  return true;
}

async function cancelBooking(b: BookingDoc, by: 'booker' | 'owner', reason: string, now: Date): Promise<boolean> {
  if (b.status !== 'booked') return false;
  const patch: Partial<BookingDoc> = { status: 'cancelled', cancelledBy: by, cancelReason: reason, effectsPending: true };
  await compareAndSet(BOOKINGS, { _id: b._id, version: b.version, status: b.status }, { ...patch, updatedAt: now });
  await applyEffects({ ...b, ...patch, updatedAt: now, version: b.version + 1 }, now);
  return true;
}

/** The spot opens no more time; a claim still waiting for verification leaves the queue. */
async function withdrawSpot(s: SpotDoc, now: Date, reason: string): Promise<boolean> {
  const patch: Partial<SpotDoc> = {};
  if (s.windows.length > 0) patch.windows = [];
  if (s.status === 'pending') Object.assign(patch, { status: 'rejected', rejectReason: reason });
  if (Object.keys(patch).length === 0) return false;
  await compareAndSet(SPOTS, { _id: s._id, version: s.version, status: s.status }, { ...patch, updatedAt: now });
  return true;
}

/** Runs `step` on each document; records each change for the audit (`entry` of the document as it was). */
async function each<T extends { _id: string }>(
  name: string,
  docs: T[],
  step: (d: T) => Promise<boolean>,
  changes: AuditEntry[],
  entry: (was: T) => AuditEntry,
): Promise<number> {
  let n = 0;
  for (const d of docs) {
    const was = await withRetry(name, d, step);
    if (was) {
      n++;
      changes.push(entry(was));
    }
  }
  return n;
}

/** Handles what `m` leaves behind in `m.communityId` (see the top of this file). */
export async function settleObligations(
  m: MemberDoc,
  actor: Actor,
  now: Date,
  why: 'left' | 'removed',
): Promise<{ counts: ObligationCounts; changes: AuditEntry[] }> {
  const c = m.communityId;
  const changes: AuditEntry[] = [];
  const order = (to: string) => (o: OrderDoc) => ({
    target: `order:${o._id}`,
    before: { status: o.status, volunteerOpenid: o.volunteerOpenid },
    after: { status: to, volunteerOpenid: null },
  });
  const booking = (b: BookingDoc) => ({
    target: `parking_booking:${b._id}`,
    before: { status: b.status },
    after: { status: 'cancelled' },
  });
  const person = why === 'left' ? '已退出社区' : '已被移出社区';
  const served = await getAll<OrderDoc>(
    collection(ORDERS)
      .where({ communityId: c, parties: m.openid, status: cmd().in([...CANCELLABLE]) })
      .limit(1000),
  );
  const cancelledOrders = await each(
    ORDERS,
    served,
    (o) => cancelOrder(o, m, actor, `服务对象${person}`, now),
    changes,
    order('cancelled'),
  );
  const assigned = await getAll<OrderDoc>(
    collection(ORDERS)
      .where({ communityId: c, volunteerOpenid: m.openid, status: cmd().in([...ASSIGNED]) })
      .limit(1000),
  );
  let workers: Promise<string[]> | undefined; // read once, when first needed
  const workersOnce = () => (workers ??= workersOf(c));
  const returnedOrders = await each(
    ORDERS,
    assigned,
    (o) => returnOrder(o, m, actor, `志愿者${person}`, now, workersOnce),
    changes,
    order('pending'),
  );

  const spots = await getAll<SpotDoc>(collection(SPOTS).where({ communityId: c, owner: m.openid }).limit(100));
  const withdrawnSpots = await each(
    SPOTS,
    spots,
    (s) => withdrawSpot(s, now, `车主${person}`),
    changes,
    (was) => ({
      target: `parking_spot:${was._id}`,
      before: { status: was.status, windows: was.windows.length },
      after: { status: was.status === 'pending' ? 'rejected' : was.status, windows: 0 },
    }),
  );
  const booked = await getAll<BookingDoc>(
    collection(BOOKINGS).where({ communityId: c, booker: m.openid, status: 'booked' }).limit(1000),
  );
  let cancelledBookings = await each(
    BOOKINGS,
    booked,
    (b) => cancelBooking(b, 'booker', `预约人${person}`, now),
    changes,
    booking,
  );
  if (spots.length) {
    const onSpots = await getAll<BookingDoc>(
      collection(BOOKINGS)
        .where({ communityId: c, spotId: cmd().in(spots.map((s) => s._id)), status: 'booked' })
        .limit(1000),
    );
    cancelledBookings += await each(
      BOOKINGS,
      onSpots,
      (b) => cancelBooking(b, 'owner', `车主${person}，车位暂不开放`, now),
      changes,
      booking,
    );
  }
  return { counts: { cancelledOrders, returnedOrders, cancelledBookings, withdrawnSpots }, changes };
}
