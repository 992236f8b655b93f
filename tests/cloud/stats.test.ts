// Statistics (统计, docs/console.md): the monthly counters of the order loop move once per
// transition — also when callers race and when the timer closes an order — and `stats.community`
// answers them with the property grades, votes, ledger statements and notice read rates of the
// caller's community only, in a constant number of indexed reads whatever the number of orders.
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import { collection, findById } from '../../cloudfunctions/common/db';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { StatsApi } from '../../cloudfunctions/stats/api';
import {
  ORDER_STATS,
  VOLUNTEER_BOARDS,
  countOrder,
  orderStatsId,
  volunteerBoardId,
  type OrderStatsDoc,
  type VolunteerBoardDoc,
} from '../../cloudfunctions/orders/counters';
import type { OrderDoc } from '../../cloudfunctions/orders/model';
import { caller, data, errorCode, runTimer } from '../helpers/call';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { forgetLimits } from '../helpers/limits';

const W = 'demo-worker';
const V1 = 'demo-volunteer-1';
const R2 = 'demo-resident-2';
const MIN = 60_000;

let cloud: LocalCloud;
let orders: ReturnType<typeof caller<OrdersApi>>;
let stats: ReturnType<typeof caller<StatsApi>>;
let member: ReturnType<typeof caller<MemberApi>>;
const calls: DataCallRecord[] = [];
let seq = 0;
const rid = () => `stats-req-${String(++seq).padStart(4, '0')}`;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-03-10T10:00:00+08:00');
  cloud = await startTestCloud({ observe: { dataCall: (r) => calls.push(r) } });
  await seedIfEmpty(cloud, new Date());
  orders = caller<OrdersApi>(cloud, 'orders');
  stats = caller<StatsApi>(cloud, 'stats');
  member = caller<MemberApi>(cloud, 'member');
});
afterAll(async () => {
  jest.useRealTimers();
  await cloud.close();
});
beforeEach(forgetLimits);

const month = (communityId: string, m: string) => findById<OrderStatsDoc>(ORDER_STATS, orderStatsId(communityId, m));
const board = (m: string) => findById<VolunteerBoardDoc>(VOLUNTEER_BOARDS, volunteerBoardId('demo', m));
/** A volunteer's entry on the month's board. */
const volunteerMonth = async (m: string, openid = V1) => (await board(m))?.volunteers[openid];

/** What `step` adds to the month's counters (absent = 0). */
async function delta(m: string, step: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = (await month('demo', m)) ?? ({} as Partial<OrderStatsDoc>);
  await step();
  const after = (await month('demo', m))!;
  const out: Record<string, number> = {};
  for (const k of ['created', 'closed', 'cancelled', 'closedOnTime', 'servedMinutes'] as const) {
    const d = (after[k] ?? 0) - (before[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  for (const t of ['basic', 'value_added', 'discounted'] as const)
    for (const k of ['created', 'closed', 'cancelled'] as const) {
      const d = (after.tiers?.[t]?.[k] ?? 0) - (before.tiers?.[t]?.[k] ?? 0);
      if (d !== 0) out[`${t}.${k}`] = d;
    }
  return out;
}

const create = async (who = R2, code = 'repair') =>
  data(await orders(who, 'create', { serviceId: `demo:${code}`, description: '统计用订单', requestId: rid() }));

/** An order taken to `completed` by V1, served for `serveMinutes` (the clock moves on meanwhile). */
async function completed(serveMinutes: number): Promise<string> {
  const o = await create();
  data(await orders(W, 'dispatch', { orderId: o._id, volunteerOpenid: V1 }));
  data(await orders(V1, 'accept', { orderId: o._id }));
  data(await orders(V1, 'start', { orderId: o._id }));
  jest.setSystemTime(Date.now() + serveMinutes * MIN);
  data(await orders(V1, 'complete', { orderId: o._id, note: '已完成' }));
  return o._id;
}

describe('the counters', () => {
  it('the seed writes the counters its orders imply', async () => {
    const m = (await month('demo', '2031-03'))!;
    // Nine demo orders placed within three days; one closed (served 30 minutes by V1), one cancelled.
    expect(m).toMatchObject({ created: 9, closed: 1, cancelled: 1, closedOnTime: 1, servedMinutes: 30 });
    expect(await volunteerMonth('2031-03')).toMatchObject({ minutes: 30, orders: 1 });
  });

  it('create, close on review and cancel each count once, in their month and tier', async () => {
    let id = '';
    expect(await delta('2031-03', async () => void (id = (await create())._id))).toEqual({ created: 1, 'basic.created': 1 });
    data(await orders(R2, 'cancel', { orderId: id, reason: '不需要了' }));
    expect((await month('demo', '2031-03'))!.cancelled).toBe(2);

    const vBefore = (await volunteerMonth('2031-03'))!;
    const done = await completed(90);
    data(await orders(R2, 'rate', { orderId: done, stars: 5 }));
    const closing = await delta('2031-03', async () => data(await orders(W, 'review', { orderId: done, result: 'pass' })));
    expect(closing).toEqual({ closed: 1, closedOnTime: 1, servedMinutes: 90, 'basic.closed': 1 });
    expect(await volunteerMonth('2031-03')).toMatchObject({ minutes: vBefore.minutes + 90, orders: vBefore.orders + 1 });
  });

  it('a serve step past its limit closes late: closed counts, closedOnTime does not', async () => {
    const done = await completed(25 * 60); // the serve limit is 24 h
    data(await orders(R2, 'rate', { orderId: done, stars: 4 }));
    const closing = await delta('2031-03', async () => data(await orders(W, 'review', { orderId: done, result: 'pass' })));
    expect(closing).toEqual({ closed: 1, servedMinutes: 25 * 60, 'basic.closed': 1 });
  });

  it('10 workers closing, 10 callers cancelling at once: each order counts exactly once', async () => {
    const done = await completed(60);
    data(await orders(R2, 'rate', { orderId: done, stars: 5 }));
    const closing = await delta('2031-03', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => orders(W, 'review', { orderId: done, result: 'pass' })));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    });
    expect(closing).toEqual({ closed: 1, closedOnTime: 1, servedMinutes: 60, 'basic.closed': 1 });

    const o = await create();
    const cancelling = await delta('2031-03', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => orders(i % 2 ? W : R2, 'cancel', { orderId: o._id, reason: '重复下单' })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    });
    expect(cancelling).toEqual({ cancelled: 1, 'basic.cancelled': 1 });
  });

  it('a leaving resident’s waiting orders are cancelled and counted once each', async () => {
    const leaver = 'stats-leaver';
    data(await member(leaver, 'join', { inviteCode: DEMO_INVITES.autoApprove, name: '离开的居民', room: '808' }));
    await create(leaver, 'errand');
    await create(leaver, 'haircut');
    const leaving = await delta('2031-03', async () => data(await member(leaver, 'leave', {})));
    expect(leaving).toEqual({ cancelled: 2, 'basic.cancelled': 2 });
  });

  it('the first order of a month, placed by 10 callers at once, creates one counter document that counts all', async () => {
    at('2031-05-02T09:00:00+08:00');
    await Promise.all(Array.from({ length: 10 }, (_, i) => create(`demo-resident-${(i % 5) + 1}`, 'errand')));
    expect(await month('demo', '2031-05')).toMatchObject({ created: 10, tiers: { basic: { created: 10 } } });
  });

  it('the timer’s auto-close counts in the month it closes; running it again counts nothing', async () => {
    at('2031-05-28T10:00:00+08:00');
    await runTimer(cloud); // the seed's completed order, unrated since March, closes now (in May)
    const done = await completed(45);
    const created = (await month('demo', '2031-05'))!.created;
    at('2031-06-05T10:00:00+08:00'); // 7 days after completion: closes itself
    const closing = await delta('2031-06', async () => expect((await runTimer(cloud)).orders.closed).toBe(1));
    expect(closing).toEqual({ closed: 1, closedOnTime: 1, servedMinutes: 45, 'basic.closed': 1 });
    expect((await month('demo', '2031-05'))!.created).toBe(created);
    expect(await volunteerMonth('2031-06')).toMatchObject({ minutes: 45, orders: 1 });
    const again = await delta('2031-06', async () => expect((await runTimer(cloud)).orders.closed).toBe(0));
    expect(again).toEqual({});
    expect((await findById<OrderDoc>('orders', done))!.status).toBe('closed');
  });
});

describe('stats.community', () => {
  beforeAll(async () => {
    at('2031-06-10T10:00:00+08:00');
    // Per-month documents of the other domains, as their functions write them; the other
    // community's too, which must never show.
    for (const c of ['demo', 'heping']) {
      const mark = c === 'demo' ? 1 : 100;
      await collection('property_grades').add({
        _id: `${c}:2031-04`,
        communityId: c,
        month: '2031-04',
        score: 4.2 * (c === 'demo' ? 1 : 0.5),
        stars: 4,
        light: 'green',
        ratingCount: 12 * mark,
        onTimeRate: 0.9,
        complaintRate: 0.05,
        reworkRate: 0.02,
      });
      await collection('ledger_periods').add({
        _id: `${c}:2031-04`,
        communityId: c,
        month: '2031-04',
        opening: 100_00 * mark,
        income: 500_00 * mark,
        expense: 300_00 * mark,
        closing: 300_00 * mark,
        ratingCount: 2,
        ratingSum: 9,
      });
      await collection('votes').add({
        _id: `${c}-vote-stats`,
        communityId: c,
        title: c === 'demo' ? '加装电梯' : '他社区表决',
        status: 'closed',
        opensAt: new Date('2031-04-01T00:00:00+08:00'),
        closesAt: new Date('2031-04-15T20:00:00+08:00'),
        result: {
          eligible: { owners: 30, area: 3000_00 },
          participated: { owners: 24, area: 2500_00 },
          yes: { owners: 20, area: 2100_00 },
          no: { owners: 4, area: 400_00 },
          abstain: { owners: 0, area: 0 },
          quorumMet: true,
          passed: true,
        },
      });
      await collection('notice_tallies').add({
        _id: `${c}-notice-stats`,
        communityId: c,
        noticeId: `${c}-notice-stats`,
        audienceAt: new Date('2031-05-03T09:00:00+08:00'),
        buildings: {
          b1: { building: '1栋', pos: 0, members: 10, households: 8 * mark, read: 6, readHouseholds: 6 },
          b2: { building: '2栋', pos: 1, members: 4, households: 2, read: 0, readHouseholds: 0 },
        },
      });
    }
  });

  it('answers the months of the range with every figure, of the caller’s community only', async () => {
    const s = data(await stats(W, 'community', { fromMonth: '2031-01', toMonth: '2031-06' }));
    expect(s.months).toEqual(['2031-01', '2031-02', '2031-03', '2031-04', '2031-05', '2031-06']);
    const march = (await month('demo', '2031-03'))!;
    expect(s.orders.find((m) => m.month === '2031-03')).toMatchObject({
      created: march.created,
      closed: march.closed,
      cancelled: march.cancelled,
      closedOnTime: march.closedOnTime,
      servedMinutes: march.servedMinutes,
    });
    expect(s.orders.find((m) => m.month === '2031-01')).toMatchObject({ created: 0, closed: 0, onTimeRate: null });
    expect(s.totals.created).toBe(s.orders.reduce((n, m) => n + m.created, 0));
    expect(s.topVolunteers[0]).toMatchObject({ rank: 1, name: '张建国', building: '1栋' });
    expect(s.topVolunteers[0].minutes).toBe(
      (await volunteerMonth('2031-03'))!.minutes + (await volunteerMonth('2031-06'))!.minutes,
    );
    expect(s.property).toEqual([expect.objectContaining({ month: '2031-04', score: 4.2, ratingCount: 12 })]);
    expect(s.ledger).toEqual([
      { month: '2031-04', opening: 100_00, income: 500_00, expense: 300_00, closing: 300_00, ratingCount: 2, rating: 4.5 },
    ]);
    expect(s.votes).toMatchObject({ held: 1, passed: 1, averageTurnout: 0.8, truncated: false });
    expect(s.votes.items).toEqual([expect.objectContaining({ title: '加装电梯', closedOn: '2031-04-15', turnout: 0.8 })]);
    expect(s.notices.items).toEqual([{ month: '2031-05', notices: 1, households: 10, readHouseholds: 6, readRate: 0.6 }]);
    expect(JSON.stringify(s)).not.toMatch(/他社区|heping/);

    const other = data(await stats('other-worker', 'community', { fromMonth: '2031-01', toMonth: '2031-06' }));
    expect(other.votes.items.map((v) => v.title)).toEqual(['他社区表决']);
    expect(other.orders.every((m) => m.created === 0)).toBe(true);
    expect(other.topVolunteers).toEqual([]);
  });

  it('workers only; a range of at most 24 months, not backwards', async () => {
    expect(errorCode(await stats(V1, 'community', { fromMonth: '2031-01', toMonth: '2031-06' }))).toBe('E_FORBIDDEN');
    expect(errorCode(await stats(R2, 'community', { fromMonth: '2031-01', toMonth: '2031-06' }))).toBe('E_FORBIDDEN');
    expect(errorCode(await stats('stranger', 'community', { fromMonth: '2031-01', toMonth: '2031-06' }))).toBe('E_NOT_MEMBER');
    const long = await stats(W, 'community', { fromMonth: '2029-01', toMonth: '2031-01' });
    expect(!long.ok && long.error).toMatchObject({ code: 'E_VALIDATION', message: expect.stringContaining('24 个月') });
    expect(errorCode(await stats(W, 'community', { fromMonth: '2031-06', toMonth: '2031-01' }))).toBe('E_VALIDATION');
    expect(errorCode(await stats(W, 'community', { fromMonth: '2031-13', toMonth: '2031-01' }))).toBe('E_VALIDATION');
    expect(data(await stats(W, 'community', { fromMonth: '2029-07', toMonth: '2031-06' })).months).toHaveLength(24);
  });

  it('reads the same, by index walks, with 3000 more orders in the history', async () => {
    const range = { fromMonth: '2030-07', toMonth: '2031-06' };
    const reads = async () => {
      calls.length = 0;
      data(await stats(W, 'community', range));
      expect(calls.filter((c) => c.read?.plan === 'scan').map((c) => c.collection)).toEqual([]);
      return calls.map((c) => `${c.action} ${c.collection ?? ''}`).sort();
    };
    const before = await reads();
    const template = (await findById<OrderDoc>('orders', 'demo-order-closed'))!;
    const { _id, ...rest } = template;
    void _id;
    const docs = Array.from({ length: 3000 }, (_, i) => ({
      ...rest,
      _id: `stats-history-${i}`,
      createdAt: new Date(Date.now() - (i + 1) * 2 * 3_600_000),
      closedAt: new Date(Date.now() - (i + 1) * 2 * 3_600_000 + 3_600_000),
    }));
    for (let i = 0; i < docs.length; i += 500) await collection('orders').add(docs.slice(i, i + 500));
    const after = await reads();
    expect(after).toEqual(before);
    expect(calls.some((c) => c.collection === 'orders')).toBe(false);
    // The walks look at a bounded number of documents: the months and the caps, not the orders.
    const examined = calls.reduce((n, c) => n + (c.read?.examined ?? 0), 0);
    expect(examined).toBeLessThan(200);
  }, 180_000); // inserting the history takes a while on a busy machine
});

describe('the volunteer boards', () => {
  it('closes of different volunteers’ orders at once, in a new month: one board, exact totals, read in one call', async () => {
    at('2031-08-03T09:00:00+08:00');
    const vols = Array.from({ length: 8 }, (_, i) => `stats-board-v${i + 1}`);
    for (const [i, v] of vols.entries()) {
      data(await member(v, 'join', { inviteCode: DEMO_INVITES.autoApprove, name: `统计志愿者${i + 1}`, room: `90${i + 1}` }));
      data(await member(W, 'setRoles', { openid: v, roles: ['volunteer'] }));
      data(await orders(v, 'setDuty', { onDuty: true }));
    }
    await forgetLimits();
    // Volunteer i serves one order for (i + 1) × 10 minutes; the first serves a second one, 5 minutes.
    const rated: string[] = [];
    const serve = async (v: string, minutes: number, resident: string) => {
      const o = await create(resident);
      data(await orders(W, 'dispatch', { orderId: o._id, volunteerOpenid: v }));
      data(await orders(v, 'accept', { orderId: o._id }));
      data(await orders(v, 'start', { orderId: o._id }));
      jest.setSystemTime(Date.now() + minutes * MIN);
      data(await orders(v, 'complete', { orderId: o._id, note: '已完成' }));
      data(await orders(resident, 'rate', { orderId: o._id, stars: 5 }));
      rated.push(o._id);
    };
    for (const [i, v] of vols.entries()) await serve(v, (i + 1) * 10, `demo-resident-${(i % 5) + 1}`);
    await serve(vols[0], 5, 'demo-resident-2');
    expect(await board('2031-08')).toBeNull();

    const results = await Promise.all(rated.map((orderId) => orders(W, 'review', { orderId, result: 'pass' })));
    expect(results.filter((r) => r.ok)).toHaveLength(rated.length);
    const expected = Object.fromEntries(
      vols.map((v, i) => [v, i === 0 ? { minutes: 15, orders: 2 } : { minutes: (i + 1) * 10, orders: 1 }]),
    );
    expect((await board('2031-08'))!.volunteers).toEqual(expected);
    expect(await month('demo', '2031-08')).toMatchObject({ closed: 9, servedMinutes: 365 });

    calls.length = 0;
    const s = data(await stats(W, 'community', { fromMonth: '2031-08', toMonth: '2031-08' }));
    expect(calls.filter((c) => c.collection === VOLUNTEER_BOARDS)).toHaveLength(1);
    expect(s.topVolunteers.map((t) => [t.rank, t.name, t.minutes, t.orders])).toEqual(
      [...vols.keys()]
        .reverse()
        .map((i, rank) => [rank + 1, `统计志愿者${i + 1}`, expected[vols[i]].minutes, expected[vols[i]].orders]),
    );
  }, 120_000);

  it('the counter itself, 12 volunteers’ closes at once on a board not there yet: every one counts', async () => {
    // Straight to countOrder, so that every first update finds no board and every caller tries
    // the insert (through the functions the closes arrive staggered by their other writes).
    const template = (await findById<OrderDoc>('orders', 'demo-order-closed'))!;
    const vols = Array.from({ length: 12 }, (_, i) => `stats-race-v${i + 1}`);
    const closing = (v: string, i: number): OrderDoc => ({
      ...template,
      volunteerOpenid: v,
      servedBy: undefined,
      timeline: [
        { ...template.timeline[0], action: 'start', at: new Date('2031-09-01T09:00:00+08:00') },
        { ...template.timeline[0], action: 'complete', at: new Date(Date.parse('2031-09-01T09:00:00+08:00') + (i + 1) * MIN) },
      ],
    });
    const now = new Date('2031-09-02T10:00:00+08:00');
    await Promise.all([...vols, ...vols].map((v, i) => countOrder('closed', closing(v, i % vols.length), now)));
    expect((await board('2031-09'))!.volunteers).toEqual(
      Object.fromEntries(vols.map((v, i) => [v, { minutes: 2 * (i + 1), orders: 2 }])),
    );
    expect(await month('demo', '2031-09')).toMatchObject({ closed: 24, servedMinutes: 2 * 78 });
  });

  it('500 volunteers over 12 months (6 000 entries): still one board read, the right ten', async () => {
    const months = Array.from({ length: 12 }, (_, i) => `2029-${String(i + 1).padStart(2, '0')}`);
    // Volunteer i serves i minutes and one order each month; the ten highest are 499 … 490.
    const volunteers = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`stats-many-${i}`, { minutes: i, orders: 1 }]));
    await collection(VOLUNTEER_BOARDS).add(
      months.map((m) => ({ _id: volunteerBoardId('demo', m), communityId: 'demo', month: m, volunteers, updatedAt: new Date() })),
    );
    calls.length = 0;
    const s = data(await stats(W, 'community', { fromMonth: '2029-01', toMonth: '2029-12' }));
    expect(calls.filter((c) => c.collection === VOLUNTEER_BOARDS)).toHaveLength(1);
    expect(s.topVolunteers.map((t) => [t.rank, t.minutes, t.orders])).toEqual(
      Array.from({ length: 10 }, (_, r) => [r + 1, (499 - r) * 12, 12]),
    );
  });

  it('the top volunteers of a year: one board read, and the same as the sum of the months', async () => {
    calls.length = 0;
    const s = data(await stats(W, 'community', { fromMonth: '2030-09', toMonth: '2031-08' }));
    expect(calls.filter((c) => c.collection === VOLUNTEER_BOARDS)).toHaveLength(1);
    const sums = new Map<string, number>();
    for (const m of s.months)
      for (const [openid, e] of Object.entries((await board(m))?.volunteers ?? {}))
        sums.set(openid, (sums.get(openid) ?? 0) + e.minutes);
    expect(s.topVolunteers.map((t) => t.minutes)).toEqual([...sums.values()].sort((a, b) => b - a).slice(0, 10));
  });
});
