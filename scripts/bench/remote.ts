// The local cloud as its own process (the `npm start` entry, as tests/helpers/crash.ts starts it),
// driven over HTTP from the bench process: end-to-end time is what the bench sees, server time and
// data calls come from the cloud's `GET /observe` (OBSERVE=1, local/observe.ts). Start-up time is
// spawn → `/healthz` ok; memory is the process's VmRSS / VmHWM from /proc and its heap from /observe.
import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { DataCallRecord, InvocationRecord } from '../../local/cloud';
import { stringifyEjson } from '../../local/ejson';
import type { OrderStatus } from '../../cloudfunctions/orders/labels';
import type { OrderDoc } from '../../cloudfunctions/orders/model';
import type { NoticeDoc } from '../../cloudfunctions/notices/model';
import { BENCH_COMMUNITY, Builder, extraWorkers, type Shape, writeDataFiles } from './data';
import { request } from './http';

const REPO = path.resolve(__dirname, '../..');
export const log = (line: string) => process.stderr.write(`${line}\n`);
export const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);

export interface Memory {
  /** MB: resident set now, its peak since the process started, the V8 heap used and reserved. */
  rssMb: number;
  hwmMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
}

export interface StartPoint {
  orders: number;
  documents: number;
  /** Spawn → `/healthz` answers ok. */
  startMs: number;
  /** Spawn → the process's CPU quiet (the collector done with the load's garbage): measured from then on. */
  settledMs?: number;
  atStart: Memory;
  /** After the point's measurements. */
  atEnd?: Memory;
}

export interface Observed {
  invocations: InvocationRecord[];
  dataCalls: DataCallRecord[];
  dropped: number;
  memory: NodeJS.MemoryUsage;
}

/** The cloud process: spawned on a data dir with the observe endpoint on and timers off. */
export class CloudProcess {
  url = '';
  private output = '';
  private constructor(private readonly child: ChildProcess) {}

  static async start(dataDir: string): Promise<{ proc: CloudProcess; startMs: number }> {
    const t0 = performance.now();
    const extra = (process.env.BENCH_CLOUD_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...extra, '--max-old-space-size=6144', '-r', './local/register.js', 'local/main.ts'], {
      cwd: REPO,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, OBSERVE: '1', TIMERS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new CloudProcess(child);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`the local cloud exited (${code ?? signal}):\n${proc.output}`))),
    );
    exited.catch(() => undefined);
    const banner = new Promise<void>((resolve) => {
      const keep = (chunk: Buffer) => {
        proc.output = (proc.output + chunk.toString('utf8')).slice(-8000); // the request log grows with every call
        const bound = /local cloud on (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.output);
        if (bound && !proc.url) {
          proc.url = bound[1];
          resolve();
        }
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
    });
    await Promise.race([banner, exited]);
    // The banner comes after the seed; /healthz is the documented readiness check.
    for (;;) {
      const res = await Promise.race([request(`${proc.url}/healthz`, 'GET', undefined, {}, true), exited]);
      if (res.status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return { proc, startMs: performance.now() - t0 };
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Waits until the process uses under a tenth of a core over a second (at most `maxMs`): right after
   * a large load V8 is still collecting its garbage, and a sample taken then measures that, not the
   * query. Answers the time waited.
   */
  async settle(maxMs = 180_000): Promise<number> {
    const t0 = performance.now();
    const ticks = () => {
      const f = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 a second)
    };
    let last = ticks();
    while (performance.now() - t0 < maxMs) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = ticks();
      if (now - last < 10) break;
      last = now;
    }
    return performance.now() - t0;
  }

  /** The records since the last call (and the heap now). */
  async observe(): Promise<Observed> {
    const res = await request(`${this.url}/observe`, 'GET', undefined, {}, true);
    if (res.status !== 200) throw new Error(`GET /observe: ${res.status} ${res.text.slice(0, 200)}`);
    return JSON.parse(res.text) as Observed;
  }

  /** Every SDK call delayed by `ms` from now on, like a CloudBase round trip (local/cloud.ts). */
  async setLatency(ms: number): Promise<void> {
    const res = await request(`${this.url}/observe/latency`, 'POST', JSON.stringify({ ms }), {}, true);
    if (res.status !== 200) throw new Error(`POST /observe/latency: ${res.status} ${res.text.slice(0, 200)}`);
  }

  /** Runs a function's timer trigger now and answers its result. */
  async runTimer(name: string): Promise<unknown> {
    const res = await request(`${this.url}/observe/timer/${name}`, 'POST', '', {}, true);
    if (res.status !== 200) throw new Error(`POST /observe/timer/${name}: ${res.status} ${res.text.slice(0, 200)}`);
    return JSON.parse(res.text);
  }

  async memory(): Promise<Memory> {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const { memory } = await this.observe();
    const mb = (x: number) => Math.round(x / 2 ** 20);
    return {
      rssMb: Math.round(kb('VmRSS') / 1024),
      hwmMb: Math.round(kb('VmHWM') / 1024),
      heapUsedMb: mb(memory.heapUsed),
      heapTotalMb: mb(memory.heapTotal),
    };
  }

  /**
   * SIGTERM: main.ts closes the cloud (compacting every collection) and exits. SIGKILL: at once — the
   * bench's own clouds, whose data dir is removed right after (compacting 1.4 million documents took
   * minutes of CPU on a busy machine, for nothing).
   */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill(signal);
    await done;
  }
}

export interface Bench {
  proc: CloudProcess;
  /** The cloud's data dir: a copy of the prepared data, removed by closeBench. */
  dataDir: string;
  now: Date;
  counts: Record<string, number>;
  orderIds: string[];
  /** One running order of each state, copied into the write actions' pools. */
  templates: Partial<Record<OrderStatus, OrderDoc>>;
  feedNotices: string[];
  allDaySpots: string[];
  starts: StartPoint[];
  /** Callers already added to this cloud (`seedCallers`). */
  seeded?: Set<string>;
}

/** What the bench needs to know about a prepared data set besides its files (`meta.json` in a kept one). */
interface Prepared {
  builtAt: string;
  counts: Record<string, number>;
  orderIds: string[];
  templates: Bench['templates'];
  feedNotices: string[];
  allDaySpots: string[];
}

export interface OpenOptions {
  /**
   * `--data <dir>` / BENCH_DATA: keep each size's built data in `<dir>/<key>/` (`meta.json` written last,
   * so a build that died is built again) and reuse it on later runs; the cloud always runs on a copy.
   */
  keepDir?: string;
  /** Names the data set in keepDir (e.g. `latency-100000`); defaults to the order count. */
  key?: string;
  /** More documents in the same build (the latency mode's 20 000-member community). */
  extra?: (builder: Builder) => void;
}

const benchOrders = (b: Builder) => ((b.out.get('orders') ?? []) as OrderDoc[]).filter((o) => o.communityId === BENCH_COMMUNITY);

/** Builds the data set straight into `dir`'s data files (the cloud not running) and describes it. */
function build(shape: Shape, dir: string, extra?: (builder: Builder) => void): Prepared {
  const now = new Date();
  const t0 = performance.now();
  const builder = new Builder(now);
  const { allDaySpots } = builder.build(shape);
  extra?.(builder);
  const written = writeDataFiles(dir, builder.out);
  const orders = benchOrders(builder);
  const templates: Bench['templates'] = {};
  for (const o of orders) templates[o.status] ??= o;
  const notices = (builder.out.get('notices') ?? []) as NoticeDoc[];
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
  const counts = Object.fromEntries([...builder.out].map(([k, v]) => [k, v.length]));
  builder.out.clear();
  log(
    `  ${written} documents (${orders.length} orders in the bench community) built and written in ${ms(performance.now() - t0)}`,
  );
  return { builtAt: now.toISOString(), counts, orderIds: orders.map((o) => o._id), templates, feedNotices, allDaySpots };
}

const reviveDates = (_k: string, v: unknown) =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v) ? new Date(v) : v;

/** The data set at `shape`, built (or taken from keepDir), in a fresh data dir of its own. */
export function prepare(shape: Shape, o: OpenOptions = {}): { dataDir: string; meta: Prepared } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cloud-'));
  if (!o.keepDir) return { dataDir, meta: build(shape, dataDir, o.extra) };
  const kept = path.join(path.resolve(o.keepDir), o.key ?? String(shape.orders));
  const metaFile = path.join(kept, 'meta.json');
  let meta: Prepared;
  if (fs.existsSync(metaFile)) {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'), reviveDates) as Prepared;
    log(`  kept data ${kept} (built ${meta.builtAt})`);
  } else {
    fs.rmSync(kept, { recursive: true, force: true });
    meta = build(shape, kept, o.extra);
    fs.writeFileSync(metaFile, JSON.stringify(meta));
  }
  const t0 = performance.now();
  for (const f of fs.readdirSync(kept)) if (f.endsWith('.db')) fs.copyFileSync(path.join(kept, f), path.join(dataDir, f));
  log(`  copied into ${dataDir} in ${ms(performance.now() - t0)}`);
  return { dataDir, meta };
}

/** The data set at `shape` (built or kept) and the cloud process started on it: its start-up and memory noted. */
export async function openBench(shape: Shape, o: OpenOptions = {}, starts: StartPoint[] = []): Promise<Bench> {
  const { dataDir, meta } = prepare(shape, o);
  const { proc, startMs } = await CloudProcess.start(dataDir);
  const b: Bench = { proc, dataDir, now: new Date(), ...meta, starts };
  await noteStart(b, shape.orders, startMs);
  return b;
}

async function noteStart(b: Bench, orders: number, startMs: number): Promise<void> {
  const atStart = await b.proc.memory();
  const documents = Object.values(b.counts).reduce((s, n) => s + n, 0);
  const settledMs = startMs + (await b.proc.settle());
  b.starts.push({ orders, documents, startMs: Math.round(startMs), settledMs: Math.round(settledMs), atStart });
  log(
    `  cloud process started in ${ms(startMs)} (CPU quiet at ${ms(settledMs)}) on ${documents} documents: RSS ${atStart.rssMb} MB (peak ${atStart.hwmMb} MB), heap ${atStart.heapUsedMb} MB`,
  );
}

export async function closeBench(b: Bench): Promise<void> {
  // Its data dir goes next: nothing to compact. A profiled cloud (`--cpu-prof`) writes its profile on a clean exit only.
  await b.proc.stop(process.env.BENCH_CLOUD_NODE_ARGS?.includes('--cpu-prof') ? 'SIGTERM' : 'SIGKILL');
  fs.rmSync(b.dataDir, { recursive: true, force: true });
}

/** Inserts documents, 500 to a data-API call, each on a fresh connection (http.ts). */
export async function bulkInsert(b: Bench, collection: string, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const body = JSON.stringify({
      action: 'database.insertDocument',
      collectionName: collection,
      data: docs.slice(i, i + 500).map(stringifyEjson),
    });
    const res = await request(`${b.proc.url}/tcb`, 'POST', body, {}, true);
    const answer = JSON.parse(res.text) as { code?: string; message?: string };
    if (answer.code) throw new Error(`bulk insert into ${collection}: ${answer.code} ${answer.message}`);
  }
}

/** Adds the bench community's workers `openids` (members and users) to the cloud, once each. */
export async function seedCallers(b: Bench, openids: string[]): Promise<void> {
  b.seeded ??= new Set();
  const fresh = openids.filter((o) => !b.seeded!.has(o));
  if (!fresh.length) return;
  const { members, users } = extraWorkers(fresh, new Date());
  await bulkInsert(b, 'members', members);
  await bulkInsert(b, 'users', users);
  for (const o of fresh) b.seeded.add(o);
  await b.proc.observe(); // not an action's records
}

/** Calls a function over the gateway, as the mini-program's local mode does; throws unless ok. */
export async function call(b: Bench, fn: string, action: string, payload: unknown, openid: string): Promise<unknown> {
  const res = await request(`${b.proc.url}/functions/${fn}`, 'POST', JSON.stringify({ action, payload }), { 'x-openid': openid });
  const answer = JSON.parse(res.text) as { ok: boolean; data?: unknown; error?: { code: string; message: string } };
  if (!answer.ok)
    throw new CallError(
      answer.error?.code ?? `HTTP ${res.status}`,
      `${fn}.${action} as ${openid}: ${answer.error?.code} ${answer.error?.message}`,
    );
  return answer.data;
}

/** A function answered an error (its code: E_INTERNAL for a timeout at the gateway). */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a call; an error answer is counted by code in `errors` (and logged once per code) instead of ending the run. */
export async function counted(errors: Record<string, number>, run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (err) {
    if (!(err instanceof CallError)) throw err;
    if (!errors[err.code]) log(`  ! ${err.message}`);
    errors[err.code] = (errors[err.code] ?? 0) + 1;
    return false;
  }
}

/** One data-API call with a body as the function's SDK sent it (the replay of its reads). */
export async function replay(b: Bench, body: string): Promise<void> {
  await request(`${b.proc.url}/tcb`, 'POST', body);
}
