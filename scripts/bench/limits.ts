// What the rate limiter costs (docs/performance.md, "Rate limits"): one resident's orders.create
// through a window — the first (the counter is inserted), a later allowed one (insert refused,
// then the increment), the first refusal (also marks the counter) and a later refusal — with its
// data calls and its time at each latency. A fresh local cloud with the demo seed; median of runs.
//   node -r ./local/register.js scripts/bench/limits.ts [--latency 0,20,50] [--runs 5]
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startLocalCloud, type InvocationRecord } from '../../local/cloud';
import { seedIfEmpty, DEMO_INVITES } from '../../local/seed';
import { LIMITS } from '../../cloudfunctions/common/limits';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const LATENCIES = arg('latency', '0,20,50').split(',').map(Number);
const RUNS = Number(arg('runs', '5'));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-limits-'));
  const records: InvocationRecord[] = [];
  const cloud = await startLocalCloud({ port: 0, dataDir, observe: { invocation: (r) => records.push(r) } });
  await seedIfEmpty(cloud);
  const rows: string[] = ['| latency | call | answer | data calls | ms (median) |', '|---|---|---|---|---|'];
  let person = 0;
  for (const latency of LATENCIES) {
    const samples = new Map<string, { code: string; calls: number; ms: number[] }>();
    for (let run = 0; run < RUNS; run++) {
      cloud.setLatency(0);
      const openid = `bench-limit-${++person}`;
      await cloud.invoke(
        'member',
        { action: 'join', payload: { inviteCode: DEMO_INVITES.autoApprove, name: '压测', room: '1' } },
        openid,
      );
      cloud.setLatency(latency);
      const create = async (label: string, n: number) => {
        records.length = 0;
        const payload = {
          serviceId: 'demo:errand',
          description: '压测',
          requestId: `${openid}-${n}`.replace(/[^A-Za-z0-9_-]/g, '-'),
        };
        const res = await cloud.invoke('orders', { action: 'create', payload }, openid);
        const rec = records.find((r) => r.fn === 'orders')!;
        const s = samples.get(label) ?? { code: res.ok ? 'OK' : res.error.code, calls: rec.dataCalls, ms: [] };
        s.ms.push(rec.ms);
        samples.set(label, s);
      };
      await create('first of the window', 0);
      await create('later, allowed', 1);
      cloud.setLatency(0);
      for (let n = 2; n < LIMITS.order.max; n++)
        await cloud.invoke(
          'orders',
          {
            action: 'create',
            payload: {
              serviceId: 'demo:errand',
              description: '压测',
              requestId: `${openid}-${n}`.replace(/[^A-Za-z0-9_-]/g, '-'),
            },
          },
          openid,
        );
      cloud.setLatency(latency);
      await create('first refusal', LIMITS.order.max);
      await create('later refusal', LIMITS.order.max + 1);
    }
    for (const [label, s] of samples)
      rows.push(`| ${latency} ms | ${label} | ${s.code} | ${s.calls} | ${median(s.ms).toFixed(1)} |`);
  }
  await cloud.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`${rows.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
