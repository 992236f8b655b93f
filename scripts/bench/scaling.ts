// The default run: the list actions' p95 at every scaling point (the bench community grown between
// points), and at the default size every action measured on its own (sequential and throughput).
import os from 'os';
import { ACTIONS, fillAcceptPool } from './actions';
import { type Bench, closeBench, gc, grow, log, openBench } from './cloud';
import { DEFAULT_SHAPE } from './data';
import { resetRunIndex, sequential, type Sequential, throughput, type Throughput, warmUp } from './sampling';

export interface Settings {
  quick: boolean;
  /** Only the scaling points, no per-action measurements. */
  scalingOnly: boolean;
  /** Sequential samples per action. */
  samples: number;
  /** Calls per concurrency level. */
  throughputCalls: number;
  concurrency: number[];
  warmup: number;
  scalePoints: number[];
  scaleSamples: number;
  replays: number;
}

export interface ListPoint {
  p50: number;
  p95: number;
  dbCalls: number;
  /** The same for the time spent inside the data API (the queries alone, without the function and GC pauses around them). */
  storeP50: number;
  storeP95: number;
  /** Most documents an index walk looked at in one call, and reads that were scans (sampling.ts). */
  examined: number;
  scans: number;
}

export type ActionResult = Sequential & { throughput: Throughput[] };

export interface StandardRun {
  loadMs: number;
  /** The first scaling point: the size the data was loaded at. */
  loadedAt: number;
  /** Documents per collection at the default size. */
  counts: Record<string, number>;
  /** Per scaling point (orders in the bench community), per list action. */
  scaling: Record<number, Record<string, ListPoint>>;
  actions: Record<string, ActionResult>;
}

async function listP95(s: Settings, b: Bench): Promise<Record<string, ListPoint>> {
  const out: Record<string, ListPoint> = {};
  for (const spec of ACTIONS.filter((a) => a.list)) {
    gc();
    await warmUp(b, spec, s.warmup);
    const r = await sequential(b, spec, s.scaleSamples, s.replays);
    out[spec.name] = {
      p50: r.server.p50,
      p95: r.server.p95,
      dbCalls: r.dbCalls.p50,
      storeP50: r.store.p50,
      storeP95: r.store.p95,
      examined: r.examined,
      scans: r.scans,
    };
  }
  return out;
}

export async function standardBench(s: Settings): Promise<StandardRun> {
  log(`bench${s.quick ? ' (quick)' : ''}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  const [first, ...later] = s.scalePoints;
  log(`loading ${first} orders, ${DEFAULT_SHAPE.members} members, ${DEFAULT_SHAPE.noise} noise communities…`);
  const b = await openBench({ ...DEFAULT_SHAPE, orders: first });
  const scaling: Record<number, Record<string, ListPoint>> = {};
  const actions: Record<string, ActionResult> = {};
  let size = first;
  let counts = b.counts;
  try {
    // JIT and the garbage of loading out of the way before the first point.
    for (const spec of ACTIONS.filter((x) => x.list)) for (let w = 0; w < 2; w++) await warmUp(b, spec, s.warmup);
    gc();
    log(`scaling point ${first} (list actions)…`);
    scaling[first] = await listP95(s, b);
    for (const n of later) {
      await grow(b, n - size);
      size = n;
      log(`scaling point ${n} (list actions)…`);
      scaling[n] = await listP95(s, b);
      if (n !== DEFAULT_SHAPE.orders) continue;
      counts = { ...b.counts };
      if (s.scalingOnly) continue;

      // The full measurements at the default size.
      const acceptCalls = s.warmup + s.samples + s.throughputCalls * s.concurrency.length;
      await fillAcceptPool(b, 0, acceptCalls + 10);
      for (const spec of ACTIONS) {
        log(`${spec.name}…`);
        resetRunIndex();
        gc();
        await warmUp(b, spec, s.warmup);
        const seq = await sequential(b, spec, s.samples, s.replays);
        const tp: Throughput[] = [];
        for (const c of s.concurrency) tp.push(await throughput(b, spec, c, s.throughputCalls));
        actions[spec.name] = { ...seq, throughput: tp };
      }
    }
  } finally {
    await closeBench(b);
  }
  return { loadMs: b.loadMs, loadedAt: first, counts, scaling, actions };
}
