// What a run prints (tables on stdout) and writes (JSON), for the default run and the latency mode.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { ACTIONS } from './actions';
import { log, ms } from './remote';
import { DEFAULT_SHAPE } from './data';
import type { LatencyRow } from './latency';
import { summarise, table } from './measure';
import type { ActionResult, Settings, StandardRun } from './scaling';

/** Error answers by code, e.g. `E_INTERNAL×3`; with the throughput levels they happened at. */
const errorText = (r: ActionResult): string => {
  const parts = Object.entries(r.errors).map(([code, n]) => `${code}×${n}`);
  for (const t of r.throughput) for (const [code, n] of Object.entries(t.errors)) parts.push(`${code}×${n} c=${t.concurrency}`);
  return parts.join(' ');
};

const fix = (x: number) => (x >= 100 ? String(Math.round(x)) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export function printStandard(s: Settings, run: StandardRun, totalMs: number): void {
  const points = Object.keys(run.scaling)
    .map(Number)
    .sort((x, y) => x - y);
  const [lo, hi] = [points[0], points[points.length - 1]];
  console.log(`\n邻里帮 bench — ${new Date().toISOString()}${s.quick ? ' (quick)' : ''}`);
  console.log(
    `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}; load average ${run.load.start.map(fix).join(' ')} at the start, ${run.load.end.map(fix).join(' ')} at the end${run.load.during ? `, 1-min ${fix(run.load.during.min)}–${fix(run.load.during.max)} (mean ${fix(run.load.during.mean)}) during` : ''}`,
  );
  console.log(
    `documents at ${hi} orders: ${Object.entries(run.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log('\nthe local cloud process at each size (start = spawn → /healthz ok; MB)');
  const mrows: (string | number)[][] = [
    ['orders', 'documents', 'start s', 'quiet s', 'RSS', 'peak RSS', 'heap used', 'RSS after runs', 'peak after runs'],
  ];
  for (const p of run.starts)
    mrows.push([
      String(p.orders),
      String(p.documents),
      p.startMs / 1000,
      (p.settledMs ?? NaN) / 1000,
      p.atStart.rssMb,
      p.atStart.hwmMb,
      p.atStart.heapUsedMb,
      p.atEnd?.rssMb ?? NaN,
      p.atEnd?.hwmMb ?? NaN,
    ]);
  console.log(table(mrows));

  console.log(
    `\npage queries at each size: server p50 (p95) ms; end to end p50 at the bench; growth = server p50 at ${hi} / at ${lo}`,
  );
  const srows: (string | number)[][] = [
    ['page query', ...points.map((p) => `${p}`), ...points.map((p) => `e2e ${p}`), 'growth', 'db calls', 'docs read', 'scans'],
  ];
  for (const spec of ACTIONS.filter((a) => a.list && run.scaling[lo][a.name])) {
    const at = (p: number) => run.scaling[p][spec.name];
    srows.push([
      spec.name,
      ...points.map((p) => `${fix(at(p).p50)} (${fix(at(p).p95)})`),
      ...points.map((p) => at(p).clientP50),
      at(hi).p50 / at(lo).p50,
      points.map((p) => at(p).dbCalls).join('/'),
      points.map((p) => at(p).examined).join('/'),
      points.reduce((n, p) => n + at(p).scans, 0),
    ]);
  }
  console.log(table(srows));

  console.log('\ndata calls per call (p50, max) of every action at each size');
  const crows: (string | number)[][] = [
    ['action', ...points.map((p) => `${p}`), ...points.map((p) => `server p50 ${p}`), 'errors'],
  ];
  for (const spec of ACTIONS.filter((a) => run.scaling[lo][a.name])) {
    const at = (p: number) => run.scaling[p][spec.name];
    const errors = points.flatMap((p) => Object.entries(at(p).errors).map(([c, n]) => `${c}×${n} at ${p}`)).join(' ');
    crows.push([
      spec.name,
      ...points.map((p) => `${at(p).dbCalls} (${at(p).dbCallsMax})`),
      ...points.map((p) => at(p).p50),
      errors,
    ]);
  }
  console.log(table(crows));

  const rows: (string | number)[][] = [
    [
      'action',
      'p50',
      'p95',
      'p99',
      'e2e p50',
      'e2e p95',
      'db calls',
      'store',
      'replay',
      'x replay',
      '/s c=1',
      '/s c=8',
      '/s c=32',
      'e2e p95 c=32',
      'errors',
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
      r.client.p50,
      r.client.p95,
      r.dbCalls.p50,
      r.store.p50,
      r.replay ? r.replay.p50 : NaN,
      r.replay && r.replay.p50 > 0 ? r.server.p50 / r.replay.p50 : NaN,
      ...r.throughput.map((t) => t.perSecond),
      r.throughput[r.throughput.length - 1].client.p95,
      errorText(r),
    ]);
  }
  if (rows.length > 1) {
    console.log(
      `\nevery action at ${run.actionsAt} orders (ms): server = inside the function host; e2e = at the bench, another process; store = the data calls' own time; replay = its reads sent again from the bench to the data API; x replay = server p50 / replay p50`,
    );
    console.log(table(rows));
  }
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
      loadAverage: run.load,
    },
    settings: {
      samples: s.samples,
      throughputCalls: s.throughputCalls,
      concurrency: s.concurrency,
      scaleSamples: s.scaleSamples,
      callSamples: s.callSamples,
      replays: s.replays,
    },
    data: { shape: DEFAULT_SHAPE, documents: run.counts, loadedAt: run.loadedAt },
    cloudProcess: run.starts,
    scaling: run.scaling,
    actionsAt: run.actionsAt,
    actions: run.actions,
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
        max,
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
          max: +Math.max(...r.ms).toFixed(1),
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
