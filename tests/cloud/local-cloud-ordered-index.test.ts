// The local cloud serves sorted pages from database.json's indexes (local/ordered-index.ts): the
// answers must be exactly nedb's (same documents, same order, ties by _id) whatever the query,
// and stay so through inserts, updates, removals and a restart; a page must not scan the collection.
import fs from 'fs';
import os from 'os';
import path from 'path';
import Datastore from '@seald-io/nedb';
import { parseDatabaseConfig } from '../../local/database-config';
import { cloneValue, translateOrder, translateQuery } from '../../local/query';
import { Store } from '../../local/store';

const CONFIG = parseDatabaseConfig({
  collections: [
    {
      name: 'orders',
      indexes: [
        { name: 'community_created', keys: { communityId: 1, createdAt: -1 } },
        { name: 'community_status_created', keys: { communityId: 1, status: 1, createdAt: -1 } },
        { name: 'community_parties_status_created', keys: { communityId: 1, parties: 1, status: 1, createdAt: -1 } },
        { name: 'community_volunteer_status_created', keys: { communityId: 1, volunteerOpenid: 1, status: 1, createdAt: -1 } },
        { name: 'community_spot_status_start', keys: { communityId: 1, spot: 1, status: 1, start: 1 } },
        { name: 'feed', keys: { communityId: 1, status: 1, audience: 1, pinned: -1, createdAt: -1 } },
      ],
    },
  ],
});

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

const rand = rng(42);
// A copy made in jest's sandbox (structuredClone would make Dates of another realm).
const deepCopy = <T>(x: T): T => cloneValue(x);
// nedb's matcher, which the ordered indexes call once per document they look at.
const model = jest.requireActual<{ match(doc: unknown, query: unknown): boolean }>('@seald-io/nedb/lib/model.js');
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const STATUSES = ['pending', 'open', 'dispatched', 'closed', 'cancelled'] as const;
const PEOPLE = ['a', 'b', 'c', 'd', 'e', 'f'];
const T0 = Date.UTC(2026, 0, 1);

function makeDoc(i: number): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    _id: `o${String(i).padStart(5, '0')}${pick(['x', 'y'])}`,
    communityId: pick(['c1', 'c2', 'c3']),
    status: pick(STATUSES),
    // Few distinct times: plenty of ties on the sort.
    createdAt: new Date(T0 + Math.floor(rand() * 40) * 60_000),
    parties: [...new Set([pick(PEOPLE), pick(PEOPLE)])],
    audience: rand() < 0.3 ? ['*'] : [pick(['1栋', '2栋', '3栋'])],
    pinned: rand() < 0.2,
    spot: pick(['s1', 's2', 's3', 's4']),
    start: new Date(T0 + Math.floor(rand() * 20) * 1800_000),
  };
  if (rand() < 0.6) doc.volunteerOpenid = pick(PEOPLE);
  else if (rand() < 0.5) doc.volunteerOpenid = null;
  return doc;
}

interface Case {
  query: Record<string, unknown>;
  order?: [string, 'asc' | 'desc'][];
  offset?: number;
  limit?: number;
}

function cases(): Case[] {
  const c = () => pick(['c1', 'c2', 'c3']);
  const s = () => pick(STATUSES);
  const p = () => pick(PEOPLE);
  const out: Case[] = [];
  for (let k = 0; k < 6; k++) {
    const offset = pick([0, 0, 3, 20]);
    const limit = pick([1, 5, 21, 100]);
    out.push(
      { query: { communityId: c() }, order: [['createdAt', 'desc']], offset, limit },
      { query: { communityId: c() }, order: [['createdAt', 'asc']], offset, limit },
      { query: { communityId: c(), status: s() }, order: [['createdAt', 'asc']], offset, limit },
      { query: { communityId: c(), status: { $in: [s(), s()] } }, order: [['createdAt', 'desc']], offset, limit },
      { query: { communityId: c(), parties: p() }, order: [['createdAt', 'desc']], offset, limit },
      { query: { communityId: c(), parties: p(), status: s() }, order: [['createdAt', 'desc']], offset, limit },
      {
        query: {
          $or: [
            { communityId: c(), status: 'open' },
            { communityId: c(), status: 'dispatched', volunteerOpenid: p() },
          ],
        },
        order: [['createdAt', 'asc']],
        offset,
        limit,
      },
      {
        query: {
          communityId: c(),
          status: 'closed',
          audience: { $in: ['*', pick(['1栋', '2栋'])] },
          createdAt: { $lte: new Date(T0 + 30 * 60_000) },
        },
        order: [
          ['pinned', 'desc'],
          ['createdAt', 'desc'],
        ],
        offset,
        limit,
      },
      // A range on the field after the equality prefix narrows the walk.
      {
        query: {
          communityId: c(),
          status: s(),
          createdAt: { $gte: new Date(T0 + 10 * 60_000), $lt: new Date(T0 + 25 * 60_000) },
        },
        order: [['createdAt', 'desc']],
        offset,
        limit,
      },
      {
        query: { communityId: c(), createdAt: { $gt: new Date(T0 + 30 * 60_000) } },
        order: [['createdAt', 'asc']],
        offset,
        limit,
      },
      {
        query: { communityId: c(), createdAt: { $lte: new Date(T0 + 5 * 60_000) } },
        order: [['createdAt', 'desc']],
        offset,
        limit,
      },
      {
        query: { communityId: c(), spot: 's2', status: 'open', start: { $gte: new Date(T0 + 3 * 3600_000) } },
        order: [['start', 'desc']],
        offset,
        limit,
      },
      // Unsorted: nedb answers in _id order.
      {
        query: {
          communityId: c(),
          spot: { $in: ['s1', 's3'] },
          status: { $in: ['open', 'closed'] },
          start: { $lt: new Date(T0 + 5 * 3600_000) },
        },
        limit,
      },
      {
        query: {
          communityId: c(),
          spot: { $in: ['s2', 's4'] },
          status: { $in: ['open', 'dispatched'] },
          start: { $lt: new Date(T0 + 6 * 3600_000), $gte: new Date(T0 + 3600_000) },
        },
        limit,
      },
      { query: { communityId: c(), status: s() }, limit },
      { query: { communityId: c() }, offset, limit },
      { query: { communityId: c(), createdAt: { $gte: new Date(T0 + 20 * 60_000) } }, limit },
      // Shapes no index serves in order: nedb as before.
      { query: { communityId: c() }, order: [['start', 'asc']], offset, limit },
      { query: { status: s() }, order: [['createdAt', 'desc']], offset, limit },
      { query: { communityId: c(), volunteerOpenid: null }, order: [['createdAt', 'desc']], offset, limit },
    );
  }
  return out;
}

describe('ordered indexes', () => {
  let dir: string;
  let store: Store;
  let reference: Datastore;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordered-index-'));
    store = new Store(dir, CONFIG);
    await store.open();
    reference = new Datastore({ inMemoryOnly: true });
    const docs = Array.from({ length: 2000 }, (_, i) => makeDoc(i));
    await store.insert('orders', docs);
    await reference.insertAsync(docs.map((d) => deepCopy(d)));
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function expectSameAsNedb(): Promise<void> {
    for (const k of cases()) {
      const got = await store.find('orders', k.query, {
        order: k.order?.map(([field, direction]) => ({ field, direction })),
        offset: k.offset,
        limit: k.limit,
      });
      let cursor = reference.findAsync(translateQuery(k.query)) as unknown as Datastore.Cursor<Record<string, unknown>[]>;
      const sort = translateOrder(k.order?.map(([field, direction]) => ({ field, direction })));
      if (sort) cursor = cursor.sort(sort);
      cursor = cursor.skip(k.offset ?? 0).limit(k.limit ?? 100);
      const want = (await cursor) as unknown as Record<string, unknown>[];
      expect({ query: k, ids: got.map((d) => d._id) }).toEqual({ query: k, ids: want.map((d) => d._id) });
      expect(got).toEqual(want);
      // Counts and nedb's own look-ups (counts, updates, removals) read the ordered indexes too.
      expect({ query: k.query, n: await store.count('orders', k.query) }).toEqual({
        query: k.query,
        n: await reference.countAsync(translateQuery(k.query)),
      });
    }
  }

  it('answers every query shape exactly as nedb does', async () => {
    await expectSameAsNedb();
  });

  it('stays right through updates, removals and new documents', async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 40; i++) {
        const id = `o${String(Math.floor(rand() * 2000)).padStart(5, '0')}`;
        // Every key changed, one index's key changed, or none (the entries keep their places:
        // the documents found must still be the new ones).
        const patch = [
          { status: pick(STATUSES), createdAt: new Date(T0 + Math.floor(rand() * 40) * 60_000), parties: [pick(PEOPLE)] },
          { status: pick(STATUSES), note: `n${i}` },
          { note: `m${round}-${i}` },
          { parties: [pick(PEOPLE), pick(PEOPLE)], note: `p${i}` },
        ][i % 4];
        for (const suffix of ['x', 'y']) {
          await store.modify('orders', { _id: id + suffix }, { $set: patch }, { multi: false, merge: true, upsert: false });
          await reference.updateAsync({ _id: id + suffix }, { $set: patch }, {});
        }
      }
      const status = pick(STATUSES);
      await store.remove('orders', { communityId: 'c2', status }, true);
      await reference.removeAsync({ communityId: 'c2', status }, { multi: true });
      const more = Array.from({ length: 200 }, (_, i) => makeDoc(10_000 + round * 1000 + i));
      await store.insert('orders', more);
      await reference.insertAsync(more.map((d) => deepCopy(d)));
      await expectSameAsNedb();
    }
  });

  it('loads its indexes again after a restart', async () => {
    await store.close();
    store = new Store(dir, CONFIG);
    await store.open();
    await expectSameAsNedb();
  });

  it('reads a page off the index instead of scanning the collection', async () => {
    // 3 000 documents of one community on top of the others: a scan would match every one of them,
    // far over the bound below (10 000 proved no more and took most of this file's time).
    const bulk = Array.from({ length: 3000 }, (_, i) => ({ ...makeDoc(100_000 + i), communityId: 'big' }));
    await store.insert('orders', bulk);
    expect(await store.count('orders', {})).toBeGreaterThan(3000);
    const match = jest.spyOn(model, 'match');
    try {
      const page = await store.find(
        'orders',
        { communityId: 'big' },
        { order: [{ field: 'createdAt', direction: 'desc' }], limit: 21 },
      );
      expect(page).toHaveLength(21);
      // 21 documents matched, plus at most the rest of the last group of equal createdAt.
      expect(match.mock.calls.length).toBeGreaterThanOrEqual(21);
      expect(match.mock.calls.length).toBeLessThan(1000);
      match.mockClear();
      const open = await store.find(
        'orders',
        {
          $or: [
            { communityId: 'big', status: 'open' },
            { communityId: 'big', status: 'dispatched', volunteerOpenid: 'a' },
          ],
        },
        { order: [{ field: 'createdAt', direction: 'asc' }], limit: 21 },
      );
      expect(open).toHaveLength(21);
      expect(match.mock.calls.length).toBeLessThan(1000);
    } finally {
      match.mockRestore();
    }
  });
});
