// Per-action measurements against the cloud process: sequential samples (end-to-end time at the
// bench, server time and data calls from /observe, the store's own time, a replay of the reads on
// the data API), throughput with c distinct callers, and the warm-up.
import type { DataCallRecord } from '../../local/cloud';
import type { OrderDoc } from '../../cloudfunctions/orders/model';
import { type ActionSpec, poolId } from './actions';
import { runConcurrent, summarise, type Summary } from './measure';
import { type Bench, bulkInsert, call, counted, replay, seedCallers } from './remote';

/** Run index for writes: counts on over the whole bench, so no two calls of a write action share their input. */
let unique = 0;

/** Run indexes for `count` calls of `spec`: fresh ones for a write (its pool filled), 0… for a read. */
async function reserve(b: Bench, spec: ActionSpec, count: number, readBase = 0): Promise<number> {
  if (spec.extraWorkers) await seedCallers(b, spec.extraWorkers);
  if (!spec.writes) return readBase;
  const base = unique;
  unique += count;
  if (spec.pool) {
    const template = b.templates[spec.pool.status];
    if (!template) throw new Error(`no ${spec.pool.status} order to copy for ${spec.name}`);
    const createdAt = new Date(Date.now() - 20 * 60_000);
    const docs: OrderDoc[] = [];
    for (let i = base; i < base + count; i++)
      docs.push({ ...template, ...spec.pool.shape(i), _id: poolId(spec, i), createdAt, updatedAt: createdAt });
    await bulkInsert(b, 'orders', docs);
    await b.proc.observe(); // not the action's records
  }
  return base;
}

export interface Sequential {
  /** Inside the function host (gateway → main → answer), from /observe. */
  server: Summary;
  /** End to end at the bench: request sent → answer read, over keep-alive HTTP. */
  client: Summary;
  dbCalls: Summary;
  /** Sum of the data-API calls' own time per action. */
  store: Summary;
  /** The action's read calls replayed one after another from the bench on the data API. */
  replay?: Summary;
  /** Most documents the local cloud's index walks looked at in one call (observe's `read`). */
  examined: number;
  /** Reads answered by a scan instead of an index walk, over all samples. */
  scans: number;
  /** Calls answered with an error, by code (not in the samples). */
  errors: Record<string, number>;
}

/** Samples of one read action on one cloud, taken a few at a time (`paired` takes them in turn on several). */
class Sampler {
  server: number[] = [];
  client: number[] = [];
  dbCalls: number[] = [];
  store: number[] = [];
  replayed: number[] = [];
  captured: DataCallRecord[] = [];
  examined = 0;
  scans = 0;
  errors: Record<string, number> = {};
  constructor(
    readonly b: Bench,
    readonly spec: ActionSpec,
  ) {}

  async sample(i: number, keep: boolean): Promise<void> {
    const { b, spec } = this;
    const t0 = performance.now();
    const ok = await counted(this.errors, () => call(b, spec.fn, spec.action, spec.payload(i, b), spec.openid(i)));
    const ms = performance.now() - t0;
    const seen = await b.proc.observe();
    if (!ok) return;
    this.client.push(ms);
    const inv = seen.invocations.find((r) => r.fn === spec.fn && r.source === 'http');
    if (!inv) throw new Error(`no invocation record for ${spec.name}`);
    this.server.push(inv.ms);
    this.dbCalls.push(inv.dataCalls);
    this.store.push(seen.dataCalls.reduce((sum, c) => sum + c.ms, 0));
    for (const c of seen.dataCalls) {
      if (c.read?.plan === 'scan') this.scans++;
      this.examined = Math.max(this.examined, c.read?.examined ?? 0);
    }
    if (keep) this.captured = seen.dataCalls;
  }

  /** The last sample's reads sent again, one after another, straight to the data API. */
  async replay(): Promise<void> {
    const reads = this.captured.filter((c) => c.action === 'database.getDocument' || c.action === 'database.calculateDocument');
    const t0 = performance.now();
    for (const c of reads) await replay(this.b, JSON.stringify(c.body));
    this.replayed.push(performance.now() - t0);
    await this.b.proc.observe();
  }

  result(): Sequential {
    return {
      server: summarise(this.server),
      client: summarise(this.client),
      dbCalls: summarise(this.dbCalls),
      store: summarise(this.store),
      ...(this.replayed.length ? { replay: summarise(this.replayed) } : {}),
      examined: this.examined,
      scans: this.scans,
      errors: this.errors,
    };
  }
}

export async function sequential(b: Bench, spec: ActionSpec, samples: number, replays: number): Promise<Sequential> {
  const sampler = new Sampler(b, spec);
  const base = await reserve(b, spec, samples);
  await b.proc.observe();
  // The replays interleaved with the last samples, each right after the sample whose reads it sends:
  // the action and its bare reads meet the same load (on a busy machine, minutes apart they did not).
  const from = spec.writes ? samples : samples - Math.min(replays, samples);
  for (let s = 0; s < samples; s++) {
    await sampler.sample(base + s, s >= from);
    if (s >= from) await sampler.replay();
  }
  return sampler.result();
}

/**
 * A read action on several clouds at once (one per size), sample k taken on each in turn, so
 * every size sees the same load over the same minutes: on a busy machine a size measured ten
 * minutes after another meets a different load, and their ratio measures the load.
 */
export async function paired(bs: Bench[], spec: ActionSpec, samples: number, replays: number): Promise<Sequential[]> {
  if (spec.writes) throw new Error(`paired sampling is for reads, not ${spec.name}`);
  const samplers = bs.map((b) => new Sampler(b, spec));
  for (const b of bs) await b.proc.observe();
  const from = samples - Math.min(replays, samples);
  for (let s = 0; s < samples; s++)
    for (const x of samplers) {
      await x.sample(s, s >= from);
      if (s >= from) await x.replay();
    }
  return samplers.map((x) => x.result());
}

export interface Throughput {
  concurrency: number;
  calls: number;
  perSecond: number;
  server: Summary;
  client: Summary;
  errors: Record<string, number>;
}

/** `calls` calls by `concurrency` callers at once; call i is made as `spec.openid(i)`, so the callers are distinct people. */
export async function throughput(b: Bench, spec: ActionSpec, concurrency: number, calls: number): Promise<Throughput> {
  const base = await reserve(b, spec, calls);
  await b.proc.observe();
  const client: number[] = [];
  const errors: Record<string, number> = {};
  const wall = await runConcurrent(calls, concurrency, async (k) => {
    const i = base + k;
    const t0 = performance.now();
    if (await counted(errors, () => call(b, spec.fn, spec.action, spec.payload(i, b), spec.openid(i))))
      client.push(performance.now() - t0);
  });
  const seen = await b.proc.observe();
  const server = summarise(seen.invocations.filter((r) => r.fn === spec.fn && r.source === 'http' && r.ok).map((r) => r.ms));
  return {
    concurrency,
    calls,
    perSecond: Math.round((client.length / wall) * 1000 * 10) / 10,
    server,
    client: summarise(client),
    errors,
  };
}

export async function warmUp(b: Bench, spec: ActionSpec, count: number): Promise<void> {
  const base = await reserve(b, spec, count, 10_000);
  const errors: Record<string, number> = {};
  for (let w = 0; w < count; w++) {
    const i = base + w;
    await counted(errors, () => call(b, spec.fn, spec.action, spec.payload(i, b), spec.openid(i)));
  }
  await b.proc.observe();
}
