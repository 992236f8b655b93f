// Monthly counters of the order loop, kept on write so that the statistics (the `stats` function,
// docs/console.md "统计") read one document per month instead of every order (issue #13).
// - `order_stats/<communityId>:<YYYY-MM>`: orders created, closed, cancelled that month (the
//   community's clock), closed on time, served minutes of the closed volunteer orders, and the
//   same three counts per service tier;
// - `volunteer_months/<communityId>:<YYYY-MM>:<openid>`: a volunteer's served minutes and closed
//   orders of the month (the top volunteers).
// Each transition that creates, closes or cancels an order calls one of these after its
// compare-and-set (or insert) won, so a race of callers counts an order once.
import { dateText } from '../../miniprogram/shared/clock';
import { insertOnce } from '../common/cas';
import { cmd, collection } from '../common/db';
import type { Tier } from './labels';
import type { OrderDoc } from './model';

export const ORDER_STATS = 'order_stats';
export const VOLUNTEER_MONTHS = 'volunteer_months';

export interface TierCounts {
  created: number;
  closed: number;
  cancelled: number;
}

export interface OrderStatsDoc {
  _id: string; // orderStatsId(communityId, month)
  communityId: string;
  month: string; // YYYY-MM on the community's clock
  created: number;
  closed: number;
  cancelled: number;
  /** Closed orders whose serve step finished inside its time (`completedOnTime`, as the property grade counts it). */
  closedOnTime: number;
  /** Served time (start → complete, every round) of the closed orders volunteers served. */
  servedMinutes: number;
  tiers: Record<Tier, TierCounts>;
  updatedAt: Date;
}

export interface VolunteerMonthDoc {
  _id: string; // volunteerMonthId(communityId, month, openid)
  communityId: string;
  month: string;
  openid: string;
  minutes: number;
  orders: number;
  updatedAt: Date;
}

/** The month (YYYY-MM) of an instant on the community's clock. */
export const monthOf = (at: Date | string | number): string => dateText(at).slice(0, 7);
export const orderStatsId = (communityId: string, month: string): string => `${communityId}:${month}`;
export const volunteerMonthId = (communityId: string, month: string, openid: string): string =>
  `${communityId}:${month}:${openid}`;

const ZERO_TIER: TierCounts = { created: 0, closed: 0, cancelled: 0 };

export function emptyOrderStats(communityId: string, month: string, now: Date): OrderStatsDoc {
  return {
    _id: orderStatsId(communityId, month),
    communityId,
    month,
    created: 0,
    closed: 0,
    cancelled: 0,
    closedOnTime: 0,
    servedMinutes: 0,
    tiers: { basic: { ...ZERO_TIER }, value_added: { ...ZERO_TIER }, discounted: { ...ZERO_TIER } },
    updatedAt: now,
  };
}

/** Minutes served: each `start` to the `complete` after it (a rework serves again), whole minutes. */
export function servedMinutesOf(order: Pick<OrderDoc, 'timeline'>): number {
  let total = 0;
  let started: number | null = null;
  for (const e of order.timeline) {
    if (e.action === 'start') started = new Date(e.at).getTime();
    else if (e.action === 'complete' && started !== null) {
      total += Math.max(0, new Date(e.at).getTime() - started);
      started = null;
    }
  }
  return Math.round(total / 60_000);
}

/** Who the closed order counts to as a volunteer: nobody for the property company's staff. */
export const volunteerOf = (order: Pick<OrderDoc, 'volunteerOpenid' | 'servedBy'>): string | null =>
  order.servedBy === 'property' ? null : (order.volunteerOpenid ?? null);

export type OrderEvent = 'created' | 'closed' | 'cancelled';

/** What one event adds to the month's counters (plain numbers; the seed and the bench add them up). */
export function incrementsOf(event: OrderEvent, order: OrderDoc): Record<string, number> {
  const inc: Record<string, number> = { [event]: 1, [`tiers.${order.tier}.${event}`]: 1 };
  if (event === 'closed') {
    if (order.completedOnTime !== false) inc.closedOnTime = 1;
    if (volunteerOf(order)) inc.servedMinutes = servedMinutesOf(order);
  }
  return inc;
}

/** Adds `inc` to a document's counters, creating it with `fresh` when it is the first of its month. */
async function bump(name: string, fresh: { _id: string } & Record<string, unknown>, inc: Record<string, number>, now: Date) {
  const patch = () => {
    const p: Record<string, unknown> = { updatedAt: now };
    for (const [k, v] of Object.entries(inc)) if (v !== 0) p[k] = cmd().inc(v);
    return p;
  };
  const update = () => collection(name).where({ _id: fresh._id }).update(patch());
  if ((await update()).updated === 1) return;
  if (await insertOnce(name, applyIncrements(fresh, inc))) return;
  await update(); // another caller created it meanwhile
}

/** `doc` with `inc`'s dotted paths added (in place; answers it). */
export function applyIncrements<T extends Record<string, unknown>>(doc: T, inc: Record<string, number>): T {
  for (const [path, v] of Object.entries(inc)) {
    const keys = path.split('.');
    let at = doc as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    const last = keys[keys.length - 1];
    at[last] = ((at[last] as number | undefined) ?? 0) + v;
  }
  return doc;
}

/**
 * Counts one event of `order` at `now` (its month on the community's clock). Called only by the
 * caller whose write made the event happen: each order is counted once per event.
 */
export async function countOrder(event: OrderEvent, order: OrderDoc, now: Date): Promise<void> {
  const month = monthOf(now);
  const inc = incrementsOf(event, order);
  await bump(ORDER_STATS, emptyOrderStats(order.communityId, month, now) as unknown as { _id: string }, inc, now);
  const volunteer = event === 'closed' ? volunteerOf(order) : null;
  if (volunteer) {
    const fresh: VolunteerMonthDoc = {
      _id: volunteerMonthId(order.communityId, month, volunteer),
      communityId: order.communityId,
      month,
      openid: volunteer,
      minutes: 0,
      orders: 0,
      updatedAt: now,
    };
    await bump(VOLUNTEER_MONTHS, fresh as unknown as { _id: string }, { minutes: inc.servedMinutes ?? 0, orders: 1 }, now);
  }
}

/**
 * The counters a set of stored orders implies (each order's creation, and its closing or
 * cancellation, in the month it happened): what the demo seed and the bench data write beside
 * the orders they make, so that their statistics agree with their orders.
 */
export function countersOf(orders: OrderDoc[], now: Date): { stats: OrderStatsDoc[]; volunteers: VolunteerMonthDoc[] } {
  const stats = new Map<string, OrderStatsDoc>();
  const volunteers = new Map<string, VolunteerMonthDoc>();
  const add = (event: OrderEvent, order: OrderDoc, at: Date) => {
    const month = monthOf(at);
    const id = orderStatsId(order.communityId, month);
    const doc = stats.get(id) ?? emptyOrderStats(order.communityId, month, now);
    const inc = incrementsOf(event, order);
    applyIncrements(doc as unknown as Record<string, unknown>, inc);
    stats.set(id, doc);
    const volunteer = event === 'closed' ? volunteerOf(order) : null;
    if (!volunteer) return;
    const vid = volunteerMonthId(order.communityId, month, volunteer);
    const v = volunteers.get(vid) ?? {
      _id: vid,
      communityId: order.communityId,
      month,
      openid: volunteer,
      minutes: 0,
      orders: 0,
      updatedAt: now,
    };
    v.minutes += inc.servedMinutes ?? 0;
    v.orders += 1;
    volunteers.set(vid, v);
  };
  for (const o of orders) {
    add('created', o, new Date(o.createdAt));
    if (o.status === 'closed' && o.closedAt) add('closed', o, new Date(o.closedAt));
    if (o.status === 'cancelled' && o.cancellation) add('cancelled', o, new Date(o.cancellation.at));
  }
  return { stats: [...stats.values()], volunteers: [...volunteers.values()] };
}
