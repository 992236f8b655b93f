// Start-up time and memory of the local cloud on the bench data set (docs/local-store.md).
//
//   node -r ./local/register.js scripts/store-load.ts build <orders> <dir>   writes the data files once
//   node -r ./local/register.js scripts/store-load.ts start <dir> [--keep]   a cold start on a copy of them
//   node --expose-gc -r ./local/register.js scripts/store-load.ts phases <dir>   per collection: µs and bytes a document, phase by phase
//
// `start` copies <dir> to a temp dir first (a start rewrites the files it loads, so every run starts
// from the same bytes), then times startLocalCloud alone and prints one JSON line: wall and CPU
// seconds, peak RSS (VmHWM), heap after a full GC, documents per collection. Run it with
// `--expose-gc` for the heap figure and `--cpu-prof` for a profile.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startLocalCloud } from '../local/cloud';
import { DEFAULT_DATABASE_CONFIG, loadDatabaseConfig } from '../local/database-config';
import { IdIndex } from '../local/id-index';
import { loadDataFile } from '../local/loader';
import { OrderedIndex } from '../local/ordered-index';
import { Builder, DEFAULT_SHAPE, writeDataFiles } from './bench/data';

function vm(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function build(orders: number, dir: string): void {
  const builder = new Builder(new Date());
  builder.build({ ...DEFAULT_SHAPE, orders });
  fs.rmSync(dir, { recursive: true, force: true });
  const n = writeDataFiles(dir, builder.out);
  const sizes = Object.fromEntries(
    [...builder.out].map(([name, docs]) => [name, { docs: docs.length, mb: mb(fs.statSync(path.join(dir, `${name}.db`)).size) }]),
  );
  console.log(JSON.stringify({ orders, documents: n, collections: sizes }));
}

async function start(dir: string, keep: boolean): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-load-'));
  fs.cpSync(dir, dataDir, { recursive: true });
  const rssBefore = vm('VmRSS');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const cloud = await startLocalCloud({ dataDir, port: 0 });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peak = vm('VmHWM');
  (globalThis as { gc?: () => void }).gc?.();
  const heap = process.memoryUsage();
  const t1 = performance.now();
  await cloud.close();
  const closeS = (performance.now() - t1) / 1000;
  if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      startS: +wall.toFixed(2),
      cpuS: +((cpu.user + cpu.system) / 1e6).toFixed(2),
      peakRssMb: mb(peak),
      rssBeforeMb: mb(rssBefore),
      heapUsedMb: mb(heap.heapUsed),
      rssAfterGcMb: mb(heap.rss),
      closeS: +closeS.toFixed(2),
      ...(keep ? { dataDir } : {}),
    }),
  );
}

/** Per collection: µs per document (CPU) and bytes per document kept in the heap, phase by phase. */
function phases(dir: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run phases with --expose-gc');
  const config = loadDatabaseConfig(DEFAULT_DATABASE_CONFIG);
  const keep: unknown[] = [];
  const heap = () => {
    gc();
    return process.memoryUsage().heapUsed;
  };
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  for (const spec of config.collections) {
    const file = path.join(dir, `${spec.name}.db`);
    if (!fs.existsSync(file)) continue;
    const h0 = heap();
    let c0 = cpu();
    const loaded = loadDataFile(file);
    const parseMs = cpu() - c0;
    const h1 = heap();
    c0 = cpu();
    const ids = new IdIndex();
    ids.insert(loaded.docs);
    const idMs = cpu() - c0;
    const h2 = heap();
    c0 = cpu();
    const ordered = spec.indexes.map((idx) => {
      const ix = new OrderedIndex(idx);
      ix.reset(loaded.docs);
      return ix;
    });
    const orderedMs = cpu() - c0;
    const h3 = heap();
    keep.push(loaded, ids, ordered);
    const n = loaded.docs.length || 1;
    const per = (x: number) => Math.round(x / n);
    const us = (ms: number) => +((ms * 1000) / n).toFixed(1);
    console.log(
      JSON.stringify({
        collection: spec.name,
        docs: loaded.docs.length,
        indexes: spec.indexes.length,
        fileBytesPerDoc: per(fs.statSync(file).size),
        docBytes: per(h1 - h0),
        idIndexBytes: per(h2 - h1),
        orderedBytes: per(h3 - h2),
        parseUs: us(parseMs),
        idIndexUs: us(idMs),
        orderedUs: us(orderedMs),
      }),
    );
  }
  console.log(JSON.stringify({ heapMb: mb(heap()), peakRssMb: mb(vm('VmHWM')) }));
}

const [cmd, a, b] = process.argv.slice(2);
if (cmd === 'build' && a && b) build(Number(a), b);
else if (cmd === 'phases' && a) phases(a);
else if (cmd === 'start' && a)
  start(a, process.argv.includes('--keep')).catch((err) => {
    console.error(err);
    process.exit(1);
  });
else {
  console.error('usage: store-load.ts build <orders> <dir> | start <dir> [--keep] | phases <dir>');
  process.exit(2);
}
