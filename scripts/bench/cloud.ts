// The latency mode's local cloud (`--latency`): in the bench's own process, because it changes the
// cloud's latency and fires its timer between calls. The default run uses a separate process (remote.ts).
import fs from 'fs';
import os from 'os';
import path from 'path';
import { startLocalCloud, type DataCallRecord, type InvocationRecord, type LocalCloud } from '../../local/cloud';
import { stringifyEjson } from '../../local/ejson';
import type { OrderDoc } from '../../cloudfunctions/orders/model';
import type { NoticeDoc } from '../../cloudfunctions/notices/model';
import { request } from './http';
import { BENCH_COMMUNITY, Builder, type Community, writeDataFiles, type Shape } from './data';

export const log = (line: string) => process.stderr.write(`${line}\n`);

export interface Bench {
  builder: Builder;
  community: Community;
  cloud: LocalCloud;
  dataDir: string;
  now: Date;
  loadMs: number;
  counts: Record<string, number>;
  orderIds: string[];
  dispatchedTemplate: OrderDoc;
  feedNotices: string[];
  allDaySpots: string[];
  /** Records of the observe hook since the last reset. */
  invocations: InvocationRecord[];
  dataCalls: DataCallRecord[];
}

export async function openBench(shape: Shape, extra?: (builder: Builder) => void): Promise<Bench> {
  const now = new Date();
  const t0 = performance.now();
  const builder = new Builder(now);
  const { bench: community, allDaySpots } = builder.build(shape);
  extra?.(builder);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cloud-'));
  const written = writeDataFiles(dataDir, builder.out);
  const t1 = performance.now();
  const invocations: InvocationRecord[] = [];
  const dataCalls: DataCallRecord[] = [];
  const cloud = await startLocalCloud({
    dataDir,
    port: 0,
    observe: { invocation: (r) => invocations.push(r), dataCall: (r) => dataCalls.push(r) },
  });
  const t2 = performance.now();
  const orders = (builder.out.get('orders') ?? []) as OrderDoc[];
  const benchOrders = orders.filter((o) => o.communityId === BENCH_COMMUNITY);
  const notices = (builder.out.get('notices') ?? []) as NoticeDoc[];
  const counts = Object.fromEntries([...builder.out].map(([k, v]) => [k, v.length]));
  const dispatchedTemplate = benchOrders.find((o) => o.status === 'dispatched')!;
  log(
    `  ${written} documents (${benchOrders.length} orders in the bench community): built and written in ${ms(t1 - t0)}, ` +
      `cloud opened (indexes built) in ${ms(t2 - t1)}`,
  );
  // The cloud has its own copies now: keep the heap (and GC pauses) to what the cloud needs.
  const feedNotices = notices
    .filter(
      (n) =>
        n.communityId === BENCH_COMMUNITY &&
        n.status === 'published' &&
        n.audience.includes('*') &&
        n.publishAt! <= now &&
        n.visibleUntil > now,
    )
    .map((n) => n._id);
  builder.out.clear();
  return {
    builder,
    community,
    cloud,
    dataDir,
    now,
    loadMs: t2 - t0,
    counts,
    orderIds: benchOrders.map((o) => o._id),
    dispatchedTemplate,
    feedNotices,
    allDaySpots,
    invocations,
    dataCalls,
  };
}

export async function closeBench(b: Bench): Promise<void> {
  await b.cloud.close();
  fs.rmSync(b.dataDir, { recursive: true, force: true });
}

/** Adds `count` older orders (and what they wrote: messages, points) through the data API's bulk insert. */
export async function grow(b: Bench, count: number): Promise<void> {
  const t0 = performance.now();
  const docs = b.builder.collect(() => b.builder.history(b.community, count));
  let n = 0;
  for (const [collection, list] of docs) {
    await bulkInsert(b, collection, list);
    n += list.length;
  }
  const orders = (docs.get('orders') ?? []) as OrderDoc[];
  b.orderIds.push(...orders.map((o) => o._id));
  b.counts = Object.fromEntries(Object.entries(b.counts).map(([k, v]) => [k, v + (docs.get(k)?.length ?? 0)]));
  log(`  +${count} orders (${n} documents) bulk-inserted in ${ms(performance.now() - t0)}`);
}

export const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);

/**
 * fetch, once more when the connection was reset before an answer: the bench and the local cloud
 * share one event loop, and after a long synchronous stretch (a bulk load, a big sweep) the server
 * may close an idle keep-alive socket just as the client reuses it. The request never reached a
 * handler then, so sending it again is safe.
 */
export async function post(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code !== 'ECONNRESET' && code !== 'EPIPE' && code !== 'UND_ERR_SOCKET') throw err;
    return fetch(url, init);
  }
}

/** Calls a function over the gateway, as the mini-program's local mode does; throws unless ok. */
export async function call(b: Bench, fn: string, action: string, payload: unknown, openid: string): Promise<unknown> {
  const res = await post(`${b.cloud.url}/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-openid': openid },
    body: JSON.stringify({ action, payload }),
  });
  const answer = (await res.json()) as { ok: boolean; data?: unknown; error?: { code: string; message: string } };
  if (!answer.ok) throw new Error(`${fn}.${action} as ${openid}: ${answer.error?.code} ${answer.error?.message}`);
  return answer.data;
}

/** Inserts documents, 500 to a data-API call, each on a fresh connection (no keep-alive socket to go stale: http.ts). */
export async function bulkInsert(b: Bench, collection: string, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const body = JSON.stringify({
      action: 'database.insertDocument',
      collectionName: collection,
      data: docs.slice(i, i + 500).map(stringifyEjson),
    });
    const res = await request(`${b.cloud.url}/tcb`, 'POST', body, {}, true);
    const answer = JSON.parse(res.text) as { code?: string; message?: string };
    if (answer.code) throw new Error(`bulk insert into ${collection}: ${answer.code} ${answer.message}`);
  }
}

/** A full collection now, when `npm run bench` exposes it (--expose-gc), so a phase does not pay for the last one's garbage. */
export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
