// The authorization table: every orders action × resident (the order's own and another),
// volunteer (on the order and not), worker, non-member, members of the other community, and no
// identity. A refused call writes nothing (snapshot before and after).
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { OrderDetail, OrdersApi } from '../../cloudfunctions/orders/api';
import type { OrderStatus } from '../../cloudfunctions/orders/labels';
import type { ErrorCode } from '../../cloudfunctions/common/envelope';
import { startTestCloud } from '../helpers/local';
import { errorCode } from '../helpers/call';
import { WriteWatch } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';

let cloud: LocalCloud;
const WORKER = 'demo-worker';
const V1 = 'demo-volunteer-1';
const PARTY = 'demo-resident-4';

const CALLERS = {
  party: PARTY, // the resident who ordered
  resident: 'demo-resident-5', // another resident of the community
  volunteer: 'demo-volunteer-2', // on duty, not on the order
  assignee: V1, // the volunteer the order went to
  worker: WORKER,
  nonMember: 'nobody-at-all',
  otherResident: 'other-resident', // member of 和平里社区
  otherWorker: 'other-worker', // worker of 和平里社区
  anonymous: undefined,
} as const;
type Who = keyof typeof CALLERS;
type Expect = ErrorCode | 'OK';

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
});
afterAll(() => cloud.close());
/** A refused call writes nothing (every collection, by its data file; helpers/snapshot.ts). */
const watch = new WriteWatch(() => cloud.dataDir);

let seq = 0;
const rid = () => `auth-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

async function invoke(openid: string | undefined, action: keyof OrdersApi, payload: object) {
  return cloud.invoke('orders', { action, payload }, openid);
}

async function must(openid: string, action: keyof OrdersApi, payload: object): Promise<OrderDetail> {
  const res = await invoke(openid, action, payload);
  if (!res.ok) throw new Error(`${action} as ${openid}: ${res.error.code} ${res.error.message}`);
  return res.data as OrderDetail;
}

/** A new order of PARTY, brought by V1 to `state`; `rated` carries a 1-star rating (follow-up owed). */
async function orderIn(state: OrderStatus): Promise<string> {
  const { _id: orderId } = await must(PARTY, 'create', { serviceId: 'demo:repair', description: '需要帮助', requestId: rid() });
  if (state === 'pending') return orderId;
  if (state === 'open') return (await must(WORKER, 'release', { orderId }))._id;
  await must(WORKER, 'dispatch', { orderId, volunteerOpenid: V1 });
  if (state === 'dispatched') return orderId;
  await must(V1, 'accept', { orderId });
  if (state === 'accepted') return orderId;
  await must(V1, 'start', { orderId });
  if (state === 'in_service') return orderId;
  await must(V1, 'complete', { orderId, note: '完成' });
  if (state === 'completed') return orderId;
  await must(PARTY, 'rate', { orderId, stars: 1, comment: '不满意' });
  return orderId;
}

const ALL = (e: Expect, over: Partial<Record<Who, Expect>> = {}): Record<Who, Expect> => ({
  party: e,
  resident: e,
  volunteer: e,
  assignee: e,
  worker: e,
  nonMember: 'E_NOT_MEMBER',
  otherResident: e,
  otherWorker: e,
  anonymous: 'E_UNAUTHENTICATED',
  ...over,
});
const WORKER_ONLY = ALL('E_FORBIDDEN', { worker: 'OK', otherWorker: 'E_NOT_FOUND' });
/** Volunteers' steps: other roles are refused by the router; another volunteer may not see the order at all. */
const ASSIGNEE_ONLY = ALL('E_FORBIDDEN', { assignee: 'OK', volunteer: 'E_NOT_FOUND' });

interface Row {
  action: keyof OrdersApi;
  label?: string;
  /** The order the call is about (a fresh one for every successful transition). */
  state?: OrderStatus;
  payload: (orderId: string) => object;
  expect: Record<Who, Expect>;
  /** Successful calls that change nothing (reads) may share one order. */
  read?: boolean;
}

const ROWS: Row[] = [
  { action: 'menu', payload: () => ({}), expect: ALL('OK'), read: true },
  {
    action: 'create',
    payload: () => ({ serviceId: 'demo:errand', description: '代买', requestId: rid() }),
    expect: ALL('OK', { otherResident: 'E_NOT_FOUND', otherWorker: 'E_NOT_FOUND' }),
    read: true,
  },
  // 代点单 for PARTY: the party themself (that is ordering for oneself) and workers; nobody else,
  // and every refusal is the same not found (docs/members.md, "Households").
  {
    action: 'menu',
    label: 'menu for PARTY',
    payload: () => ({ forOpenid: PARTY }),
    expect: ALL('E_NOT_FOUND', { party: 'OK', worker: 'OK' }),
    read: true,
  },
  {
    action: 'create',
    label: 'create for PARTY',
    payload: () => ({ serviceId: 'demo:errand', description: '代买', requestId: rid(), forOpenid: PARTY }),
    expect: ALL('E_NOT_FOUND', { party: 'OK', worker: 'OK' }),
    read: true,
  },
  {
    action: 'get',
    label: 'get a pending order',
    state: 'pending',
    payload: (orderId) => ({ orderId }),
    expect: ALL('E_NOT_FOUND', { party: 'OK', worker: 'OK' }),
    read: true,
  },
  {
    action: 'get',
    label: 'get an order in the hall',
    state: 'open',
    payload: (orderId) => ({ orderId }),
    expect: ALL('E_NOT_FOUND', { party: 'OK', worker: 'OK', volunteer: 'OK', assignee: 'OK' }),
    read: true,
  },
  { action: 'listMine', payload: () => ({}), expect: ALL('OK'), read: true },
  { action: 'listHall', payload: () => ({}), expect: ALL('E_FORBIDDEN', { volunteer: 'OK', assignee: 'OK' }), read: true },
  { action: 'listAll', payload: () => ({}), expect: ALL('E_FORBIDDEN', { worker: 'OK', otherWorker: 'OK' }), read: true },
  { action: 'suggestVolunteers', state: 'pending', payload: (orderId) => ({ orderId }), expect: WORKER_ONLY, read: true },
  {
    action: 'volunteerRecord',
    payload: () => ({ openid: V1 }),
    expect: ALL('OK', { otherResident: 'E_NOT_FOUND', otherWorker: 'E_NOT_FOUND' }),
    read: true,
  },
  {
    action: 'setDuty',
    payload: () => ({ onDuty: true }),
    expect: ALL('E_FORBIDDEN', { volunteer: 'OK', assignee: 'OK' }),
    read: true,
  },
  {
    action: 'saveService',
    label: 'saveService (new item)',
    payload: () => ({ serviceName: '测试项目', tier: 'basic', description: '说明', price: 0, enabled: false }),
    expect: ALL('E_FORBIDDEN', { worker: 'OK', otherWorker: 'OK' }),
    read: true,
  },
  {
    action: 'saveService',
    label: 'saveService (edit a demo item)',
    payload: () => ({
      serviceId: 'demo:sanitation',
      serviceName: '环境卫生反映',
      tier: 'basic',
      description: '说明',
      price: 0,
      enabled: true,
    }),
    expect: WORKER_ONLY,
    read: true,
  },
  {
    action: 'dispatch',
    state: 'pending',
    payload: (orderId) => ({ orderId, volunteerOpenid: 'demo-volunteer-2' }),
    expect: WORKER_ONLY,
  },
  { action: 'release', state: 'pending', payload: (orderId) => ({ orderId }), expect: WORKER_ONLY },
  {
    action: 'accept',
    state: 'dispatched',
    payload: (orderId) => ({ orderId }),
    // Dispatched to V1 and never in the hall: another volunteer may not see it.
    expect: ALL('E_FORBIDDEN', { assignee: 'OK', volunteer: 'E_NOT_FOUND' }),
  },
  { action: 'decline', state: 'dispatched', payload: (orderId) => ({ orderId, reason: '没空' }), expect: ASSIGNEE_ONLY },
  { action: 'start', state: 'accepted', payload: (orderId) => ({ orderId }), expect: ASSIGNEE_ONLY },
  { action: 'complete', state: 'in_service', payload: (orderId) => ({ orderId, note: '完成' }), expect: ASSIGNEE_ONLY },
  {
    action: 'rate',
    state: 'completed',
    payload: (orderId) => ({ orderId, stars: 5 }),
    // Those who see the order but may not rate it: E_FORBIDDEN; everyone else: not found.
    expect: ALL('E_NOT_FOUND', { party: 'OK', assignee: 'E_FORBIDDEN', worker: 'E_FORBIDDEN' }),
  },
  { action: 'review', state: 'rated', payload: (orderId) => ({ orderId, result: 'pass' }), expect: WORKER_ONLY },
  { action: 'followUp', state: 'rated', payload: (orderId) => ({ orderId, result: 'satisfied' }), expect: WORKER_ONLY },
  {
    action: 'cancel',
    state: 'pending',
    payload: (orderId) => ({ orderId, reason: '不需要了' }),
    expect: ALL('E_NOT_FOUND', { party: 'OK', worker: 'OK' }),
  },
];

// Many orders and bookings by the same callers; limits are proven in limits.test.ts.
beforeEach(forgetLimits);

it('covers every action of the API', () => {
  const actions = new Set(ROWS.map((r) => r.action));
  const all: (keyof OrdersApi)[] = [
    'menu',
    'create',
    'get',
    'listMine',
    'listHall',
    'listAll',
    'suggestVolunteers',
    'dispatch',
    'release',
    'accept',
    'decline',
    'start',
    'complete',
    'rate',
    'review',
    'followUp',
    'cancel',
    'saveService',
    'setDuty',
    'volunteerRecord',
  ];
  expect([...actions].sort()).toEqual([...all].sort());
});

describe.each(ROWS.map((r) => [r.label ?? r.action, r] as const))('%s', (_label, row) => {
  let shared: string | undefined;
  beforeAll(async () => {
    if (row.state) shared = await orderIn(row.state);
  });

  for (const who of Object.keys(CALLERS) as Who[]) {
    const want = row.expect[who];
    it(`as ${who} → ${want}`, async () => {
      const openid = CALLERS[who];
      if (want === 'OK') {
        const orderId = row.state && !row.read ? await orderIn(row.state) : (shared ?? '');
        const res = await invoke(openid, row.action, row.payload(orderId));
        expect(errorCode(res)).toBe('OK');
        return;
      }
      const before = await watch.before();
      const res = await invoke(openid, row.action, row.payload(shared ?? ''));
      expect(errorCode(res)).toBe(want);
      expect(!res.ok && res.error.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await watch.written(before)).toEqual([]);
    });
  }
});

it('another community’s worker sees none of this community’s orders', async () => {
  const res = await invoke('other-worker', 'listAll', {});
  expect(
    res.ok &&
      (res.data as { items: { beneficiary: { building: string } }[] }).items.every((o) => o.beneficiary.building !== '4栋'),
  ).toBe(true);
  const mine = await invoke(PARTY, 'listMine', {});
  expect(mine.ok && (mine.data as { items: unknown[] }).items.length).toBeGreaterThan(0);
});
