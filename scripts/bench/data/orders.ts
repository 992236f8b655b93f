// Orders in every state with their timelines and clocks, the points they earned and the
// volunteers' totals. Running orders are a fixed set (their number depends on throughput, not on
// the length of the history); the history grows with the count asked for.
import { DEFAULT_CATALOGUE, type CatalogueItem } from '../../../cloudfunctions/orders/catalogue';
import { effectiveLimits, stepOf } from '../../../cloudfunctions/orders/clock';
import type { OrderStatus, TimelineAction } from '../../../cloudfunctions/orders/labels';
import { clockPatch, newOrderDoc, pointsFor, statsId, timelineEntry } from '../../../cloudfunctions/orders/lifecycle';
import { countersOf, type OrderStatsDoc, type VolunteerBoardDoc } from '../../../cloudfunctions/orders/counters';
import type { OrderDoc, PointsEntryDoc, TimelineEntry, VolunteerStatsDoc } from '../../../cloudfunctions/orders/model';
import { DAY_MS, MINUTE_MS } from '../../../miniprogram/shared/clock';
import type { Gen } from './gen';
import type { Community, Person } from './members';
import { addOrderMessages } from './messages';

/** The running orders of a community: the same however long its history is. */
const RUNNING: [OrderStatus, number][] = [
  ['pending', 25],
  ['open', 30],
  ['dispatched', 40],
  ['accepted', 50],
  ['in_service', 50],
  ['completed', 120],
  ['rated', 60],
];

/**
 * Who orders and who serves is not uniform, and the bench's callers are the heavy users: a page
 * query is compared across sizes with the same answer, so its page must be full at 2 000 orders.
 * - Regulars: elders living alone on regular meal and medicine runs (`REGULARS` of them share
 *   `REGULAR_SHARE` of the orders; at 2 000 orders each has ~50).
 * - Core volunteers: a tenth of the volunteers serve half the orders (~170 each at 2 000 orders).
 * - The old blocks of the first grid (1–4栋, where most elders live) ask four times as often as
 *   the other buildings (~130 closed orders each at 2 000 orders).
 */
export const REGULARS = 12;
const REGULAR_SHARE = 0.3;
const CORE_VOLUNTEER_SHARE = 0.5;
const OLD_BLOCKS = 4;
const OLD_BLOCK_WEIGHT = 4;

/** The core volunteers of a community of `volunteers`: the first tenth. */
export const coreVolunteerCount = (volunteers: number) => Math.max(1, Math.round(volunteers / 10));

export class OrderMaker {
  /** Per community: the next order number and how far back (ms before now) its history reaches. */
  private readonly cursor = new Map<string, { seq: number; reachedMs: number }>();
  private readonly stats = new Map<string, VolunteerStatsDoc>();
  private readonly made: OrderDoc[] = [];
  private readonly byBuilding = new Map<string, Person[][]>();

  constructor(private readonly g: Gen) {}

  /** `total` orders: the running set, then closed and cancelled history going back in time. */
  orders(c: Community, total: number): void {
    const running = RUNNING.map(([s, n]) => [s, Math.min(n, Math.ceil(total / 50))] as const);
    let count = 0;
    for (const [status, n] of running) {
      for (let i = 0; i < n; i++, count++) {
        const minutes = this.g.int(5, status === 'completed' || status === 'rated' ? 5 * 24 * 60 : 3 * 24 * 60);
        this.addOrder(c, status, this.g.ago(minutes * MINUTE_MS));
      }
    }
    // At least a year of history, so a 12-month statistic reads a full year at every size.
    this.history(c, Math.max(0, total - count), 365);
  }

  /** `count` more closed or cancelled orders, older than every order so far (~60 a day, over `minDays` at least). */
  history(c: Community, count: number, minDays = 0): void {
    const cur = this.cursorOf(c);
    const spanMs = Math.max(count / 60, minDays) * DAY_MS;
    for (let i = 0; i < count; i++) {
      const createdAt = this.g.ago(cur.reachedMs + this.g.rand() * spanMs);
      this.addOrder(c, this.g.rand() < 0.92 ? 'closed' : 'cancelled', createdAt);
    }
    cur.reachedMs += spanMs;
  }

  /** The monthly counters (order_stats, volunteer_boards) every order so far implies. */
  counters(now: Date): { stats: OrderStatsDoc[]; boards: VolunteerBoardDoc[] } {
    return countersOf(this.made, now);
  }

  /** The volunteers' totals over every closed order so far. */
  volunteerStats(): VolunteerStatsDoc[] {
    return [...this.stats.values()];
  }

  private cursorOf(c: Community): { seq: number; reachedMs: number } {
    let cur = this.cursor.get(c.doc._id);
    if (!cur) this.cursor.set(c.doc._id, (cur = { seq: 0, reachedMs: 3 * DAY_MS }));
    return cur;
  }

  private addOrder(c: Community, status: OrderStatus, createdAt: Date): void {
    const order = this.order(c, status, createdAt, this.cursorOf(c).seq++);
    this.g.add('orders', order);
    this.made.push(order);
    addOrderMessages(this.g, c, order);
    if (status !== 'closed' || !order.volunteerOpenid) return;
    const points = pointsFor(order);
    const entry: PointsEntryDoc = {
      _id: `order:${order._id}`,
      communityId: c.doc._id,
      openid: order.volunteerOpenid,
      source: 'orders',
      refId: order._id,
      points,
      reason: `完成「${order.serviceName}」`,
      stars: order.rating?.stars,
      at: order.closedAt!,
    };
    this.g.add('points_ledger', entry);
    const id = statsId(c.doc._id, order.volunteerOpenid);
    const s = this.stats.get(id) ?? {
      _id: id,
      communityId: c.doc._id,
      openid: order.volunteerOpenid,
      served: 0,
      ratedCount: 0,
      starsSum: 0,
      points: 0,
      updatedAt: order.closedAt!,
    };
    s.served += 1;
    if (order.rating) {
      s.ratedCount += 1;
      s.starsSum += order.rating.stars;
    }
    s.points += points;
    if (order.closedAt! > s.updatedAt) s.updatedAt = order.closedAt!;
    this.stats.set(id, s);
  }

  /** A regular (`REGULAR_SHARE`), else a resident of a building picked by weight (old blocks first). */
  private beneficiary(c: Community): Person {
    if (this.g.rand() < REGULAR_SHARE) return this.g.pick(regulars(c));
    let groups = this.byBuilding.get(c.doc._id);
    if (!groups) {
      groups = c.buildings.map((b) => c.residents.filter((p) => p.building === b));
      this.byBuilding.set(c.doc._id, groups);
    }
    const weights = groups.map((_, i) => (i < OLD_BLOCKS ? OLD_BLOCK_WEIGHT : 1));
    let r = this.g.rand() * weights.reduce((a, b) => a + b, 0);
    let i = 0;
    while (r >= weights[i] && i < weights.length - 1) r -= weights[i++];
    return this.g.pick(groups[i]);
  }

  private order(c: Community, status: OrderStatus, createdAt: Date, seq: number): OrderDoc {
    const item: CatalogueItem = this.g.pick(DEFAULT_CATALOGUE.filter((x) => x.tier !== 'discounted' || this.g.rand() < 0.3));
    const forP = this.beneficiary(c);
    const byWorker = this.g.rand() < 0.1;
    const byP = byWorker ? this.g.pick(c.workers) : forP;
    const worker = this.g.pick(c.workers);
    const vol =
      this.g.rand() < CORE_VOLUNTEER_SHARE
        ? this.g.pick(c.volunteers.slice(0, coreVolunteerCount(c.volunteers.length)))
        : this.g.pick(c.volunteers);
    const limits = effectiveLimits(c.doc.stepLimits, item.stepLimits);
    const t = (minutesAfter: number) => new Date(createdAt.getTime() + minutesAfter * MINUTE_MS);
    const timeline: TimelineEntry[] = [
      timelineEntry(byP.openid, byP.name, 'create', createdAt, byWorker ? `为${forP.name}代下单` : undefined),
    ];
    const push = (action: TimelineAction, who: Person, at: Date, note?: string) =>
      timeline.push(timelineEntry(who.openid, who.name, action, at, note));
    const hasVolunteer = !['pending', 'open', 'cancelled'].includes(status);
    const grabbed = hasVolunteer && status !== 'dispatched' && this.g.rand() < 0.3;
    let at = createdAt;
    if (status === 'open' || grabbed) push('release', worker, (at = t(this.g.int(2, 20))));
    if (hasVolunteer) {
      if (grabbed) push('grab', vol, (at = t(this.g.int(25, 60))));
      else {
        push('dispatch', worker, (at = t(this.g.int(2, 25))), `派给${vol.name}`);
        if (status !== 'dispatched') push('accept', vol, (at = t(this.g.int(26, 55))));
      }
    }
    const served = ['in_service', 'completed', 'rated', 'closed'].includes(status);
    if (served) push('start', vol, (at = t(this.g.int(60, 180))));
    const completedAt = t(this.g.int(200, 600));
    const done = ['completed', 'rated', 'closed'].includes(status);
    if (done) push('complete', vol, (at = completedAt), '已完成');
    const stars = this.g.rand() < 0.7 ? 5 : this.g.int(3, 4);
    const rated = status === 'rated' || (status === 'closed' && this.g.rand() < 0.85);
    const ratedAt = t(this.g.int(700, 2000));
    if (rated) push('rate', forP, (at = ratedAt), `${stars} 星`);
    if (status === 'closed') push(rated ? 'pass' : 'autoClose', rated ? worker : forP, (at = t(this.g.int(2100, 4000))));
    if (status === 'cancelled') push('cancel', forP, (at = t(this.g.int(5, 60))), '不需要了');
    const order: OrderDoc = {
      ...newOrderDoc({
        _id: `bo_${c.doc._id}_${seq}`,
        communityId: c.doc._id,
        service: { ...item, _id: `${c.doc._id}:${item.code}` },
        description: `${item.name}：${forP.building}${forP.room}，请尽快联系`,
        photos: [],
        orderedBy: byP,
        beneficiary: forP,
        limits,
        timeline,
        now: createdAt,
      }),
      status,
      version: timeline.length,
      volunteerOpenid: hasVolunteer ? vol.openid : null,
      volunteerName: hasVolunteer ? vol.name : null,
      volunteerPhone: hasVolunteer ? (vol.phone ?? null) : null,
      stepSeq: 0,
      updatedAt: at,
    };
    const step = stepOf(status);
    // One clock per step so far.
    if (step) order.stepSeq = timeline.length - 1;
    Object.assign(order, clockPatch(order, step, at));
    if (done) order.completion = { note: '已完成', photos: [], at: completedAt };
    if (status === 'completed') order.autoCloseAt = new Date(completedAt.getTime() + 7 * DAY_MS);
    if (rated) order.rating = { stars, comment: stars === 5 ? '很好' : undefined, by: forP.openid, at: ratedAt };
    if (status === 'closed') {
      if (rated) order.review = { result: 'pass', by: worker.openid, at };
      order.closedAt = at;
    }
    if (status === 'cancelled') order.cancellation = { reason: '不需要了', by: forP.openid, byName: forP.name, at };
    return order;
  }
}

/** The regulars: residents from index 1 500 on (the bench's `listMine` callers; not parking bookers). */
export function regulars(c: Community): Person[] {
  const from = c.residents.length > 1500 + REGULARS ? 1500 : 0;
  return c.residents.slice(from, from + REGULARS);
}
