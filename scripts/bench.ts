// `npm run bench` — how fast the functions answer on the local cloud with a realistic community.
//
// 1. Builds the data set (scripts/bench/data.ts) and writes it straight into a temporary data
//    dir, then starts the local cloud on it (its `observe` hook reports every invocation and
//    every data-API call).
// 2. For each action: p50/p95/p99 of the server time (inside the function host, over the HTTP
//    gateway), the data-API calls it makes, the time those calls took inside the data API (the
//    bare store cost), the same read calls replayed straight on the data API (what the SDK would
//    cost without our code), and throughput with 1, 8 and 32 concurrent callers.
// 3. Scaling: the p95 of the list actions with 2 000, 20 000 and 100 000 orders in the community.
//
// Prints tables and writes bench/results.json. `--quick` for a short run (fewer samples, no
// 100 000 point); `--scaling-only` for the scaling part alone; `--out <file>` to write elsewhere.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startLocalCloud, type DataCallRecord, type InvocationRecord, type LocalCloud } from '../local/cloud';
import { stringifyEjson } from '../local/ejson';
import type { OrderDoc } from '../cloudfunctions/orders/model';
import type { NoticeDoc } from '../cloudfunctions/notices/model';
import { isoText, DAY_MS, HOUR_MS, startOfDay } from '../miniprogram/shared/clock';
import {
  BENCH_COMMUNITY,
  Builder,
  type Community,
  DEFAULT_SHAPE,
  residentId,
  volunteerId,
  VOLUNTEER_COUNT,
  WORKERS,
  writeDataFiles,
  type Shape,
} from './bench/data';
import { runConcurrent, summarise, table, type Summary } from './bench/measure';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const SCALING_ONLY = args.includes('--scaling-only');
const OUT = path.resolve(
  args.includes('--out') ? args[args.indexOf('--out') + 1] : path.join(__dirname, '../bench/results.json'),
);

/** `--latency 20,50`: the latency mode (every action against its timeout); `--orders N` its size (default 100 000). */
const LATENCIES = args.includes('--latency') ? args[args.indexOf('--latency') + 1].split(',').map((x) => Number(x)) : undefined;
const LATENCY_ORDERS = args.includes('--orders') ? Number(args[args.indexOf('--orders') + 1]) : 100_000;
const SAMPLES = QUICK ? 40 : 200; // sequential samples per action
const THROUGHPUT_CALLS = QUICK ? 48 : 160; // calls per concurrency level
const CONCURRENCY = [1, 8, 32];
const WARMUP = QUICK ? 5 : 15;
const SCALE_POINTS = QUICK ? [2_000, 20_000] : [2_000, 20_000, 100_000];
const SCALE_SAMPLES = QUICK ? 30 : 100;
const REPLAYS = QUICK ? 20 : 60;

const log = (line: string) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// A cloud with the data loaded, and the way to call it.

interface Bench {
  builder: Builder;
  community: Community;
  cloud: LocalCloud;
  dataDir: string;
  now: Date;
  loadMs: number;
  counts: Record<string, number>;
  orderIds: string[];
  dispatchedTemplate: OrderDoc;
  feedNotices: string[];
  allDaySpots: string[];
  /** Records of the observe hook since the last reset. */
  invocations: InvocationRecord[];
  dataCalls: DataCallRecord[];
}

async function openBench(shape: Shape, extra?: (builder: Builder) => void): Promise<Bench> {
  const now = new Date();
  const t0 = performance.now();
  const builder = new Builder(now);
  const { bench: community, allDaySpots } = builder.build(shape);
  extra?.(builder);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cloud-'));
  const written = writeDataFiles(dataDir, builder.out);
  const t1 = performance.now();
  const invocations: InvocationRecord[] = [];
  const dataCalls: DataCallRecord[] = [];
  const cloud = await startLocalCloud({
    dataDir,
    port: 0,
    observe: { invocation: (r) => invocations.push(r), dataCall: (r) => dataCalls.push(r) },
  });
  const t2 = performance.now();
  const orders = (builder.out.get('orders') ?? []) as OrderDoc[];
  const benchOrders = orders.filter((o) => o.communityId === BENCH_COMMUNITY);
  const notices = (builder.out.get('notices') ?? []) as NoticeDoc[];
  const counts = Object.fromEntries([...builder.out].map(([k, v]) => [k, v.length]));
  const dispatchedTemplate = benchOrders.find((o) => o.status === 'dispatched')!;
  log(
    `  ${written} documents (${benchOrders.length} orders in the bench community): built and written in ${ms(t1 - t0)}, ` +
      `cloud opened (indexes built) in ${ms(t2 - t1)}`,
  );
  // The cloud has its own copies now: keep the heap (and GC pauses) to what the cloud needs.
  const feedNotices = notices
    .filter(
      (n) =>
        n.communityId === BENCH_COMMUNITY &&
        n.status === 'published' &&
        n.audience.includes('*') &&
        n.publishAt! <= now &&
        n.visibleUntil > now,
    )
    .map((n) => n._id);
  builder.out.clear();
  return {
    builder,
    community,
    cloud,
    dataDir,
    now,
    loadMs: t2 - t0,
    counts,
    orderIds: benchOrders.map((o) => o._id),
    dispatchedTemplate,
    feedNotices,
    allDaySpots,
    invocations,
    dataCalls,
  };
}

async function closeBench(b: Bench): Promise<void> {
  await b.cloud.close();
  fs.rmSync(b.dataDir, { recursive: true, force: true });
}

/** Adds `count` older orders (and what they wrote: messages, points) through the data API's bulk insert. */
async function grow(b: Bench, count: number): Promise<void> {
  const t0 = performance.now();
  const docs = b.builder.collect(() => b.builder.history(b.community, count));
  let n = 0;
  for (const [collection, list] of docs) {
    await bulkInsert(b, collection, list);
    n += list.length;
  }
  const orders = (docs.get('orders') ?? []) as OrderDoc[];
  b.orderIds.push(...orders.map((o) => o._id));
  b.counts = Object.fromEntries(Object.entries(b.counts).map(([k, v]) => [k, v + (docs.get(k)?.length ?? 0)]));
  log(`  +${count} orders (${n} documents) bulk-inserted in ${ms(performance.now() - t0)}`);
}

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);

/**
 * fetch, once more when the connection was reset before an answer: the bench and the local cloud
 * share one event loop, and after a long synchronous stretch (a bulk load, a big sweep) the server
 * may close an idle keep-alive socket just as the client reuses it. The request never reached a
 * handler then, so sending it again is safe.
 */
async function post(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code !== 'ECONNRESET' && code !== 'EPIPE' && code !== 'UND_ERR_SOCKET') throw err;
    return fetch(url, init);
  }
}

/** Calls a function over the gateway, as the mini-program's local mode does; throws unless ok. */
async function call(b: Bench, fn: string, action: string, payload: unknown, openid: string): Promise<unknown> {
  const res = await post(`${b.cloud.url}/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-openid': openid },
    body: JSON.stringify({ action, payload }),
  });
  const answer = (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string } };
  if (!answer.ok) throw new Error(`${fn}.${action} as ${openid}: ${answer.error?.code} ${answer.error?.message}`);
  return answer.data;
}

/** Inserts documents in one data-API call (the bulk path of the local cloud). */
async function bulkInsert(b: Bench, collection: string, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const res = await post(`${b.cloud.url}/tcb`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        action: 'database.insertDocument',
        collectionName: collection,
        data: docs.slice(i, i + 500).map(stringifyEjson),
      }),
    });
    const answer = (await res.json()) as { code?: string; message?: string };
    if (answer.code) throw new Error(`bulk insert into ${collection}: ${answer.code} ${answer.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The actions measured: who calls, with what (call i of the run).

interface ActionSpec {
  name: string;
  fn: string;
  action: string;
  /** Writes: every call needs fresh input (the run index i is unique over the whole bench). */
  writes?: boolean;
  /** Only in the scaling runs and the per-action table (not in the required list). */
  list?: boolean;
  openid(i: number): string;
  payload(i: number, b: Bench): unknown;
}

const worker = () => WORKERS[0];
const onDutyVolunteer = (i: number) => volunteerId((i * 3) % VOLUNTEER_COUNT); // i*3 % 3 === 0: on duty
const resident = (i: number) => residentId(1500 + (i % 1400)); // not among the generated bookers
const at = (day: Date, hours: number) => isoText(new Date(day.getTime() + hours * HOUR_MS));

let unique = 0; // run index for writes, unique across phases

const ACTIONS: ActionSpec[] = [
  {
    name: 'orders.create',
    fn: 'orders',
    action: 'create',
    writes: true,
    openid: (i) => resident(i),
    payload: (i) => ({
      serviceId: `${BENCH_COMMUNITY}:errand`,
      description: `帮忙买一袋米和两瓶酱油（压测 ${i}）`,
      requestId: `bench-create-${i}`,
    }),
  },
  {
    name: 'orders.accept',
    fn: 'orders',
    action: 'accept',
    writes: true,
    openid: (i) => volunteerId(i % VOLUNTEER_COUNT),
    payload: (i) => ({ orderId: `bo_pool_${i}` }),
  },
  {
    name: 'orders.get',
    fn: 'orders',
    action: 'get',
    openid: () => worker(),
    payload: (i, b) => ({ orderId: b.orderIds[(i * 7919) % b.orderIds.length] }),
  },
  {
    name: 'orders.listHall',
    fn: 'orders',
    action: 'listHall',
    list: true,
    openid: (i) => onDutyVolunteer(i),
    payload: () => ({}),
  },
  { name: 'orders.listAll', fn: 'orders', action: 'listAll', list: true, openid: () => worker(), payload: () => ({}) },
  {
    name: 'parking.search',
    fn: 'parking',
    action: 'search',
    list: true,
    openid: (i) => resident(i),
    payload: (i, b) => {
      const day = new Date(startOfDay(b.now).getTime() + (1 + (i % 6)) * DAY_MS);
      return { start: at(day, 9 + (i % 8)), end: at(day, 11 + (i % 8)) };
    },
  },
  {
    name: 'parking.book',
    fn: 'parking',
    action: 'book',
    writes: true,
    openid: (i) => resident(i),
    payload: (i, b) => {
      // A distinct spot, day and hour for every call: days 9–29 ahead are free of generated bookings.
      const spot = b.allDaySpots[i % b.allDaySpots.length];
      const k = Math.floor(i / b.allDaySpots.length);
      const day = new Date(startOfDay(b.now).getTime() + (9 + (k % 20)) * DAY_MS);
      const hour = 1 + 2 * Math.floor(k / 20);
      return {
        spotId: spot,
        start: at(day, hour),
        end: at(day, hour + 1),
        plate: `粤B${String(10000 + (i % 89999))}`,
        requestId: `bench-book-${i}`,
      };
    },
  },
  { name: 'notices.list', fn: 'notices', action: 'list', list: true, openid: (i) => resident(i), payload: () => ({}) },
  {
    name: 'notices.get',
    fn: 'notices',
    action: 'get',
    openid: (i) => resident(i),
    payload: (i, b) => ({ noticeId: b.feedNotices[(i * 31) % b.feedNotices.length] }),
  },
  {
    name: 'messages.unreadCount',
    fn: 'messages',
    action: 'unreadCount',
    openid: (i) => (i % 2 ? worker() : resident(i)),
    payload: () => ({}),
  },
  { name: 'messages.list', fn: 'messages', action: 'list', list: true, openid: () => worker(), payload: () => ({}) },
];

/** Dispatched orders for orders.accept to take, one per call the bench will make. */
async function fillAcceptPool(b: Bench, from: number, count: number): Promise<void> {
  const t = b.dispatchedTemplate;
  const docs: OrderDoc[] = [];
  for (let i = from; i < from + count; i++) {
    const v = volunteerId(i % VOLUNTEER_COUNT);
    const createdAt = new Date(Date.now() - 20 * 60_000);
    docs.push({ ...t, _id: `bo_pool_${i}`, volunteerOpenid: v, volunteerName: '志愿者', createdAt, updatedAt: createdAt });
  }
  await bulkInsert(b, 'orders', docs);
}

// ---------------------------------------------------------------------------------------------
// Measurements

interface Sequential {
  server: Summary;
  client: Summary;
  dbCalls: Summary;
  /** Sum of the data-API calls' own time per action. */
  store: Summary;
  /** The action's read calls replayed straight on the data API (client round trips). */
  replay?: Summary;
}

async function sequential(b: Bench, spec: ActionSpec, samples: number): Promise<Sequential> {
  const server: number[] = [];
  const client: number[] = [];
  const dbCalls: number[] = [];
  const store: number[] = [];
  let captured: DataCallRecord[] = [];
  for (let s = 0; s < samples; s++) {
    const i = spec.writes ? unique++ : s;
    b.invocations.length = 0;
    b.dataCalls.length = 0;
    const t0 = performance.now();
    await call(b, spec.fn, spec.action, spec.payload(i, b), spec.openid(i));
    client.push(performance.now() - t0);
    const inv = b.invocations.find((r) => r.fn === spec.fn && r.source === 'http');
    if (!inv) throw new Error(`no invocation record for ${spec.name}`);
    server.push(inv.ms);
    dbCalls.push(inv.dataCalls);
    store.push(b.dataCalls.reduce((sum, c) => sum + c.ms, 0));
    if (s === samples - 1) captured = [...b.dataCalls];
  }
  const result: Sequential = {
    server: summarise(server),
    client: summarise(client),
    dbCalls: summarise(dbCalls),
    store: summarise(store),
  };
  if (!spec.writes) {
    const reads = captured.filter((c) => c.action === 'database.getDocument' || c.action === 'database.calculateDocument');
    const bodies = reads.map((c) => JSON.stringify(c.body));
    const replay: number[] = [];
    for (let r = 0; r < REPLAYS; r++) {
      const t0 = performance.now();
      for (const body of bodies) {
        const res = await post(`${b.cloud.url}/tcb`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.text();
      }
      replay.push(performance.now() - t0);
    }
    result.replay = summarise(replay);
  }
  return result;
}

interface Throughput {
  concurrency: number;
  calls: number;
  perSecond: number;
  server: Summary;
}

async function throughput(b: Bench, spec: ActionSpec, concurrency: number, calls: number): Promise<Throughput> {
  b.invocations.length = 0;
  b.dataCalls.length = 0;
  const base = spec.writes ? unique : 0;
  if (spec.writes) unique += calls;
  const wall = await runConcurrent(calls, concurrency, async (k) => {
    const i = base + k;
    await call(b, spec.fn, spec.action, spec.payload(i, b), spec.openid(i));
  });
  const server = summarise(b.invocations.filter((r) => r.fn === spec.fn && r.source === 'http').map((r) => r.ms));
  return { concurrency, calls, perSecond: Math.round((calls / wall) * 1000 * 10) / 10, server };
}

async function warmUp(b: Bench, spec: ActionSpec): Promise<void> {
  for (let w = 0; w < WARMUP; w++) {
    const i = spec.writes ? unique++ : 10_000 + w;
    await call(b, spec.fn, spec.action, spec.payload(i, b), spec.openid(i));
  }
}

interface ListPoint {
  p50: number;
  p95: number;
  dbCalls: number;
  /** The same for the time spent inside the data API (the queries alone, without the function and GC pauses around them). */
  storeP50: number;
  storeP95: number;
}

/** A full collection now, when `npm run bench` exposes it (--expose-gc), so a phase does not pay for the last one's garbage. */
function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function listP95(b: Bench, samples: number): Promise<Record<string, ListPoint>> {
  const out: Record<string, ListPoint> = {};
  for (const spec of ACTIONS.filter((a) => a.list)) {
    gc();
    await warmUp(b, spec);
    const r = await sequential(b, spec, samples);
    out[spec.name] = {
      p50: r.server.p50,
      p95: r.server.p95,
      dbCalls: r.dbCalls.p50,
      storeP50: r.store.p50,
      storeP95: r.store.p95,
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// `--latency <ms>[,<ms>…]`: every action of every function, heavy ones included, with each SDK
// call delayed like a CloudBase round trip, against its function's timeout.

interface LatencyRow {
  name: string;
  timeoutS: number;
  ms: number[];
  dataCalls: number[];
  errors: string[];
}

function timeoutOf(fn: string): number {
  const file = path.join(__dirname, '../cloudfunctions', fn, 'config.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { timeout?: number }).timeout ?? 3;
}

async function latencyRun(b: Bench, latencyMs: number, pass: number, repeat: number, timerRuns: number): Promise<LatencyRow[]> {
  b.cloud.setLatency(latencyMs);
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
    b.invocations.length = 0;
    const res = await post(`${b.cloud.url}/functions/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openid': openid },
      body: JSON.stringify({ action, payload }),
    });
    const answer = (await res.json()) as {
      ok: boolean;
      data?: Record<string, unknown>;
      error?: { code: string; message: string };
    };
    const inv = b.invocations.find((r) => r.fn === fn && r.source === 'http');
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
      await step('orders', 'rate', { orderId: o1._id, stars: 5, comment: '谢谢' }, res(3));
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
  const t = b.dispatchedTemplate;
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
    b.dataCalls.length = 0;
    const t0 = performance.now();
    const out = (await b.cloud.runTimer('timer')) as {
      data: { orders: { more: boolean; returned: number }; notices: { running: number; sent: number } };
    };
    record('timer (sweep run)', 'timer', performance.now() - t0, b.dataCalls.length);
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

async function latencyMain(latencies: number[]): Promise<void> {
  const started = performance.now();
  const target = LATENCY_ORDERS;
  log(
    `latency bench: ${latencies.join(', ')} ms per SDK call; bench community with ${target} orders, plus a 20 000-member community`,
  );
  const b = await openBench({ ...DEFAULT_SHAPE, orders: Math.min(target, DEFAULT_SHAPE.orders) }, (builder) =>
    builder.community(HUGE_COMMUNITY, '大型社区（压测）', 100, 20_000, 60, 3),
  );
  const results: Record<number, LatencyRow[]> = {};
  try {
    if (target > DEFAULT_SHAPE.orders) await grow(b, target - DEFAULT_SHAPE.orders);
    // JIT warm-up without latency.
    await latencyRun(b, 0, 0, 1, 0);
    for (const [i, l] of latencies.entries()) {
      log(`latency ${l} ms…`);
      gc();
      results[l] = await latencyRun(b, l, i + 1, 2, 2);
    }
  } finally {
    await closeBench(b);
  }
  for (const l of latencies) {
    console.log(`\nwith ${l} ms per SDK call — server time per invocation (ms), data calls, against the function's timeout`);
    const rows: (string | number)[][] = [
      ['action', 'n', 'p50 ms', 'max ms', 'data calls (max)', 'timeout s', '% of timeout (max)', 'errors'],
    ];
    for (const r of results[l]) {
      const s = summarise(r.ms);
      const max = Math.max(...r.ms);
      rows.push([
        r.name,
        s.n,
        s.p50,
        Math.round(max),
        Math.max(...r.dataCalls),
        r.timeoutS,
        `${((max / (r.timeoutS * 1000)) * 100).toFixed(1)} %`,
        r.errors.join(' '),
      ]);
    }
    console.log(table(rows));
  }
  console.log(`\ntotal ${ms(performance.now() - started)}`);
  const out = OUT.replace(/\.json$/, `-latency.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
        orders: target,
        latencies: Object.fromEntries(
          latencies.map((l) => [
            l,
            results[l].map((r) => ({
              name: r.name,
              timeoutS: r.timeoutS,
              n: r.ms.length,
              p50: summarise(r.ms).p50,
              max: Math.round(Math.max(...r.ms)),
              dataCallsMax: Math.max(...r.dataCalls),
              errors: r.errors,
            })),
          ]),
        ),
      },
      null,
      2,
    ) + '\n',
  );
  log(`wrote ${path.relative(process.cwd(), out)}`);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (LATENCIES) return latencyMain(LATENCIES);
  const started = performance.now();
  log(`bench${QUICK ? ' (quick)' : ''}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  const [first, ...later] = SCALE_POINTS;
  log(`loading ${first} orders, ${DEFAULT_SHAPE.members} members, ${DEFAULT_SHAPE.noise} noise communities…`);
  const b = await openBench({ ...DEFAULT_SHAPE, orders: first });
  const loadMs = b.loadMs;
  const scaling: Record<number, Record<string, ListPoint>> = {};
  const results: Record<string, unknown> = {};
  let size = first;
  let counts = b.counts;
  try {
    // JIT and the garbage of loading out of the way before the first point.
    for (const spec of ACTIONS.filter((x) => x.list)) for (let w = 0; w < 2; w++) await warmUp(b, spec);
    gc();
    log(`scaling point ${first} (list actions)…`);
    scaling[first] = await listP95(b, SCALE_SAMPLES);
    for (const n of later) {
      await grow(b, n - size);
      size = n;
      log(`scaling point ${n} (list actions)…`);
      scaling[n] = await listP95(b, SCALE_SAMPLES);
      if (n !== DEFAULT_SHAPE.orders) continue;
      counts = { ...b.counts };
      if (SCALING_ONLY) continue;

      // The full measurements at the default size.
      const acceptCalls = WARMUP + SAMPLES + THROUGHPUT_CALLS * CONCURRENCY.length;
      await fillAcceptPool(b, 0, acceptCalls + 10);
      for (const spec of ACTIONS) {
        log(`${spec.name}…`);
        // Each write action numbers its calls from 0: request ids, the accept pool (bo_pool_0…), booking slots.
        unique = 0;
        gc();
        await warmUp(b, spec);
        const seq = await sequential(b, spec, SAMPLES);
        const tp: Throughput[] = [];
        for (const c of CONCURRENCY) tp.push(await throughput(b, spec, c, THROUGHPUT_CALLS));
        results[spec.name] = { ...seq, throughput: tp };
      }
    }
  } finally {
    await closeBench(b);
  }

  // ---- print
  const rows: (string | number)[][] = [
    [
      'action',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'db calls',
      'store ms',
      'replay ms',
      'x store',
      'x replay',
      '/s c=1',
      '/s c=8',
      '/s c=32',
      'p95 c=32',
    ],
  ];
  for (const spec of ACTIONS) {
    const r = results[spec.name] as (Sequential & { throughput: Throughput[] }) | undefined;
    if (!r) continue;
    rows.push([
      spec.name,
      r.server.p50,
      r.server.p95,
      r.server.p99,
      r.dbCalls.p50,
      r.store.p50,
      r.replay ? r.replay.p50 : NaN,
      r.store.p50 > 0 ? r.server.p50 / r.store.p50 : NaN,
      r.replay && r.replay.p50 > 0 ? r.server.p50 / r.replay.p50 : NaN,
      ...r.throughput.map((t) => t.perSecond),
      r.throughput[r.throughput.length - 1].server.p95,
    ]);
  }
  const points = Object.keys(scaling)
    .map(Number)
    .sort((x, y) => x - y);
  const srows: (string | number)[][] = [['server p95 (p50) ms', ...points.map((p) => `${p} orders`), 'db calls']];
  const qrows: (string | number)[][] = [['store p95 (p50) ms', ...points.map((p) => `${p} orders`)]];
  for (const spec of ACTIONS.filter((a) => a.list)) {
    const at = (p: number) => scaling[p][spec.name];
    srows.push([spec.name, ...points.map((p) => `${fix(at(p).p95)} (${fix(at(p).p50)})`), at(points[0]).dbCalls]);
    qrows.push([spec.name, ...points.map((p) => `${fix(at(p).storeP95)} (${fix(at(p).storeP50)})`)]);
  }
  const total = performance.now() - started;
  console.log(`\n邻里帮 bench — ${new Date().toISOString()}${QUICK ? ' (quick)' : ''}`);
  console.log(
    `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}; ${SAMPLES} sequential samples, ${THROUGHPUT_CALLS} calls per concurrency level`,
  );
  console.log(
    `data at ${DEFAULT_SHAPE.orders} orders: ${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; loaded in ${ms(loadMs)} (at ${first} orders)\n`,
  );
  console.log(
    "server time = inside the function host (gateway → main → answer); store = the data-API calls' own time; replay = the same read calls sent straight to the data API",
  );
  if (rows.length > 1) console.log(table(rows));
  console.log('\nscaling of the list actions (server time, bench community with N orders; the rest of the data unchanged)');
  console.log(table(srows));
  console.log(table(qrows));
  console.log(`\ntotal ${ms(total)}`);

  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(
    OUT,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        quick: QUICK,
        machine: {
          cpus: os.cpus().length,
          model: os.cpus()[0]?.model,
          memoryGb: Math.round(os.totalmem() / 2 ** 30),
          node: process.version,
          platform: `${os.platform()} ${os.release()}`,
        },
        settings: {
          samples: SAMPLES,
          throughputCalls: THROUGHPUT_CALLS,
          concurrency: CONCURRENCY,
          scaleSamples: SCALE_SAMPLES,
          replays: REPLAYS,
        },
        data: { shape: DEFAULT_SHAPE, documents: counts, loadMs: Math.round(loadMs), loadedAt: first },
        actions: results,
        scaling,
        totalMs: Math.round(total),
      },
      null,
      2,
    ) + '\n',
  );
  log(`wrote ${path.relative(process.cwd(), OUT)}`);
}

const fix = (x: number) => (x >= 100 ? String(Math.round(x)) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
