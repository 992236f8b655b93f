// What a run prints (tables on stdout) and writes (JSON), for the default run and the latency mode.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { ACTIONS } from './actions';
import { log, ms } from './cloud';
import { DEFAULT_SHAPE } from './data';
import type { LatencyRow } from './latency';
import { summarise, table } from './measure';
import type { Settings, StandardRun } from './scaling';

const fix = (x: number) => (x >= 100 ? String(Math.round(x)) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export function printStandard(s: Settings, run: StandardRun, totalMs: number): void {
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
    const r = run.actions[spec.name];
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
  const { scaling } = run;
  const points = Object.keys(scaling)
    .map(Number)
    .sort((x, y) => x - y);
  const srows: (string | number)[][] = [['server p95 (p50) ms', ...points.map((p) => `${p} orders`), 'db calls']];
  const qrows: (string | number)[][] = [['store p95 (p50) ms', ...points.map((p) => `${p} orders`)]];
  const erows: (string | number)[][] = [['docs read per call (scans)', ...points.map((p) => `${p} orders`)]];
  for (const spec of ACTIONS.filter((a) => a.list)) {
    const at = (p: number) => scaling[p][spec.name];
    srows.push([spec.name, ...points.map((p) => `${fix(at(p).p95)} (${fix(at(p).p50)})`), at(points[0]).dbCalls]);
    qrows.push([spec.name, ...points.map((p) => `${fix(at(p).storeP95)} (${fix(at(p).storeP50)})`)]);
    erows.push([spec.name, ...points.map((p) => `${at(p).examined ?? '?'} (${at(p).scans ?? '?'})`)]);
  }
  console.log(`\n邻里帮 bench — ${new Date().toISOString()}${s.quick ? ' (quick)' : ''}`);
  console.log(
    `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}; ${s.samples} sequential samples, ${s.throughputCalls} calls per concurrency level`,
  );
  console.log(
    `data at ${DEFAULT_SHAPE.orders} orders: ${Object.entries(run.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; loaded in ${ms(run.loadMs)} (at ${run.loadedAt} orders)\n`,
  );
  console.log(
    "server time = inside the function host (gateway → main → answer); store = the data-API calls' own time; replay = the same read calls sent straight to the data API",
  );
  if (rows.length > 1) console.log(table(rows));
  console.log('\nscaling of the list actions (server time, bench community with N orders; the rest of the data unchanged)');
  console.log(table(srows));
  console.log(table(qrows));
  console.log(
    "\ndocuments the local cloud's index walks looked at in one call (most over the samples), and reads that were scans",
  );
  console.log(table(erows));
  console.log(`\ntotal ${ms(totalMs)}`);
}

export function writeStandard(out: string, s: Settings, run: StandardRun, totalMs: number): void {
  writeJson(out, {
    date: new Date().toISOString(),
    quick: s.quick,
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    settings: {
      samples: s.samples,
      throughputCalls: s.throughputCalls,
      concurrency: s.concurrency,
      scaleSamples: s.scaleSamples,
      replays: s.replays,
    },
    data: { shape: DEFAULT_SHAPE, documents: run.counts, loadMs: Math.round(run.loadMs), loadedAt: run.loadedAt },
    actions: run.actions,
    scaling: run.scaling,
    totalMs: Math.round(totalMs),
  });
}

export function printLatency(latencies: number[], results: Record<number, LatencyRow[]>, totalMs: number): void {
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
  console.log(`\ntotal ${ms(totalMs)}`);
}

export function writeLatency(out: string, latencies: number[], orders: number, results: Record<number, LatencyRow[]>): void {
  writeJson(out, {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    orders,
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
  });
}

function writeJson(out: string, value: object): void {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(value, null, 2) + '\n');
  log(`wrote ${path.relative(process.cwd(), out)}`);
}
