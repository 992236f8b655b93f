// 亲情代办 (docs/family.md): a relative in another city binds to an elder's household with the
// elder's family code, the elder (or a worker) confirms, the relative orders for the elder,
// follows the order to the end and rates it; either side ends the link. Through the real member,
// orders and messages functions on a fresh local cloud.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { MessagesApi } from '../../cloudfunctions/messages/api';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';
import { snapshot } from '../helpers/snapshot';

let cloud: LocalCloud;
let member: ReturnType<typeof caller<MemberApi>>;
let orders: ReturnType<typeof caller<OrdersApi>>;
let messages: ReturnType<typeof caller<MessagesApi>>;

const WORKER = 'demo-worker';
const ELDER = 'demo-resident-1'; // 赵秀兰, 1栋 102, 独居老人
const R2 = 'demo-resident-2';
const V1 = 'demo-volunteer-1';

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  member = caller<MemberApi>(cloud, 'member');
  orders = caller<OrdersApi>(cloud, 'orders');
  messages = caller<MessagesApi>(cloud, 'messages');
});
afterAll(() => cloud.close());
beforeEach(() => forgetLimits());

let seq = 0;
const rid = () => `fam-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

async function codeOf(elder: string, by = elder): Promise<string> {
  const payload = by === elder ? {} : { elderOpenid: elder };
  return data(await member(by, 'familyCode', payload)).code;
}

/** A relative linked to `elder` and confirmed by `confirmer`: the link's id. */
async function bind(relative: string, elder = ELDER, confirmer = elder): Promise<string> {
  const code = await codeOf(elder, confirmer === elder ? elder : WORKER);
  const link = data(await member(relative, 'familyRequest', { familyCode: code, name: '李娜', relation: '女儿' }));
  expect(link.status).toBe('requested');
  const answered = data(await member(confirmer, 'familyAnswer', { linkId: link._id, confirm: true }));
  expect(answered.status).toBe('active');
  return link._id;
}

describe('a daughter in another city orders for her mother and follows it to the end', () => {
  it('binds, orders, follows the lights, hears the same messages, rates', async () => {
    const DAUGHTER = 'daughter-far';
    const code = await codeOf(ELDER);
    const info = data(await member(DAUGHTER, 'familyCodeInfo', { familyCode: code.toLowerCase() }));
    expect(info).toMatchObject({ elderName: '赵**' });
    const asked = data(
      await member(DAUGHTER, 'familyRequest', { familyCode: code, name: '李娜', relation: '女儿', phone: '13900000099' }),
    );
    expect(asked).toMatchObject({ status: 'requested', elderName: '赵**', relativePhone: '13900000099', mayEnd: true });
    // Before the elder confirms, the daughter reaches nothing.
    expect(errorCode(await orders(DAUGHTER, 'familyOrders', { linkId: asked._id }))).toBe('E_NOT_FOUND');

    // The elder sees the request (a message, and her list) and confirms it.
    const inbox = await collection('messages').where({ openid: ELDER, type: 'family.request' }).limit(10).get();
    expect(inbox.data.length).toBeGreaterThan(0);
    const mine = data(await member(ELDER, 'familyLinks', {}));
    expect(mine.items.find((l) => l._id === asked._id)).toMatchObject({ mayAnswer: true, relativeName: '李娜' });
    const linked = data(await member(ELDER, 'familyAnswer', { linkId: asked._id, confirm: true }));
    expect(linked).toMatchObject({ status: 'active', answeredByName: '赵秀兰' });
    const hers = data(await member(DAUGHTER, 'familyMine', {}));
    expect(hers.items[0]).toMatchObject({ _id: asked._id, status: 'active', elderName: '赵秀兰' });

    // She orders for her mother; the menu answers for the mother's tags (特惠 for 独居老人).
    const menu = data(await orders(DAUGHTER, 'familyMenu', { linkId: asked._id }));
    const items = menu.tiers.flatMap((t) => t.items);
    expect(items.length).toBeGreaterThan(0);
    const order = data(
      await orders(DAUGHTER, 'familyCreate', {
        linkId: asked._id,
        serviceId: 'demo:errand',
        description: '帮妈妈买降压药',
        requestId: rid(),
      }),
    );
    expect(order).toMatchObject({ status: 'pending', light: 'green' });
    const stored = (await collection('orders').doc(order._id).get()).data[0] as Record<string, unknown>;
    expect(stored).toMatchObject({ orderedBy: DAUGHTER, forOpenid: ELDER, parties: [ELDER], communityId: 'demo' });
    // The mother sees it as hers.
    expect(data(await orders(ELDER, 'get', { orderId: order._id })).status).toBe('pending');

    // The loop runs; the daughter follows it with lights, and hears what the mother hears.
    data(await orders(WORKER, 'dispatch', { orderId: order._id, volunteerOpenid: V1 }));
    data(await orders(V1, 'accept', { orderId: order._id }));
    const followed = data(await orders(DAUGHTER, 'familyGet', { orderId: order._id }));
    expect(followed).toMatchObject({ status: 'accepted', light: 'green' });
    expect(followed.timeline.length).toBeGreaterThanOrEqual(3);
    data(await orders(V1, 'start', { orderId: order._id }));
    data(await orders(V1, 'complete', { orderId: order._id, note: '药已送到' }));
    const family = data(await messages(DAUGHTER, 'list', { family: true }));
    const titles = family.items.map((m) => m.title);
    expect(titles.some((t) => t.includes('已接单'))).toBe(true);
    expect(titles.some((t) => t.includes('请评价'))).toBe(true);
    expect(family.items.every((m) => !m.link || m.link.startsWith('/packages/family/'))).toBe(true);
    expect(data(await messages(DAUGHTER, 'unreadCount', { family: true })).count).toBeGreaterThan(0);
    // Not the community's inbox: she is not a member there.
    expect(errorCode(await messages(DAUGHTER, 'list', {}))).toBe('E_NOT_MEMBER');

    const list = data(await orders(DAUGHTER, 'familyOrders', { linkId: asked._id }));
    expect(list.items.map((o) => o._id)).toContain(order._id);
    expect(list.items.every((o) => o.status !== undefined)).toBe(true);

    const rated = data(await orders(DAUGHTER, 'familyRate', { orderId: order._id, stars: 5, comment: '谢谢志愿者' }));
    expect(rated).toMatchObject({ status: 'rated', rating: { stars: 5 } });
    const again = await orders(ELDER, 'rate', { orderId: order._id, stars: 1 });
    expect(errorCode(again)).toBe('E_CONFLICT');

    // The audit log names her as the actor of her steps.
    const trail = await collection('audit')
      .where({ target: `order:${order._id}`, actor: DAUGHTER })
      .limit(10)
      .get();
    expect((trail.data as { what: string }[]).map((a) => a.what).sort()).toEqual(['orders.familyCreate', 'orders.familyRate']);
  });

  it('cancels an order she placed while it waits for dispatch, not one she did not place nor a dispatched one', async () => {
    const D = 'daughter-cancel';
    const linkId = await bind(D);
    const placed = data(
      await orders(D, 'familyCreate', { linkId, serviceId: 'demo:errand', description: '买菜', requestId: rid() }),
    );
    expect(data(await orders(D, 'familyCancel', { orderId: placed._id, reason: '妈妈说不用了' })).status).toBe('cancelled');

    const byElder = data(await orders(ELDER, 'create', { serviceId: 'demo:errand', description: '自己下的', requestId: rid() }));
    const seen = data(await orders(D, 'familyGet', { orderId: byElder._id }));
    expect(seen.allowedActions).not.toContain('cancel');
    expect(errorCode(await orders(D, 'familyCancel', { orderId: byElder._id, reason: '取消' }))).toBe('E_FORBIDDEN');

    const second = data(
      await orders(D, 'familyCreate', { linkId, serviceId: 'demo:errand', description: '修水管', requestId: rid() }),
    );
    data(await orders(WORKER, 'dispatch', { orderId: second._id, volunteerOpenid: V1 }));
    const late = await orders(D, 'familyCancel', { orderId: second._id, reason: '取消' });
    expect(errorCode(late)).toBe('E_CONFLICT');
    expect(refusal(late).message).toContain('联系');
  });

  it('a repeated create with the same request id makes one order', async () => {
    const D = 'daughter-repeat';
    const linkId = await bind(D);
    const body = { linkId, serviceId: 'demo:errand', description: '买水果', requestId: rid() };
    const all = await Promise.all(Array.from({ length: 5 }, () => orders(D, 'familyCreate', body)));
    const ids = new Set(all.map((r) => data(r)._id));
    expect(ids.size).toBe(1);
    const other = await orders(D, 'familyCreate', { ...body, description: '买别的' });
    expect(errorCode(other)).toBe('E_CONFLICT');
  });
});

describe('confirming and ending', () => {
  it('a worker confirms for an elder and ends a link; the elder ends one; the relative ends one', async () => {
    const a = await bind('rel-a', R2, WORKER);
    expect(data(await member(WORKER, 'familyEnd', { linkId: a })).status).toBe('ended');
    const b = await bind('rel-b', R2);
    expect(data(await member(R2, 'familyEnd', { linkId: b })).status).toBe('ended');
    const c = await bind('rel-c', R2);
    expect(data(await member('rel-c', 'familyEnd', { linkId: c })).status).toBe('ended');
    // Ended twice: a conflict, nothing written.
    const before = await snapshot();
    expect(errorCode(await member('rel-c', 'familyEnd', { linkId: c }))).toBe('E_CONFLICT');
    expect(await snapshot()).toEqual(before);
    // Asking again reopens the same link (deterministic id).
    const code = await codeOf(R2);
    const again = data(await member('rel-c', 'familyRequest', { familyCode: code, name: '小孙', relation: '儿子' }));
    expect(again).toMatchObject({ _id: c, status: 'requested', relation: '儿子' });
  });

  it('a declined request reaches nothing', async () => {
    const code = await codeOf(R2);
    const link = data(await member('rel-declined', 'familyRequest', { familyCode: code, name: '某人', relation: '其他亲属' }));
    expect(data(await member(R2, 'familyAnswer', { linkId: link._id, confirm: false })).status).toBe('declined');
    expect(errorCode(await orders('rel-declined', 'familyMenu', { linkId: link._id }))).toBe('E_NOT_FOUND');
  });

  it('many confirmations at once: one link, one answer wins', async () => {
    const code = await codeOf(R2);
    const link = data(await member('rel-race', 'familyRequest', { familyCode: code, name: '小王', relation: '女婿' }));
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => member(R2, 'familyAnswer', { linkId: link._id, confirm: true })),
      ...Array.from({ length: 4 }, () => member(WORKER, 'familyAnswer', { linkId: link._id, confirm: true })),
    ]);
    expect(answers.filter((r) => r.ok)).toHaveLength(1);
    expect(answers.filter((r) => !r.ok).every((r) => errorCode(r) === 'E_CONFLICT')).toBe(true);
    const docs = await collection('family_links').where({ relativeOpenid: 'rel-race' }).limit(10).get();
    expect(docs.data).toHaveLength(1);
    expect((docs.data[0] as { version: number }).version).toBe(2);
  });

  it('many requests at once from one relative: one link', async () => {
    const code = await codeOf(R2);
    const asks = await Promise.all(
      Array.from({ length: 6 }, () => member('rel-many', 'familyRequest', { familyCode: code, name: '小周', relation: '儿子' })),
    );
    expect(new Set(asks.map((r) => data(r)._id)).size).toBe(1);
    const docs = await collection('family_links').where({ relativeOpenid: 'rel-many' }).limit(10).get();
    expect(docs.data).toHaveLength(1);
  });

  it('caps the links per elder', async () => {
    const ELDER3 = 'demo-resident-3';
    const code = await codeOf(ELDER3);
    for (let i = 0; i < 10; i++)
      data(await member(`cap-${i}`, 'familyRequest', { familyCode: code, name: '亲属', relation: '其他亲属' }));
    const over = await member('cap-10', 'familyRequest', { familyCode: code, name: '亲属', relation: '其他亲属' });
    expect(errorCode(over)).toBe('E_CONFLICT');
    const page1 = data(await member(ELDER3, 'familyLinks', {}));
    expect(page1.items).toHaveLength(10);
    expect(page1.hasMore).toBe(false);
    // A worker's list of the community's links pages by 20, newest first, nothing twice.
    const R5 = 'demo-resident-5';
    const code5 = await codeOf(R5);
    for (let i = 0; i < 5; i++)
      data(await member(`page-${i}`, 'familyRequest', { familyCode: code5, name: '亲属', relation: '其他亲属' }));
    const total = (await collection('family_links').where({ communityId: 'demo' }).count()).total;
    expect(total).toBeGreaterThan(20);
    const first = data(await member(WORKER, 'familyLinks', {}));
    const second = data(await member(WORKER, 'familyLinks', { page: 2 }));
    expect(first).toMatchObject({ page: 1, hasMore: true });
    expect(first.items).toHaveLength(20);
    const ids = [...first.items, ...second.items].map((l) => l._id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(Math.min(total, 40));
    const times = first.items.map((l) => l.requestedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('an elder cannot bind to herself, and an expired or made-up code opens nothing', async () => {
    const code = await codeOf(R2);
    expect(errorCode(await member(R2, 'familyRequest', { familyCode: code, name: '我', relation: '女儿' }))).toBe('E_CONFLICT');
    const made = await member('rel-x', 'familyRequest', { familyCode: 'ZZZZ9999', name: '我', relation: '女儿' });
    expect(refusal(made)).toEqual(refusal(await member('rel-x', 'familyCodeInfo', { familyCode: 'ZZZZ9999' })));
    expect(errorCode(made)).toBe('E_NOT_FOUND');
  });
});

describe('erasure', () => {
  it('a relative who erases their data leaves no name, phone or openid anywhere; the elder keeps her order', async () => {
    const D = 'erase-daughter';
    const NAME = '钱小燕';
    const PHONE = '13900000077';
    const code = await codeOf('demo-resident-4');
    const asked = data(await member(D, 'familyRequest', { familyCode: code, name: NAME, relation: '女儿', phone: PHONE }));
    data(await member('demo-resident-4', 'familyAnswer', { linkId: asked._id, confirm: true }));
    const order = data(
      await orders(D, 'familyCreate', {
        linkId: asked._id,
        serviceId: 'demo:errand',
        description: '帮爸爸交电费',
        requestId: rid(),
      }),
    );
    data(await orders(WORKER, 'dispatch', { orderId: order._id, volunteerOpenid: V1 }));
    data(await orders(V1, 'accept', { orderId: order._id }));
    const before = JSON.stringify(await snapshot());
    for (const secret of [NAME, PHONE, D]) expect(before).toContain(secret);

    data(await member(D, 'erase', {}));
    const after = JSON.stringify(await snapshot());
    for (const secret of [NAME, PHONE, D]) expect({ secret, found: after.includes(secret) }).toEqual({ secret, found: false });
    expect(data(await orders('demo-resident-4', 'get', { orderId: order._id })).status).toBe('accepted');
    expect(data(await member('demo-resident-4', 'familyLinks', {})).items.map((l) => l._id)).not.toContain(asked._id);
  });
});
