// Rate limits (docs/limits.md): per caller and kind, counted in the database, exact under
// concurrency, answered with E_RATE_LIMITED and how long to wait, visible to the workers.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty, DEMO_INVITES } from '../../local/seed';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import { collection } from '../../cloudfunctions/common/db';
import { LIMITS, RATE_LIMITS, type RateLimitDoc } from '../../cloudfunctions/common/limits';
import type { InvocationRecord } from '../../local/functions';
import { CLOCK } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';

const HOUR = 3_600_000;
// 10:05 in the community (02:05 UTC): the order window runs to 11:00 (02:00–03:00 UTC).
const T0 = Date.UTC(2031, 2, 3, 2, 5, 0);
const WORKER = 'demo-worker';
const ORDER_MAX = LIMITS.order.max;

let cloud: LocalCloud;
let orders: ReturnType<typeof caller<OrdersApi>>;
let member: ReturnType<typeof caller<MemberApi>>;
const invocations: InvocationRecord[] = [];

beforeAll(async () => {
  jest.useFakeTimers({ ...CLOCK, now: T0 });
  cloud = await startTestCloud({ observe: { invocation: (r) => invocations.push(r) } });
  await seedIfEmpty(cloud, new Date(T0));
  orders = caller<OrdersApi>(cloud, 'orders');
  member = caller<MemberApi>(cloud, 'member');
});
afterAll(async () => {
  jest.useRealTimers();
  await cloud.close();
});

async function newResident(openid: string, name: string): Promise<void> {
  data(await member(openid, 'join', { inviteCode: DEMO_INVITES.autoApprove, name, room: '101' }));
}

const create = (openid: string, n: number) =>
  orders(openid, 'create', { serviceId: 'demo:errand', description: '帮忙买菜', requestId: `${openid}-req-${n}` });

async function ordersBy(openid: string): Promise<number> {
  return (await collection('orders').where({ orderedBy: openid }).count()).total;
}

it(`30 orders at once from one resident: exactly ${ORDER_MAX} are created, the rest are told how long to wait`, async () => {
  await newResident('limit-racer', '赵急急');
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => create('limit-racer', i)));
  expect(results.filter((r) => r.ok)).toHaveLength(ORDER_MAX);
  const refused = results.filter((r) => !r.ok).map(refusal);
  expect(refused).toHaveLength(30 - ORDER_MAX);
  for (const e of refused) {
    expect(e.code).toBe('E_RATE_LIMITED');
    // 02:05 UTC → the window ends at 03:00: 55 minutes.
    expect(e.message).toBe(`操作太频繁：下单每小时最多 ${ORDER_MAX} 次，请 55 分钟后再试`);
    expect(e.retryAfterSeconds).toBe(55 * 60);
  }
  expect(await ordersBy('limit-racer')).toBe(ORDER_MAX);
  const counters = (await collection(RATE_LIMITS).where({ openid: 'limit-racer', kind: 'order' }).get()).data as RateLimitDoc[];
  expect(counters).toEqual([
    expect.objectContaining({ kind: 'order', communityId: 'demo', count: 30, max: ORDER_MAX, limited: true }),
  ]);
  // Other kinds and other callers are not touched.
  expect(errorCode(await orders('limit-racer', 'rate', { orderId: 'no-such-order', stars: 5 }))).toBe('E_NOT_FOUND');
  expect(errorCode(await create('demo-resident-3', 1))).toBe('OK');
});

it('the next window lets the caller act again', async () => {
  jest.setSystemTime(T0 + HOUR);
  expect(errorCode(await create('limit-racer', 100))).toBe('OK');
  expect(await ordersBy('limit-racer')).toBe(ORDER_MAX + 1);
  jest.setSystemTime(T0);
});

it('a stranger trying invite codes is limited too (identified actions count per openid)', async () => {
  const codes: string[] = [];
  for (let i = 0; i < LIMITS.join.max + 1; i++) {
    codes.push(errorCode(await member('code-guesser', 'join', { inviteCode: `GUESS${i}X`, name: '某人', room: '1' })));
  }
  expect(codes).toEqual([...Array(LIMITS.join.max).fill('E_NOT_FOUND'), 'E_RATE_LIMITED']);
  const [doc] = (await collection(RATE_LIMITS).where({ openid: 'code-guesser' }).get()).data as RateLimitDoc[];
  expect(doc).toMatchObject({ kind: 'join', communityId: null, limited: true });
});

it('workers see who was limited, by name, in their community only; nobody else may look', async () => {
  const page = data(await member(WORKER, 'rateLimited', {}));
  expect(page.items).toEqual([
    expect.objectContaining({
      memberId: 'demo:limit-racer',
      name: '赵急急',
      kind: 'order',
      kindLabel: '下单',
      max: ORDER_MAX,
      refused: 10,
      windowMinutes: 60,
      limitedAt: new Date(T0).toISOString(),
      windowEnd: new Date(Date.UTC(2031, 2, 3, 3, 0, 0)).toISOString(),
    }),
  ]);
  expect(page.hasMore).toBe(false);
  expect(data(await member('other-worker', 'rateLimited', {})).items).toEqual([]);
  expect(errorCode(await member('demo-resident-1', 'rateLimited', {}))).toBe('E_FORBIDDEN');
  expect(errorCode(await member('demo-volunteer-1', 'rateLimited', {}))).toBe('E_FORBIDDEN');
  expect(errorCode(await member('code-guesser', 'rateLimited', {}))).toBe('E_NOT_MEMBER');
});

it('pages the list by 20, newest first', async () => {
  // Counters as the limiter leaves them (the race above proves how they get there), 21 callers.
  for (let i = 0; i < 21; i++) {
    const openid = `limit-many-${i}`;
    await newResident(openid, `居民${i}`);
    const doc: RateLimitDoc = {
      _id: `text:${openid}:1`,
      kind: 'text',
      openid,
      communityId: 'demo',
      windowStart: new Date(T0 - HOUR),
      windowEnd: new Date(T0 - HOUR / 2),
      count: LIMITS.text.max + 1,
      max: LIMITS.text.max,
      limited: true,
      limitedAt: new Date(T0 - HOUR + (i + 1) * 1000),
    };
    await collection(RATE_LIMITS).add(doc);
  }
  const first = data(await member(WORKER, 'rateLimited', { page: 1 }));
  expect(first.items).toHaveLength(20);
  expect(first.hasMore).toBe(true);
  expect(first.items.slice(0, 2).map((i) => i.name)).toEqual(['赵急急', '居民20']);
  const second = data(await member(WORKER, 'rateLimited', { page: 2 }));
  expect(second.items.map((i) => [i.name, i.kindLabel, i.refused])).toEqual([
    ['居民1', '提交内容', 1],
    ['居民0', '提交内容', 1],
  ]);
  expect(second.hasMore).toBe(false);
});

it('data calls: one for the first action of a window, two for later ones and for a refusal', async () => {
  await newResident('limit-meter', '钱计数');
  const calls = async (n: number): Promise<{ code: string; dataCalls: number }> => {
    invocations.length = 0;
    const res = await create('limit-meter', n);
    return { code: errorCode(res), dataCalls: invocations.find((r) => r.fn === 'orders')!.dataCalls };
  };
  const firstOfWindow = await calls(0);
  const second = await calls(1);
  for (let n = 2; n < ORDER_MAX; n++) await create('limit-meter', n);
  const firstRefusal = await calls(ORDER_MAX);
  const laterRefusal = await calls(ORDER_MAX + 1);
  expect(firstOfWindow.code).toBe('OK');
  expect(second.code).toBe('OK');
  // The first of a window inserts the counter (one call); a later one finds it there and increments.
  expect(second.dataCalls).toBe(firstOfWindow.dataCalls + 1);
  // Refused: the router's two reads (users, members), the insert that finds the counter, the
  // increment; the first refusal of the window also marks the counter for the workers' list.
  expect(laterRefusal).toEqual({ code: 'E_RATE_LIMITED', dataCalls: 4 });
  expect(firstRefusal).toEqual({ code: 'E_RATE_LIMITED', dataCalls: 5 });
});
