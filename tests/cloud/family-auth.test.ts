// 亲情代办's isolation (docs/family.md), in the style of the trust issue's tests: a relative bound to
// elder A reaches A's orders and nothing else — not elder B's orders or links, not the
// community's members, households, notices, parking, votes or accounts, not another community, and
// nothing at all once the link ends. A refused call writes nothing (WriteWatch).
import fs from 'fs';
import path from 'path';
import type { z } from 'zod';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { MessagesApi } from '../../cloudfunctions/messages/api';
import { functionNames } from '../../scripts/build';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';
import { WriteWatch } from '../helpers/snapshot';

let cloud: LocalCloud;
let member: ReturnType<typeof caller<MemberApi>>;
let orders: ReturnType<typeof caller<OrdersApi>>;
let messages: ReturnType<typeof caller<MessagesApi>>;
const watch = new WriteWatch(() => cloud.dataDir);

const WORKER = 'demo-worker';
const ELDER_A = 'demo-resident-1'; // 赵秀兰
const ELDER_B = 'demo-resident-2'; // 孙伟
const V1 = 'demo-volunteer-1';
const REL_A = 'relative-of-a';
const REL_B = 'relative-of-b';
const OTHER = 'other-resident'; // 和平里社区
const OTHER_WORKER = 'other-worker';

let linkA = '';
let linkB = '';
let orderA = '';
let orderB = '';
let orderOther = '';
let seq = 0;
const rid = () => `fa-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

async function bind(relative: string, elder: string): Promise<string> {
  const code = data(await member(elder, 'familyCode', {})).code;
  const link = data(await member(relative, 'familyRequest', { familyCode: code, name: '亲属', relation: '女儿' }));
  data(await member(elder, 'familyAnswer', { linkId: link._id, confirm: true }));
  return link._id;
}

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  member = caller<MemberApi>(cloud, 'member');
  orders = caller<OrdersApi>(cloud, 'orders');
  messages = caller<MessagesApi>(cloud, 'messages');
  linkA = await bind(REL_A, ELDER_A);
  linkB = await bind(REL_B, ELDER_B);
  orderA = data(await orders(ELDER_A, 'create', { serviceId: 'demo:errand', description: 'A 的订单', requestId: rid() }))._id;
  orderB = data(await orders(ELDER_B, 'create', { serviceId: 'demo:errand', description: 'B 的订单', requestId: rid() }))._id;
  orderOther = data(await orders(OTHER, 'create', { serviceId: 'heping:errand', description: '别的社区', requestId: rid() }))._id;
});
afterAll(() => cloud.close());
beforeEach(() => forgetLimits());

/** Every call of this block is refused and writes nothing. */
async function refused(run: () => Promise<unknown>): Promise<void> {
  const before = await watch.before();
  await run();
  expect(await watch.written(before)).toEqual([]);
}

describe('deny by default: every action of every function, as a bound relative', () => {
  type Schemas = Record<string, z.ZodType>;
  const dir = path.resolve(__dirname, '../../cloudfunctions');
  const schemasOf = (fn: string): Schemas => {
    const api = path.join(dir, fn, 'api.ts');
    if (!fs.existsSync(api)) return {};
    const mod = require(api) as Record<string, unknown>;
    return (Object.entries(mod).find(([n]) => n.endsWith('Schemas'))?.[1] ?? {}) as Schemas;
  };
  /**
   * What a person who is no member may call at all. Everything else answers E_NOT_MEMBER before
   * any lookup: the link opens only the family actions, which check it themselves (below).
   */
  const OPEN = new Set([
    'member.me',
    'member.inviteInfo',
    'member.join',
    'member.switchCommunity',
    'member.leave',
    'member.erase',
    'member.familyCodeInfo',
    'member.familyRequest',
    'member.familyEnd',
    'member.familyMine',
    'orders.familyMenu',
    'orders.familyCreate',
    'orders.familyOrders',
    'orders.familyGet',
    'orders.familyCancel',
    'orders.familyRate',
    'messages.list',
    'messages.unreadCount',
    'messages.markRead',
    'messages.grantSubscribe',
    'messages.subscribeTemplates',
  ]);
  const BROWSER_ONLY = new Set(['desk.startLogin', 'desk.pollLogin']);
  const actions = functionNames().flatMap((fn) => Object.keys(schemasOf(fn)).map((action) => ({ fn, action })));

  it('finds the actions', () => {
    expect(actions.length).toBeGreaterThan(50);
    expect(actions.map((a) => `${a.fn}.${a.action}`)).toEqual(
      expect.arrayContaining([...OPEN].filter((a) => !a.startsWith('timer'))),
    );
  });

  it.each(actions.filter((a) => !OPEN.has(`${a.fn}.${a.action}`)).map((a) => [`${a.fn}.${a.action}`, a]))(
    '%s → refused',
    async (_name, { fn, action }) => {
      const payloads = [{}, { orderId: orderA }, { openid: ELDER_A }, { communityId: 'demo' }];
      await refused(async () => {
        for (const payload of payloads) {
          const res = await cloud.invoke(fn, { action, payload }, REL_A);
          if (fn === 'timer') expect(res.ok).toBe(false);
          // The console's sign-in steps answer only an anonymous browser, never a mini-program user.
          else if (BROWSER_ONLY.has(`${fn}.${action}`)) expect(errorCode(res)).toBe('E_UNAUTHENTICATED');
          else expect(errorCode(res)).toBe('E_NOT_MEMBER');
        }
      });
    },
  );
});

describe('the link reaches elder A only', () => {
  it('A’s orders: yes', async () => {
    expect(data(await orders(REL_A, 'familyGet', { orderId: orderA }))._id).toBe(orderA);
    const list = data(await orders(REL_A, 'familyOrders', { linkId: linkA }));
    expect(list.items.map((o) => o._id)).toContain(orderA);
    expect(list.items.map((o) => o._id)).not.toContain(orderB);
    expect(list.items.every((o) => o.beneficiary.name === '赵秀兰')).toBe(true);
  });

  it('B’s order, B’s link, another community’s order: the same "not found" as a made-up id, nothing written', async () => {
    await refused(async () => {
      const missing = await orders(REL_A, 'familyGet', { orderId: 'o_no_such_order' });
      for (const orderId of [orderB, orderOther]) {
        expect(refusal(await orders(REL_A, 'familyGet', { orderId }))).toEqual(refusal(missing));
        expect(refusal(await orders(REL_A, 'familyRate', { orderId, stars: 1 }))).toEqual(refusal(missing));
        expect(refusal(await orders(REL_A, 'familyCancel', { orderId, reason: '取消' }))).toEqual(refusal(missing));
      }
      const noLink = await orders(REL_A, 'familyOrders', { linkId: 'fl_no_such_link' });
      expect(errorCode(noLink)).toBe('E_NOT_FOUND');
      for (const linkId of [linkB]) {
        expect(refusal(await orders(REL_A, 'familyOrders', { linkId }))).toEqual(refusal(noLink));
        expect(refusal(await orders(REL_A, 'familyMenu', { linkId }))).toEqual(refusal(noLink));
        const made = await orders(REL_A, 'familyCreate', {
          linkId,
          serviceId: 'demo:errand',
          description: '冒充',
          requestId: rid(),
        });
        expect(refusal(made)).toEqual(refusal(noLink));
        expect(errorCode(await member(REL_A, 'familyEnd', { linkId }))).toBe('E_NOT_FOUND');
      }
    });
  });

  it('lists only orders for A: a worker’s 代点单 for A is there, B’s orders are not', async () => {
    const byWorker = data(
      await orders(WORKER, 'create', {
        serviceId: 'demo:errand',
        description: '工作人员代点单',
        requestId: rid(),
        forOpenid: ELDER_A,
      }),
    );
    const list = data(await orders(REL_A, 'familyOrders', { linkId: linkA }));
    expect(list.items.map((o) => o._id)).toEqual(expect.arrayContaining([byWorker._id, orderA]));
    expect(list.items.every((o) => o.beneficiary.name === '赵秀兰')).toBe(true);
  });

  it('answers show nothing of B or the other community', async () => {
    const answers = JSON.stringify([
      await orders(REL_A, 'familyOrders', { linkId: linkA }),
      await orders(REL_A, 'familyGet', { orderId: orderA }),
      await member(REL_A, 'familyMine', {}),
      await messages(REL_A, 'list', { family: true }),
    ]);
    for (const secret of ['孙伟', '13800000022', '马丽', 'B 的订单', '别的社区']) expect(answers).not.toContain(secret);
  });

  it('the family inbox holds only the family’s messages, the community inbox is not theirs', async () => {
    await refused(async () => {
      expect(errorCode(await messages(REL_A, 'list', {}))).toBe('E_NOT_MEMBER');
    });
    // The elder's own community inbox never shows family messages, and the reverse.
    const elderFamily = data(await messages(ELDER_A, 'list', { family: true }));
    expect(elderFamily.items).toHaveLength(0);
  });

  it('the elder’s side: the elder and workers of her community only', async () => {
    await refused(async () => {
      // Another resident, a volunteer, the other community's worker: the link does not exist for them.
      for (const who of [ELDER_B, V1, OTHER_WORKER]) {
        expect(errorCode(await member(who, 'familyEnd', { linkId: linkA }))).toBe('E_NOT_FOUND');
        expect(errorCode(await member(who, 'familyAnswer', { linkId: linkA, confirm: false }))).toBe('E_NOT_FOUND');
      }
      // A resident lists only her own links; another elder's are a worker's business.
      expect(errorCode(await member(ELDER_B, 'familyLinks', { elderOpenid: ELDER_A }))).toBe('E_FORBIDDEN');
      expect(errorCode(await member(ELDER_B, 'familyCode', { elderOpenid: ELDER_A }))).toBe('E_FORBIDDEN');
      // The relative cannot confirm her own request: answering is the elder's side.
      expect(errorCode(await member(REL_A, 'familyAnswer', { linkId: linkA, confirm: true }))).toBe('E_NOT_MEMBER');
    });
    const mine = data(await member(ELDER_B, 'familyLinks', {}));
    expect(mine.items.map((l) => l._id)).toEqual([linkB]);
    const all = data(await member(WORKER, 'familyLinks', {}));
    expect(all.items.map((l) => l._id)).toEqual(expect.arrayContaining([linkA, linkB]));
    const others = data(await member(OTHER_WORKER, 'familyLinks', {}));
    expect(others.items).toHaveLength(0);
  });

  it('once the link ends, nothing: not the orders, not the menu, not new orders, not the messages', async () => {
    const REL = 'relative-ending';
    const link = await bind(REL, ELDER_A);
    const placed = data(
      await orders(REL, 'familyCreate', { linkId: link, serviceId: 'demo:errand', description: '买米', requestId: rid() }),
    );
    data(await member(ELDER_A, 'familyEnd', { linkId: link }));
    await refused(async () => {
      const missing = await orders(REL, 'familyGet', { orderId: 'o_no_such_order' });
      for (const orderId of [placed._id, orderA]) {
        expect(refusal(await orders(REL, 'familyGet', { orderId }))).toEqual(refusal(missing));
        expect(refusal(await orders(REL, 'familyCancel', { orderId, reason: '取消' }))).toEqual(refusal(missing));
      }
      expect(errorCode(await orders(REL, 'familyOrders', { linkId: link }))).toBe('E_NOT_FOUND');
      expect(errorCode(await orders(REL, 'familyMenu', { linkId: link }))).toBe('E_NOT_FOUND');
      expect(
        errorCode(
          await orders(REL, 'familyCreate', { linkId: link, serviceId: 'demo:errand', description: '再买', requestId: rid() }),
        ),
      ).toBe('E_NOT_FOUND');
    });
    // The elder's order moves on: the ended relative hears nothing of it.
    const heard = data(await messages(REL, 'list', { family: true })).items.length;
    data(await orders(WORKER, 'dispatch', { orderId: placed._id, volunteerOpenid: V1 }));
    data(await orders(V1, 'accept', { orderId: placed._id }));
    expect(data(await messages(REL, 'list', { family: true })).items.length).toBe(heard);
    // REL_A, still linked, heard it.
    const a = data(await messages(REL_A, 'list', { family: true }));
    expect(a.items.some((m) => m.link === `/packages/family/order/index?id=${placed._id}`)).toBe(true);
  });

  it('a relative who is a worker of another community gains nothing in the elder’s community', async () => {
    const link = await bind(OTHER_WORKER, ELDER_A);
    expect(data(await orders(OTHER_WORKER, 'familyGet', { orderId: orderA }))._id).toBe(orderA);
    await refused(async () => {
      // Their role is in 和平里社区: in 幸福里社区 the order, the board and the link's elder's
      // neighbours do not exist for them.
      expect(errorCode(await orders(OTHER_WORKER, 'get', { orderId: orderA }))).toBe('E_NOT_FOUND');
      expect(errorCode(await orders(OTHER_WORKER, 'dispatch', { orderId: orderA, volunteerOpenid: V1 }))).toBe('E_NOT_FOUND');
      expect(errorCode(await member(OTHER_WORKER, 'familyAnswer', { linkId: linkB, confirm: false }))).toBe('E_NOT_FOUND');
      expect(errorCode(await member(OTHER_WORKER, 'familyEnd', { linkId: linkB }))).toBe('E_NOT_FOUND');
    });
    const board = data(await orders(OTHER_WORKER, 'listAll', {}));
    expect(board.items.map((o) => o._id)).not.toContain(orderA);
    const members = JSON.stringify(data(await member(OTHER_WORKER, 'list', {})));
    expect(members).not.toContain('赵秀兰');
    // Their own link they may end, as any relative.
    expect(data(await member(OTHER_WORKER, 'familyEnd', { linkId: link })).status).toBe('ended');
  });

  it('an elder who erases her data takes her links with her', async () => {
    const ELDER = 'demo-resident-3';
    const REL = 'relative-of-eraser';
    const link = await bind(REL, ELDER);
    data(await member(ELDER, 'erase', {}));
    expect(errorCode(await orders(REL, 'familyOrders', { linkId: link }))).toBe('E_NOT_FOUND');
    expect(data(await member(REL, 'familyMine', {})).items).toHaveLength(0);
  });

  it('when the elder is no longer an active member, the link reaches nothing', async () => {
    const REL = 'relative-of-leaver';
    const ELDER = 'demo-resident-5';
    const link = await bind(REL, ELDER);
    data(await orders(REL, 'familyOrders', { linkId: link }));
    data(await member(WORKER, 'remove', { openid: ELDER }));
    expect(errorCode(await orders(REL, 'familyOrders', { linkId: link }))).toBe('E_NOT_FOUND');
  });
});
