// Pieces of the order lifecycle shared by the `orders` handlers and the timer's sweep: clock
// patches, timeline entries, message links, and crediting points exactly once on `closed`.
import { cmd, collection } from '../common/db';
import { insertOnce } from '../common/cas';
import type { MemberDoc } from '../common/model';
import { startClock, type StepLimits } from './clock';
import type { Server, Step, Tier, TimelineAction } from './labels';
import {
  POINTS_LEDGER,
  VOLUNTEER_STATS,
  type OrderDoc,
  type PointsEntryDoc,
  type TimelineEntry,
  type VolunteerStatsDoc,
} from './model';

/** Who an order is for: the fields copied onto it when it is placed. */
export type Beneficiary = Pick<MemberDoc, 'openid' | 'name' | 'building' | 'room'> & { phone?: string; gridId?: string };

/**
 * A new order as `create` writes it: pending, its dispatch clock started at `now`. The demo seed
 * and the benchmark start from the same document and move it on.
 */
export function newOrderDoc(o: {
  _id: string;
  communityId: string;
  service: { _id: string; name: string; tier: Tier; price: number; skills: string[]; servedBy?: Server; complaint?: boolean };
  description: string;
  photos: string[];
  orderedBy: { openid: string; name: string };
  beneficiary: Beneficiary;
  limits: StepLimits;
  timeline: TimelineEntry[];
  now: Date;
}): OrderDoc {
  const b = o.beneficiary;
  const doc: OrderDoc = {
    _id: o._id,
    communityId: o.communityId,
    serviceId: o.service._id,
    serviceName: o.service.name,
    tier: o.service.tier,
    price: o.service.price,
    skills: [...o.service.skills],
    description: o.description,
    photos: o.photos,
    orderedBy: o.orderedBy.openid,
    orderedByName: o.orderedBy.name,
    forOpenid: b.openid,
    parties: [...new Set([o.orderedBy.openid, b.openid])],
    beneficiary: { name: b.name, building: b.building, room: b.room, phone: b.phone, gridId: b.gridId },
    building: b.building,
    status: 'pending',
    version: 1,
    volunteerOpenid: null,
    volunteerName: null,
    volunteerPhone: null,
    passedOver: [],
    limits: o.limits,
    stepSeq: 0,
    step: null,
    stepStartedAt: null,
    yellowAt: null,
    redAt: null,
    yellowDue: null,
    redDue: null,
    autoCloseAt: null,
    followUp: { needed: false },
    followUpPending: false,
    reworkCount: 0,
    ...(o.service.servedBy === 'property' ? { servedBy: 'property' as const } : {}),
    ...(o.service.complaint ? { complaint: true } : {}),
    timeline: o.timeline,
    createdAt: o.now,
    updatedAt: o.now,
  };
  return Object.assign(doc, clockPatch(doc, 'dispatch', o.now));
}

/** Mini-program path of an order's detail page (messages open it). */
export const orderLink = (orderId: string): string => `/packages/orders/detail/index?id=${orderId}`;

/** Fields that start `step`'s clock at `now` (or stop every clock with null). */
export function clockPatch(order: Pick<OrderDoc, 'stepSeq' | 'limits'>, step: Step | null, now: Date): Partial<OrderDoc> {
  if (!step) {
    return { step: null, stepStartedAt: null, yellowAt: null, redAt: null, yellowDue: null, redDue: null };
  }
  const clock = startClock(step, order.limits, now);
  return {
    step,
    stepSeq: (order.stepSeq ?? 0) + 1,
    stepStartedAt: now,
    yellowAt: clock.yellowAt,
    redAt: clock.redAt,
    yellowDue: clock.yellowAt,
    redDue: clock.redAt,
  };
}

export function timelineEntry(actor: string, actorName: string, action: TimelineAction, now: Date, note?: string): TimelineEntry {
  const entry: TimelineEntry = { at: now, actor, actorName, action };
  if (note) entry.note = note;
  return entry;
}

export const SYSTEM = 'system';
export const SYSTEM_NAME = '系统';

/** Points for a closed order: by tier, plus a bonus for five stars. */
export const POINTS_BY_TIER: Record<Tier, number> = { basic: 10, value_added: 15, discounted: 20 };
export const FIVE_STAR_BONUS = 5;

export function pointsFor(order: Pick<OrderDoc, 'tier' | 'rating'>): number {
  return POINTS_BY_TIER[order.tier] + (order.rating?.stars === 5 ? FIVE_STAR_BONUS : 0);
}

export const statsId = (communityId: string, openid: string): string => `${communityId}:${openid}`;

/**
 * Credits the volunteer of a closed order: one ledger entry with a deterministic id (so never
 * twice, whoever closes it and however often), and the running totals moved only by the caller
 * that created that entry. Answers the points credited now (0 when already credited).
 */
export async function creditVolunteer(order: OrderDoc, now: Date): Promise<number> {
  // The property company's staff are paid for their work: no volunteer points (docs/property.md).
  if (!order.volunteerOpenid || order.servedBy === 'property') return 0;
  const points = pointsFor(order);
  const stars = order.rating?.stars;
  const entry: PointsEntryDoc = {
    _id: `order:${order._id}`,
    communityId: order.communityId,
    openid: order.volunteerOpenid,
    source: 'orders',
    refId: order._id,
    points,
    reason: `完成「${order.serviceName}」${stars === 5 ? '（五星好评）' : ''}`,
    at: now,
  };
  if (stars) entry.stars = stars;
  if (!(await insertOnce(POINTS_LEDGER, entry))) return 0;

  const id = statsId(order.communityId, order.volunteerOpenid);
  const inc = { served: 1, ratedCount: stars ? 1 : 0, starsSum: stars ?? 0, points };
  const bump = () =>
    collection(VOLUNTEER_STATS)
      .where({ _id: id })
      .update({
        served: cmd().inc(inc.served),
        ratedCount: cmd().inc(inc.ratedCount),
        starsSum: cmd().inc(inc.starsSum),
        points: cmd().inc(inc.points),
        updatedAt: now,
      });
  if ((await bump()).updated === 1) return points;
  const doc: VolunteerStatsDoc = {
    _id: id,
    communityId: order.communityId,
    openid: order.volunteerOpenid,
    ...inc,
    updatedAt: now,
  };
  if (!(await insertOnce(VOLUNTEER_STATS, doc))) await bump();
  return points;
}
