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
import path from 'path';
import { latencyBench } from './bench/latency';
import { printLatency, printStandard, writeLatency, writeStandard } from './bench/report';
import { type Settings, standardBench } from './bench/scaling';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const SCALING_ONLY = args.includes('--scaling-only');
const OUT = path.resolve(
  args.includes('--out') ? args[args.indexOf('--out') + 1] : path.join(__dirname, '../bench/results.json'),
);

/** `--latency 20,50`: the latency mode (every action against its timeout); `--orders N` its size (default 100 000). */
const LATENCIES = args.includes('--latency') ? args[args.indexOf('--latency') + 1].split(',').map((x) => Number(x)) : undefined;
const LATENCY_ORDERS = args.includes('--orders') ? Number(args[args.indexOf('--orders') + 1]) : 100_000;

const SETTINGS: Settings = {
  quick: QUICK,
  scalingOnly: SCALING_ONLY,
  samples: QUICK ? 30 : 100,
  throughputCalls: QUICK ? 32 : 96,
  concurrency: [1, 8, 32],
  warmup: QUICK ? 3 : 8,
  scalePoints: QUICK ? [2_000, 20_000] : [2_000, 20_000, 100_000],
  scaleSamples: QUICK ? 20 : 60,
  callSamples: QUICK ? 3 : 5,
  replays: QUICK ? 10 : 30,
};

async function main(): Promise<void> {
  const started = performance.now();
  if (LATENCIES) {
    const results = await latencyBench(LATENCIES, LATENCY_ORDERS);
    printLatency(LATENCIES, results, performance.now() - started);
    writeLatency(OUT.replace(/\.json$/, `-latency.json`), LATENCIES, LATENCY_ORDERS, results);
    return;
  }
  const run = await standardBench(SETTINGS);
  const total = performance.now() - started;
  printStandard(SETTINGS, run, total);
  writeStandard(OUT, SETTINGS, run, total);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
