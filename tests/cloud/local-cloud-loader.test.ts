// The local cloud's own loader (local/loader.ts) and `_id` index (local/id-index.ts) replace nedb's:
// on data files nedb itself wrote through random inserts, updates, removals and index changes, with
// dates, torn tails and corrupt lines, they must give exactly what nedb gives.
import fs from 'fs';
import os from 'os';
import path from 'path';
import Datastore from '@seald-io/nedb';
import { parseDatabaseConfig } from '../../local/database-config';
import { IdIndex } from '../../local/id-index';
import { loadDataFile } from '../../local/loader';
import { cloneValue } from '../../local/query';
import { Store } from '../../local/store';
import { dropTornTail } from '../../local/torn-tail';

type Doc = Record<string, unknown> & { _id: string };
const NedbIndex =
  jest.requireActual<new (o: { fieldName: string; unique?: boolean }) => IdIndexLike>('@seald-io/nedb/lib/indexes.js');
interface IdIndexLike {
  insert(d: Doc | Doc[]): void;
  remove(d: Doc | Doc[]): void;
  update(a: Doc | { oldDoc: Doc; newDoc: Doc }[], b?: Doc): void;
  getMatching(v: unknown): Doc[];
  getBetweenBounds(q: Record<string, unknown>): Doc[];
  getAll(): Doc[];
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const byId = (a: { _id?: unknown }, b: { _id?: unknown }) =>
  String(a._id) < String(b._id) ? -1 : String(a._id) > String(b._id) ? 1 : 0;
const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'loader-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** What nedb itself loads from a copy of `file`. */
async function nedbLoad(file: string): Promise<{ docs: Doc[]; indexes: string[] }> {
  const copy = path.join(tempDir(), 'copy.db');
  fs.copyFileSync(file, copy);
  const ds = new Datastore({ filename: copy });
  await ds.loadDatabaseAsync();
  const indexes = Object.keys((ds as unknown as { indexes: object }).indexes).filter((k) => k !== '_id');
  return { docs: (ds.getAllData() as Doc[]).sort(byId), indexes: indexes.sort() };
}

/** A data file written by nedb through a random history (appends only after the first load). */
async function randomHistory(seed: number, ops: number): Promise<string> {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const file = path.join(tempDir(), 'c.db');
  const ds = new Datastore({ filename: file, autoload: true });
  await ds.autoloadPromise;
  await ds.ensureIndexAsync({ fieldName: ['communityId', 'status'] });
  const ids: string[] = [];
  const value = (): unknown =>
    pick([
      () => new Date(Math.floor(rand() * 2 ** 41) - 2 ** 40),
      () => new Date(0),
      () => pick(['open', 'closed', '张三', 'a"b\\c', '😀 emoji', 'x'.repeat(100)]),
      () => Math.floor(rand() * 1000) - 500,
      () => rand() < 0.5,
      () => null,
      () => [new Date(Math.floor(rand() * 1e12)), pick(['a', 'b']), { at: new Date(Math.floor(rand() * 1e12)) }],
      () => ({ nested: { at: new Date(Math.floor(rand() * 1e12)), n: 1 } }),
    ])();
  for (let i = 0; i < ops; i++) {
    const r = rand();
    if (r < 0.5 || ids.length === 0) {
      const _id = `d${Math.floor(rand() * 1e9).toString(36)}${i}`;
      ids.push(_id);
      await ds.insertAsync({ _id, communityId: pick(['c1', 'c2']), status: pick(['open', 'closed']), v: value(), w: value() });
    } else if (r < 0.8) {
      await ds.updateAsync({ _id: pick(ids) }, { $set: { v: value(), status: pick(['open', 'closed', 'gone']) } }, {});
    } else if (r < 0.95) {
      await ds.removeAsync({ _id: pick(ids) }, {});
    } else if (r < 0.975) {
      await ds.ensureIndexAsync({ fieldName: pick(['v', 'w', 'status']) });
    } else {
      await ds.removeIndexAsync(pick(['v', 'w', 'status']));
    }
  }
  return file;
}

describe('the loader', () => {
  it.each([1, 2, 3, 4])('loads what nedb loads from a random history (seed %i)', async (seed) => {
    const file = await randomHistory(seed, 400);
    const want = await nedbLoad(file);
    const got = loadDataFile(file);
    expect(got.docs.sort(byId)).toEqual(want.docs);
    expect(Object.keys(got.indexes).sort()).toEqual(want.indexes);
    // Updates and removals were appended: the file is not compact, a start rewrites it.
    expect(got.compact).toBe(false);
    const ds = new Datastore({ filename: file, autoload: true });
    await ds.autoloadPromise;
    const compacted = loadDataFile(file);
    expect(compacted.compact).toBe(true);
    expect(compacted.docs.sort(byId)).toEqual(want.docs);
  });

  it('drops a torn tail and some corrupt lines like nedb, and refuses a file with too many', async () => {
    const file = await randomHistory(7, 200);
    fs.appendFileSync(file, 'not json\n{"_id":"half", "v":{"$$da');
    expect(dropTornTail(file)).toBeGreaterThan(0);
    const want = await nedbLoad(file);
    const got = loadDataFile(file);
    expect(got.docs.sort(byId)).toEqual(want.docs);
    expect(got.compact).toBe(false);

    const bad = path.join(tempDir(), 'bad.db');
    fs.writeFileSync(bad, '{"_id":"a","n":1}\nnope\n{"_id":"b","n":2}\n');
    const message = await nedbLoad(bad).then(
      () => 'loaded',
      (err: Error) => err.message,
    );
    expect(message).toMatch(/33% of the data file is corrupt/);
    expect(() => loadDataFile(bad)).toThrow(message);
  });

  it('reads dates, unicode split across read chunks and long lines whole', () => {
    const file = path.join(tempDir(), 'big.db');
    const docs: Doc[] = [];
    // Over 8 MB, so lines and multi-byte characters straddle the reader's chunks.
    for (let i = 0; i < 7000; i++) {
      docs.push({ _id: `k${i}`, text: '邻里帮'.repeat(200 + (i % 7)), at: new Date(i * 1e9), list: [new Date(-i)] });
    }
    const serialize = (d: Doc) =>
      JSON.stringify(d, function (this: Record<string, unknown>, k, v) {
        return this[k] instanceof Date ? { $$date: (this[k] as Date).getTime() } : v;
      });
    fs.writeFileSync(file, docs.map(serialize).join('\n') + '\n');
    const got = loadDataFile(file);
    expect(got.compact).toBe(true);
    expect(got.docs.sort(byId)).toEqual([...docs].sort(byId));
  });
});

describe('the store on a loaded file', () => {
  const CONFIG = parseDatabaseConfig({
    collections: [{ name: 'c', indexes: [{ name: 'cs', keys: { communityId: 1, status: 1 } }] }],
  });

  it('answers as nedb after a random history, rewrites the file once, and not again when it is compact', async () => {
    const file = await randomHistory(11, 300);
    const dir = tempDir();
    fs.copyFileSync(file, path.join(dir, 'c.db'));
    const want = await nedbLoad(file);
    let store = new Store(dir, CONFIG);
    await store.open();
    expect(((await store.find('c', {}, { limit: 1000 })) as Doc[]).sort(byId)).toEqual(want.docs);
    for (const q of [{ communityId: 'c1' }, { communityId: 'c2', status: 'open' }, { status: 'gone' }]) {
      expect(await store.count('c', q)).toBe(want.docs.filter((d) => Object.entries(q).every(([k, v]) => d[k] === v)).length);
    }
    await store.close();
    const after = fs.statSync(path.join(dir, 'c.db'));
    store = new Store(dir, CONFIG);
    await store.open();
    await store.close();
    // Opened and closed without a write: the compact file is left as it was.
    expect(fs.statSync(path.join(dir, 'c.db')).mtimeMs).toBe(after.mtimeMs);
    expect(loadDataFile(path.join(dir, 'c.db')).compact).toBe(true);
  });
});

describe('the _id index', () => {
  it('answers as nedb through random inserts, updates, removals and unique violations', () => {
    const rand = rng(5);
    const ours = new IdIndex() as unknown as IdIndexLike;
    const theirs = new NedbIndex({ fieldName: '_id', unique: true });
    const live: Doc[] = [];
    const id = () => `i${Math.floor(rand() * 300)}`;
    const both = (fn: (ix: IdIndexLike) => void) => {
      let a: unknown;
      let b: unknown;
      try {
        fn(ours);
      } catch (err) {
        a = { type: (err as { errorType?: string }).errorType, key: (err as { key?: unknown }).key };
      }
      try {
        fn(theirs);
      } catch (err) {
        b = { type: (err as { errorType?: string }).errorType, key: (err as { key?: unknown }).key };
      }
      expect(a).toEqual(b);
    };
    const bulk = Array.from({ length: 100 }, (_, i) => ({ _id: `i${i * 3}`, n: i }));
    both((ix) => ix.insert(bulk));
    live.push(...bulk);
    for (let step = 0; step < 1500; step++) {
      const r = rand();
      if (r < 0.3) {
        const doc = { _id: id(), n: step };
        both((ix) => ix.insert(doc));
        if (!live.some((d) => d._id === doc._id)) live.push(doc);
      } else if (r < 0.4) {
        // Several at once, sometimes with a duplicate: all or nothing.
        const docs = [{ _id: id() }, { _id: id() }, { _id: `new${step}` }];
        both((ix) => ix.insert(docs));
        if (new Set(docs.map((d) => d._id)).size === 3 && !docs.some((d) => live.some((l) => l._id === d._id)))
          live.push(...docs);
      } else if (r < 0.5 && live.length) {
        const old = live[Math.floor(rand() * live.length)];
        const next = { ...cloneValue(old), n: -step };
        both((ix) => ix.update(old, next));
        live[live.indexOf(old)] = next;
      } else if (r < 0.6 && live.length > 1) {
        // A multi update: several pairs at once.
        const olds = [...new Set([live[Math.floor(rand() * live.length)], live[Math.floor(rand() * live.length)]])];
        const pairs = olds.map((oldDoc) => ({ oldDoc, newDoc: { ...cloneValue(oldDoc), n: -step } }));
        both((ix) => ix.update(pairs));
        for (const p of pairs) live[live.indexOf(p.oldDoc)] = p.newDoc;
      } else if (r < 0.75 && live.length) {
        const old = live.splice(Math.floor(rand() * live.length), 1)[0];
        both((ix) => ix.remove(old));
      } else {
        const v = id();
        expect(ours.getMatching(v)).toEqual(theirs.getMatching(v));
        const many = [id(), id(), v];
        expect(ours.getMatching(many)).toEqual(theirs.getMatching(many));
        const bounds = { $gte: id(), $lt: id() };
        expect(ours.getBetweenBounds(bounds)).toEqual(theirs.getBetweenBounds(bounds));
      }
      if (step % 50 === 0) expect(ours.getAll()).toEqual(theirs.getAll());
    }
    expect(ours.getAll()).toEqual(theirs.getAll());
    expect(ours.getAll().length).toBe(live.length);
  });
});
