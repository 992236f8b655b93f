// Per-action measurements: sequential samples (server time, data-API calls, store time and a
// replay of the reads on the data API), throughput at a given concurrency, and the warm-up.
import type { DataCallRecord } from '../../local/cloud';
import type { ActionSpec } from './actions';
import { type Bench, call, post } from './cloud';
import { runConcurrent, summarise, type Summary } from './measure';

/** Run index for writes: counts on across phases, so no two calls of a write action share their input. */
let unique = 0;

/** Each write action numbers its calls from 0: request ids, the accept pool (bo_pool_0…), booking slots. */
export function resetRunIndex(): void {
  unique = 0;
}

export interface Sequential {
  server: Summary;
  client: Summary;
  dbCalls: Summary;
  /** Sum of the data-API calls' own time per action. */
  store: Summary;
  /** The action's read calls replayed straight on the data API (client round trips). */
  replay?: Summary;
  /** Most documents the local cloud's index walks looked at in one call (observe's `read`). */
  examined: number;
  /** Reads answered by a scan instead of an index walk, over all samples. */
  scans: number;
}

export async function sequential(b: Bench, spec: ActionSpec, samples: number, replays: number): Promise<Sequential> {
  const server: number[] = [];
  const client: number[] = [];
  const dbCalls: number[] = [];
  const store: number[] = [];
  let captured: DataCallRecord[] = [];
  let examined = 0;
  let scans = 0;
  for (let s = 0; s < samples; s++) {
    const i = spec.writes ? unique++ : s;
    b.invocations.length = 0;
    b.dataCalls.length = 0;
    const t0 = performance.now();
    await call(b, spec.fn, spec.action, spec.payload(i, b), spec.openid(i));
    client.push(performance.now() - t0);
    const inv = b.invocations.find((r) => r.fn === spec.fn && r.source === 'http');
    if (!inv) throw new Error(`no invocation record for ${spec.name}`);
    server.push(inv.ms);
    dbCalls.push(inv.dataCalls);
    store.push(b.dataCalls.reduce((sum, c) => sum + c.ms, 0));
    for (const c of b.dataCalls) {
      if (c.read?.plan === 'scan') scans++;
      examined = Math.max(examined, c.read?.examined ?? 0);
    }
    if (s === samples - 1) captured = [...b.dataCalls];
  }
  const result: Sequential = {
    server: summarise(server),
    client: summarise(client),
    dbCalls: summarise(dbCalls),
    store: summarise(store),
    examined,
    scans,
  };
  if (!spec.writes) {
    const reads = captured.filter((c) => c.action === 'database.getDocument' || c.action === 'database.calculateDocument');
    const bodies = reads.map((c) => JSON.stringify(c.body));
    const replay: number[] = [];
    for (let r = 0; r < replays; r++) {
      const t0 = performance.now();
      for (const body of bodies) {
        const res = await post(`${b.cloud.url}/tcb`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.text();
      }
      replay.push(performance.now() - t0);
    }
    result.replay = summarise(replay);
  }
  return result;
}

export interface Throughput {
  concurrency: number;
  calls: number;
  perSecond: number;
  server: Summary;
}

export async function throughput(b: Bench, spec: ActionSpec, concurrency: number, calls: number): Promise<Throughput> {
  b.invocations.length = 0;
  b.dataCalls.length = 0;
  const base = spec.writes ? unique : 0;
  if (spec.writes) unique += calls;
  const wall = await runConcurrent(calls, concurrency, async (k) => {
    const i = base + k;
    await call(b, spec.fn, spec.action, spec.payload(i, b), spec.openid(i));
  });
  const server = summarise(b.invocations.filter((r) => r.fn === spec.fn && r.source === 'http').map((r) => r.ms));
  return { concurrency, calls, perSecond: Math.round((calls / wall) * 1000 * 10) / 10, server };
}

export async function warmUp(b: Bench, spec: ActionSpec, count: number): Promise<void> {
  for (let w = 0; w < count; w++) {
    const i = spec.writes ? unique++ : 10_000 + w;
    await call(b, spec.fn, spec.action, spec.payload(i, b), spec.openid(i));
  }
}
