// Concurrency: many volunteers grabbing one order, one request sent many times at once.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty, DEMO_INVITES } from '../../local/seed';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<OrdersApi>>;
let member: ReturnType<typeof caller<MemberApi>>;
const WORKER = 'demo-worker';

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<OrdersApi>(cloud, 'orders');
  member = caller<MemberApi>(cloud, 'member');
});
afterAll(() => cloud.close());

/** Volunteers on duty, made the way a community makes them: join, a worker sets the role, they go on duty. */
async function volunteers(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const openid = `racer-${i}`;
    data(await member(openid, 'join', { inviteCode: DEMO_INVITES.autoApprove, name: `志愿者${i}`, room: `${900 + i}` }));
    data(await member(WORKER, 'setRoles', { openid, roles: ['volunteer'] }));
    data(await call(openid, 'setDuty', { onDuty: true }));
    ids.push(openid);
  }
  return ids;
}

// These tests play many callers' worth of actions; limits are proven in limits.test.ts.
beforeEach(forgetLimits);

it('20 volunteers grab one open order at once: exactly one wins, 19 get E_CONFLICT, one acceptance', async () => {
  const racers = await volunteers(20);
  const order = data(
    await call('demo-resident-4', 'create', { serviceId: 'demo:errand', description: '买米', requestId: 'race-order-0001' }),
  );
  data(await call(WORKER, 'release', { orderId: order._id }));

  const results = await Promise.all(racers.map((openid) => call(openid, 'accept', { orderId: order._id })));
  const winners = racers.filter((_, i) => results[i].ok);
  expect(winners).toHaveLength(1);
  const losers = results.filter((r) => !r.ok);
  expect(losers.map(errorCode)).toEqual(Array(19).fill('E_CONFLICT'));
  expect(losers.every((r) => !r.ok && /接单|刷新/.test(r.error.message))).toBe(true);

  const stored = data(await call(WORKER, 'get', { orderId: order._id }));
  expect(stored).toMatchObject({ status: 'accepted', volunteer: { openid: winners[0] } });
  expect(stored.timeline.filter((t) => t.action === 'grab' || t.action === 'accept')).toEqual([
    expect.objectContaining({ action: 'grab', actor: winners[0] }),
  ]);
  const doc = (await collection('orders').where({ _id: order._id }).get()).data[0] as { version: number };
  expect(doc.version).toBe(3); // created, released, grabbed: nothing else got through
  const acceptedMsgs = await collection('messages').where({ openid: 'demo-resident-4', type: 'order.accepted' }).get();
  expect((acceptedMsgs.data as { link: string }[]).filter((m) => m.link.endsWith(order._id))).toHaveLength(1);
  const log = await collection('audit')
    .where({ target: `order:${order._id}`, what: 'orders.accept' })
    .get();
  expect(log.data).toHaveLength(1);
});

it('the same request id sent 10 times at once creates one order', async () => {
  const payload = { serviceId: 'demo:haircut', description: '上门理发，同一请求', requestId: 'same-request-0001' };
  const results = await Promise.all(Array.from({ length: 10 }, () => call('demo-resident-3', 'create', payload)));
  expect(results.map(errorCode)).toEqual(Array(10).fill('OK'));
  const ids = new Set(results.map((r) => data(r)._id));
  expect(ids.size).toBe(1);
  const docs = await collection('orders').where({ orderedBy: 'demo-resident-3', description: payload.description }).get();
  expect(docs.data).toHaveLength(1);
  const [id] = [...ids];
  const notes = await collection('messages').where({ openid: WORKER, type: 'order.created' }).limit(1000).get();
  expect((notes.data as { link: string }[]).filter((m) => m.link.endsWith(id))).toHaveLength(1);
});

it('dispatches and cancels racing on one order: no update lost, one timeline entry per success', async () => {
  // Ten of each at once (the cancel also passes the rate limiter, so a single pair need not overlap).
  const order = data(
    await call('demo-resident-5', 'create', { serviceId: 'demo:errand', description: '代缴电费', requestId: 'race-order-0002' }),
  );
  const results = await Promise.all(
    Array.from({ length: 10 }, () => [
      call(WORKER, 'dispatch', { orderId: order._id, volunteerOpenid: 'demo-volunteer-1' }),
      call('demo-resident-5', 'cancel', { orderId: order._id, reason: '不需要了' }),
    ]).flat(),
  );
  const dispatched = results.filter((r, i) => i % 2 === 0 && r.ok).length;
  const cancelled = results.filter((r, i) => i % 2 === 1 && r.ok).length;
  expect(cancelled).toBe(1); // a cancel always gets through: from pending, or after the dispatch
  expect(dispatched).toBeLessThanOrEqual(1);
  expect(results.filter((r) => !r.ok).map(errorCode)).toEqual(Array(20 - dispatched - cancelled).fill('E_CONFLICT'));
  const stored = data(await call(WORKER, 'get', { orderId: order._id }));
  expect(stored.status).toBe('cancelled');
  expect(stored.timeline.map((t) => t.action)).toEqual(dispatched ? ['create', 'dispatch', 'cancel'] : ['create', 'cancel']);
  const doc = (await collection('orders').where({ _id: order._id }).get()).data[0] as { version: number };
  expect(doc.version).toBe(1 + dispatched + cancelled);
});
