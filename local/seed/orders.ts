// The demo community's service menu (the default catalogue) and a handful of orders in different
// states, so the hall, the dispatch board, the lights and the timelines have something to show.
// Every document is written by a fixed `_id` with put(): an interrupted seed can run again.
import { catalogueService, DEFAULT_CATALOGUE, serviceId, type CatalogueItem } from '../../cloudfunctions/orders/catalogue';
import { effectiveLimits, stepOf } from '../../cloudfunctions/orders/clock';
import type { OrderStatus, TimelineAction } from '../../cloudfunctions/orders/labels';
import { clockPatch, newOrderDoc, pointsFor, statsId } from '../../cloudfunctions/orders/lifecycle';
import { countersOf, ORDER_STATS, VOLUNTEER_BOARDS } from '../../cloudfunctions/orders/counters';
import {
  ORDERS,
  POINTS_LEDGER,
  SERVICES,
  VOLUNTEER_STATS,
  type OrderDoc,
  type PointsEntryDoc,
  type TimelineEntry,
  type VolunteerStatsDoc,
} from '../../cloudfunctions/orders/model';
import { DEFAULT_STEP_LIMITS, DEMO_COMMUNITY_ID, DEMO_PEOPLE, put } from './community';

const MIN = 60_000;
const person = (openid: string) => {
  const p = DEMO_PEOPLE.find((x) => x.openid === openid);
  if (!p) throw new Error(`no demo person ${openid}`);
  return p;
};
const GRID_OF: Record<string, string> = { '1栋': 'g1', '2栋': 'g1', '3栋': 'g2', '4栋': 'g2', '5栋': 'g3' };

interface DemoOrder {
  id: string;
  code: string;
  forOpenid: string;
  orderedBy?: string;
  description: string;
  status: OrderStatus;
  /** Minutes before the seed's `now` at which the order was placed. */
  ageMinutes: number;
  volunteer?: string;
  /** The running step's start, minutes before now (the light follows from it). */
  stepAgeMinutes?: number;
  stars?: number;
  comment?: string;
  note?: string;
  cancelReason?: string;
  history: [TimelineAction, string, number, string?][]; // action, actor, minutes ago, note
}

const DEMO_ORDERS: DemoOrder[] = [
  {
    id: 'demo-order-pending',
    code: 'repair',
    forOpenid: 'demo-resident-2',
    description: '厨房水龙头一直滴水，关不紧',
    status: 'pending',
    ageMinutes: 10,
    history: [['create', 'demo-resident-2', 10]],
  },
  {
    id: 'demo-order-yellow',
    code: 'errand',
    forOpenid: 'demo-resident-4',
    description: '帮忙去药店买一盒降压药（处方已拍照）',
    status: 'pending',
    ageMinutes: 26,
    history: [['create', 'demo-resident-4', 26]],
  },
  {
    id: 'demo-order-open',
    code: 'haircut',
    forOpenid: 'demo-resident-3',
    description: '家中老人腿脚不便，想请人上门理发',
    status: 'open',
    ageMinutes: 15,
    history: [
      ['create', 'demo-resident-3', 15],
      ['release', 'demo-worker', 12],
    ],
  },
  {
    id: 'demo-order-dispatched',
    code: 'lonely-visit',
    forOpenid: 'demo-resident-1',
    orderedBy: 'demo-worker',
    description: '赵阿姨独居，女儿在外地，请每周上门看看，检查燃气',
    status: 'dispatched',
    ageMinutes: 20,
    volunteer: 'demo-volunteer-1',
    stepAgeMinutes: 8,
    history: [
      ['create', 'demo-worker', 20, '为赵秀兰代下单'],
      ['dispatch', 'demo-worker', 8, '派给张建国'],
    ],
  },
  {
    id: 'demo-order-accepted',
    code: 'escort-medical',
    forOpenid: 'demo-resident-5',
    description: '明天上午去区医院复查，需要有人陪同',
    status: 'accepted',
    ageMinutes: 180,
    volunteer: 'demo-volunteer-2',
    stepAgeMinutes: 120,
    history: [
      ['create', 'demo-resident-5', 180],
      ['dispatch', 'demo-worker', 160, '派给刘芳'],
      ['accept', 'demo-volunteer-2', 120],
    ],
  },
  {
    id: 'demo-order-in-service',
    code: 'errand',
    forOpenid: 'demo-resident-2',
    description: '代缴本季度水费和燃气费',
    status: 'in_service',
    ageMinutes: 240,
    volunteer: 'demo-volunteer-1',
    stepAgeMinutes: 200,
    history: [
      ['create', 'demo-resident-2', 240],
      ['release', 'demo-worker', 225],
      ['grab', 'demo-volunteer-1', 200],
      ['start', 'demo-volunteer-1', 60],
    ],
  },
  {
    id: 'demo-order-completed',
    code: 'senior-meal',
    forOpenid: 'demo-resident-1',
    description: '中午送一份软烂些的午餐',
    status: 'completed',
    ageMinutes: 300,
    volunteer: 'demo-volunteer-2',
    note: '午餐已送到，老人状态良好',
    history: [
      ['create', 'demo-resident-1', 300],
      ['dispatch', 'demo-worker', 290, '派给刘芳'],
      ['accept', 'demo-volunteer-2', 285],
      ['start', 'demo-volunteer-2', 200],
      ['complete', 'demo-volunteer-2', 170, '午餐已送到，老人状态良好'],
    ],
  },
  {
    id: 'demo-order-closed',
    code: 'repair',
    forOpenid: 'demo-resident-3',
    description: '卫生间灯泡坏了，需要更换',
    status: 'closed',
    ageMinutes: 3 * 1440,
    volunteer: 'demo-volunteer-1',
    stars: 5,
    comment: '张师傅很热心，换得又快又好',
    note: '已更换 LED 灯泡',
    history: [
      ['create', 'demo-resident-3', 3 * 1440],
      ['dispatch', 'demo-worker', 3 * 1440 - 10, '派给张建国'],
      ['accept', 'demo-volunteer-1', 3 * 1440 - 20],
      ['start', 'demo-volunteer-1', 3 * 1440 - 120],
      ['complete', 'demo-volunteer-1', 3 * 1440 - 150, '已更换 LED 灯泡'],
      ['rate', 'demo-resident-3', 2 * 1440, '5 星：张师傅很热心，换得又快又好'],
      ['pass', 'demo-worker', 1440],
    ],
  },
  {
    id: 'demo-order-cancelled',
    code: 'housekeeping',
    forOpenid: 'demo-resident-4',
    description: '周末家里大扫除',
    status: 'cancelled',
    ageMinutes: 2 * 1440,
    cancelReason: '家人回来了，自己打扫',
    history: [
      ['create', 'demo-resident-4', 2 * 1440],
      ['cancel', 'demo-resident-4', 2 * 1440 - 30, '家人回来了，自己打扫'],
    ],
  },
];

function buildOrder(d: DemoOrder, item: CatalogueItem, now: Date): OrderDoc {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * MIN);
  const forP = person(d.forOpenid);
  const byP = person(d.orderedBy ?? d.forOpenid);
  const vol = d.volunteer ? person(d.volunteer) : undefined;
  const limits = effectiveLimits(DEFAULT_STEP_LIMITS, item.stepLimits);
  const timeline: TimelineEntry[] = d.history.map(([action, actor, ago, note]) => ({
    at: at(ago),
    actor,
    actorName: person(actor).name,
    action,
    ...(note ? { note } : {}),
  }));
  const last = d.history[d.history.length - 1][2];
  const order: OrderDoc = {
    ...newOrderDoc({
      _id: d.id,
      communityId: DEMO_COMMUNITY_ID,
      service: { ...item, _id: serviceId(DEMO_COMMUNITY_ID, item.code) },
      description: d.description,
      photos: [],
      orderedBy: byP,
      beneficiary: { ...forP, gridId: GRID_OF[forP.building] },
      limits,
      timeline,
      now: at(d.ageMinutes),
    }),
    status: d.status,
    version: d.history.length,
    volunteerOpenid: vol?.openid ?? null,
    volunteerName: vol?.name ?? null,
    volunteerPhone: vol?.phone ?? null,
    stepSeq: 0,
    updatedAt: at(last),
  };
  Object.assign(order, clockPatch(order, stepOf(d.status), at(d.stepAgeMinutes ?? d.ageMinutes)));
  if (d.note) order.completion = { note: d.note, photos: [], at: at(d.history.find((h) => h[0] === 'complete')![2]) };
  if (d.status === 'completed') order.autoCloseAt = new Date(order.completion!.at.getTime() + 7 * 1440 * MIN);
  if (d.stars) {
    order.rating = { stars: d.stars, comment: d.comment, by: d.forOpenid, at: at(d.history.find((h) => h[0] === 'rate')![2]) };
  }
  if (d.status === 'closed') {
    order.review = { result: 'pass', by: 'demo-worker', at: at(last) };
    order.closedAt = at(last);
  }
  if (d.cancelReason) order.cancellation = { reason: d.cancelReason, by: d.forOpenid, byName: forP.name, at: at(last) };
  return order;
}

/** The demo community's menu and demo orders, with the points of the closed one credited. */
export async function seedServices(now: Date): Promise<void> {
  for (const item of DEFAULT_CATALOGUE) await put(SERVICES, catalogueService(DEMO_COMMUNITY_ID, item, now));
  const orders: OrderDoc[] = [];
  for (const d of DEMO_ORDERS) {
    const item = DEFAULT_CATALOGUE.find((i) => i.code === d.code);
    if (!item) throw new Error(`no catalogue item ${d.code}`);
    const order = buildOrder(d, item, now);
    await put(ORDERS, order);
    orders.push(order);
    if (order.status === 'closed' && order.volunteerOpenid) {
      const points = pointsFor(order);
      const entry: PointsEntryDoc = {
        _id: `order:${order._id}`,
        communityId: DEMO_COMMUNITY_ID,
        openid: order.volunteerOpenid,
        source: 'orders',
        refId: order._id,
        points,
        reason: `完成「${order.serviceName}」（五星好评）`,
        at: order.closedAt!,
      };
      await put(POINTS_LEDGER, entry);
      const stats: VolunteerStatsDoc = {
        _id: statsId(DEMO_COMMUNITY_ID, order.volunteerOpenid),
        communityId: DEMO_COMMUNITY_ID,
        openid: order.volunteerOpenid,
        served: 1,
        ratedCount: 1,
        starsSum: order.rating!.stars,
        points,
        updatedAt: now,
      };
      await put(VOLUNTEER_STATS, stats);
    }
  }
  // The monthly counters these orders imply (statistics, cloudfunctions/orders/counters.ts).
  const counters = countersOf(orders, now);
  for (const doc of counters.stats) await put(ORDER_STATS, doc);
  for (const doc of counters.boards) await put(VOLUNTEER_BOARDS, doc);
}

export const DEMO_ORDER_IDS = DEMO_ORDERS.map((d) => d.id);
