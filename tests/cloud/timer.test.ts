// The timer with a controlled clock: yellow and red escalations, dispatched orders returned when
// nobody accepts, unrated orders closed after 7 days — and a second run right after changes and
// sends nothing. Users cannot trigger it.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { OrderDetail, OrdersApi } from '../../cloudfunctions/orders/api';
import { collection } from '../../cloudfunctions/common/db';
import { SYSTEM_ACTOR } from '../../cloudfunctions/common/audit';
import { sweepOrders, type OrdersSweepReport } from '../../cloudfunctions/orders/sweep';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode, runTimer as runTimerReport } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2031, 5, 1, 1, 0, 0);
const WORKER = 'demo-worker';
const V1 = 'demo-volunteer-1';
const V2 = 'demo-volunteer-2';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<OrdersApi>>;

/** Only Date is faked, so the local cloud's sockets and timeouts keep running. */
function useClock(at: number): void {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
    now: at,
  });
}

beforeAll(async () => {
  useClock(T0);
  cloud = await startTestCloud();
  await seedIfEmpty(cloud, new Date(T0));
  call = caller<OrdersApi>(cloud, 'orders');
});
afterAll(async () => {
  jest.useRealTimers();
  await cloud.close();
});

let seq = 0;
async function must(openid: string, action: keyof OrdersApi, payload: object): Promise<OrderDetail> {
  const res = await cloud.invoke('orders', { action, payload }, openid);
  if (!res.ok) throw new Error(`${action} as ${openid}: ${res.error.code} ${res.error.message}`);
  return res.data as OrderDetail;
}
const create = async (openid: string, code: string) =>
  (await must(openid, 'create', { serviceId: `demo:${code}`, description: '计时测试', requestId: `timer-${++seq}-abcdef` }))._id;

async function messages(openid: string, type: string, orderId: string): Promise<{ title: string; body?: string }[]> {
  const res = await collection('messages').where({ openid, type }).limit(1000).get();
  return (res.data as { link?: string; title: string; body?: string }[]).filter((m) => m.link?.endsWith(`id=${orderId}`));
}

/** Runs the timer the way its trigger does. */
async function runTimer(): Promise<OrdersSweepReport> {
  return (await runTimerReport(cloud)).orders;
}

/** Runs it again right away: nothing changes, nothing is sent. */
async function runTwiceSecondIsNoop(): Promise<OrdersSweepReport> {
  const first = await runTimer();
  const before = await snapshot();
  const second = await runTimer();
  expect(second).toEqual({ returned: 0, red: 0, yellow: 0, closed: 0, messages: 0, more: false });
  expect(await snapshot()).toEqual(before);
  return first;
}

const ids: Record<'pending' | 'dispatched' | 'serving' | 'completed' | 'rated', string> = {
  pending: '',
  dispatched: '',
  serving: '',
  completed: '',
  rated: '',
};

it('sets the scene at T0', async () => {
  ids.pending = await create('demo-resident-2', 'repair'); // dispatch clock: 30 min
  ids.dispatched = await create('demo-resident-3', 'errand');
  await must(WORKER, 'dispatch', { orderId: ids.dispatched, volunteerOpenid: V1 }); // accept clock: 30 min
  ids.serving = await create('demo-resident-5', 'repair');
  await must(WORKER, 'dispatch', { orderId: ids.serving, volunteerOpenid: V2 });
  await must(V2, 'accept', { orderId: ids.serving }); // serve clock: 8 h
  await must(V2, 'start', { orderId: ids.serving });
  ids.completed = await create('demo-resident-4', 'errand');
  await must(WORKER, 'dispatch', { orderId: ids.completed, volunteerOpenid: V1 });
  await must(V1, 'accept', { orderId: ids.completed });
  await must(V1, 'start', { orderId: ids.completed });
  await must(V1, 'complete', { orderId: ids.completed, note: '已办好' }); // closes itself at T0 + 7 d
  ids.rated = await create('demo-resident-2', 'haircut');
  await must(WORKER, 'dispatch', { orderId: ids.rated, volunteerOpenid: V2 });
  await must(V2, 'accept', { orderId: ids.rated });
  await must(V2, 'start', { orderId: ids.rated });
  await must(V2, 'complete', { orderId: ids.rated, note: '理好了' });
  await must('demo-resident-2', 'rate', { orderId: ids.rated, stars: 4 }); // review clock: 3 days
  // The seed's own orders escalate too; get them out of the way so the runs below are about ours.
  await runTimer();
});

it('at 79.9 % of the dispatch and accept steps: nothing yet', async () => {
  jest.setSystemTime(T0 + 0.799 * 30 * MIN);
  await runTwiceSecondIsNoop();
  expect(await messages(WORKER, 'order.yellow', ids.pending)).toHaveLength(0);
  expect(await messages(V1, 'order.yellow', ids.dispatched)).toHaveLength(0);
  expect(data(await call(WORKER, 'get', { orderId: ids.pending })).light).toBe('green');
});

it('at 80 %: yellow to the step’s owner — workers for dispatch, the volunteer for accept', async () => {
  jest.setSystemTime(T0 + 24 * MIN);
  const report = await runTwiceSecondIsNoop();
  expect(report.yellow).toBeGreaterThanOrEqual(2);
  expect(await messages(WORKER, 'order.yellow', ids.pending)).toEqual([
    expect.objectContaining({ title: expect.stringContaining('派单') }),
  ]);
  expect(await messages(V1, 'order.yellow', ids.dispatched)).toEqual([
    expect.objectContaining({ title: expect.stringContaining('接单') }),
  ]);
  expect(await messages(WORKER, 'order.yellow', ids.dispatched)).toHaveLength(0);
  expect(await messages(WORKER, 'order.red', ids.pending)).toHaveLength(0);
  expect(data(await call(WORKER, 'get', { orderId: ids.pending })).light).toBe('yellow');
  const yellow = data(await call(WORKER, 'listAll', { light: 'yellow' })).items.map((o) => o._id);
  expect(yellow).toEqual(expect.arrayContaining([ids.pending, ids.dispatched]));
});

it('at 100 %: red to the workers; the unaccepted dispatch goes back to pending, the volunteer recorded as timed out', async () => {
  jest.setSystemTime(T0 + 30 * MIN);
  const report = await runTwiceSecondIsNoop();
  expect(report.returned).toBeGreaterThanOrEqual(1);
  expect(await messages(WORKER, 'order.red', ids.pending)).toEqual([
    expect.objectContaining({ title: expect.stringContaining('超时') }),
  ]);
  expect(data(await call(WORKER, 'get', { orderId: ids.pending })).light).toBe('red');

  const returned = data(await call(WORKER, 'get', { orderId: ids.dispatched }));
  expect(returned).toMatchObject({ status: 'pending', step: 'dispatch', light: 'green' });
  expect(returned.volunteer).toBeUndefined();
  expect(returned.passedOver).toEqual([expect.objectContaining({ openid: V1, timedOut: true })]);
  expect(returned.timeline.at(-1)).toMatchObject({ action: 'timeout', actor: 'system', actorName: '系统' });
  expect(returned.allowedActions).toEqual(['dispatch', 'release', 'cancel']);
  expect(await messages(WORKER, 'order.returned', ids.dispatched)).toHaveLength(1);
  expect(await messages(V1, 'order.returned', ids.dispatched)).toHaveLength(1);
  // The volunteer can no longer accept it, and is told it moved on.
  expect(errorCode(await call(V1, 'accept', { orderId: ids.dispatched }))).toBe('E_CONFLICT');
  const log = await collection('audit')
    .where({ target: `order:${ids.dispatched}`, actor: SYSTEM_ACTOR })
    .get();
  expect(log.data).toEqual([
    expect.objectContaining({ what: 'timer.returnOrder', before: expect.objectContaining({ status: 'dispatched' }) }),
  ]);
  const red = data(await call(WORKER, 'listAll', { light: 'red' })).items.map((o) => o._id);
  expect(red).toContain(ids.pending);
  expect(red).not.toContain(ids.dispatched);
});

it('after 7 days: unrated completed orders close themselves with points; late steps are red for the workers', async () => {
  const before = data(await call(WORKER, 'volunteerRecord', { openid: V1 }));
  jest.setSystemTime(T0 + 7 * DAY);
  const report = await runTwiceSecondIsNoop();
  expect(report.closed).toBeGreaterThanOrEqual(1);

  const closed = data(await call(WORKER, 'get', { orderId: ids.completed }));
  expect(closed).toMatchObject({ status: 'closed', light: null });
  expect(closed.rating).toBeUndefined();
  expect(closed.timeline.at(-1)).toMatchObject({ action: 'autoClose', actor: 'system' });
  const ledger = await collection('points_ledger')
    .where({ _id: `order:${ids.completed}` })
    .get();
  expect(ledger.data).toEqual([expect.objectContaining({ openid: V1, points: 10 })]);
  const after = data(await call(WORKER, 'volunteerRecord', { openid: V1 }));
  expect(after.served).toBe(before.served + 1);
  expect(after.points).toBe(before.points + 10);
  expect(after.ratedCount).toBe(before.ratedCount);
  expect(await messages(V1, 'order.closed', ids.completed)).toHaveLength(1);

  // The serve and review steps ran out: red to the workers, once; stale yellows are not sent.
  expect(await messages(WORKER, 'order.red', ids.serving)).toHaveLength(1);
  expect(await messages(V2, 'order.yellow', ids.serving)).toHaveLength(0);
  expect(await messages(WORKER, 'order.red', ids.rated)).toHaveLength(1);
  // The returned order's new dispatch clock ran out as well: a new red, with its own key.
  expect(await messages(WORKER, 'order.red', ids.dispatched)).toHaveLength(1);
  expect(await messages(WORKER, 'order.red', ids.pending)).toHaveLength(1);
});

it('a rated order is not closed by the timer, and a closed one is never credited twice', async () => {
  jest.setSystemTime(T0 + 30 * DAY);
  await runTwiceSecondIsNoop();
  expect(data(await call(WORKER, 'get', { orderId: ids.rated })).status).toBe('rated');
  const closed = data(await call(WORKER, 'review', { orderId: ids.rated, result: 'pass' }));
  expect(closed.status).toBe('closed');
  await runTwiceSecondIsNoop();
  const ledger = await collection('points_ledger')
    .where({ _id: `order:${ids.rated}` })
    .get();
  expect(ledger.data).toHaveLength(1);
});

it('works in bounded pages: a capped run reports more, the next one finishes', async () => {
  const t = T0 + 40 * DAY;
  jest.setSystemTime(t);
  const batch: string[] = [];
  for (let i = 0; i < 12; i++) batch.push(await create('demo-resident-3', 'sanitation'));
  const at = new Date(t + 24 * MIN); // every one of them turns yellow
  jest.setSystemTime(at.getTime());
  const first = await sweepOrders(at, { pageSize: 5, maxPages: 2 });
  expect(first).toMatchObject({ yellow: 10, more: true });
  // Handled ten at a time, and every message counted: one to each worker for each order.
  const workers = (await collection('members').where({ communityId: 'demo', status: 'active', roles: 'worker' }).count()).total;
  expect(first.messages).toBe(10 * workers);
  const second = await sweepOrders(at, { pageSize: 5, maxPages: 2 });
  expect(second).toMatchObject({ yellow: 2, more: false });
  const third = await sweepOrders(at, { pageSize: 5, maxPages: 2 });
  expect(third).toEqual({ returned: 0, red: 0, yellow: 0, closed: 0, messages: 0, more: false });
  for (const id of batch) expect(await messages(WORKER, 'order.yellow', id)).toHaveLength(1);
});

it('refuses a call that carries a user’s identity, and writes nothing', async () => {
  jest.setSystemTime(T0 + 60 * DAY); // everything above is overdue now
  const before = await snapshot();
  for (const openid of [WORKER, 'demo-resident-1', 'nobody']) {
    const res = await cloud.invoke('timer', {}, openid);
    expect(res).toEqual({ ok: false, error: { code: 'E_FORBIDDEN', message: expect.stringMatching(/系统/) } });
  }
  expect(await snapshot()).toEqual(before);
  // The trigger itself still runs.
  expect((await runTimer()).red).toBeGreaterThan(0);
});
