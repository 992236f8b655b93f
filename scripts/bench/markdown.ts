// The tables of docs/performance.md and the README from a results file:
//   node -r ./local/register.js scripts/bench/markdown.ts [bench/results.json]
// (a partial file from a run still going works too: the tables it has figures for).
import fs from 'fs';
import path from 'path';
import { ACTIONS } from './actions';
import type { ActionResult, PointResult, StandardRun } from './scaling';
import type { StartPoint } from './remote';

const file = path.resolve(process.argv[2] ?? path.join(__dirname, '../../bench/results.json'));
const run = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<StandardRun> & {
  cloudProcess?: StartPoint[];
  machine?: { loadAverage?: { start: number[]; end: number[]; during?: { min: number; max: number; mean: number } } };
};
const starts = run.cloudProcess ?? run.starts ?? [];
const scaling = run.scaling ?? {};
const points = Object.keys(scaling)
  .map(Number)
  .sort((x, y) => x - y);
const f = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? '–' : x >= 100 ? String(Math.round(x)) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
const out: string[] = [];
const load = run.machine?.loadAverage;
if (load) {
  const during = load.during;
  out.push(
    `Load average (1 / 5 / 15 min): ${load.start.map((x) => x.toFixed(1)).join(' / ')} at the start, ${load.end.map((x) => x.toFixed(1)).join(' / ')} at the end${during ? `; the 1-minute figure every 15 s during the run: ${during.min.toFixed(1)}–${during.max.toFixed(1)}, mean ${during.mean.toFixed(1)}` : ''}.\n`,
  );
}
const row = (cells: (string | number)[]) => out.push(`| ${cells.join(' | ')} |`);
const head = (cells: string[]) => {
  row(cells);
  row(cells.map(() => '---'));
};

if (starts.length) {
  out.push(
    '**The local cloud process at each size** (start = spawn → `/healthz` ok; quiet = spawn → its CPU under a tenth of a core, when measuring begins; MB; after = after that size’s measurements)\n',
  );
  head(['orders', 'documents', 'start-up', 'quiet', 'RSS', 'peak RSS', 'heap used', 'RSS after', 'peak after']);
  for (const p of starts)
    row([
      p.orders.toLocaleString('en').replace(/,/g, ' '),
      p.documents.toLocaleString('en').replace(/,/g, ' '),
      `${(p.startMs / 1000).toFixed(1)} s`,
      p.settledMs === undefined ? '–' : `${(p.settledMs / 1000).toFixed(1)} s`,
      p.atStart.rssMb,
      p.atStart.hwmMb,
      p.atStart.heapUsedMb,
      p.atEnd?.rssMb ?? '–',
      p.atEnd?.hwmMb ?? '–',
    ]);
  out.push('');
}

if (points.length) {
  const [lo, hi] = [points[0], points[points.length - 1]];
  const at = (p: number, name: string): PointResult | undefined => scaling[p]?.[name];
  out.push(
    `**Page queries**: server p50 ms at each size (e2e p50 at the largest), growth = p50 at ${k(hi)} / at ${k(lo)} (store growth: the same for the data calls' own time), data calls, documents read per call\n`,
  );
  head([
    'page query',
    ...points.map((p) => `${k(p)}`),
    `e2e ${k(hi)}`,
    'growth',
    'store growth',
    'db calls',
    'docs read',
    'scans',
    'reading',
  ]);
  for (const spec of ACTIONS.filter((a) => a.list)) {
    const rs = points.map((p) => at(p, spec.name));
    if (rs.some((r) => !r)) continue;
    const [first, last] = [rs[0]!, rs[rs.length - 1]!];
    // Within 1.5×; else what grew: the documents the walk read (the page fills, or a defect), or only the time (load).
    const reading =
      last.scans || first.scans
        ? 'scan: defect'
        : last.p50 / first.p50 <= 1.5
          ? 'within 1.5×'
          : last.examined > first.examined * 1.1
            ? `reads ${first.examined} → ${last.examined} docs`
            : 'same docs: time only';
    row([
      `\`${spec.name}\``,
      ...rs.map((r) => f(r!.p50)),
      f(rs[rs.length - 1]!.clientP50),
      `${f(rs[rs.length - 1]!.p50 / rs[0]!.p50)}×`,
      `${f(rs[rs.length - 1]!.storeP50 / rs[0]!.storeP50)}×`,
      [...new Set(rs.map((r) => r!.dbCalls))].join(' / '),
      rs.map((r) => r!.examined).join(' / '),
      rs.reduce((n, r) => n + r!.scans, 0),
      reading,
    ]);
  }
  out.push('');
  out.push(
    `**Against the bare store at each size**: server p50 / replay p50 (the same reads sent straight to the data API, one after another, from the bench)\n`,
  );
  head(['page query', ...points.map((p) => `x replay ${k(p)}`), ...points.map((p) => `replay ${k(p)} ms`)]);
  for (const spec of ACTIONS.filter((a) => a.list)) {
    const rs = points.map((p) => at(p, spec.name));
    if (rs.some((r) => !r?.replayP50)) continue;
    row([`\`${spec.name}\``, ...rs.map((r) => `${f(r!.p50 / r!.replayP50!)}×`), ...rs.map((r) => f(r!.replayP50))]);
  }
  out.push('');
  out.push(`**Data calls per call** (p50, max over the samples) of every other action at each size, and its server p50 ms\n`);
  head(['action', ...points.map((p) => `calls at ${k(p)}`), ...points.map((p) => `p50 ${k(p)}`), 'errors']);
  for (const spec of ACTIONS.filter((a) => !a.list)) {
    const rs = points.map((p) => at(p, spec.name));
    if (rs.some((r) => !r)) continue;
    const errors = points.flatMap((p) => Object.entries(at(p, spec.name)!.errors ?? {}).map(([c, n]) => `${c}×${n} at ${k(p)}`));
    row([
      `\`${spec.name}\``,
      ...rs.map((r) => (r!.dbCalls === r!.dbCallsMax ? String(r!.dbCalls) : `${r!.dbCalls} (${r!.dbCallsMax})`)),
      ...rs.map((r) => f(r!.p50)),
      errors.join(' ') || '–',
    ]);
  }
  out.push('');
}

const actions = run.actions ?? {};
if (Object.keys(actions).length) {
  out.push(
    `**Every action at ${k(run.actionsAt ?? points[points.length - 1])} orders** (ms; /s = calls answered per second with 1 / 8 / 32 distinct callers)\n`,
  );
  head([
    'action',
    'server p50 / p95 / p99',
    'e2e p50 / p95',
    'db calls',
    'store',
    'replay',
    'x replay',
    '/s c=1 / 8 / 32',
    'e2e p95 c=32',
    'errors',
  ]);
  for (const spec of ACTIONS) {
    const r: ActionResult | undefined = actions[spec.name];
    if (!r) continue;
    const errors = [
      ...Object.entries(r.errors ?? {}).map(([c, n]) => `${c}×${n}`),
      ...r.throughput.flatMap((t) => Object.entries(t.errors ?? {}).map(([c, n]) => `${c}×${n} c=${t.concurrency}`)),
    ];
    row([
      `\`${spec.name}\``,
      `${f(r.server.p50)} / ${f(r.server.p95)} / ${f(r.server.p99)}`,
      `${f(r.client.p50)} / ${f(r.client.p95)}`,
      r.dbCalls.p50,
      f(r.store.p50),
      f(r.replay?.p50),
      r.replay ? `${f(r.server.p50 / r.replay.p50)}×` : '–',
      r.throughput.map((t) => f(t.perSecond)).join(' / '),
      f(r.throughput[r.throughput.length - 1].client.p95),
      errors.join(' ') || '–',
    ]);
  }
}
process.stdout.write(`${out.join('\n')}\n`);
