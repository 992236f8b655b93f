// The order loop through the real functions on a fresh local cloud: the whole loop, every
// illegal transition, 特惠 eligibility, ordering for someone else, masking, the menu, lists and
// lights with a controlled clock.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty, DEMO_INVITES } from '../../local/seed';
import type { OrderDetail, OrdersApi } from '../../cloudfunctions/orders/api';
import type { OrderAction, OrderStatus } from '../../cloudfunctions/orders/labels';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { collection } from '../../cloudfunctions/common/db';
import { sampledForFollowUp } from '../../cloudfunctions/orders/rules';
import { startTestCloud, uploadAs } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<OrdersApi>>;
let member: ReturnType<typeof caller<MemberApi>>;

const WORKER = 'demo-worker';
const V1 = 'demo-volunteer-1'; // 1栋, g1, skills 代买代办 水电小修, on duty
const V2 = 'demo-volunteer-2'; // 3栋, g2, on duty
const V3 = 'demo-volunteer-3'; // 5栋, off duty
const R1 = 'demo-resident-1'; // 1栋 102, 独居老人 高龄
const R2 = 'demo-resident-2'; // 2栋 301, phone 13800000022
const R3 = 'demo-resident-3';
const R4 = 'demo-resident-4';
const MIN = 60_000;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<OrdersApi>(cloud, 'orders');
  member = caller<MemberApi>(cloud, 'member');
});
afterAll(() => cloud.close());

let seq = 0;
const rid = () => `req-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

async function create(openid: string, code = 'repair', extra: Partial<OrdersApi['create']['input']> = {}): Promise<OrderDetail> {
  return data(await call(openid, 'create', { serviceId: `demo:${code}`, description: '需要帮助', requestId: rid(), ...extra }));
}

async function messagesFor(openid: string, type: string, orderId: string): Promise<{ title: string; body?: string }[]> {
  const res = await collection('messages').where({ openid, type }).limit(1000).get();
  return (res.data as { link?: string; title: string; body?: string }[]).filter((m) => m.link?.endsWith(`id=${orderId}`));
}

async function auditOf(orderId: string): Promise<{ what: string; actor: string }[]> {
  const res = await collection('audit')
    .where({ target: `order:${orderId}` })
    .limit(100)
    .get();
  return res.data as { what: string; actor: string }[];
}

/** Drives a new order of `resident` through the loop (volunteer V1) up to `state`. */
async function orderIn(state: OrderStatus, resident = R4, code = 'repair'): Promise<string> {
  const o = await create(resident, code);
  const id = o._id;
  const step = async (openid: string, act: keyof OrdersApi, payload: object) => {
    const res = await cloud.invoke('orders', { action: act, payload: { orderId: id, ...payload } }, openid);
    if (!res.ok) throw new Error(`${act} as ${openid}: ${res.error.code} ${res.error.message}`);
    return res.data as OrderDetail;
  };
  if (state === 'pending') return id;
  if (state === 'cancelled') return (await step(resident, 'cancel', { reason: '不需要了' }))._id;
  if (state === 'open') return (await step(WORKER, 'release', {}))._id;
  await step(WORKER, 'dispatch', { volunteerOpenid: V1 });
  if (state === 'dispatched') return id;
  await step(V1, 'accept', {});
  if (state === 'accepted') return id;
  await step(V1, 'start', {});
  if (state === 'in_service') return id;
  await step(V1, 'complete', { note: '已处理完毕' });
  if (state === 'completed') return id;
  const rated = await step(resident, 'rate', { stars: 5 });
  // A sampled follow-up is owed; record it so that later steps start from a plain state.
  if (rated.needsFollowUp) await step(WORKER, 'followUp', { result: 'satisfied' });
  if (state === 'rated') return id;
  await step(WORKER, 'review', { result: 'pass' });
  return id;
}

// These tests play many callers' worth of actions; limits are proven in limits.test.ts.
beforeEach(forgetLimits);

describe('the whole loop', () => {
  it('resident orders, worker dispatches on a suggestion, volunteer serves, resident rates, worker closes; points once', async () => {
    const before = data(await call(R2, 'volunteerRecord', { openid: V1 }));

    const tap = await uploadAs(cloud, R2, 'order');
    const created = await create(R2, 'repair', {
      description: '厨房水龙头漏水',
      photos: [tap],
    });
    expect(created).toMatchObject({
      status: 'pending',
      statusLabel: '待派单',
      light: 'green',
      step: 'dispatch',
      forSomeoneElse: false,
    });
    expect(created.allowedActions).toEqual(['cancel']);
    expect(created.photos).toEqual([tap]);
    const id = created._id;
    expect(await messagesFor(WORKER, 'order.created', id)).toHaveLength(1);

    const asWorker = data(await call(WORKER, 'get', { orderId: id }));
    expect(asWorker.allowedActions).toEqual(['dispatch', 'release', 'cancel']);

    const { items } = data(await call(WORKER, 'suggestVolunteers', { orderId: id }));
    expect(items.map((s) => s.openid)).toEqual([V1, V2]); // V3 is off duty
    expect(items[0].reason).toContain('同网格（第一网格）');
    expect(items[0].reason).toContain('擅长水电小修');
    expect(items[1].reason).toContain('不同网格');

    const dispatched = data(await call(WORKER, 'dispatch', { orderId: id, volunteerOpenid: items[0].openid }));
    expect(dispatched).toMatchObject({ status: 'dispatched', step: 'accept', volunteer: { openid: V1, name: '张建国' } });
    expect(await messagesFor(V1, 'order.dispatched', id)).toHaveLength(1);
    expect(data(await call(V1, 'get', { orderId: id })).allowedActions).toEqual(['accept', 'decline']);

    const accepted = data(await call(V1, 'accept', { orderId: id }));
    expect(accepted).toMatchObject({ status: 'accepted', step: 'serve' });
    expect(accepted.allowedActions).toEqual(['decline', 'start']);
    expect(await messagesFor(R2, 'order.accepted', id)).toHaveLength(1);

    expect(data(await call(V1, 'start', { orderId: id })).status).toBe('in_service');
    const completed = data(
      await call(V1, 'complete', { orderId: id, note: '已更换阀芯', photos: [await uploadAs(cloud, V1, 'order')] }),
    );
    expect(completed).toMatchObject({
      status: 'completed',
      statusLabel: '待评价',
      light: null,
      completion: { note: '已更换阀芯' },
    });
    expect(await messagesFor(R2, 'order.completed', id)).toEqual([
      expect.objectContaining({ title: expect.stringContaining('请评价') }),
    ]);
    expect(data(await call(R2, 'get', { orderId: id })).allowedActions).toEqual(['rate']);

    const rated = data(await call(R2, 'rate', { orderId: id, stars: 5, comment: '师傅很细心' }));
    expect(rated).toMatchObject({ status: 'rated', step: 'review', rating: { stars: 5, comment: '师傅很细心' } });
    if (rated.needsFollowUp) data(await call(WORKER, 'followUp', { orderId: id, result: 'satisfied' }));
    expect(errorCode(await call(R2, 'rate', { orderId: id, stars: 1 }))).toBe('E_CONFLICT'); // once

    const closed = data(await call(WORKER, 'review', { orderId: id, result: 'pass', note: '处理及时' }));
    expect(closed).toMatchObject({ status: 'closed', statusLabel: '已办结', light: null, allowedActions: [] });
    expect(closed.timeline.map((t) => t.action)).toEqual([
      'create',
      'dispatch',
      'accept',
      'start',
      'complete',
      'rate',
      ...(rated.needsFollowUp ? ['followUp'] : []),
      'pass',
    ]);
    expect(closed.timeline.every((t) => t.actionLabel && t.actorName && t.at)).toBe(true);

    // Points: basic 10 + 5 for five stars, one ledger entry, never twice.
    const ledger = await collection('points_ledger')
      .where({ _id: `order:${id}` })
      .get();
    expect(ledger.data).toEqual([expect.objectContaining({ openid: V1, points: 15, source: 'orders', refId: id })]);
    expect(errorCode(await call(WORKER, 'review', { orderId: id, result: 'pass' }))).toBe('E_CONFLICT');
    const after = data(await call(R2, 'volunteerRecord', { openid: V1 }));
    expect(after.served).toBe(before.served + 1);
    expect(after.points).toBe(before.points + 15);
    expect(after.ratedCount).toBe(before.ratedCount + 1);
    expect(after.avgStars).toBe(5);
    expect(await messagesFor(V1, 'order.closed', id)).toEqual([
      expect.objectContaining({ body: expect.stringContaining('+15') }),
    ]);

    // Every step is in the audit log: the resident's (create, rate) as well as the others'.
    const log = await auditOf(id);
    expect(log.map((e) => e.what).sort()).toEqual(
      [
        'orders.create',
        'orders.rate',
        'orders.accept',
        'orders.complete',
        'orders.dispatch',
        'orders.review',
        'orders.start',
        ...(rated.needsFollowUp ? ['orders.followUp'] : []),
      ].sort(),
    );
  });

  it('the hall: released orders are grabbed by a volunteer on duty', async () => {
    const id = await orderIn('open', R3);
    const hall = data(await call(V2, 'listHall', {}));
    expect(hall.onDuty).toBe(true);
    expect(hall.items.map((o) => o._id)).toContain(id);
    expect(await messagesFor(V2, 'order.released', id)).toHaveLength(1);
    const grabbed = data(await call(V2, 'accept', { orderId: id }));
    expect(grabbed).toMatchObject({ status: 'accepted', volunteer: { openid: V2 } });
    expect(grabbed.timeline.map((t) => t.action)).toEqual(['create', 'release', 'grab']);
    expect(data(await call(V2, 'listHall', {})).items.map((o) => o._id)).not.toContain(id);
    expect(data(await call(V2, 'listMine', { as: 'volunteer' })).items.map((o) => o._id)).toContain(id);
  });

  it('decline sends the order back to pending with the volunteer recorded, and ranks them last', async () => {
    const id = await orderIn('dispatched', R2);
    const declined = data(await call(V1, 'decline', { orderId: id, reason: '今天在外地' }));
    expect(declined).toMatchObject({ status: 'pending', step: 'dispatch' });
    expect(declined.volunteer).toBeUndefined();
    expect(declined.timeline.at(-1)).toMatchObject({ action: 'decline', note: '今天在外地', actor: V1 });
    expect(data(await call(WORKER, 'get', { orderId: id })).passedOver).toEqual([
      expect.objectContaining({ openid: V1, reason: '今天在外地', timedOut: false }),
    ]);
    expect(await messagesFor(WORKER, 'order.declined', id)).toHaveLength(1);
    const { items } = data(await call(WORKER, 'suggestVolunteers', { orderId: id }));
    expect(items.at(-1)).toMatchObject({ openid: V1, passedOverBefore: true });
    expect(items.at(-1)!.reason).toContain('此前拒单');
    // The former volunteer can no longer act on it, and is told why.
    const res = await call(V1, 'start', { orderId: id });
    expect(errorCode(res)).toBe('E_CONFLICT');
  });

  it('rework sends a rated order back to the volunteer; the resident rates the new result', async () => {
    const id = await orderIn('rated', R2);
    expect(errorCode(await call(WORKER, 'review', { orderId: id, result: 'rework' }))).toBe('E_VALIDATION');
    const rework = data(await call(WORKER, 'review', { orderId: id, result: 'rework', note: '水龙头仍有渗水' }));
    expect(rework).toMatchObject({ status: 'accepted', reworkCount: 1, review: { result: 'rework', note: '水龙头仍有渗水' } });
    expect(rework.rating).toBeUndefined();
    expect(await messagesFor(V1, 'order.rework', id)).toEqual([
      expect.objectContaining({ body: expect.stringContaining('仍有渗水') }),
    ]);
    data(await call(V1, 'start', { orderId: id }));
    data(await call(V1, 'complete', { orderId: id, note: '重新更换密封圈' }));
    data(await call(R2, 'rate', { orderId: id, stars: 4 }));
    const closed = data(await call(WORKER, 'review', { orderId: id, result: 'pass' }));
    expect(closed.status).toBe('closed');
    const ledger = await collection('points_ledger')
      .where({ _id: `order:${id}` })
      .get();
    expect(ledger.data).toEqual([expect.objectContaining({ points: 10, stars: 4 })]);
  });

  it('low ratings go to follow-up; the call-back is recorded once', async () => {
    const id = await orderIn('completed', R3);
    const rated = data(await call(R3, 'rate', { orderId: id, stars: 2, comment: '来得太晚' }));
    expect(rated.needsFollowUp).toBe(true);
    expect(await messagesFor(WORKER, 'order.followup', id)).toEqual([
      expect.objectContaining({ title: expect.stringContaining('差评') }),
    ]);
    const owed = data(await call(WORKER, 'listAll', { needsFollowUp: true }));
    expect(owed.items.map((o) => o._id)).toContain(id);
    expect(data(await call(WORKER, 'get', { orderId: id })).allowedActions).toEqual(['review', 'followUp']);
    const done = data(await call(WORKER, 'followUp', { orderId: id, result: 'unsatisfied', note: '已致歉，下次提前联系' }));
    expect(done).toMatchObject({
      needsFollowUp: false,
      followUp: { result: 'unsatisfied', resultLabel: '不满意' },
      status: 'rated',
    });
    expect(errorCode(await call(WORKER, 'followUp', { orderId: id, result: 'satisfied' }))).toBe('E_CONFLICT');
    expect(data(await call(WORKER, 'listAll', { needsFollowUp: true })).items.map((o) => o._id)).not.toContain(id);
  });

  it('samples a fixed share of good ratings for follow-up, by order id', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `o_${i}`);
    const share = ids.filter(sampledForFollowUp).length / ids.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    expect(ids.map(sampledForFollowUp)).toEqual(ids.map(sampledForFollowUp)); // deterministic
  });

  it('cancelling: the resident before acceptance, a worker until service starts, both with a reason', async () => {
    const pending = await orderIn('pending', R3);
    expect(errorCode(await call(R3, 'cancel', { orderId: pending, reason: '' }))).toBe('E_VALIDATION');
    const cancelled = data(await call(R3, 'cancel', { orderId: pending, reason: '家人已帮忙处理' }));
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      statusLabel: '已取消',
      light: null,
      cancellation: { reason: '家人已帮忙处理' },
    });

    const accepted = await orderIn('accepted', R3);
    expect(errorCode(await call(R3, 'cancel', { orderId: accepted, reason: '不要了' }))).toBe('E_CONFLICT');
    data(await call(WORKER, 'cancel', { orderId: accepted, reason: '居民电话告知已不需要' }));
    expect(await messagesFor(R3, 'order.cancelled', accepted)).toHaveLength(1);
    expect(await messagesFor(V1, 'order.cancelled', accepted)).toHaveLength(1);
    expect(await messagesFor(WORKER, 'order.cancelled', accepted)).toHaveLength(0);
  });
});

describe('illegal transitions change nothing', () => {
  const STATES: OrderStatus[] = [
    'pending',
    'open',
    'dispatched',
    'accepted',
    'in_service',
    'completed',
    'rated',
    'closed',
    'cancelled',
  ];
  type Attempt = [label: string, openid: string, action: OrderAction, payload: object];
  const ATTEMPTS: Attempt[] = [
    ['dispatch', WORKER, 'dispatch', { volunteerOpenid: V2 }],
    ['release', WORKER, 'release', {}],
    ['accept', V1, 'accept', {}],
    ['decline', V1, 'decline', { reason: '临时有事' }],
    ['start', V1, 'start', {}],
    ['complete', V1, 'complete', { note: '完成' }],
    ['rate', R4, 'rate', { stars: 4 }],
    ['review', WORKER, 'review', { result: 'pass' }],
    ['followUp', WORKER, 'followUp', { result: 'satisfied' }],
    ['cancel by resident', R4, 'cancel', { reason: '不需要了' }],
    ['cancel by worker', WORKER, 'cancel', { reason: '居民来电取消' }],
  ];
  const LEGAL: Record<OrderStatus, string[]> = {
    pending: ['dispatch', 'release', 'cancel by resident', 'cancel by worker'],
    open: ['dispatch', 'accept', 'cancel by resident', 'cancel by worker'],
    dispatched: ['accept', 'decline', 'cancel by resident', 'cancel by worker'],
    accepted: ['decline', 'start', 'cancel by worker'],
    in_service: ['complete'],
    completed: ['rate'],
    rated: ['review'],
    closed: [],
    cancelled: [],
  };
  /** States in which V1 was never on the order nor could see it in the hall: it does not exist for them. */
  const HIDDEN_FROM_V1: OrderStatus[] = ['pending', 'cancelled'];
  for (const state of STATES) {
    const illegal = ATTEMPTS.filter(([label]) => !LEGAL[state].includes(label));
    const want = ([, openid]: Attempt) => (openid === V1 && HIDDEN_FROM_V1.includes(state) ? 'E_NOT_FOUND' : 'E_CONFLICT');
    it(`${state}: ${illegal.map(([l]) => l).join(', ')} → E_CONFLICT (E_NOT_FOUND where V1 may not see it)`, async () => {
      const id = await orderIn(state);
      const before = await snapshot();
      const results: [string, string][] = [];
      for (const [label, openid, act, payload] of illegal) {
        const res = await cloud.invoke('orders', { action: act, payload: { orderId: id, ...payload } }, openid);
        results.push([label, errorCode(res)]);
        if (!res.ok) expect(res.error.message).toMatch(/[\u4e00-\u9fa5]/);
      }
      expect(results).toEqual(illegal.map((attempt) => [attempt[0], want(attempt)]));
      expect(await snapshot()).toEqual(before);
    });
    it(`${state}: the legal ones are exactly the buttons offered`, async () => {
      const id = await orderIn(state);
      const offered = new Set<string>();
      for (const openid of [WORKER, V1, R4]) {
        const res = await call(openid, 'get', { orderId: id });
        // A volunteer not (yet) on the order does not see it at all.
        if (openid === V1 && errorCode(res) === 'E_NOT_FOUND') continue;
        for (const a of data(res).allowedActions) offered.add(`${a}@${openid}`);
      }
      const expected = LEGAL[state]
        .map((label) => ATTEMPTS.find(([l]) => l === label)!)
        .map(([, openid, act]) => `${act}@${openid}`);
      expect([...offered].sort()).toEqual([...new Set(expected)].sort());
    });
  }
});

describe('特惠 eligibility', () => {
  it('shows the items to everyone but lets only tagged members order them, with the reason', async () => {
    const menuOf = async (openid: string, forOpenid?: string) => {
      const menu = data(await call(openid, 'menu', forOpenid ? { forOpenid } : {}));
      return menu.tiers.find((t) => t.tier === 'discounted')!.items;
    };
    const forR2 = await menuOf(R2);
    expect(forR2.map((i) => i.name)).toEqual(['独居老人上门探访', '高龄助餐', '残疾人陪护']);
    expect(forR2.every((i) => !i.orderable)).toBe(true);
    expect(forR2[0].reason).toContain('独居老人');
    const forR1 = await menuOf(R1);
    expect(forR1.map((i) => i.orderable)).toEqual([true, true, false]);
    expect(forR1[2].reason).toContain('残疾');
    // Ordering for R1, R1's tags count.
    expect((await menuOf(WORKER, R1)).map((i) => i.orderable)).toEqual([true, true, false]);

    const before = await snapshot();
    const refused = await call(R2, 'create', { serviceId: 'demo:lonely-visit', description: '想请人来看看', requestId: rid() });
    expect(errorCode(refused)).toBe('E_FORBIDDEN');
    expect(!refused.ok && refused.error.message).toContain('独居老人');
    expect(
      errorCode(await call(WORKER, 'create', { serviceId: 'demo:senior-meal', description: '送餐', requestId: rid() })),
    ).toBe('E_FORBIDDEN');
    expect(await snapshot()).toEqual(before);

    expect((await create(R1, 'lonely-visit')).tier).toBe('discounted');
    const forHer = await create(WORKER, 'senior-meal', { forOpenid: R1 });
    expect(forHer).toMatchObject({ forSomeoneElse: true, beneficiary: { openid: R1 }, orderedBy: { openid: WORKER } });
  });

  it('a tag set by a worker opens the item', async () => {
    data(await member(WORKER, 'setTags', { openid: R3, tags: ['残疾'] }));
    const o = await create(R3, 'disability-care');
    expect(o.status).toBe('pending');
    data(await member(WORKER, 'setTags', { openid: R3, tags: [] }));
  });
});

describe('ordering for someone else (代点单)', () => {
  it('a verified household member may, a neighbour may not, a worker may for anyone in the community', async () => {
    // Joins 2栋 301, the same room as R2: claimed, so not yet R2's household (docs/members.md).
    data(await member('r2-daughter', 'join', { inviteCode: DEMO_INVITES.autoApprove, name: '孙小梅', room: '301' }));
    const early = await call('r2-daughter', 'create', {
      serviceId: 'demo:errand',
      description: '代买',
      requestId: rid(),
      forOpenid: R2,
    });
    expect(errorCode(early)).toBe('E_NOT_FOUND');
    // R2 (verified in the seed) confirms her.
    data(await member(R2, 'confirmHousehold', { openid: 'r2-daughter', confirm: true }));
    const o = await create('r2-daughter', 'errand', { forOpenid: R2, description: '帮我父亲买药' });
    expect(o).toMatchObject({
      forSomeoneElse: true,
      beneficiary: { openid: R2, room: '301', phone: '13800000022' },
      orderedBy: { openid: 'r2-daughter', name: '孙小梅' },
    });
    expect(o.timeline[0].note).toContain('为孙伟代下单');
    expect(data(await call(R2, 'listMine', {})).items.map((x) => x._id)).toContain(o._id);
    expect(data(await call('r2-daughter', 'listMine', {})).items.map((x) => x._id)).toContain(o._id);
    // Either of them may rate or cancel it.
    expect(data(await call(R2, 'get', { orderId: o._id })).allowedActions).toEqual(['cancel']);

    const before = await snapshot();
    const neighbour = await call(R3, 'create', {
      serviceId: 'demo:errand',
      description: '代买',
      requestId: rid(),
      forOpenid: R2,
    });
    // Not found, the same as for someone who does not exist: a room does not reveal who lives there.
    expect(errorCode(neighbour)).toBe('E_NOT_FOUND');
    expect(!neighbour.ok && neighbour.error.message).toContain('已核实的同户家人');
    expect(
      errorCode(
        await call(R2, 'create', {
          serviceId: 'demo:errand',
          description: '代买',
          requestId: rid(),
          forOpenid: 'other-resident',
        }),
      ),
    ).toBe('E_NOT_FOUND');
    expect(errorCode(await call(R3, 'menu', { forOpenid: R2 }))).toBe('E_NOT_FOUND');
    expect(await snapshot()).toEqual(before);

    const byWorker = await create(WORKER, 'haircut', { forOpenid: 'demo-resident-5' });
    expect(byWorker.orderedBy.openid).toBe(WORKER);
    expect(data(await call('demo-resident-5', 'get', { orderId: byWorker._id })).allowedActions).toEqual(['cancel']);
  });
});

describe('masking', () => {
  it('phone and room whole for the resident, the assigned volunteer and workers; masked for everyone else', async () => {
    const id = await orderIn('open', R2);
    const whole = { phone: '13800000022', room: '301', building: '2栋' };
    const masked = { phone: '138****0022', room: '3**', building: '2栋' };
    expect(data(await call(R2, 'get', { orderId: id })).beneficiary).toMatchObject(whole);
    expect(data(await call(WORKER, 'get', { orderId: id })).beneficiary).toMatchObject(whole);
    expect(data(await call(V2, 'get', { orderId: id })).beneficiary).toMatchObject(masked);
    expect(data(await call(V2, 'listHall', {})).items.find((o) => o._id === id)?.beneficiary).toMatchObject(masked);
    // Not visible at all to other residents.
    expect(errorCode(await call(R3, 'get', { orderId: id }))).toBe('E_NOT_FOUND');

    data(await call(WORKER, 'dispatch', { orderId: id, volunteerOpenid: V1 }));
    expect(data(await call(V1, 'get', { orderId: id })).beneficiary).toMatchObject(whole);
    expect(errorCode(await call(V2, 'get', { orderId: id }))).toBe('E_NOT_FOUND');
    data(await call(V1, 'accept', { orderId: id }));
    // The resident sees the volunteer's phone to call them.
    expect(data(await call(R2, 'get', { orderId: id })).volunteer).toMatchObject({ openid: V1, phone: '13800000011' });
  });
});

describe('create', () => {
  it('repeating a request id returns the first order and creates nothing; another body is E_CONFLICT', async () => {
    const requestId = rid();
    const first = data(await call(R3, 'create', { serviceId: 'demo:errand', description: '买菜', requestId }));
    const before = await snapshot();
    const again = data(await call(R3, 'create', { serviceId: 'demo:errand', description: '买菜', requestId }));
    expect(again._id).toBe(first._id);
    expect(again.serviceName).toBe('代买代办');
    // The same id with another body (tests/cloud/request-ids.test.ts has every field and the race).
    expect(errorCode(await call(R3, 'create', { serviceId: 'demo:haircut', description: '别的', requestId }))).toBe('E_CONFLICT');
    expect(await snapshot()).toEqual(before);
    // Another caller with the same request id gets their own order.
    const other = data(await call(R4, 'create', { serviceId: 'demo:errand', description: '买菜', requestId }));
    expect(other._id).not.toBe(first._id);
  });

  it('refuses unknown, disabled and other-community items, bad input and rejected text, writing nothing', async () => {
    const before = await snapshot();
    const cases: [object, string][] = [
      [{ serviceId: 'demo:nope', description: 'x', requestId: rid() }, 'E_NOT_FOUND'],
      [{ serviceId: 'heping:repair', description: 'x', requestId: rid() }, 'E_NOT_FOUND'],
      [{ serviceId: 'demo:repair', description: '', requestId: rid() }, 'E_VALIDATION'],
      [{ serviceId: 'demo:repair', description: 'x', requestId: 'short' }, 'E_VALIDATION'],
      [{ serviceId: 'demo:repair', description: 'x'.repeat(501), requestId: rid() }, 'E_VALIDATION'],
      [{ serviceId: 'demo:repair', description: 'x', requestId: rid(), photos: ['http://evil.example/x.jpg'] }, 'E_VALIDATION'],
      [{ serviceId: { $gt: '' }, description: 'x', requestId: rid() }, 'E_VALIDATION'],
      [{ serviceId: 'demo:repair', description: 'x', requestId: rid(), status: 'closed' }, 'E_VALIDATION'],
      [{ serviceId: 'demo:repair', description: '帮我办证', requestId: rid() }, 'E_CONTENT_REJECTED'],
    ];
    for (const [payload, code] of cases) {
      const res = await cloud.invoke('orders', { action: 'create', payload }, R3);
      expect([JSON.stringify(payload).slice(0, 60), errorCode(res)]).toEqual([JSON.stringify(payload).slice(0, 60), code]);
      expect(!res.ok && res.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('the menu', () => {
  it('has three tiers from the catalogue; a community without a menu gets the default one', async () => {
    const menu = data(await call(R2, 'menu', {}));
    // The demo community's basic tier also holds its property company's 物业报修 and 物业投诉 (docs/property.md).
    expect(menu.tiers.map((t) => [t.tier, t.label, t.items.length])).toEqual([
      ['basic', '基础服务', 7],
      ['value_added', '增值服务', 4],
      ['discounted', '特惠服务', 3],
    ]);
    const repair = menu.tiers[0].items.find((i) => i._id === 'demo:repair')!;
    expect(repair).toMatchObject({
      name: '水电小修',
      price: 0,
      skills: ['水电小修'],
      stepLimits: { dispatch: 30, accept: 30, serve: 480, review: 4320 },
    });
    expect(menu.tiers[1].items.every((i) => i.price > 0)).toBe(true);
    const heping = data(await call('other-resident', 'menu', {}));
    expect(heping.tiers.flatMap((t) => t.items).map((i) => i._id)).toContain('heping:repair');
    expect(heping.tiers.flatMap((t) => t.items).every((i) => i._id.startsWith('heping:'))).toBe(true);
    expect(heping.tiers[0].items).toHaveLength(5);
  });

  it('workers add, edit and disable items; the item’s limits drive the clock', async () => {
    const added = data(
      await call(WORKER, 'saveService', {
        serviceName: '助浴服务',
        tier: 'value_added',
        description: '为行动不便老人上门助浴',
        price: 5000,
        skills: ['居家养老护理'],
        enabled: true,
        stepLimits: { dispatch: 10 },
      }),
    );
    expect(added).toMatchObject({
      name: '助浴服务',
      tier: 'value_added',
      price: 5000,
      orderable: true,
      stepLimits: { dispatch: 10, serve: 1440 },
    });
    expect(data(await call(R2, 'menu', {})).tiers[1].items.map((i) => i._id)).toContain(added._id);

    const o = data(await call(R2, 'create', { serviceId: added._id, description: '每周一次', requestId: rid() }));
    expect(new Date(o.redAt!).getTime() - new Date(o.createdAt).getTime()).toBe(10 * MIN);
    expect(new Date(o.yellowAt!).getTime() - new Date(o.createdAt).getTime()).toBe(8 * MIN);

    const disabled = data(
      await call(WORKER, 'saveService', {
        serviceId: added._id,
        serviceName: '助浴服务',
        tier: 'value_added',
        description: '暂停：人手不足',
        price: 5000,
        enabled: false,
      }),
    );
    expect(disabled).toMatchObject({ enabled: false, orderable: false, reason: '该服务已暂停', stepLimits: { dispatch: 30 } });
    expect(data(await call(R2, 'menu', {})).tiers[1].items.map((i) => i._id)).not.toContain(added._id);
    expect(data(await call(WORKER, 'menu', {})).tiers[1].items.map((i) => i._id)).toContain(added._id);
    expect(errorCode(await call(R2, 'create', { serviceId: added._id, description: '还要', requestId: rid() }))).toBe(
      'E_CONFLICT',
    );
    // The existing order keeps the limits it was created with.
    expect(data(await call(R2, 'get', { orderId: o._id })).redAt).toBe(o.redAt);
    const log = await collection('audit')
      .where({ target: `service:${added._id}` })
      .get();
    expect(log.data).toHaveLength(2);
  });

  it('checks tiers, prices and tags', async () => {
    const base = { serviceName: '测试', description: '说明', enabled: true };
    const before = await snapshot();
    expect(errorCode(await call(WORKER, 'saveService', { ...base, tier: 'basic', price: 100 }))).toBe('E_VALIDATION');
    expect(errorCode(await call(WORKER, 'saveService', { ...base, tier: 'discounted', price: 0 }))).toBe('E_VALIDATION');
    expect(errorCode(await call(WORKER, 'saveService', { ...base, tier: 'basic', price: 0, eligibleTags: ['高龄'] }))).toBe(
      'E_VALIDATION',
    );
    expect(errorCode(await call(WORKER, 'saveService', { ...base, tier: 'basic', price: -1 }))).toBe('E_VALIDATION');
    expect(errorCode(await call(WORKER, 'saveService', { ...base, tier: 'basic', price: 0, stepLimits: { serve: 1 } }))).toBe(
      'E_VALIDATION',
    );
    expect(errorCode(await call(WORKER, 'saveService', { ...base, serviceId: 'heping:repair', tier: 'basic', price: 0 }))).toBe(
      'E_NOT_FOUND',
    );
    expect(await snapshot()).toEqual(before);
    const special = data(
      await call(WORKER, 'saveService', {
        ...base,
        serviceName: '优抚慰问',
        tier: 'discounted',
        price: 0,
        eligibleTags: ['优抚'],
      }),
    );
    expect(special).toMatchObject({ orderable: false, reason: expect.stringContaining('优抚') });
  });
});

describe('duty and the hall', () => {
  it('an off-duty volunteer sees only what was dispatched to them and cannot grab; on duty they can', async () => {
    const id = await orderIn('open', R3);
    const off = data(await call(V3, 'listHall', {}));
    expect(off.onDuty).toBe(false);
    expect(off.items.map((o) => o._id)).not.toContain(id);
    expect(errorCode(await call(V3, 'accept', { orderId: id }))).toBe('E_CONFLICT');
    const pending = await orderIn('pending', R3);
    expect(errorCode(await call(WORKER, 'dispatch', { orderId: pending, volunteerOpenid: V3 }))).toBe('E_CONFLICT');
    expect(errorCode(await call(WORKER, 'dispatch', { orderId: pending, volunteerOpenid: R2 }))).toBe('E_NOT_FOUND');

    expect(data(await call(V3, 'setDuty', { onDuty: true }))).toEqual({ onDuty: true });
    const on = data(await call(V3, 'listHall', {}));
    expect(on.onDuty).toBe(true);
    expect(on.items.map((o) => o._id)).toContain(id);
    expect(data(await call(V3, 'accept', { orderId: id })).volunteer?.openid).toBe(V3);
    data(await call(V3, 'setDuty', { onDuty: false }));
    const log = await collection('audit').where({ target: 'member:demo:demo-volunteer-3' }).get();
    expect(log.data.map((e) => (e as { after: { onDuty: boolean } }).after.onDuty)).toEqual([true, false]);
  });
});

describe('lists and lights', () => {
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
  afterEach(() => jest.useRealTimers());
  const OTHER = 'other-resident';
  const otherCall = (openid: string, extra: Partial<OrdersApi['create']['input']> = {}) =>
    call(openid, 'create', { serviceId: 'heping:errand', description: '代买', requestId: rid(), ...extra });

  it('a pending order’s light at 79.9 %, 80 %, 100 % and past its dispatch limit', async () => {
    const t0 = Date.UTC(2030, 0, 1, 8, 0, 0);
    useClock(t0);
    const o = data(await otherCall(OTHER));
    const lightAt = async (share: number) => {
      jest.setSystemTime(t0 + share * 30 * MIN);
      return data(await call(OTHER, 'get', { orderId: o._id })).light;
    };
    expect(await lightAt(0)).toBe('green');
    expect(await lightAt(0.799)).toBe('green');
    expect(await lightAt(0.8)).toBe('yellow');
    expect(await lightAt(0.999)).toBe('yellow');
    expect(await lightAt(1)).toBe('red');
    expect(await lightAt(5)).toBe('red');
    data(await call('other-worker', 'cancel', { orderId: o._id, reason: '测试结束' }));
    expect(await lightAt(5)).toBeNull();
  });

  it('listAll filters by light, status, building and tier with indexed conditions, 20 a page', async () => {
    const t0 = Date.UTC(2030, 0, 2, 8, 0, 0);
    useClock(t0);
    const red = data(await otherCall(OTHER, { description: '红灯' }));
    jest.setSystemTime(t0 + 5 * MIN);
    const yellow = data(await otherCall(OTHER, { description: '黄灯' }));
    jest.setSystemTime(t0 + 25 * MIN);
    const green = data(await otherCall(OTHER, { description: '绿灯', serviceId: 'heping:housekeeping' }));
    jest.setSystemTime(t0 + 30 * MIN);
    const ids = async (filter: OrdersApi['listAll']['input']) =>
      data(await call('other-worker', 'listAll', filter)).items.map((x) => x._id);
    expect(await ids({ light: 'red' })).toEqual([red._id]);
    expect(await ids({ light: 'yellow' })).toEqual([yellow._id]);
    expect(await ids({ light: 'green' })).toEqual([green._id]);
    expect(await ids({ tier: 'value_added' })).toEqual([green._id]);
    expect(await ids({ building: 'A座', status: 'pending' })).toEqual([green._id, yellow._id, red._id]);
    expect(await ids({ building: 'B座' })).toEqual([]);
    for (const o of [red, yellow, green]) data(await call('other-worker', 'cancel', { orderId: o._id, reason: '测试结束' }));
    expect(await ids({ light: 'red' })).toEqual([]);
    expect((await ids({ status: 'cancelled' })).length).toBeGreaterThanOrEqual(3);
  });

  it('pages by 20, for workers and for the resident, and never shows another community', async () => {
    for (let i = 0; i < 22; i++) {
      if (i === 20) await forgetLimits(); // one resident, 22 orders: past an hour's limit
      data(await otherCall(OTHER, { description: `第${i}单`, serviceId: 'heping:sanitation' }));
    }
    const first = data(await call('other-worker', 'listAll', { status: 'pending' }));
    expect(first.items).toHaveLength(20);
    expect(first.hasMore).toBe(true);
    const second = data(await call('other-worker', 'listAll', { status: 'pending', page: 2 }));
    expect(second.items).toHaveLength(2);
    expect(second.hasMore).toBe(false);
    expect(new Set([...first.items, ...second.items].map((o) => o._id)).size).toBe(22);
    const mine = data(await call(OTHER, 'listMine', { status: 'pending', page: 2 }));
    expect(mine.items).toHaveLength(2);
    const demoIds = new Set(data(await call(WORKER, 'listAll', {})).items.map((o) => o._id));
    expect([...first.items, ...second.items].some((o) => demoIds.has(o._id))).toBe(false);
    expect(data(await call('other-worker', 'listAll', {})).items.every((o) => o.beneficiary.building === 'A座')).toBe(true);
  });
});
