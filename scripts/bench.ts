// `npm run bench` — how fast the functions answer on the local cloud with a realistic community.
//
// 1. At each size (2 000, 20 000 and 100 000 orders) builds the data set (scripts/bench/data.ts)
//    straight into a temporary data dir and starts the local cloud on it as its own process (`npm
//    start`'s entry, OBSERVE=1: GET /observe reports every invocation and data-API call), noting its
//    start-up time and memory; the bench is the client, over HTTP.
// 2. At each size: every page query the pages send, and every other action's data calls
//    (scripts/bench/scaling.ts).
// 3. At the largest size, each action: server and end-to-end p50/p95/p99, data calls, the store's
//    own time, its reads replayed on the data API, throughput with 1, 8 and 32 distinct callers.
//
// Writes bench/results.json (bench/results.partial.json after each phase), then prints tables. `--quick`
// for a short run (fewer samples, no 100 000 point); `--scaling-only` for the scaling part alone; `--out <file>` to write elsewhere.
// `--data <dir>` (or BENCH_DATA) keeps each size's built data in <dir>/<orders>/ and reuses it on later
// runs (the cloud runs on a copy); `--prepare` only builds it. `--only <name,…>` measures those actions
// alone; `--paired` runs every size's cloud at once and takes each page query's samples on them in turn
// (the same load for every size: a busy machine's growth ratios); BENCH_CLOUD_NODE_ARGS adds node flags to the cloud process (e.g. `--cpu-prof`).
import fs from 'fs';
import path from 'path';
import { latencyBench } from './bench/latency';
import { printLatency, printStandard, writeLatency, writeStandard } from './bench/report';
import { type Settings, standardBench } from './bench/scaling';
import { DEFAULT_SHAPE } from './bench/data';
import { prepare } from './bench/remote';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const SCALING_ONLY = args.includes('--scaling-only');
const OUT = path.resolve(
  args.includes('--out') ? args[args.indexOf('--out') + 1] : path.join(__dirname, '../bench/results.json'),
);

/** `--latency 20,50`: the latency mode (every action against its timeout); `--orders N` its size (default 100 000). */
const LATENCIES = args.includes('--latency') ? args[args.indexOf('--latency') + 1].split(',').map((x) => Number(x)) : undefined;
const LATENCY_ORDERS = args.includes('--orders') ? Number(args[args.indexOf('--orders') + 1]) : 100_000;

/** `--data <dir>` (or BENCH_DATA): keep each size's built data there and reuse it on later runs. */
const KEEP_DIR = args.includes('--data') ? args[args.indexOf('--data') + 1] : process.env.BENCH_DATA || undefined;
/** `--prepare`: only build the kept data of every size (needs --data), measure nothing. */
const PREPARE = args.includes('--prepare');

const SETTINGS: Settings = {
  quick: QUICK,
  scalingOnly: SCALING_ONLY,
  samples: QUICK ? 30 : 80,
  throughputCalls: QUICK ? 32 : 64,
  concurrency: [1, 8, 32],
  warmup: QUICK ? 3 : 8,
  // `--points 100000`: other sizes (the first is built straight into the data files, later ones grown).
  scalePoints: args.includes('--points')
    ? args[args.indexOf('--points') + 1].split(',').map(Number)
    : QUICK
      ? [2_000, 20_000]
      : [2_000, 20_000, 100_000],
  keepDir: KEEP_DIR,
  paired: args.includes('--paired'),
  only: args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined,
  scaleSamples: QUICK ? 20 : 60,
  callSamples: QUICK ? 3 : 5,
  replays: QUICK ? 10 : 30,
  checkpoint: (partial) => fs.writeFileSync(OUT.replace(/\.json$/, '.partial.json'), JSON.stringify(partial, null, 1)),
};

async function main(): Promise<void> {
  const started = performance.now();
  if (PREPARE) {
    if (!KEEP_DIR) throw new Error('--prepare needs --data <dir> (or BENCH_DATA)');
    for (const n of SETTINGS.scalePoints) fs.rmSync(prepare({ ...DEFAULT_SHAPE, orders: n }, { keepDir: KEEP_DIR }).dataDir, { recursive: true });
    return;
  }
  if (LATENCIES) {
    const results = await latencyBench(LATENCIES, LATENCY_ORDERS, KEEP_DIR);
    printLatency(LATENCIES, results, performance.now() - started);
    writeLatency(OUT.replace(/\.json$/, `-latency.json`), LATENCIES, LATENCY_ORDERS, results);
    return;
  }
  const run = await standardBench(SETTINGS);
  const total = performance.now() - started;
  writeStandard(OUT, SETTINGS, run, total);
  fs.rmSync(OUT.replace(/\.json$/, '.partial.json'), { force: true });
  printStandard(SETTINGS, run, total);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
