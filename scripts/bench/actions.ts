// The actions measured per action and in the scaling runs: who calls, with what (call i of the run).
import type { OrderDoc } from '../../cloudfunctions/orders/model';
import { isoText, DAY_MS, HOUR_MS, startOfDay } from '../../miniprogram/shared/clock';
import { type Bench, bulkInsert } from './cloud';
import { BENCH_COMMUNITY, residentId, volunteerId, VOLUNTEER_COUNT, WORKERS } from './data';

export interface ActionSpec {
  name: string;
  fn: string;
  action: string;
  /** Writes: every call needs fresh input (the run index i is unique over the whole bench). */
  writes?: boolean;
  /** Only in the scaling runs and the per-action table (not in the required list). */
  list?: boolean;
  openid(i: number): string;
  payload(i: number, b: Bench): unknown;
}

const worker = () => WORKERS[0];
const onDutyVolunteer = (i: number) => volunteerId((i * 3) % VOLUNTEER_COUNT); // i*3 % 3 === 0: on duty
const resident = (i: number) => residentId(1500 + (i % 1400)); // not among the generated bookers
const at = (day: Date, hours: number) => isoText(new Date(day.getTime() + hours * HOUR_MS));

export const ACTIONS: ActionSpec[] = [
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
    name: 'orders.accept',
    fn: 'orders',
    action: 'accept',
    writes: true,
    openid: (i) => volunteerId(i % VOLUNTEER_COUNT),
    payload: (i) => ({ orderId: `bo_pool_${i}` }),
  },
  {
    name: 'orders.get',
    fn: 'orders',
    action: 'get',
    openid: () => worker(),
    payload: (i, b) => ({ orderId: b.orderIds[(i * 7919) % b.orderIds.length] }),
  },
  {
    name: 'orders.listHall',
    fn: 'orders',
    action: 'listHall',
    list: true,
    openid: (i) => onDutyVolunteer(i),
    payload: () => ({}),
  },
  { name: 'orders.listAll', fn: 'orders', action: 'listAll', list: true, openid: () => worker(), payload: () => ({}) },
  { name: 'orders.listMine', fn: 'orders', action: 'listMine', list: true, openid: (i) => resident(i), payload: () => ({}) },
  {
    name: 'orders.listMine served p5',
    fn: 'orders',
    action: 'listMine',
    list: true,
    openid: (i) => volunteerId(i % VOLUNTEER_COUNT),
    payload: () => ({ as: 'volunteer', page: 5 }),
  },
  ...(['red', 'yellow', 'green'] as const).map((light) => ({
    name: `orders.listAll ${light}`,
    fn: 'orders',
    action: 'listAll',
    list: true,
    openid: () => worker(),
    payload: () => ({ light }),
  })),
  {
    name: 'orders.listAll closed+tier',
    fn: 'orders',
    action: 'listAll',
    list: true,
    openid: () => worker(),
    payload: () => ({ status: 'closed', tier: 'value_added', page: 2 }),
  },
  {
    name: 'parking.search',
    fn: 'parking',
    action: 'search',
    list: true,
    openid: (i) => resident(i),
    payload: (i, b) => {
      const day = new Date(startOfDay(b.now).getTime() + (1 + (i % 6)) * DAY_MS);
      return { start: at(day, 9 + (i % 8)), end: at(day, 11 + (i % 8)) };
    },
  },
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
  { name: 'notices.list', fn: 'notices', action: 'list', list: true, openid: (i) => resident(i), payload: () => ({}) },
  {
    name: 'notices.get',
    fn: 'notices',
    action: 'get',
    openid: (i) => resident(i),
    payload: (i, b) => ({ noticeId: b.feedNotices[(i * 31) % b.feedNotices.length] }),
  },
  {
    name: 'messages.unreadCount',
    fn: 'messages',
    action: 'unreadCount',
    openid: (i) => (i % 2 ? worker() : resident(i)),
    payload: () => ({}),
  },
  { name: 'messages.list', fn: 'messages', action: 'list', list: true, openid: () => worker(), payload: () => ({}) },
];

/** Dispatched orders for orders.accept to take, one per call the bench will make. */
export async function fillAcceptPool(b: Bench, from: number, count: number): Promise<void> {
  const t = b.dispatchedTemplate;
  const docs: OrderDoc[] = [];
  for (let i = from; i < from + count; i++) {
    const v = volunteerId(i % VOLUNTEER_COUNT);
    const createdAt = new Date(Date.now() - 20 * 60_000);
    docs.push({ ...t, _id: `bo_pool_${i}`, volunteerOpenid: v, volunteerName: '志愿者', createdAt, updatedAt: createdAt });
  }
  await bulkInsert(b, 'orders', docs);
}
