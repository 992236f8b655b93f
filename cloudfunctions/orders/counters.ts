// Monthly counters of the order loop, kept on write so that the statistics (the `stats` function,
// docs/console.md "统计") read one document per month instead of every order (issue #13).
// - `order_stats/<communityId>:<YYYY-MM>`: orders created, closed, cancelled that month (the
//   community's clock), closed on time, served minutes of the closed volunteer orders, and the
//   same three counts per service tier;
// - `volunteer_boards/<communityId>:<YYYY-MM>`: every volunteer's served minutes and closed
//   orders of the month, keyed by openid (the top volunteers: one document per month, whatever
//   the number of volunteers).
// Each transition that creates, closes or cancels an order calls one of these after its
// compare-and-set (or insert) won, so a race of callers counts an order once.
import { dateText } from '../../miniprogram/shared/clock';
import { insertOnce } from '../common/cas';
import { cmd, collection, getAll } from '../common/db';
import { AppError } from '../common/errors';
import type { Tier } from './labels';
import type { OrderDoc } from './model';

export const ORDER_STATS = 'order_stats';
export const VOLUNTEER_BOARDS = 'volunteer_boards';

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

export interface BoardEntry {
  minutes: number;
  orders: number;
}

export interface VolunteerBoardDoc {
  _id: string; // volunteerBoardId(communityId, month)
  communityId: string;
  month: string;
  /** Served minutes and closed orders of the month, by the volunteer's openid. */
  volunteers: Record<string, BoardEntry>;
  updatedAt: Date;
}

/** The month (YYYY-MM) of an instant on the community's clock. */
export const monthOf = (at: Date | string | number): string => dateText(at).slice(0, 7);
export const orderStatsId = (communityId: string, month: string): string => `${communityId}:${month}`;
export const volunteerBoardId = (communityId: string, month: string): string => `${communityId}:${month}`;

export const emptyBoard = (communityId: string, month: string, now: Date): VolunteerBoardDoc => ({
  _id: volunteerBoardId(communityId, month),
  communityId,
  month,
  volunteers: {},
  updatedAt: now,
});

/**
 * The field path of a volunteer's entry on a board. WeChat openids (and the erasure's tokens) are
 * [A-Za-z0-9_-], so they are safe as field names; anything else (a '.' splits the path, a leading
 * '$' is an operator) cannot come from the platform and is refused rather than written.
 */
const OPENID = /^[A-Za-z0-9_-]+$/;

export function boardKey(openid: string): string {
  if (!OPENID.test(openid)) throw new AppError('E_INTERNAL', `not an openid: ${JSON.stringify(openid)}`);
  return `volunteers.${openid}`;
}

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

/**
 * Adds `inc` to a document's counters, creating it with `fresh` when it is the first of its month.
 * An increment of 0 is sent too: it creates a field the document does not have yet (a volunteer's
 * first order of the month on a board may have served 0 minutes).
 */
async function bump(name: string, fresh: { _id: string } & Record<string, unknown>, inc: Record<string, number>, now: Date) {
  const patch = () => {
    const p: Record<string, unknown> = { updatedAt: now };
    for (const [k, v] of Object.entries(inc)) p[k] = cmd().inc(v);
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

/** What a closed order adds to its volunteer's entry on the month's board (`inc`: the order's increments). */
const boardIncrements = (volunteer: string, inc: Record<string, number>): Record<string, number> => {
  const key = boardKey(volunteer);
  return { [`${key}.minutes`]: inc.servedMinutes ?? 0, [`${key}.orders`]: 1 };
};

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
    const fresh = emptyBoard(order.communityId, month, now) as unknown as { _id: string };
    await bump(VOLUNTEER_BOARDS, fresh, boardIncrements(volunteer, inc), now);
  }
}

/**
 * The counters a set of stored orders implies (each order's creation, and its closing or
 * cancellation, in the month it happened): what the demo seed and the bench data write beside
 * the orders they make, so that their statistics agree with their orders.
 */
export function countersOf(orders: OrderDoc[], now: Date): { stats: OrderStatsDoc[]; boards: VolunteerBoardDoc[] } {
  const stats = new Map<string, OrderStatsDoc>();
  const boards = new Map<string, VolunteerBoardDoc>();
  const add = (event: OrderEvent, order: OrderDoc, at: Date) => {
    const month = monthOf(at);
    const id = orderStatsId(order.communityId, month);
    const doc = stats.get(id) ?? emptyOrderStats(order.communityId, month, now);
    const inc = incrementsOf(event, order);
    applyIncrements(doc as unknown as Record<string, unknown>, inc);
    stats.set(id, doc);
    const volunteer = event === 'closed' ? volunteerOf(order) : null;
    if (!volunteer) return;
    const bid = volunteerBoardId(order.communityId, month);
    const board = boards.get(bid) ?? emptyBoard(order.communityId, month, now);
    applyIncrements(board as unknown as Record<string, unknown>, boardIncrements(volunteer, inc));
    boards.set(bid, board);
  };
  for (const o of orders) {
    add('created', o, new Date(o.createdAt));
    if (o.status === 'closed' && o.closedAt) add('closed', o, new Date(o.closedAt));
    if (o.status === 'cancelled' && o.cancellation) add('cancelled', o, new Date(o.cancellation.at));
  }
  return { stats: [...stats.values()], boards: [...boards.values()] };
}

/**
 * Erasure (member/scrub.ts): on every board of `communities` that names `openid`, its entry moves
 * to `token` (added to what the token may hold already: an order of theirs the timer closed after
 * the orders were scrubbed counts to the token) and the openid's key is removed, in one write per
 * board. Each write applies only if the entry is still what was read, so a count landing meanwhile
 * is read again rather than lost; a board already moved no longer matches, so running it again
 * after an interruption moves only what is left.
 */
export async function moveOnBoards(openid: string, token: string, communities: string[]): Promise<number> {
  if (communities.length === 0 || !OPENID.test(openid)) return 0; // no board can name such a caller
  const from = boardKey(openid);
  const to = boardKey(token);
  let moved = 0;
  for (let round = 0; round < 5; round++) {
    const boards = await getAll<VolunteerBoardDoc>(
      collection(VOLUNTEER_BOARDS)
        .where({ communityId: cmd().in(communities), [from]: cmd().exists(true) })
        .field({ [from]: true })
        .limit(1000),
    );
    if (boards.length === 0) return moved;
    for (const b of boards) {
      const e = b.volunteers[openid];
      const res = await collection(VOLUNTEER_BOARDS)
        .where({ _id: b._id, [`${from}.minutes`]: e.minutes, [`${from}.orders`]: e.orders })
        .update({ [`${to}.minutes`]: cmd().inc(e.minutes), [`${to}.orders`]: cmd().inc(e.orders), [from]: cmd().remove() });
      moved += res.updated;
    }
  }
  throw new Error('volunteer boards kept changing during erasure');
}
