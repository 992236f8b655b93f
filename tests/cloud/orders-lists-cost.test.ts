// Every order list and filter the pages offer is served by an index walk that stops at the page
// (database.json's indexes, the local cloud's planner, local/ordered-plan.ts): the orders query of
// each list reports `plan: 'walk'` and looks at a small number of documents, whatever the size of
// the history. The history here (closed and cancelled orders, most of them other people's) is
// twenty times the bound: a scan, or a walk of an index that does not fit the filter, breaks it.
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import type { ReadPlan } from '../../local/ordered-plan';
import { seedIfEmpty } from '../../local/seed';
import { collection } from '../../cloudfunctions/common/db';
import type { OrderDoc } from '../../cloudfunctions/orders/model';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import { LIGHTS, ORDER_STATUSES as STATUSES, TIERS } from '../../miniprogram/shared/order-labels';
import { caller, data } from '../helpers/call';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';

const W = 'demo-worker';
const R2 = 'demo-resident-2';
const V1 = 'demo-volunteer-1';
const BUILDINGS = ['1栋', '2栋', '3栋', '4栋', '5栋', '6栋'];
const HISTORY = 4000;
const RUNNING = 120;
/** Documents one page may look at: pages before it and a few more, for each walk. */
const boundFor = (page: number, walks = 1) => walks * (page * 21 + 40);

/** A seeded generator: the order attributes are independent of each other. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(13);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

let cloud: LocalCloud;
const calls: DataCallRecord[] = [];
let orders: ReturnType<typeof caller<OrdersApi>>;

/** The reads of the orders collection one call makes. */
async function ordersReads(step: () => Promise<unknown>): Promise<ReadPlan[]> {
  calls.length = 0;
  await step();
  // No read of the call is a scan: the router's reads of the caller go by _id.
  expect(calls.filter((c) => c.read?.plan === 'scan').map((c) => c.collection)).toEqual([]);
  return calls.filter((c) => c.collection === 'orders' && c.read).map((c) => c.read!);
}

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-06-02T08:00:00+08:00');
  cloud = await startTestCloud({ observe: { dataCall: (r) => calls.push(r) } });
  await seedIfEmpty(cloud, new Date());
  orders = caller<OrdersApi>(cloud, 'orders');
  const template = (await collection('orders').doc('demo-order-closed').get()).data[0] as OrderDoc;
  const now = Date.now();
  const docs: Omit<OrderDoc, '_id'>[] = [];
  for (let i = 0; i < HISTORY + RUNNING; i++) {
    const running = i >= HISTORY;
    // One in ten is the resident's, one in ten the volunteer's: other people's orders fill the rest.
    const resident = rand() < 0.1 ? R2 : `hist-resident-${i % 97}`;
    const volunteer = rand() < 0.1 ? V1 : `hist-volunteer-${i % 13}`;
    const createdAt = new Date(now - (HISTORY + RUNNING - i) * 3_600_000);
    const { _id, ...rest } = template;
    void _id;
    const status = running
      ? pick(['pending', 'open', 'dispatched', 'accepted', 'in_service'] as const)
      : rand() < 0.85
        ? 'closed'
        : 'cancelled';
    // Running clocks: a third green, a third yellow, a third red at `now`.
    const k = Math.floor(rand() * 3);
    const yellowAt = new Date(now + (k === 0 ? 10 : k === 1 ? -10 : -40) * 60_000);
    const redAt = new Date(yellowAt.getTime() + 20 * 60_000);
    docs.push({
      ...rest,
      communityId: 'demo',
      status,
      parties: [resident],
      forOpenid: resident,
      volunteerOpenid: status === 'pending' || status === 'open' ? null : volunteer,
      building: pick(BUILDINGS),
      tier: pick(TIERS),
      followUpPending: rand() < 0.25,
      createdAt,
      ...(running
        ? { yellowAt, redAt, yellowDue: null, redDue: null }
        : { yellowAt: null, redAt: null, yellowDue: null, redDue: null, autoCloseAt: null }),
    } as Omit<OrderDoc, '_id'>);
  }
  for (let i = 0; i < docs.length; i += 500) await collection('orders').add(docs.slice(i, i + 500));
}, 120_000);
afterAll(async () => {
  jest.useRealTimers();
  await cloud.close();
});

/** Asserts the call read the orders with index walks only, each within its bound. */
async function expectWalks(label: unknown, step: () => Promise<unknown>, bound: number): Promise<void> {
  const reads = await ordersReads(step);
  expect([label, reads.length]).toEqual([label, 1]);
  const [read] = reads;
  expect([label, read.plan]).toEqual([label, 'walk']);
  expect([label, read.examined! <= bound, read.examined]).toEqual([label, true, read.examined]);
}

const pages = [1, 2, 5];

it('listMine: as resident and volunteer, with and without a status, every page', async () => {
  for (const as of ['resident', 'volunteer'] as const) {
    const who = as === 'resident' ? R2 : V1;
    for (const status of [undefined, ...STATUSES]) {
      for (const page of pages) {
        const input = { as, page, ...(status ? { status } : {}) };
        await expectWalks(input, async () => data(await orders(who, 'listMine', input)), boundFor(page));
      }
    }
  }
  // The resident's own orders are found (not an empty page that costs nothing).
  expect(data(await orders(R2, 'listMine', { page: 5 })).items.length).toBe(20);
});

it('listHall: off duty one walk, on duty one walk per branch of the $or', async () => {
  for (const page of pages) {
    await expectWalks({ onDuty: true, page }, async () => data(await orders(V1, 'listHall', { page })), boundFor(page, 2));
  }
  data(await orders(V1, 'setDuty', { onDuty: false }));
  for (const page of pages) {
    await expectWalks({ onDuty: false, page }, async () => data(await orders(V1, 'listHall', { page })), boundFor(page));
  }
  data(await orders(V1, 'setDuty', { onDuty: true }));
  expect(data(await orders(V1, 'listHall', {})).items.length).toBe(20);
});

it('listAll: every filter of the board alone, with a status, with a light, page 1 and 5', async () => {
  type Filter = OrdersApi['listAll']['input'];
  // Served exactly: an index whose prefix is the filter (a light: the running orders' clocks).
  const exact: Filter[] = [
    {},
    ...STATUSES.map((status) => ({ status })),
    ...LIGHTS.map((light) => ({ light })),
    ...TIERS.map((tier) => ({ tier })),
    { building: '3栋' },
    { needsFollowUp: true },
    { needsFollowUp: false },
  ];
  for (const status of ['closed', 'dispatched'] as const) {
    exact.push({ status, building: '2栋' }, { status, tier: 'value_added' }, { status, needsFollowUp: true });
  }
  for (const light of LIGHTS) {
    exact.push(
      { light, status: 'accepted' },
      { light, building: '2栋' },
      { light, tier: 'basic' },
      { light, needsFollowUp: true },
    );
    exact.push({ light, building: '2栋', tier: 'basic', needsFollowUp: true });
  }
  exact.push({ status: 'closed', light: 'red' });
  for (const filter of exact) {
    for (const page of [1, 5]) {
      const input = { ...filter, page };
      // A light walks the running orders with a clock (not the history): at most all of them.
      const bound = boundFor(page) + (filter.light ? RUNNING : 0);
      await expectWalks(input, async () => data(await orders(W, 'listAll', input)), bound);
    }
  }
  // Two and more of building, tier and 需回访 (with or without a status): the walk of the index
  // of one of them (with the status) checks the others on each document, so it reads about
  // page size / their selectivity — more than a page, still not the history.
  const filtered: [Filter, number][] = [
    [{ building: '2栋', tier: 'discounted' }, 3],
    [{ building: '4栋', needsFollowUp: true }, 4],
    [{ tier: 'basic', needsFollowUp: true }, 4],
    [{ status: 'closed', building: '2栋', tier: 'basic', needsFollowUp: true }, 12],
  ];
  for (const [filter, spread] of filtered) {
    const input = { ...filter, page: 1 };
    await expectWalks(input, async () => data(await orders(W, 'listAll', input)), boundFor(1) * spread * 1.5);
  }
  expect(data(await orders(W, 'listAll', { status: 'closed', building: '2栋', page: 5 })).items.length).toBe(20);
});
