// Where a write's time goes in the local store at a size (docs/local-store.md, "Writes at 100 000 orders").
//
//   node --expose-gc -r ./local/register.js scripts/store-writes.ts <kept data dir> [callers] [rounds]
//
// Opens a Store on a copy of the order-loop collections of a data set the bench kept (`npm run bench
// -- --prepare --data <dir>`: e.g. <dir>/100000), then runs `callers` order loops at once, `rounds`
// times: each a compare-and-set update of a running order (status, clock, a timeline entry, as a
// step of the loop does), an audit row and two messages. Prints, per kind of write, the time inside
// the collection's lock (p50 / p95 / max), the wait for the lock, and how much of the held time went
// to the ordered indexes, nedb's own `_id` index and the append to the data file.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { loadDatabaseConfig } from '../local/database-config';
import { OrderedIndex } from '../local/ordered-index';
import { Store } from '../local/store';
import { IdIndex } from '../local/id-index';
import Persistence from '@seald-io/nedb/lib/persistence.js';

const [dir, callersArg, roundsArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: store-writes.ts <kept data dir> [callers] [rounds]');
const CALLERS = Number(callersArg ?? 32);
const ROUNDS = Number(roundsArg ?? 4);

/** Time spent in a method, summed while `on`. */
const spent: Record<string, number> = {};
function meter(proto: object, method: string, label: string): void {
  const target = proto as Record<string, (...a: unknown[]) => unknown>;
  const original = target[method];
  target[method] = function (this: unknown, ...a: unknown[]) {
    const t0 = performance.now();
    const out = original.apply(this, a);
    if (out instanceof Promise)
      return out.finally(() => {
        spent[label] = (spent[label] ?? 0) + performance.now() - t0;
      });
    spent[label] = (spent[label] ?? 0) + performance.now() - t0;
    return out;
  };
}
meter(OrderedIndex.prototype, 'insert', 'ordered indexes');
meter(OrderedIndex.prototype, 'remove', 'ordered indexes');
meter(OrderedIndex.prototype, 'update', 'ordered indexes');
meter(IdIndex.prototype, 'insert', '_id index');
meter(IdIndex.prototype, 'update', '_id index');
meter(Persistence.prototype, 'persistNewStateAsync', 'append to the file');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-writes-'));
  for (const name of ['orders', 'messages', 'audit'])
    if (fs.existsSync(path.join(dir, `${name}.db`))) fs.copyFileSync(path.join(dir, `${name}.db`), path.join(dataDir, `${name}.db`));
  const t0 = performance.now();
  const store = new Store(dataDir, loadDatabaseConfig());
  await store.open();
  console.log(`opened in ${r1((performance.now() - t0) / 1000)} s`);
  const running = (await store.find('orders', { communityId: 'bench', status: 'in_service' }, { limit: 1 }))[0];
  if (!running) throw new Error('no in_service order in the bench community');

  // Queued → done of each write (the collection's lock is the store's own: with many callers this
  // includes the wait for it); the metered methods below say what the held time went to.
  const held: Record<string, number[]> = {};
  const timed = async <T>(kind: string, write: () => Promise<T>): Promise<T> => {
    const queued = performance.now();
    return write().finally(() => (held[kind] ??= []).push(performance.now() - queued));
  };
  const loop = async (caller: number, round: number) => {
    const id = `probe_${round}_${caller}`;
    const at = new Date();
    await timed('insert order (pool copy)', () => store.insert('orders', [{ ...running, _id: id, version: 1 }]));
    await timed('update order (compare-and-set)', () =>
      store.modify(
        'orders',
        { _id: id, status: 'in_service', version: 1 },
        {
          $set: { status: 'completed', version: 2, completedAt: at, updatedAt: at, step: 'rate', yellowAt: null, redAt: null },
          $push: { timeline: { at, actor: running.volunteerOpenid, action: 'complete' } },
        },
        { multi: false, merge: true, upsert: false },
      ),
    );
    await timed('insert audit row', () => store.insert('audit', [{ communityId: 'bench', actor: 'x', target: id, at, action: 'orders.complete' }]));
    await timed('insert 2 messages', () =>
      store.insert('messages', [
        { openid: 'a', communityId: 'bench', read: false, link: id, createdAt: at, text: '完成' },
        { openid: 'b', communityId: 'bench', read: false, link: id, createdAt: at, text: '完成' },
      ]),
    );
  };
  for (const k of Object.keys(spent)) delete spent[k];
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(Array.from({ length: CALLERS }, (_, c) => loop(c, round)));
  }
  const wall = performance.now() - w0;
  const cpu = process.cpuUsage(cpu0);
  const loops = CALLERS * ROUNDS;
  console.log(`${loops} loops (${CALLERS} at once × ${ROUNDS}) in ${r1(wall)} ms wall, ${r1((cpu.user + cpu.system) / 1000)} ms CPU`);
  console.log('write: queued → done ms p50 / p95 / max (with 32 at once this includes the wait for the lock)');
  for (const [kind, xs] of Object.entries(held)) console.log(`  ${kind}: ${r1(pct(xs, 50))} / ${r1(pct(xs, 95))} / ${r1(Math.max(...xs))}`);
  console.log('inside the writes, ms per loop:');
  for (const [k, v] of Object.entries(spent)) console.log(`  ${k}: ${r1(v / loops)}`);
  console.log(`  everything: ${r1(wall / loops)} wall, ${r1((cpu.user + cpu.system) / 1000 / loops)} CPU`);
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
