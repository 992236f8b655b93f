// The default run. At every scaling point (the data set built at that size, or taken from the kept
// data, and a cloud process started on it: its start-up and memory): every page query with its samples,
// and every other action a few times (its data calls and server time at that size). Then, at the
// largest size, every action measured on its own: sequential and with 1, 8 and 32 callers.
import os from 'os';
import { ACTIONS, type ActionSpec } from './actions';
import { DEFAULT_SHAPE } from './data';
import { closeBench, log, openBench, type Bench, type StartPoint } from './remote';
import { paired, sequential, type Sequential, throughput, type Throughput, warmUp } from './sampling';

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
  /** `--paired`: every size's cloud at once, each page query's samples taken on the sizes in turn (scaling.ts). */
  paired?: boolean;
  /** `--only a,b`: measure only the actions with these names (the others skipped at every phase). */
  only?: string[];
  /** Where each size's built data is kept and reused (`--data`, BENCH_DATA); none: built for the run. */
  keepDir?: string;
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
  /** os.loadavg() (1, 5, 15 min) when the run started and ended, and the 1-minute figure sampled every 15 s during it. */
  load: { start: number[]; end: number[]; during?: LoadTrace };
}

export interface LoadTrace {
  min: number;
  max: number;
  mean: number;
  samples: number;
}

/** Samples the 1-minute load average every 15 s until `stop()`: the load a run met, not only at its ends. */
function traceLoad(): { stop(): LoadTrace } {
  const seen: number[] = [os.loadavg()[0]];
  const timer = setInterval(() => seen.push(os.loadavg()[0]), 15_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      seen.push(os.loadavg()[0]);
      const r = (x: number) => Math.round(x * 100) / 100;
      return {
        min: r(Math.min(...seen)),
        max: r(Math.max(...seen)),
        mean: r(seen.reduce((a, x) => a + x, 0) / seen.length),
        samples: seen.length,
      };
    },
  };
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

const chosen = (s: Settings) => ACTIONS.filter((a) => !s.only || s.only.includes(a.name));

async function measurePoint(s: Settings, b: Bench): Promise<Record<string, PointResult>> {
  const out: Record<string, PointResult> = {};
  for (const [k, spec] of chosen(s).entries()) {
    if (k % 10 === 0) log(`  ${k}/${chosen(s).length} ${spec.name}…`);
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

/**
 * `--paired`: the clouds of every size run at once and each page query's samples go to them in
 * turn (sampling.ts, `paired`), so a growth ratio compares the sizes under the same load. Other
 * actions: their data calls at each size, one size after the other.
 */
async function pairedScaling(s: Settings, starts: StartPoint[]): Promise<Pick<StandardRun, 'scaling' | 'counts'>> {
  const bs: Bench[] = [];
  const scaling: StandardRun['scaling'] = {};
  try {
    for (const n of s.scalePoints) {
      log(`${n} orders…`);
      bs.push(await openBench({ ...DEFAULT_SHAPE, orders: n }, { keepDir: s.keepDir }, starts));
      scaling[n] = {};
    }
    for (const b of bs) for (const spec of chosen(s).filter((x) => x.list)) await warmUp(b, spec, s.warmup);
    for (const [k, spec] of chosen(s).entries()) {
      if (k % 10 === 0) log(`  ${k}/${chosen(s).length} ${spec.name}…`);
      if (spec.list) {
        const rs = await paired(bs, spec, s.scaleSamples, s.replays);
        rs.forEach((r, j) => (scaling[s.scalePoints[j]][spec.name] = point(r)));
      } else {
        for (const [j, b] of bs.entries()) {
          await warmUp(b, spec, 2);
          scaling[s.scalePoints[j]][spec.name] = point(await sequential(b, spec, s.callSamples, 0));
        }
      }
    }
    for (const [j, b] of bs.entries()) starts[j].atEnd = await b.proc.memory();
    s.checkpoint?.({ starts, scaling });
  } finally {
    for (const b of bs) await closeBench(b);
  }
  return { scaling, counts: bs[bs.length - 1]?.counts ?? {} };
}

export async function standardBench(s: Settings): Promise<StandardRun> {
  const load: StandardRun['load'] = { start: os.loadavg(), end: [] };
  const trace = traceLoad();
  log(
    `bench${s.quick ? ' (quick)' : ''}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load ${load.start.map((x) => x.toFixed(2)).join(' ')}`,
  );
  const scaling: StandardRun['scaling'] = {};
  const actions: Record<string, ActionResult> = {};
  const starts: StartPoint[] = [];
  const last = s.scalePoints[s.scalePoints.length - 1];
  let counts: Record<string, number> = {};
  if (s.paired) {
    const pairedRun = await pairedScaling(s, starts);
    Object.assign(scaling, pairedRun.scaling);
    counts = pairedRun.counts;
    load.end = os.loadavg();
    load.during = trace.stop();
    return { loadedAt: s.scalePoints[0], counts, starts, scaling, actionsAt: last, actions, load };
  }
  for (const n of s.scalePoints) {
    log(`${n} orders, ${DEFAULT_SHAPE.members} members, ${DEFAULT_SHAPE.noise} noise communities…`);
    const b = await openBench({ ...DEFAULT_SHAPE, orders: n }, { keepDir: s.keepDir }, starts);
    try {
      // JIT out of the way before the point.
      for (const spec of chosen(s).filter((x) => x.list)) await warmUp(b, spec, s.warmup);
      log(`scaling point ${n}: ${ACTIONS.length} actions…`);
      scaling[n] = await measurePoint(s, b);
      starts[starts.length - 1].atEnd = await b.proc.memory();
      s.checkpoint?.({ starts, scaling });
      if (n === last && !s.scalingOnly) {
        for (const spec of chosen(s)) {
          log(`${spec.name} (at ${n} orders)…`);
          actions[spec.name] = await perAction(s, b, spec);
          s.checkpoint?.({ starts, scaling, actions });
        }
      }
      counts = b.counts;
    } finally {
      await closeBench(b);
    }
  }
  load.end = os.loadavg();
  load.during = trace.stop();
  return { loadedAt: s.scalePoints[0], counts, starts, scaling, actionsAt: last, actions, load };
}
