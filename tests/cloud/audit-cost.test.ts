// What the audit log costs (docs/audit.md): an audited action adds one data call (one add), a read
// none; a sweep step writes one add for all it changed; member.auditLog reads a page off an index
// walk — whatever the filter — in three round trips after the router's two.
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { collection } from '../../cloudfunctions/common/db';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import { caller, data, runTimer } from '../helpers/call';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';

// nedb's matcher, which the ordered indexes call once per document they look at.
const model = jest.requireActual<{ match(doc: unknown, query: unknown): boolean }>('@seald-io/nedb/lib/model.js');

const W = 'demo-worker';
const R2 = 'demo-resident-2';
let cloud: LocalCloud;
const calls: DataCallRecord[] = [];
let orders: ReturnType<typeof caller<OrdersApi>>;
let member: ReturnType<typeof caller<MemberApi>>;
let seq = 0;

/** The data calls one step makes, as `action:collection`. */
async function callsOf(step: () => Promise<unknown>): Promise<string[]> {
  calls.length = 0;
  await step();
  return calls.map((c) => `${c.action.replace('database.', '')}:${c.collection ?? ''}`);
}
const auditWrites = (list: string[]) => list.filter((c) => c === 'insertDocument:audit').length;
const create = async (who = R2) =>
  data(await orders(who, 'create', { serviceId: 'demo:repair', description: '灯不亮', requestId: `cost-req-${++seq}` }))._id;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-06-02T08:00:00+08:00');
  cloud = await startTestCloud({ observe: { dataCall: (r) => calls.push(r) } });
  await seedIfEmpty(cloud, new Date());
  orders = caller<OrdersApi>(cloud, 'orders');
  member = caller<MemberApi>(cloud, 'member');
}, 60_000);
afterAll(async () => {
  jest.useRealTimers();
  await cloud.close();
});

it("a resident's audited action adds one data call; a read adds none", async () => {
  let id = '';
  const made = await callsOf(async () => (id = await create()));
  expect(auditWrites(made)).toBe(1);
  const read = await callsOf(() => orders(R2, 'get', { orderId: id }));
  expect(auditWrites(read)).toBe(0);
  const cancel = await callsOf(() => orders(R2, 'cancel', { orderId: id, reason: '不需要了' }));
  expect(auditWrites(cancel)).toBe(1);
});

it('a sweep step writes all it changed in one add', async () => {
  const ids = [await create(), await create(), await create()];
  for (const orderId of ids) data(await orders(W, 'dispatch', { orderId, volunteerOpenid: 'demo-volunteer-1' }));
  at('2031-06-03T08:00:00+08:00'); // every accept step has run out: all three go back
  const run = await callsOf(() => runTimer(cloud));
  const inserts = calls.filter((c) => c.action === 'database.insertDocument' && c.collection === 'audit');
  expect(inserts).toHaveLength(auditWrites(run));
  // One add per step that changed something; the returned orders are all in one of them.
  const returned = inserts.find((c) => JSON.stringify(c.body).includes('timer.returnOrder'))!;
  const docs = (returned.body as { data: unknown[] }).data;
  expect(docs.length).toBeGreaterThanOrEqual(3);
  for (const id of ids) expect(JSON.stringify(docs)).toContain(id);
  const stored = await collection('audit').where({ what: 'timer.returnOrder' }).limit(100).get();
  expect(stored.data.length).toBe(docs.length);
});

it('member.auditLog: three data calls after the router, whatever the filter', async () => {
  const page = await callsOf(() => member(W, 'auditLog', {}));
  expect(page.slice(0, 2)).toEqual(['getDocument:users', 'getDocument:members']);
  expect(page[2]).toBe('getDocument:audit');
  // Names, and the titles of each kind of object on the page, read at once.
  expect(page.length).toBeLessThanOrEqual(2 + 1 + 1 + 5);
});

it('serves every filter from an index walk, not a scan (3 000 entries of one community)', async () => {
  const t0 = new Date('2031-06-01T00:00:00+08:00').getTime();
  const bulk = Array.from({ length: 3000 }, (_, i) => ({
    communityId: 'demo',
    // One in a hundred by a rare actor on a rare object: a walk of the wrong index would look at
    // the common ones too.
    actor: i % 100 === 0 ? 'bulk-rare' : 'bulk-common',
    what: 'orders.dispatch',
    target: i % 100 === 0 || i % 100 === 50 ? 'order:bulk-rare' : `order:bulk-${i % 7}`,
    before: { status: 'pending' },
    after: { status: 'dispatched' },
    at: new Date(t0 + i * 5 * 60_000), // ten days and more
  }));
  // One add of many documents: one data call, as the sweeps use it.
  const added = await callsOf(() => collection('audit').add(bulk));
  expect(added).toEqual(['insertDocument:audit']);
  expect(await collection('audit').where({ actor: 'bulk-rare' }).count()).toMatchObject({ total: 30 });

  const match = jest.spyOn(model, 'match');
  try {
    for (const filter of [
      {},
      { actor: 'bulk-rare' },
      { target: 'order:bulk-rare' },
      { day: '2031-06-05' },
      { actor: 'bulk-rare', day: '2031-06-05' },
      { target: 'order:bulk-rare', day: '2031-06-05' },
      { actor: 'bulk-common', target: 'order:bulk-rare' },
      { actor: 'bulk-common', target: 'order:bulk-rare', day: '2031-06-05' },
      { page: 3 },
    ] as MemberApi['auditLog']['input'][]) {
      match.mockClear();
      const res = data(await member(W, 'auditLog', filter));
      expect(res.items.length).toBeGreaterThan(0);
      // A page of 21 (plus the skipped pages) and the lookups; a scan would look at 3 000.
      expect([filter, match.mock.calls.length < 300]).toEqual([filter, true]);
    }
  } finally {
    match.mockRestore();
  }
});
