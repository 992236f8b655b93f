// `--latency <ms>[,<ms>…]`: every action of every function, heavy ones included, with each SDK
// call delayed like a CloudBase round trip, against its function's timeout. The cloud runs as its own
// process (remote.ts); the bench sets its latency and runs its timer through `/observe`.
import fs from 'fs';
import path from 'path';
import type { OrderDoc } from '../../cloudfunctions/orders/model';
import { isoText, DAY_MS, HOUR_MS, startOfDay } from '../../miniprogram/shared/clock';
import { type Bench, bulkInsert, closeBench, log, openBench } from './remote';
import { request } from './http';
import { BENCH_COMMUNITY, DEFAULT_SHAPE, residentId, volunteerId, VOLUNTEER_COUNT, WORKERS } from './data';

export interface LatencyRow {
  name: string;
  timeoutS: number;
  ms: number[];
  dataCalls: number[];
  errors: string[];
}

function timeoutOf(fn: string): number {
  const file = path.join(__dirname, '../../cloudfunctions', fn, 'config.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { timeout?: number }).timeout ?? 3;
}

async function latencyRun(b: Bench, latencyMs: number, pass: number, repeat: number, timerRuns: number): Promise<LatencyRow[]> {
  await b.proc.setLatency(latencyMs);
  const rows = new Map<string, LatencyRow>();
  const record = (name: string, fn: string, ms: number, dataCalls: number, error?: string) => {
    let row = rows.get(name);
    if (!row) rows.set(name, (row = { name, timeoutS: timeoutOf(fn), ms: [], dataCalls: [], errors: [] }));
    row.ms.push(ms);
    row.dataCalls.push(dataCalls);
    if (error && row.errors.length < 3) row.errors.push(error);
  };
  /** One call over the gateway, recorded; answers the data or undefined when it failed. */
  const step = async (fn: string, action: string, payload: unknown, openid: string, name = `${fn}.${action}`) => {
    await b.proc.observe(); // forget what came before
    const res = await request(`${b.proc.url}/functions/${fn}`, 'POST', JSON.stringify({ action, payload }), {
      'x-openid': openid,
    });
    const { invocations } = await b.proc.observe();
    const answer = JSON.parse(res.text) as {
      ok: boolean;
      data?: Record<string, unknown>;
      error?: { code: string; message: string };
    };
    const inv = invocations.find((r) => r.fn === fn && r.source === 'http');
    record(name, fn, inv?.ms ?? NaN, inv?.dataCalls ?? NaN, answer.ok ? undefined : `${answer.error?.code}`);
    return answer.ok ? answer.data : undefined;
  };
  const w = WORKERS[0];
  const v = (k: number) => volunteerId((k * 3) % VOLUNTEER_COUNT); // on duty
  const tag = (k: number) => `lat${latencyMs}p${pass}r${k}`;
  const day = (d: number) => new Date(startOfDay(b.now).getTime() + d * DAY_MS);

  for (let r = 0; r < repeat; r++) {
    const k = pass * 100 + r;
    const res = (i: number) => residentId(1500 + ((k * 7 + i) % 1400));
    // member
    await step('member', 'me', {}, res(0));
    await step('member', 'list', {}, w, 'member.list (all)');
    await step('member', 'list', { building: '3栋', status: 'active' }, w, 'member.list (building)');
    const invite = await step('member', 'createInvite', { building: '2栋' }, w);
    if (invite) {
      await step('member', 'inviteInfo', { inviteCode: invite.inviteCode }, `newcomer-${tag(r)}`);
      await step('member', 'join', { inviteCode: invite.inviteCode, name: '新居民', room: '101' }, `newcomer-${tag(r)}`);
      await step('member', 'approve', { openid: `newcomer-${tag(r)}` }, w);
      await step('member', 'join', { inviteCode: invite.inviteCode, name: '新居民', room: '102' }, `stranger-${tag(r)}`);
      await step('member', 'reject', { openid: `stranger-${tag(r)}`, reason: '不是本小区住户' }, w);
    }
    await step('member', 'setTags', { openid: res(1), tags: ['高龄'] }, w);
    await step('member', 'setRoles', { openid: res(2), roles: ['resident'] }, w);
    // orders: a full loop, a release to the hall, a decline, a cancel, and the lists
    await step('orders', 'menu', {}, res(3));
    const create = (i: number) =>
      step(
        'orders',
        'create',
        {
          serviceId: `${BENCH_COMMUNITY}:errand`,
          description: `帮忙买菜（延迟压测 ${tag(r)}-${i}）`,
          requestId: `${tag(r)}-${i}`,
        },
        res(3 + i),
      );
    const o1 = await create(0);
    if (o1) {
      await step('orders', 'get', { orderId: o1._id }, w);
      await step('orders', 'suggestVolunteers', { orderId: o1._id }, w);
      await step('orders', 'dispatch', { orderId: o1._id, volunteerOpenid: v(r) }, w);
      await step('orders', 'accept', { orderId: o1._id }, v(r));
      await step('orders', 'start', { orderId: o1._id }, v(r));
      await step('orders', 'complete', { orderId: o1._id, note: '已送到家' }, v(r));
      // Two stars: a low rating always goes to follow-up (回访), so followUp below has work to do.
      await step('orders', 'rate', { orderId: o1._id, stars: 2, comment: '来得有点晚' }, res(3));
      await step('orders', 'review', { orderId: o1._id, result: 'pass' }, w);
      await step('orders', 'followUp', { orderId: o1._id, result: 'satisfied' }, w);
    }
    const o2 = await create(1);
    if (o2) {
      await step('orders', 'release', { orderId: o2._id }, w);
      await step('orders', 'listHall', {}, v(r + 1));
      await step('orders', 'accept', { orderId: o2._id }, v(r + 1), 'orders.accept (from the hall)');
    }
    const o3 = await create(2);
    if (o3) {
      await step('orders', 'dispatch', { orderId: o3._id, volunteerOpenid: v(r + 2) }, w);
      await step('orders', 'decline', { orderId: o3._id, reason: '临时有事' }, v(r + 2));
      await step('orders', 'cancel', { orderId: o3._id, reason: '不需要了' }, res(5));
    }
    await step('orders', 'listMine', {}, res(3));
    await step('orders', 'listAll', {}, w, 'orders.listAll');
    await step('orders', 'listAll', { status: 'closed' }, w, 'orders.listAll (status)');
    await step('orders', 'listAll', { light: 'red' }, w, 'orders.listAll (light)');
    await step('orders', 'listAll', { building: '5栋', status: 'closed' }, w, 'orders.listAll (building)');
    await step('orders', 'listAll', { needsFollowUp: true }, w, 'orders.listAll (follow-up)');
    await step('orders', 'setDuty', { onDuty: true }, v(r));
    await step('orders', 'volunteerRecord', { openid: v(r) }, w);
    // parking
    const spotOwner = res(10);
    const spot = await step('parking', 'registerSpot', { code: `L-${tag(r)}`.slice(0, 16), location: '地下车库 B2' }, spotOwner);
    await step('parking', 'listSpots', { status: 'pending' }, w);
    if (spot) {
      await step('parking', 'verifySpot', { spotId: spot._id }, w);
      await step(
        'parking',
        'publishWindow',
        { spotId: spot._id, weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' },
        spotOwner,
      );
      await step('parking', 'mySpots', {}, spotOwner);
      await step('parking', 'spotBookings', { spotId: spot._id }, spotOwner);
    }
    const searchDay = day(2 + (r % 5));
    await step(
      'parking',
      'search',
      {
        start: isoText(new Date(searchDay.getTime() + 14 * HOUR_MS)),
        end: isoText(new Date(searchDay.getTime() + 16 * HOUR_MS)),
      },
      res(11),
    );
    const bookDay = day(9 + ((pass * repeat + r) % 20));
    const booking = await step(
      'parking',
      'book',
      {
        spotId: b.allDaySpots[(pass * repeat + r) % b.allDaySpots.length],
        start: isoText(new Date(bookDay.getTime() + 21 * HOUR_MS)),
        end: isoText(new Date(bookDay.getTime() + 22 * HOUR_MS)),
        plate: `粤B${String(20000 + pass * repeat + r)}`,
        requestId: `${tag(r)}-book`,
      },
      res(12),
    );
    await step('parking', 'myBookings', {}, res(12));
    if (booking) await step('parking', 'cancelBooking', { bookingId: booking._id }, res(12));
    // notices
    const notice = await step(
      'notices',
      'post',
      { title: `全体居民通知 ${tag(r)}`, body: '本周六上午停水，请提前储水。', category: '通知' },
      w,
      'notices.post (whole community)',
    );
    await step('notices', 'list', {}, res(13));
    await step('notices', 'list', { box: 'sent' }, w, 'notices.list (sent)');
    if (notice) {
      for (let i = 0; i < 20; i++) await step('notices', 'get', { noticeId: notice._id }, res(20 + i), 'notices.get');
      await step('notices', 'stats', { noticeId: notice._id }, w, 'notices.stats (3 000 members)');
      await step('notices', 'remind', { noticeId: notice._id }, w, 'notices.remind (3 000 members)');
      await step('notices', 'stats', { noticeId: notice._id }, w, 'notices.stats (after remind)');
    }
    const draft = await step(
      'notices',
      'post',
      { title: `草稿 ${tag(r)}`, body: '草稿内容', category: '通知', draft: true },
      w,
      'notices.post (draft)',
    );
    if (draft) {
      await step(
        'notices',
        'update',
        { noticeId: draft._id, title: `草稿 ${tag(r)}`, body: '改过的草稿', category: '通知', draft: true },
        w,
      );
      await step('notices', 'withdraw', { noticeId: draft._id, reason: '不发了' }, w);
    }
    await step('notices', 'groups', {}, w);
    // messages
    await step('messages', 'list', {}, w);
    await step('messages', 'unreadCount', {}, w);
    await step('messages', 'grantSubscribe', { templateIds: ['local-order-progress'] }, res(3));
    await step('messages', 'subscribeTemplates', {}, res(3));
    await step('messages', 'markRead', {}, v(r), 'messages.markRead (all)');
  }

  // The largest audience: a notice to the whole 20 000-member community, its stats and the reminder.
  const hw = `${HUGE_COMMUNITY}-${WORKERS[0]}`;
  const big = await step(
    'notices',
    'post',
    { title: `大社区通知 ${latencyMs}-${pass}`, body: '请全体居民留意。', category: '通知' },
    hw,
    'notices.post (whole community)',
  );
  if (big) {
    await step('notices', 'stats', { noticeId: big._id }, hw, 'notices.stats (20 000 members)');
    const first = await step('notices', 'remind', { noticeId: big._id }, hw, 'notices.remind (20 000 members)');
    if (first) log(`    remind (20 000): sent ${first.sent} in the action, ${first.pending} left for the timer`);
  }

  // The timer on a backlog: dispatched orders whose accept step ran out (the heaviest sweep item:
  // compare-and-set, audit, the workers and the volunteer told), and the reminder above.
  const t = b.templates.dispatched!;
  const backlog: OrderDoc[] = [];
  const past = new Date(Date.now() - 3 * HOUR_MS);
  for (let i = 0; i < TIMER_BACKLOG; i++) {
    backlog.push({
      ...t,
      _id: `bo_backlog_${latencyMs}_${pass}_${i}`,
      volunteerOpenid: v(i),
      step: 'accept',
      redDue: past,
      yellowDue: null,
      createdAt: past,
      updatedAt: past,
    } as OrderDoc);
  }
  await bulkInsert(b, 'orders', backlog);
  for (let run = 0; run < timerRuns; run++) {
    await b.proc.observe();
    const t0 = performance.now();
    const out = (await b.proc.runTimer('timer')) as {
      data: { orders: { more: boolean; returned: number }; notices: { running: number; sent: number } };
    };
    const ms = performance.now() - t0;
    record('timer (sweep run)', 'timer', ms, (await b.proc.observe()).dataCalls.length);
    log(
      `    timer run ${run + 1}: orders returned ${out.data.orders.returned} (more: ${out.data.orders.more}), reminders sent ${out.data.notices.sent}, running ${out.data.notices.running}`,
    );
    if (!out.data.orders.more && out.data.notices.running === 0) break;
  }
  return [...rows.values()];
}

const HUGE_COMMUNITY = 'huge';
/** More than one timer run takes (5 pages of 100 per kind), so the carry-over shows. */
const TIMER_BACKLOG = 700;

/**
 * Opens a cloud with the bench community at `orders` orders and a 20 000-member community, warms
 * it up without latency, then runs every action twice per latency (and the timer on a backlog).
 */
export async function latencyBench(latencies: number[], orders: number, keepDir?: string): Promise<Record<number, LatencyRow[]>> {
  log(
    `latency bench: ${latencies.join(', ')} ms per SDK call; bench community with ${orders} orders, plus a 20 000-member community`,
  );
  const b = await openBench(
    { ...DEFAULT_SHAPE, orders },
    {
      keepDir,
      key: `latency-${orders}`,
      extra: (builder) => builder.community(HUGE_COMMUNITY, '大型社区（压测）', 100, 20_000, 60, 3),
    },
  );
  const results: Record<number, LatencyRow[]> = {};
  try {
    // JIT warm-up without latency.
    await latencyRun(b, 0, 0, 1, 0);
    for (const [i, l] of latencies.entries()) {
      log(`latency ${l} ms…`);
      results[l] = await latencyRun(b, l, i + 1, 2, 2);
    }
  } finally {
    await closeBench(b);
  }
  return results;
}
