// Start-up time and memory of the local cloud on the bench data set (docs/local-store.md).
//
//   node -r ./local/register.js scripts/store-load.ts build <orders> <dir>   writes the data files once
//   node -r ./local/register.js scripts/store-load.ts start <dir> [--keep]   a cold start on a copy of them
//
// `start` copies <dir> to a temp dir first (a start rewrites the files it loads, so every run starts
// from the same bytes), then times startLocalCloud alone and prints one JSON line: wall and CPU
// seconds, peak RSS (VmHWM), heap after a full GC, documents per collection. Run it with
// `--expose-gc` for the heap figure and `--cpu-prof` for a profile.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startLocalCloud } from '../local/cloud';
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

const [cmd, a, b] = process.argv.slice(2);
if (cmd === 'build' && a && b) build(Number(a), b);
else if (cmd === 'start' && a)
  start(a, process.argv.includes('--keep')).catch((err) => {
    console.error(err);
    process.exit(1);
  });
else {
  console.error('usage: store-load.ts build <orders> <dir> | start <dir> [--keep]');
  process.exit(2);
}
