// 一键求助 (docs/orders.md): only an elder (tagged 独居老人 / 高龄) may call; one tap places an urgent
// order with the shortest clocks, tells the workers and the on-duty volunteers of her building at
// once with one insert of all their messages (the data calls do not grow with the people), answers
// the duty phone, happens once per request id even when the taps race, and is rate-limited.
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { cmd, collection } from '../../cloudfunctions/common/db';
import { LIMITS } from '../../cloudfunctions/common/limits';
import { memberId, type MemberDoc } from '../../cloudfunctions/common/model';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import { caller, data, errorCode } from '../helpers/call';
import { startTestCloud } from '../helpers/local';
import { forgetLimits } from '../helpers/limits';
import { snapshot } from '../helpers/snapshot';

const WORKER = 'demo-worker';
const ELDER = 'demo-resident-1'; // 1栋, 独居老人 + 高龄
const V1 = 'demo-volunteer-1'; // 1栋, on duty
const V2 = 'demo-volunteer-2'; // 3栋, on duty
const R2 = 'demo-resident-2';

let cloud: LocalCloud;
const calls: DataCallRecord[] = [];
let orders: ReturnType<typeof caller<OrdersApi>>;
let seq = 0;
const rid = () => `help-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  cloud = await startTestCloud({ observe: { dataCall: (r) => calls.push(r) } });
  await seedIfEmpty(cloud);
  orders = caller<OrdersApi>(cloud, 'orders');
});
afterAll(() => cloud.close());
beforeEach(() => forgetLimits());

const messagesFor = async (orderId: string) =>
  (
    await collection('messages')
      .where({ type: 'order.help', link: `/packages/orders/detail/index?id=${orderId}` })
      .limit(1000)
      .get()
  ).data as { openid: string; title: string }[];

test('the elder calls for help: an urgent order, 5-minute clocks, her building told, the duty phone answered', async () => {
  const t0 = Date.now();
  const res = data(await orders(ELDER, 'help', { requestId: rid() }));
  expect(res.dutyPhone).toBe('02888886666');
  const o = res.order;
  expect(o).toMatchObject({ urgent: true, serviceName: '一键求助', status: 'open', step: 'dispatch', light: 'green' });
  expect(o.beneficiary.openid).toBe(ELDER);
  // The shortest clock: red 5 minutes after the tap, yellow at 4.
  expect(Date.parse(o.redAt!) - Date.parse(o.createdAt)).toBe(5 * 60_000);
  expect(Date.parse(o.yellowAt!) - Date.parse(o.createdAt)).toBe(4 * 60_000);
  expect(Date.parse(o.createdAt)).toBeGreaterThanOrEqual(t0 - 1000);
  const stored = (await collection('orders').doc(o._id).get()).data[0] as { limits: Record<string, number> };
  expect(stored.limits).toMatchObject({ dispatch: 5, accept: 5, serve: 60 });

  // The worker and the on-duty volunteer of 1栋; not the 3栋 volunteer, not the elder herself.
  const told = await messagesFor(o._id);
  expect(told.map((m) => m.openid).sort()).toEqual([WORKER, V1].sort());
  expect(told[0].title).toBe('紧急求助：1栋 赵秀兰');
  expect(res.notified).toBe(2);
  // The worker sees it flagged in the board.
  const board = data(await orders(WORKER, 'listAll', {}));
  expect(board.items.find((x) => x._id === o._id)?.urgent).toBe(true);
  // Straight in the hall: the volunteer told opens it, and any volunteer on duty may take it.
  expect(data(await orders(V1, 'get', { orderId: o._id })).allowedActions).toContain('accept');
  const hall = data(await orders(V2, 'listHall', {}));
  expect(hall.items.find((x) => x._id === o._id)?.urgent).toBe(true);
  expect(data(await orders(V2, 'accept', { orderId: o._id })).status).toBe('accepted');
  // A resident who is not the elder does not see it.
  expect(errorCode(await orders(R2, 'get', { orderId: o._id }))).toBe('E_NOT_FOUND');
});

test('only an elder may call; others are refused with nothing written', async () => {
  for (const who of [R2, V1, WORKER]) {
    const before = await snapshot();
    const res = await orders(who, 'help', { requestId: rid() });
    expect([who, errorCode(res)]).toEqual([who, 'E_FORBIDDEN']);
    expect(!res.ok && res.error.message).toContain('独居、高龄老人');
    expect(await snapshot()).toEqual(before);
  }
  // Not a member / another community's member: no help, nothing about ours.
  expect(errorCode(await orders('stranger-openid', 'help', { requestId: rid() }))).toBe('E_NOT_MEMBER');
  const before = await snapshot();
  const other = await orders('other-resident', 'help', { requestId: rid() });
  expect(errorCode(other)).toBe('E_FORBIDDEN');
  expect(await snapshot()).toEqual(before);
});

test('a member who switched 长辈模式 on may call too; switched off again, she may not', async () => {
  const member = caller<MemberApi>(cloud, 'member');
  const version = async () => ((await collection('members').doc(memberId('demo', R2)).get()).data[0] as MemberDoc).version;
  data(await member(R2, 'setElderMode', { mode: 'on', version: await version() }));
  const help = data(await orders(R2, 'help', { requestId: rid() }));
  expect(help.order.urgent).toBe(true);
  data(await member(R2, 'setElderMode', { mode: 'off', version: await version() }));
  expect(errorCode(await orders(R2, 'help', { requestId: rid() }))).toBe('E_FORBIDDEN');
});

test("another community's elder: her help reaches only her own community", async () => {
  await collection('members')
    .doc(memberId('heping', 'other-resident'))
    .update({ tags: ['高龄'] });
  try {
    const res = data(await orders('other-resident', 'help', { requestId: rid() }));
    const told = await messagesFor(res.order._id);
    expect(told.map((m) => m.openid)).toEqual(['other-worker']);
    expect(res.dutyPhone).toBeUndefined();
    // Nobody of the demo community sees it.
    expect(errorCode(await orders(WORKER, 'get', { orderId: res.order._id }))).toBe('E_NOT_FOUND');
    const board = data(await orders(WORKER, 'listAll', {}));
    expect(board.items.some((x) => x._id === res.order._id)).toBe(false);
  } finally {
    await collection('members').doc(memberId('heping', 'other-resident')).update({ tags: [] });
  }
});

test('five racing taps with one request id: one order, one message each', async () => {
  const requestId = rid();
  const answers = await Promise.all(Array.from({ length: 5 }, () => orders(ELDER, 'help', { requestId })));
  const ids = new Set(answers.map((a) => data(a).order._id));
  expect(ids.size).toBe(1);
  const [orderId] = [...ids];
  expect((await messagesFor(orderId)).length).toBe(2);
  expect(answers.reduce((n, a) => n + data(a).notified, 0)).toBe(2);
  const count = await collection('orders').where({ _id: orderId }).count();
  expect(count.total).toBe(1);
});

test('rate-limited: five calls in half an hour, the sixth waits', async () => {
  expect(LIMITS.help).toMatchObject({ max: 5, windowMinutes: 30 });
  for (let i = 0; i < 5; i++) data(await orders(ELDER, 'help', { requestId: rid() }));
  const res = await orders(ELDER, 'help', { requestId: rid() });
  expect(errorCode(res)).toBe('E_RATE_LIMITED');
});

test('the fan-out costs the same data calls with 2 and with 30 volunteers on duty in her building', async () => {
  const template = (await collection('members').doc(memberId('demo', V1)).get()).data[0] as MemberDoc;
  const extra = Array.from({ length: 28 }, (_, i) => ({
    ...template,
    _id: memberId('demo', `help-v-${i}`),
    openid: `help-v-${i}`,
    name: `志愿者${i}`,
  }));
  const cost = async () => {
    calls.length = 0;
    const res = data(await orders(ELDER, 'help', { requestId: rid() }));
    return { res, calls: calls.filter((c) => c.action.startsWith('database.')).map((c) => `${c.action}:${c.collection ?? ''}`) };
  };
  await forgetLimits();
  const few = await cost();
  await collection('members').add(extra);
  try {
    await forgetLimits();
    const many = await cost();
    expect(many.res.notified).toBe(30);
    expect(few.res.notified).toBe(2);
    expect(many.calls).toEqual(few.calls);
    // One insert writes every message.
    expect(many.calls.filter((c) => c === 'database.insertDocument:messages')).toHaveLength(1);
  } finally {
    await collection('members')
      .where({ _id: cmd().in(extra.map((m) => m._id)) })
      .remove();
  }
});
