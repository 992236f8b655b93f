// Data API conformance: the real @cloudbase/node-sdk against the local cloud.
import fs from 'fs';
import path from 'path';
import type { LocalCloud } from '../../local/cloud';
import { sdkFor, startTestCloud, tempDataDir } from '../helpers/local';
import type { Database } from '@cloudbase/node-sdk/types/db';

let cloud: LocalCloud;
let app: ReturnType<typeof sdkFor>;
let configDir: string;

// A database.json of our own, with a unique index to enforce.
const DATABASE_JSON = {
  collections: [
    { name: 'people' },
    {
      name: 'accounts',
      indexes: [
        { name: 'email', keys: { email: 1 }, unique: true },
        { name: 'community_phone', keys: { communityId: 1, phone: 1 }, unique: true, sparse: true },
      ],
    },
    { name: 'items' },
    { name: 'bulk' },
    { name: 'cas' },
  ],
  securityRule: { read: false, write: false },
};

beforeAll(async () => {
  configDir = tempDataDir();
  const databaseConfig = path.join(configDir, 'database.json');
  fs.writeFileSync(databaseConfig, JSON.stringify(DATABASE_JSON));
  cloud = await startTestCloud({ databaseConfig });
  app = sdkFor(cloud);
  await seedPeople();
});

afterAll(async () => {
  await cloud.close();
  fs.rmSync(configDir, { recursive: true, force: true });
});

const db = () => app.database();
const _ = () => db().command;
const people = () => db().collection('people');

interface Person {
  _id: string;
  name: string;
  age?: number;
  city?: string | null;
  tags?: string[];
  profile?: { level: number; team?: { name: string } };
  joined?: Date;
}

const PEOPLE: Person[] = [
  {
    _id: 'p1',
    name: 'Ann',
    age: 30,
    city: 'Beijing',
    tags: ['a', 'b'],
    profile: { level: 3, team: { name: 'red' } },
    joined: new Date('2024-01-01T00:00:00Z'),
  },
  {
    _id: 'p2',
    name: 'Bob',
    age: 25,
    city: 'Shanghai',
    tags: ['b'],
    profile: { level: 1, team: { name: 'blue' } },
    joined: new Date('2024-02-01T00:00:00Z'),
  },
  { _id: 'p3', name: 'Cid', age: 35, city: null, tags: [], profile: { level: 3, team: { name: 'blue' } } },
  { _id: 'p4', name: 'Dee', age: 25, city: 'Beijing', profile: { level: 2 } },
  { _id: 'p5', name: 'Eve', joined: null as unknown as Date },
];

async function seedPeople() {
  const res = await people().add(PEOPLE);
  expect(res.ids).toEqual(PEOPLE.map((p) => p._id));
}

const ids = (res: { data: unknown[] }) => (res.data as { _id: string }[]).map((d) => d._id).sort();

describe('queries', () => {
  it('matches equality and nested paths (dot strings and nested objects)', async () => {
    expect(ids(await people().where({ city: 'Beijing' }).get())).toEqual(['p1', 'p4']);
    expect(ids(await people().where({ 'profile.team.name': 'blue' }).get())).toEqual(['p2', 'p3']);
    expect(
      ids(
        await people()
          .where({ profile: { level: 3 } })
          .get(),
      ),
    ).toEqual(['p1', 'p3']);
    expect(
      ids(
        await people()
          .where({ profile: { level: 3, team: { name: 'red' } } })
          .get(),
      ),
    ).toEqual(['p1']);
    expect(ids(await people().where({ tags: 'b' }).get())).toEqual(['p1', 'p2']);
  });

  it('matches null to a null or missing field, like CloudBase', async () => {
    expect(ids(await people().where({ city: null }).get())).toEqual(['p3', 'p5']);
    expect(
      ids(
        await people()
          .where({ city: _().neq(null) })
          .get(),
      ),
    ).toEqual(['p1', 'p2', 'p4']);
  });

  it('supports eq, neq, gt, gte, lt, lte', async () => {
    expect(
      ids(
        await people()
          .where({ age: _().eq(25) })
          .get(),
      ),
    ).toEqual(['p2', 'p4']);
    expect(
      ids(
        await people()
          .where({ age: _().neq(25) })
          .get(),
      ),
    ).toEqual(['p1', 'p3', 'p5']);
    expect(
      ids(
        await people()
          .where({ age: _().gt(25) })
          .get(),
      ),
    ).toEqual(['p1', 'p3']);
    expect(
      ids(
        await people()
          .where({ age: _().gte(30) })
          .get(),
      ),
    ).toEqual(['p1', 'p3']);
    expect(
      ids(
        await people()
          .where({ age: _().lt(30) })
          .get(),
      ),
    ).toEqual(['p2', 'p4']);
    expect(
      ids(
        await people()
          .where({ age: _().lte(30) })
          .get(),
      ),
    ).toEqual(['p1', 'p2', 'p4']);
    expect(
      ids(
        await people()
          .where({ joined: _().gt(new Date('2024-01-15T00:00:00Z')) })
          .get(),
      ),
    ).toEqual(['p2']);
    // A null date is not "before" any date (nedb alone would compare null as 0).
    expect(
      ids(
        await people()
          .where({ joined: _().lte(new Date('2099-01-01T00:00:00Z')) })
          .get(),
      ),
    ).toEqual(['p1', 'p2']);
    expect(
      ids(
        await people()
          .where({
            joined: _()
              .lt(new Date('2099-01-01T00:00:00Z'))
              .and(_().gt(new Date(0))),
          })
          .get(),
      ),
    ).toEqual(['p1', 'p2']);
    expect(
      ids(
        await people()
          .where({ name: _().gte('C') })
          .get(),
      ),
    ).toEqual(['p3', 'p4', 'p5']);
  });

  it('supports in, nin (array fields match by element) and exists', async () => {
    expect(
      ids(
        await people()
          .where({ city: _().in(['Shanghai', 'Beijing']) })
          .get(),
      ),
    ).toEqual(['p1', 'p2', 'p4']);
    expect(
      ids(
        await people()
          .where({ city: _().nin(['Shanghai', 'Beijing']) })
          .get(),
      ),
    ).toEqual(['p3', 'p5']);
    expect(
      ids(
        await people()
          .where({ tags: _().in(['a']) })
          .get(),
      ),
    ).toEqual(['p1']);
    // nin on an array field: no element may be in the list (p1 has 'b' too, so it is out).
    expect(
      ids(
        await people()
          .where({ tags: _().nin(['b']) })
          .get(),
      ),
    ).toEqual(['p3', 'p4', 'p5']);
    expect(
      ids(
        await people()
          .where({ tags: _().neq('b') })
          .get(),
      ),
    ).toEqual(['p3', 'p4', 'p5']);
    expect(
      ids(
        await people()
          .where({ age: _().exists(false) })
          .get(),
      ),
    ).toEqual(['p5']);
    expect(
      ids(
        await people()
          .where({ 'profile.team': _().exists(true) })
          .get(),
      ),
    ).toEqual(['p1', 'p2', 'p3']);
  });

  it('combines operators with and/or, at field and top level', async () => {
    expect(
      ids(
        await people()
          .where({ age: _().gt(24).and(_().lt(31)) })
          .get(),
      ),
    ).toEqual(['p1', 'p2', 'p4']);
    expect(
      ids(
        await people()
          .where({ age: _().lt(26).or(_().gt(33)) })
          .get(),
      ),
    ).toEqual(['p2', 'p3', 'p4']);
    expect(
      ids(
        await people()
          .where(_().or([{ city: 'Shanghai' }, { 'profile.level': 3 }]))
          .get(),
      ),
    ).toEqual(['p1', 'p2', 'p3']);
    expect(
      ids(
        await people()
          .where(_().and([{ city: 'Beijing' }, { age: _().gte(30) }]))
          .get(),
      ),
    ).toEqual(['p1']);
    expect(
      ids(
        await people()
          .where(_().or([_().and([{ city: 'Beijing' }, { age: 25 }]), { name: 'Eve' }]))
          .get(),
      ),
    ).toEqual(['p4', 'p5']);
    expect(
      ids(
        await people()
          .where({ city: 'Beijing', age: _().in([25, 35]) })
          .get(),
      ),
    ).toEqual(['p4']);
  });

  it('supports regular expressions', async () => {
    expect(ids(await people().where({ name: /^[ab]/i }).get())).toEqual(['p1', 'p2']);
    expect(
      ids(
        await people()
          .where({ name: db().RegExp({ regexp: 'e$', options: '' }) })
          .get(),
      ),
    ).toEqual(['p4', 'p5']);
  });

  it('orders by several fields, skips and limits', async () => {
    const res = await people()
      .where({ age: _().exists(true) })
      .orderBy('age', 'asc')
      .orderBy('name', 'desc')
      .get();
    expect((res.data as Person[]).map((p) => p.name)).toEqual(['Dee', 'Bob', 'Ann', 'Cid']);
    const page = await people()
      .where({ age: _().exists(true) })
      .orderBy('age', 'desc')
      .orderBy('name', 'asc')
      .skip(1)
      .limit(2)
      .get();
    expect((page.data as Person[]).map((p) => p.name)).toEqual(['Ann', 'Bob']);
    const nested = await people()
      .where({ 'profile.level': _().exists(true) })
      .orderBy('profile.level', 'desc')
      .orderBy('_id', 'desc')
      .get();
    expect(ids({ data: nested.data.slice(0, 2) })).toEqual(['p1', 'p3']);
    expect((nested.data as Person[]).map((p) => p._id)).toEqual(['p3', 'p1', 'p4', 'p2']);
  });

  it('projects fields: include, exclude, nested, _id off', async () => {
    const inc = await people().doc('p1').field({ name: true, 'profile.team': true }).get();
    expect(inc.data[0]).toEqual({ _id: 'p1', name: 'Ann', profile: { team: { name: 'red' } } });
    const exc = await people().where({ _id: 'p2' }).field({ tags: false, profile: false, joined: false }).get();
    expect(exc.data[0]).toEqual({ _id: 'p2', name: 'Bob', age: 25, city: 'Shanghai' });
    const noId = await people().where({ _id: 'p4' }).field({ _id: false, name: true }).get();
    expect(noId.data[0]).toEqual({ name: 'Dee' });
    await expect(people().field({ name: true, age: false }).get()).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  });

  it('counts', async () => {
    expect((await people().count()).total).toBe(5);
    expect((await people().where({ age: 25 }).count()).total).toBe(2);
    expect((await people().where({ city: 'Nowhere' }).count()).total).toBe(0);
  });

  it('doc().get() answers the one document, or none', async () => {
    const res = await people().doc('p3').get();
    expect(res.data).toHaveLength(1);
    expect(res.data[0]).toMatchObject({ _id: 'p3', name: 'Cid', city: null, tags: [] });
    expect((await people().doc('missing').get()).data).toEqual([]);
  });
});

describe('limits', () => {
  beforeAll(async () => {
    const docs = Array.from({ length: 1100 }, (_x, i) => ({ _id: `b${String(i).padStart(4, '0')}`, n: i }));
    for (let i = 0; i < docs.length; i += 500)
      await db()
        .collection('bulk')
        .add(docs.slice(i, i + 500));
  });

  it('answers 100 documents by default', async () => {
    expect((await db().collection('bulk').get()).data).toHaveLength(100);
  });

  it('caps a limit at 1000', async () => {
    const res = await db().collection('bulk').limit(5000).get();
    expect(res.data).toHaveLength(1000);
  });

  it('pages with skip through the rest', async () => {
    const res = await db().collection('bulk').orderBy('n', 'asc').skip(1000).limit(1000).get();
    expect(res.data).toHaveLength(100);
    expect((res.data[0] as { n: number }).n).toBe(1000);
    expect((await db().collection('bulk').count()).total).toBe(1100);
  });

  it('serves the cap even when the client asks for more over raw HTTP', async () => {
    const res = await fetch(`${cloud.url}/tcb?env=local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'database.getDocument', collectionName: 'bulk', queryType: 'WHERE', limit: 5000 }),
    });
    const body = (await res.json()) as { data: { list: string[] } };
    expect(body.data.list).toHaveLength(1000);
  });
});

describe('inserts', () => {
  it('generates ids, single and batch', async () => {
    const one = await db().collection('items').add({ kind: 'one' });
    expect(one.id).toMatch(/^[0-9a-f]{32}$/);
    const batch = await db()
      .collection('items')
      .add([{ kind: 'batch' }, { kind: 'batch' }]);
    expect(batch.ids).toHaveLength(2);
    expect(new Set([one.id, ...(batch.ids ?? [])]).size).toBe(3);
    expect((await db().collection('items').where({ kind: 'batch' }).count()).total).toBe(2);
  });

  it('fails on an _id that exists', async () => {
    await db().collection('items').add({ _id: 'fixed', v: 1 });
    await expect(db().collection('items').add({ _id: 'fixed', v: 2 })).rejects.toMatchObject({
      code: 'DATABASE_REQUEST_FAILED',
      message: expect.stringMatching(/E11000 duplicate key/),
    });
    expect((await db().collection('items').doc('fixed').get()).data[0]).toMatchObject({ v: 1 });
  });

  it('enforces unique indexes from database.json, compound and sparse too', async () => {
    const accounts = db().collection('accounts');
    await accounts.add({ email: 'a@x.cn', communityId: 'c1', phone: '1' });
    await expect(accounts.add({ email: 'a@x.cn' })).rejects.toMatchObject({
      message: expect.stringMatching(/duplicate key.*index: email/),
    });
    await accounts.add({ email: 'b@x.cn', communityId: 'c2', phone: '1' });
    await expect(accounts.add({ email: 'c@x.cn', communityId: 'c1', phone: '1' })).rejects.toMatchObject({
      message: expect.stringMatching(/index: community_phone/),
    });
    // Sparse: documents without the fields do not collide.
    await accounts.add({ email: 'd@x.cn' });
    await accounts.add({ email: 'e@x.cn' });
    // An update into a duplicate fails as well, and leaves the document as it was.
    const dup = accounts.where({ email: 'e@x.cn' }).update({ email: 'a@x.cn' });
    await expect(dup).rejects.toMatchObject({ message: expect.stringMatching(/duplicate key/) });
    expect((await accounts.where({ email: 'e@x.cn' }).count()).total).toBe(1);
    // A failed batch inserts nothing.
    await expect(accounts.add([{ email: 'f@x.cn' }, { email: 'f@x.cn' }])).rejects.toMatchObject({
      code: 'DATABASE_REQUEST_FAILED',
    });
    expect((await accounts.where({ email: 'f@x.cn' }).count()).total).toBe(0);
  });

  it('rejects field names CloudBase refuses', async () => {
    const bad = fetch(`${cloud.url}/tcb?env=local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'database.insertDocument', collectionName: 'items', data: [JSON.stringify({ 'a.b': 1 })] }),
    }).then((r) => r.json());
    await expect(bad).resolves.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  });
});

describe('dates', () => {
  it('round-trips Date values as Date objects, nested and in arrays', async () => {
    const when = new Date('2025-05-05T05:05:05.555Z');
    const { id } = await db()
      .collection('items')
      .add({ when, nested: { at: when }, list: [when] });
    const doc = (await db().collection('items').doc(id!).get()).data[0] as { when: Date; nested: { at: Date }; list: Date[] };
    expect(doc.when).toBeInstanceOf(Date);
    expect(doc.when.getTime()).toBe(when.getTime());
    expect(doc.nested.at).toBeInstanceOf(Date);
    expect(doc.list[0]).toBeInstanceOf(Date);
    expect(
      (
        await db()
          .collection('items')
          .where({ when: _().lte(when) })
          .count()
      ).total,
    ).toBeGreaterThanOrEqual(1);
  });

  it('stores db.serverDate() as the server time, with its offset', async () => {
    const before = Date.now();
    const { id } = await db()
      .collection('items')
      .add({ at: db().serverDate(), later: db().serverDate({ offset: 60_000 }) });
    const after = Date.now();
    const doc = (await db().collection('items').doc(id!).get()).data[0] as { at: Date; later: Date };
    expect(doc.at).toBeInstanceOf(Date);
    expect(doc.at.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(doc.at.getTime()).toBeLessThanOrEqual(after + 5);
    expect(doc.later.getTime() - doc.at.getTime()).toBe(60_000);
    await db().collection('items').doc(id!).update({ touched: db().serverDate() });
    const touched = (await db().collection('items').doc(id!).get()).data[0] as { touched: Date };
    expect(touched.touched).toBeInstanceOf(Date);
  });

  it('round-trips numbers: integers, doubles, negatives, large values', async () => {
    const { id } = await db()
      .collection('items')
      .add({ i: 3, d: 2.5, n: -7, big: 2 ** 40, zero: 0 });
    const doc = (await db().collection('items').doc(id!).get()).data[0];
    expect(doc).toMatchObject({ i: 3, d: 2.5, n: -7, big: 2 ** 40, zero: 0 });
  });
});

describe('updates', () => {
  const items = () => db().collection('items');
  const fresh = async (doc: Record<string, unknown>) => (await items().add(doc)).id as string;
  const read = async (id: string) => (await items().doc(id).get()).data[0] as Record<string, unknown>;

  it('set, inc, mul, remove', async () => {
    const id = await fresh({ n: 2, m: 3, gone: true, keep: 'x' });
    const res = await items()
      .doc(id)
      .update({ n: _().inc(5), m: _().mul(4), gone: _().remove(), added: _().set('y') });
    expect(res.updated).toBe(1);
    expect(await read(id)).toEqual({ _id: id, n: 7, m: 12, keep: 'x', added: 'y' });
    await items()
      .doc(id)
      .update({ fresh: _().inc(2), zeroed: _().mul(5) });
    expect(await read(id)).toMatchObject({ fresh: 2, zeroed: 0 });
  });

  it('push, pull, addToSet', async () => {
    const id = await fresh({ list: [1, 2, 3, 2], set: ['a'], objs: [{ k: 1 }, { k: 2 }] });
    await items()
      .doc(id)
      .update({ list: _().push([4, 5]) });
    expect((await read(id)).list).toEqual([1, 2, 3, 2, 4, 5]);
    await items()
      .doc(id)
      .update({ list: _().pull(2) });
    expect((await read(id)).list).toEqual([1, 3, 4, 5]);
    await items()
      .doc(id)
      .update({ list: _().pull(_().in([1, 5])) });
    expect((await read(id)).list).toEqual([3, 4]);
    await items()
      .doc(id)
      .update({ list: _().pull(_().gt(3)) });
    expect((await read(id)).list).toEqual([3]);
    await items()
      .doc(id)
      .update({ objs: _().pull({ k: 1 }) });
    expect((await read(id)).objs).toEqual([{ k: 2 }]);
    await items()
      .doc(id)
      .update({ set: _().addToSet('a') });
    await items()
      .doc(id)
      .update({ set: _().addToSet('b') });
    expect((await read(id)).set).toEqual(['a', 'b']);
    await items()
      .doc(id)
      .update({ set: _().addToSet({ $each: ['b', 'c'] }) });
    expect((await read(id)).set).toEqual(['a', 'b', 'c']);
    await items()
      .doc(id)
      .update({ newList: _().push(['z']) });
    expect((await read(id)).newList).toEqual(['z']);
    await items()
      .doc(id)
      .update({ list: _().unshift([0]) });
    expect((await read(id)).list).toEqual([0, 3]);
    await items().doc(id).update({ list: _().pop() });
    expect((await read(id)).list).toEqual([0]);
  });

  it('update merges nested objects; set() replaces the document', async () => {
    const id = await fresh({ a: { b: 1, c: 2 }, d: 1 });
    await items()
      .doc(id)
      .update({ a: { b: 10 } });
    expect(await read(id)).toEqual({ _id: id, a: { b: 10, c: 2 }, d: 1 });
    // _.set() on a sub-object replaces it instead of merging.
    await items()
      .doc(id)
      .update({ a: _().set({ z: 1 }) });
    expect(await read(id)).toEqual({ _id: id, a: { z: 1 }, d: 1 });
    const res = await items().doc(id).set({ only: true });
    expect(res.updated).toBe(1);
    expect(await read(id)).toEqual({ _id: id, only: true });
  });

  it('set() on a missing document creates it (upsert)', async () => {
    const res = await items()
      .doc('made-by-set')
      .set({ v: 1, at: new Date(1000) });
    expect(res.updated).toBe(0);
    expect(res.upsertedId).toBe('made-by-set');
    expect(await read('made-by-set')).toEqual({ _id: 'made-by-set', v: 1, at: new Date(1000) });
  });

  it('update() of a missing document changes nothing', async () => {
    const res = await items().doc('never-there').update({ v: 1 });
    expect(res.updated).toBe(0);
    expect((await items().doc('never-there').get()).data).toEqual([]);
  });

  it('where().update() updates every match and answers the count', async () => {
    await items().add([
      { group: 'g', v: 1 },
      { group: 'g', v: 2 },
      { group: 'h', v: 3 },
    ]);
    const res = await items().where({ group: 'g' }).update({ seen: true });
    expect(res.updated).toBe(2);
    expect((await items().where({ group: 'g', seen: true }).count()).total).toBe(2);
    expect((await items().where({ group: 'h', seen: true }).count()).total).toBe(0);
    // Writing values the documents already have modifies nothing, and says so.
    expect((await items().where({ group: 'g' }).update({ seen: true })).updated).toBe(0);
  });

  it('compare-and-set: a conditional update that lost answers updated 0', async () => {
    const cas = db().collection('cas');
    await cas.add({ _id: 'o1', status: 'open', version: 1 });
    const first = await cas.where({ _id: 'o1', version: 1 }).update({ status: 'taken', version: _().inc(1) });
    expect(first.updated).toBe(1);
    const second = await cas.where({ _id: 'o1', version: 1 }).update({ status: 'stolen', version: _().inc(1) });
    expect(second.updated).toBe(0);
    expect((await cas.doc('o1').get()).data[0]).toMatchObject({ status: 'taken', version: 2 });
  });

  it('compare-and-set under concurrency: exactly one of many racers wins', async () => {
    const cas = db().collection('cas');
    await cas.add({ _id: 'race', holder: null, version: 0 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_x, i) =>
        cas.where({ _id: 'race', version: 0 }).update({ holder: `r${i}`, version: _().inc(1) }),
      ),
    );
    expect(results.filter((r) => r.updated === 1)).toHaveLength(1);
    expect((await cas.doc('race').get()).data[0]).toMatchObject({ version: 1 });
  });

  it('removes by query and by id', async () => {
    await items().add([{ rm: 1 }, { rm: 1 }, { _id: 'rm-me', rm: 2 }]);
    expect((await items().where({ rm: 1 }).remove()).deleted).toBe(2);
    expect((await items().doc('rm-me').remove()).deleted).toBe(1);
    expect((await items().doc('rm-me').remove()).deleted).toBe(0);
    expect(
      (
        await items()
          .where({ rm: _().exists(true) })
          .count()
      ).total,
    ).toBe(0);
  });

  it('rejects an update of _id and unknown operators', async () => {
    const id = await fresh({ v: 1 });
    await expect(items().doc(id).update({ _id: 'x' })).rejects.toBeDefined();
    const res = await fetch(`${cloud.url}/tcb?env=local`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        action: 'database.modifyDocument',
        collectionName: 'items',
        query: JSON.stringify({ _id: id }),
        data: JSON.stringify({ $bogus: { v: 1 } }),
        merge: true,
      }),
    });
    expect(await res.json()).toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
  });
});

describe('errors', () => {
  it('a failing query rejects with code and message, quickly', async () => {
    const started = Date.now();
    await expect(db().collection('not_declared').where({ a: 1 }).get()).rejects.toMatchObject({
      code: 'DATABASE_COLLECTION_NOT_EXIST',
      message: expect.stringContaining('not_declared'),
    });
    await expect(
      people()
        .where({ age: _().gt({ no: 'objects' }) })
        .get(),
    ).rejects.toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });
    await expect(db().collection('not_declared').add({ a: 1 })).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_NOT_EXIST' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('addCollection creates a collection once', async () => {
    await db().createCollection('made_later');
    await db().collection('made_later').add({ x: 1 });
    expect((await db().collection('made_later').count()).total).toBe(1);
    await expect(db().createCollection('made_later')).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_ALREADY_EXIST' });
  });

  it('answers unknown actions with an error, not a hang', async () => {
    await expect(db().collection('people').aggregate().match({ age: 1 }).end()).rejects.toMatchObject({ code: 'INVALID_ACTION' });
  });
});

describe('transactions', () => {
  it('commits', async () => {
    await db().collection('cas').add({ _id: 'tx1', n: 1 });
    await db().runTransaction(async (t: Database.Transaction) => {
      // In a transaction doc().get() answers the document itself, not a list as the SDK's types say.
      const doc = (await t.collection('cas').doc('tx1').get()).data as unknown as { n: number };
      await t
        .collection('cas')
        .doc('tx1')
        .update({ n: doc.n + 1 });
    });
    expect((await db().collection('cas').doc('tx1').get()).data[0]).toMatchObject({ n: 2 });
  });

  it('rolls back on rollback()', async () => {
    await db().collection('cas').add({ _id: 'tx2', n: 1 });
    await expect(
      db().runTransaction(async (t: Database.Transaction) => {
        await t.collection('cas').doc('tx2').update({ n: 100 });
        await t.collection('cas').add({ _id: 'tx2-new' });
        await t.rollback('nope');
      }),
    ).rejects.toBe('nope');
    expect((await db().collection('cas').doc('tx2').get()).data[0]).toMatchObject({ n: 1 });
    expect((await db().collection('cas').doc('tx2-new').get()).data).toEqual([]);
  });
});
