// Fan-outs cost a constant number of data calls (docs/performance.md): releasing an order to the
// hall tells every on-duty volunteer — an in-app message each, and a subscribe message each
// where quota allows — and the data calls are the same with 3 volunteers on duty as with 30.
// Only the WeChat sends themselves (open-API calls, one per person) grow with the people.
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { cmd, collection } from '../../cloudfunctions/common/db';
import { memberId, type MemberDoc } from '../../cloudfunctions/common/model';
import { subscribeTemplates } from '../../cloudfunctions/common/notify';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import { caller, data, runTimer } from '../helpers/call';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';

const W = 'demo-worker';
const R2 = 'demo-resident-2';
const EXTRA = 28; // with demo-volunteer-1 and -2: 30 on duty
const extra = (i: number) => `fan-volunteer-${i}`;

let cloud: LocalCloud;
const calls: DataCallRecord[] = [];
let orders: ReturnType<typeof caller<OrdersApi>>;
let seq = 0;

/** The database calls (not open-API sends) one step makes, as `action:collection`. */
async function dataCallsOf(step: () => Promise<unknown>): Promise<string[]> {
  calls.length = 0;
  await step();
  return calls
    .filter((c) => c.action.startsWith('database.'))
    .map((c) => `${c.action.replace('database.', '')}:${c.collection ?? ''}`);
}

const RESIDENTS = ['demo-resident-1', 'demo-resident-2', 'demo-resident-3', 'demo-resident-4', 'demo-resident-5'];
const create = async (who = R2) =>
  data(await orders(who, 'create', { serviceId: 'demo:repair', description: '灯不亮', requestId: `fan-req-${++seq}` }))._id;

async function onDuty(count: number): Promise<void> {
  const ids = Array.from({ length: EXTRA }, (_, i) => memberId('demo', extra(i)));
  await collection('members')
    .where({ _id: cmd().in(ids) })
    .update({ onDuty: false });
  await collection('members')
    .where({ _id: cmd().in(ids.slice(0, count)) })
    .update({ onDuty: true });
}

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-06-02T08:00:00+08:00');
  cloud = await startTestCloud({ observe: { dataCall: (r) => calls.push(r) } });
  await seedIfEmpty(cloud, new Date());
  orders = caller<OrdersApi>(cloud, 'orders');
  const template = (await collection('members').doc(memberId('demo', 'demo-volunteer-1')).get()).data[0] as MemberDoc;
  const members = Array.from({ length: EXTRA }, (_, i) => ({
    ...template,
    _id: memberId('demo', extra(i)),
    openid: extra(i),
    name: `志愿者${i}`,
  }));
  await collection('members').add(members);
  // Everybody on duty holds subscribe quota for the order template: every one gets a send.
  const templateId = subscribeTemplates().order;
  const now = new Date();
  const people = [W, 'demo-volunteer-1', 'demo-volunteer-2', ...members.map((m) => m.openid)];
  await collection('subscribe_quota').add(
    people.map((openid) => ({
      _id: `${openid}:${templateId}`,
      openid,
      templateId,
      remaining: 10,
      grantedAt: now,
      updatedAt: now,
    })),
  );
}, 60_000);
afterAll(async () => {
  jest.useRealTimers();
  await cloud.close();
});

async function release(): Promise<{ calls: string[]; orderId: string }> {
  const orderId = await create();
  const made = await dataCallsOf(() => orders(W, 'release', { orderId }).then(data));
  return { calls: made, orderId };
}

/** Subscribe messages sent for released orders so far (subscribe_sends, status sent). */
const releasedSends = async () =>
  (await collection('subscribe_sends').where({ type: 'order.released', status: 'sent' }).count()).total;

it('release: the same data calls with 3 and with 30 volunteers on duty', async () => {
  await onDuty(1); // demo-volunteer-1, -2 and one more
  const sendsBefore = await releasedSends();
  const three = await release();
  const sendsThree = (await releasedSends()) - sendsBefore;
  await onDuty(EXTRA);
  const thirty = await release();
  const sendsThirty = (await releasedSends()) - sendsBefore - sendsThree;

  // Everyone on duty heard of it: an in-app message and a subscribe message each.
  for (const [res, n] of [
    [three, 3],
    [thirty, 30],
  ] as const) {
    const msgs = await collection('messages')
      .where({ type: 'order.released', link: cmd().exists(true) })
      .limit(1000)
      .get();
    const forThis = (msgs.data as { link: string }[]).filter((m) => m.link.includes(res.orderId));
    expect(forThis).toHaveLength(n);
  }
  expect([sendsThree, sendsThirty]).toEqual([3, 30]);
  expect(thirty.calls).toEqual(three.calls);
  // The router's reads, the order, the transition and its audit, the volunteers, then notify:
  // one add of messages, one read of quota, one spend, one add of the sends.
  expect(three.calls.length).toBeLessThanOrEqual(14);
  expect(three.calls.filter((c) => c === 'insertDocument:messages')).toHaveLength(1);
  expect(three.calls.filter((c) => c === 'insertDocument:subscribe_sends')).toHaveLength(1);
  expect(three.calls.filter((c) => c.endsWith(':subscribe_quota'))).toHaveLength(2);
});

it("the timer's escalations: the same message and quota calls for 3 and for 12 red orders", async () => {
  // Calls of notify (messages, quota, sends), not the per-order clearing of the markers.
  const notifyCalls = (list: string[]) => list.filter((c) => /:(messages|subscribe_quota|subscribe_sends)$/.test(c));
  const round = async (count: number, start: string) => {
    at(start);
    await runTimer(cloud); // what was due before this round
    // The worker hears of every new order too: quota enough for all of it.
    await collection('subscribe_quota').where({ openid: W }).update({ remaining: 1000 });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await create(RESIDENTS[i % RESIDENTS.length]));
    at(new Date(new Date(start).getTime() + 31 * 60_000).toISOString()); // every dispatch step has run out
    const made = await dataCallsOf(() => runTimer(cloud));
    const red = await collection('messages').where({ openid: W, type: 'order.red' }).limit(1000).get();
    const told = (red.data as { link: string }[]).filter((m) => ids.some((id) => m.link.endsWith(id))).length;
    return { made: notifyCalls(made), told };
  };
  const few = await round(3, '2031-06-03T08:00:00+08:00');
  const many = await round(12, '2031-06-04T08:00:00+08:00');
  expect([few.told, many.told]).toEqual([3, 12]);
  expect(many.made).toEqual(few.made);
  expect(few.made.filter((c) => c === 'insertDocument:messages')).toHaveLength(1);
});

it('finding the on-duty volunteers walks the on-duty index, not every member of the community', async () => {
  await onDuty(1); // 3 of 30 volunteers on duty
  const orderId = await create();
  calls.length = 0;
  await orders(W, 'suggestVolunteers', { orderId }).then(data);
  const memberReads = calls.filter((c) => c.action === 'database.getDocument' && c.collection === 'members' && c.read?.plan !== 'id');
  expect(memberReads.length).toBeGreaterThan(0);
  for (const r of memberReads) {
    expect(r.read?.plan).toBe('walk');
    expect(r.read?.indexes).toContain('community_duty');
    expect(r.read?.examined ?? Infinity).toBeLessThanOrEqual(3);
  }
});
