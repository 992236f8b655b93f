// The actions the pages call, as the pages call them: who calls (call i of a run picks a distinct
// caller), with what filters and pages. Write actions that need an order in a given state take it
// from a pool of copies of a generated running order (pools.ts), one per call.
import type { OrderDoc } from '../../cloudfunctions/orders/model';
import { ORDER_STATUSES, type OrderStatus } from '../../cloudfunctions/orders/labels';
import { dateText, isoText, DAY_MS, HOUR_MS, startOfDay } from '../../miniprogram/shared/clock';
import type { Bench } from './remote';
import { BENCH_COMMUNITY, coreVolunteerCount, REGULARS, residentId, volunteerId, VOLUNTEER_COUNT, WORKERS } from './data';

export interface Pool {
  /** The state the order must be in for the action. */
  status: OrderStatus;
  /** What to change on the copy for call i (who it belongs to). */
  shape(i: number): Partial<OrderDoc>;
}

export interface ActionSpec {
  name: string;
  fn: string;
  action: string;
  /** Writes: every call needs fresh input (the run index i is unique over the whole bench). */
  writes?: boolean;
  /** A page query: measured at every scaling point. */
  list?: boolean;
  pool?: Pool;
  /**
   * Workers of the bench community the action's callers include beyond the data's eight, added to the
   * running cloud before its first call (remote.ts `seedCallers`).
   */
  extraWorkers?: string[];
  openid(i: number): string;
  payload(i: number, b: Bench): unknown;
}

const worker = (i: number) => WORKERS[i % WORKERS.length];
/**
 * `orders.review` is rate limited (`text`: 30 in 10 minutes a caller, docs/limits.md) and a full run
 * reviews ~290 orders within minutes: 8 workers would pass the limit by the bench's design. Its
 * callers are 32 workers (the data's eight and bw-9 … bw-32, added before the first review), so 32
 * calls at once are 32 people and each reviews at most ~10 in a window.
 */
export const REVIEWERS = Array.from({ length: 32 }, (_, k) => WORKERS[k] ?? `bw-${k + 1}`);
const reviewer = (i: number) => REVIEWERS[i % REVIEWERS.length];
const volunteer = (i: number) => volunteerId(i % VOLUNTEER_COUNT);
const onDutyVolunteer = (i: number) => volunteerId((i * 3) % VOLUNTEER_COUNT); // index % 3 === 0: on duty
const resident = (i: number) => residentId(1500 + (i % 1400)); // not among the generated bookers
// The own-list pages are measured for their heavy users, whose page is full at every size (data/orders.ts).
const regular = (i: number) => residentId(1500 + (i % REGULARS));
const coreVolunteer = (i: number) => volunteerId(i % coreVolunteerCount(VOLUNTEER_COUNT));
const at = (day: Date, hours: number) => isoText(new Date(day.getTime() + hours * HOUR_MS));
export const poolId = (spec: { action: string }, i: number) => `bp_${spec.action}_${i}`;
const pooled = (spec: Omit<ActionSpec, 'payload'> & { payload?: (id: string, i: number) => object }): ActionSpec => ({
  ...spec,
  writes: true,
  payload: (i) => ({ orderId: poolId(spec, i), ...spec.payload?.(poolId(spec, i), i) }),
});
const assignedTo = (i: number) => ({ volunteerOpenid: volunteer(i) });
const orderedBy = (i: number) => ({ orderedBy: resident(i), forOpenid: resident(i), parties: [resident(i)] });

/** The console's default 统计 range: the last 12 months on the community's clock. */
function lastTwelveMonths(): { fromMonth: string; toMonth: string } {
  const to = dateText(Date.now()).slice(0, 7);
  const i = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7)) - 1 - 11;
  return { fromMonth: `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, toMonth: to };
}

type ListFilter = Record<string, unknown>;
const listAll = (label: string, filter: ListFilter, page = 1): ActionSpec => ({
  name: ['orders.listAll', label, page > 1 ? `p${page}` : ''].filter(Boolean).join(' '),
  fn: 'orders',
  action: 'listAll',
  list: true,
  openid: (i) => worker(i),
  payload: () => ({ ...filter, page }),
});
const list = (
  name: string,
  fn: string,
  action: string,
  openid: (i: number) => string,
  payload: ActionSpec['payload'],
): ActionSpec => ({
  name,
  fn,
  action,
  list: true,
  openid,
  payload,
});

export const ACTIONS: ActionSpec[] = [
  // Resident: 首页 / 下单 / 我的订单.
  { name: 'member.me', fn: 'member', action: 'me', openid: (i) => resident(i), payload: () => ({}) },
  { name: 'orders.menu', fn: 'orders', action: 'menu', openid: (i) => resident(i), payload: () => ({}) },
  {
    name: 'orders.create',
    fn: 'orders',
    action: 'create',
    writes: true,
    openid: (i) => resident(i),
    payload: (i) => ({
      serviceId: `${BENCH_COMMUNITY}:errand`,
      description: `帮忙买一袋米和两瓶酱油（压测 ${i}）`,
      requestId: `bench-create-${i}`,
    }),
  },
  {
    name: 'orders.get',
    fn: 'orders',
    action: 'get',
    openid: (i) => worker(i),
    payload: (i, b) => ({ orderId: b.orderIds[(i * 7919) % b.orderIds.length] }),
  },
  list('orders.listMine', 'orders', 'listMine', regular, () => ({})),
  list('orders.listMine p2', 'orders', 'listMine', regular, () => ({ page: 2 })),
  list('orders.listMine closed', 'orders', 'listMine', regular, () => ({ status: 'closed' })),
  list('orders.listMine pending', 'orders', 'listMine', regular, () => ({ status: 'pending' })),
  list('orders.listMine served', 'orders', 'listMine', coreVolunteer, () => ({ as: 'volunteer' })),
  list('orders.listMine served p5', 'orders', 'listMine', coreVolunteer, () => ({ as: 'volunteer', page: 5 })),
  pooled({
    name: 'orders.rate',
    fn: 'orders',
    action: 'rate',
    openid: resident,
    pool: { status: 'completed', shape: orderedBy },
    payload: () => ({ stars: 5 }),
  }),
  pooled({
    name: 'orders.cancel',
    fn: 'orders',
    action: 'cancel',
    openid: resident,
    pool: { status: 'pending', shape: orderedBy },
    payload: () => ({ reason: '计划有变，不需要了' }),
  }),
  // Volunteer: 接单大厅 and the order steps.
  list('orders.listHall', 'orders', 'listHall', onDutyVolunteer, () => ({})),
  list('orders.listHall p2', 'orders', 'listHall', onDutyVolunteer, () => ({ page: 2 })),
  pooled({
    name: 'orders.accept',
    fn: 'orders',
    action: 'accept',
    openid: volunteer,
    pool: { status: 'dispatched', shape: assignedTo },
  }),
  pooled({
    name: 'orders.decline',
    fn: 'orders',
    action: 'decline',
    openid: volunteer,
    pool: { status: 'dispatched', shape: assignedTo },
    payload: () => ({ reason: '临时有事，去不了' }),
  }),
  pooled({
    name: 'orders.start',
    fn: 'orders',
    action: 'start',
    openid: volunteer,
    pool: { status: 'accepted', shape: assignedTo },
  }),
  pooled({
    name: 'orders.complete',
    fn: 'orders',
    action: 'complete',
    openid: volunteer,
    pool: { status: 'in_service', shape: assignedTo },
    payload: () => ({ note: '已送到，老人签收' }),
  }),
  // Worker: 工单看板, every filter the board sends, and its steps.
  listAll('', {}),
  listAll('', {}, 2),
  listAll('', {}, 5),
  ...ORDER_STATUSES.map((status) => listAll(status, { status })),
  listAll('closed', { status: 'closed' }, 5),
  ...(['red', 'yellow', 'green'] as const).map((light) => listAll(light, { light })),
  listAll('building', { building: '3栋' }),
  listAll('tier', { tier: 'value_added' }),
  listAll('需回访', { needsFollowUp: true }),
  listAll('closed+tier', { status: 'closed', tier: 'value_added' }, 2),
  listAll('closed+building', { status: 'closed', building: '3栋' }, 5),
  {
    name: 'orders.suggestVolunteers',
    fn: 'orders',
    action: 'suggestVolunteers',
    openid: worker,
    payload: (i, b) => ({ orderId: b.templates.pending!._id }),
  },
  pooled({
    name: 'orders.dispatch',
    fn: 'orders',
    action: 'dispatch',
    openid: worker,
    pool: { status: 'pending', shape: () => ({}) },
    payload: (_id, i) => ({ volunteerOpenid: onDutyVolunteer(i) }),
  }),
  pooled({
    name: 'orders.release',
    fn: 'orders',
    action: 'release',
    openid: worker,
    pool: { status: 'pending', shape: () => ({}) },
  }),
  pooled({
    name: 'orders.review',
    fn: 'orders',
    action: 'review',
    openid: reviewer,
    extraWorkers: REVIEWERS.slice(WORKERS.length),
    pool: { status: 'rated', shape: () => ({}) },
    payload: () => ({ result: 'pass' }),
  }),
  // 停车.
  list('parking.search', 'parking', 'search', resident, (i, b) => {
    const day = new Date(startOfDay(b.now).getTime() + (1 + (i % 6)) * DAY_MS);
    return { start: at(day, 9 + (i % 8)), end: at(day, 11 + (i % 8)) };
  }),
  list('parking.myBookings', 'parking', 'myBookings', resident, () => ({})),
  {
    name: 'parking.book',
    fn: 'parking',
    action: 'book',
    writes: true,
    openid: (i) => resident(i),
    payload: (i, b) => {
      // A distinct spot, day and hour for every call: days 9–29 ahead are free of generated bookings.
      const spot = b.allDaySpots[i % b.allDaySpots.length];
      const k = Math.floor(i / b.allDaySpots.length);
      const day = new Date(startOfDay(b.now).getTime() + (9 + (k % 20)) * DAY_MS);
      const hour = 1 + 2 * Math.floor(k / 20);
      return {
        spotId: spot,
        start: at(day, hour),
        end: at(day, hour + 1),
        plate: `粤B${String(10000 + (i % 89999))}`,
        requestId: `bench-book-${i}`,
      };
    },
  },
  // 公告 and 消息.
  list('notices.list', 'notices', 'list', resident, () => ({})),
  list('notices.list p2', 'notices', 'list', resident, () => ({ page: 2 })),
  list('notices.list sent', 'notices', 'list', worker, () => ({ box: 'sent' })),
  {
    name: 'notices.get',
    fn: 'notices',
    action: 'get',
    openid: resident,
    payload: (i, b) => ({ noticeId: b.feedNotices[(i * 31) % b.feedNotices.length] }),
  },
  // A live notice to the whole community (3 000 members): totals from its tally, the first page of unread households.
  list('notices.stats', 'notices', 'stats', worker, (i, b) => ({ noticeId: b.feedNotices[(i * 7) % b.feedNotices.length] })),
  // 统计 of the last 12 months: monthly counters, never the orders (flat whatever the history).
  list('stats.community', 'stats', 'community', worker, () => lastTwelveMonths()),
  {
    name: 'messages.unreadCount',
    fn: 'messages',
    action: 'unreadCount',
    openid: (i) => (i % 2 ? worker(i) : resident(i)),
    payload: () => ({}),
  },
  list('messages.list', 'messages', 'list', worker, () => ({})),
  list('messages.list p2', 'messages', 'list', worker, () => ({ page: 2 })),
];
