// The default run. At every scaling point (the bench community grown between points, the cloud
// process restarted on it to measure its start-up and memory): every page query with its samples,
// and every other action a few times (its data calls and server time at that size). Then, at the
// largest size, every action measured on its own: sequential and with 1, 8 and 32 callers.
import os from 'os';
import { ACTIONS, type ActionSpec } from './actions';
import { DEFAULT_SHAPE } from './data';
import { closeBench, grow, log, openBench, restart, type Bench, type StartPoint } from './remote';
import { sequential, type Sequential, throughput, type Throughput, warmUp } from './sampling';

export interface Settings {
  quick: boolean;
  /** Only the scaling points, no per-action measurements. */
  scalingOnly: boolean;
  /** Sequential samples per action (the per-action phase). */
  samples: number;
  /** Calls per concurrency level. */
  throughputCalls: number;
  concurrency: number[];
  warmup: number;
  scalePoints: number[];
  /** Samples of a page query at each scaling point. */
  scaleSamples: number;
  /** Samples of any other action at each scaling point (its data calls). */
  callSamples: number;
  replays: number;
  /** Called with what is measured so far after each phase (a long run keeps its figures if it dies later). */
  checkpoint?: (partial: Partial<StandardRun>) => void;
}

export interface PointResult {
  p50: number;
  p95: number;
  clientP50: number;
  clientP95: number;
  dbCalls: number;
  dbCallsMax: number;
  storeP50: number;
  storeP95: number;
  replayP50?: number;
  /** Most documents an index walk looked at in one call, and reads that were scans. */
  examined: number;
  scans: number;
  errors: Record<string, number>;
}

export type ActionResult = Sequential & { throughput: Throughput[] };

export interface StandardRun {
  /** Orders in the bench community at the first scaling point (the size the data was built at). */
  loadedAt: number;
  /** Documents per collection at the largest size. */
  counts: Record<string, number>;
  starts: StartPoint[];
  scaling: Record<number, Record<string, PointResult>>;
  /** The per-action phase, at this size. */
  actionsAt: number;
  actions: Record<string, ActionResult>;
  /** os.loadavg() (1, 5, 15 min) when the run started and ended. */
  load: { start: number[]; end: number[] };
}

const point = (r: Sequential): PointResult => ({
  p50: r.server.p50,
  p95: r.server.p95,
  clientP50: r.client.p50,
  clientP95: r.client.p95,
  dbCalls: r.dbCalls.p50,
  dbCallsMax: r.dbCalls.p99,
  storeP50: r.store.p50,
  storeP95: r.store.p95,
  replayP50: r.replay?.p50,
  examined: r.examined,
  scans: r.scans,
  errors: r.errors,
});

async function measurePoint(s: Settings, b: Bench): Promise<Record<string, PointResult>> {
  const out: Record<string, PointResult> = {};
  for (const [k, spec] of ACTIONS.entries()) {
    if (k % 10 === 0) log(`  ${k}/${ACTIONS.length} ${spec.name}…`);
    await warmUp(b, spec, spec.list ? s.warmup : 2);
    const r = await sequential(b, spec, spec.list ? s.scaleSamples : s.callSamples, spec.list ? s.replays : 0);
    out[spec.name] = point(r);
  }
  return out;
}

async function perAction(s: Settings, b: Bench, spec: ActionSpec): Promise<ActionResult> {
  await warmUp(b, spec, s.warmup);
  const seq = await sequential(b, spec, s.samples, s.replays);
  const tp: Throughput[] = [];
  for (const c of s.concurrency) tp.push(await throughput(b, spec, c, s.throughputCalls));
  return { ...seq, throughput: tp };
}

export async function standardBench(s: Settings): Promise<StandardRun> {
  const load = { start: os.loadavg(), end: [] as number[] };
  log(
    `bench${s.quick ? ' (quick)' : ''}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${load.start.map((x) => x.toFixed(2)).join(' ')}`,
  );
  const [first, ...later] = s.scalePoints;
  log(`building ${first} orders, ${DEFAULT_SHAPE.members} members, ${DEFAULT_SHAPE.noise} noise communities…`);
  const b = await openBench({ ...DEFAULT_SHAPE, orders: first });
  const scaling: StandardRun['scaling'] = {};
  const actions: Record<string, ActionResult> = {};
  let size = first;
  try {
    // JIT out of the way before the first point.
    for (const spec of ACTIONS.filter((x) => x.list)) await warmUp(b, spec, s.warmup);
    for (const n of [first, ...later]) {
      if (n !== first) {
        await grow(b, n - size);
        size = n;
        await restart(b, n);
        for (const spec of ACTIONS.filter((x) => x.list)) await warmUp(b, spec, 2);
      }
      log(`scaling point ${n}: ${ACTIONS.length} actions…`);
      scaling[n] = await measurePoint(s, b);
      b.starts[b.starts.length - 1].atEnd = await b.proc.memory();
      s.checkpoint?.({ starts: b.starts, scaling });
    }
    if (!s.scalingOnly) {
      for (const spec of ACTIONS) {
        log(`${spec.name} (at ${size} orders)…`);
        actions[spec.name] = await perAction(s, b, spec);
        s.checkpoint?.({ starts: b.starts, scaling, actions });
      }
    }
  } finally {
    await closeBench(b);
  }
  load.end = os.loadavg();
  return { loadedAt: first, counts: b.counts, starts: b.starts, scaling, actionsAt: size, actions, load };
}
