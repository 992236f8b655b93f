// The embedded, persistent document store behind the data API: one @seald-io/nedb datastore per
// collection, in `<dataDir>/<collection>.db`. Writes to a collection are serialised by a lock so
// that read-modify-write updates (compare-and-set) are atomic with respect to each other.
import fs from 'fs';
import path from 'path';
import { randomBytes } from 'crypto';
import Datastore from '@seald-io/nedb';
import { COLLECTION_NAME, type CollectionSpec, type DatabaseConfig, type IndexSpec } from './database-config';
import { applyProjection, validateProjection } from './projection';
import { QueryError, cloneValue, deepEqual, translateOrder, translateQuery } from './query';
import { dropTornTail } from './torn-tail';
import { openDatastore } from './loader';
import { compileUpdate, seedFromQuery, type Doc } from './update';
import { attachOrderedIndexes, type OrderedIndex } from './ordered-index';
import { candidatesOf, findOrdered, type ReadPlan } from './ordered-plan';

export class StoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** Records the state of documents before a transaction first touches them, for rollback. */
export interface UndoLog {
  record(collection: string, id: unknown, before: Doc | null): void;
}

class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

class Collection {
  readonly lock = new Lock();
  /** Writes appended since the data file was last compacted (see StoreOptions.compactEvery). */
  writes = 0;
  /** Written to since it was opened (the data file then holds appended lines to compact away). */
  dirty = false;
  /** database.json's indexes in their key order, for sorted pages (ordered-index.ts). */
  ordered: OrderedIndex[] = [];
  constructor(
    readonly name: string,
    readonly ds: Datastore,
    public indexes: IndexSpec[],
  ) {}
}

let idCounter = Math.floor(Math.random() * 0xffffff);
/** 32 hex characters like CloudBase's ids; time-ordered so that unsorted reads follow insertion order. */
export function generateId(): string {
  idCounter = (idCounter + 1) % 0x1000000;
  const time = Date.now().toString(16).padStart(12, '0');
  return `${time}${idCounter.toString(16).padStart(6, '0')}${randomBytes(7).toString('hex')}`;
}

export interface FindOptions {
  order?: unknown;
  offset?: number;
  limit?: number;
  projection?: unknown;
  /** Filled with how the read was answered (the observe hook reports it). */
  report?: ReadPlan;
}

export interface ModifyOptions {
  multi: boolean;
  merge: boolean;
  upsert: boolean;
}

export interface StoreOptions {
  /**
   * Compact a collection's data file after this many writes to it (nedb appends every write and
   * otherwise compacts only when it loads the file). Default: never while running.
   */
  compactEvery?: number;
}

export class Store {
  private readonly collections = new Map<string, Collection>();
  private closed = false;

  constructor(
    readonly dataDir: string,
    private readonly config: DatabaseConfig,
    private readonly options: StoreOptions = {},
  ) {}

  async open(): Promise<void> {
    fs.mkdirSync(this.dataDir, { recursive: true });
    for (const spec of this.config.collections) await this.openCollection(spec.name, spec.indexes);
    // Collections created at run time (addCollection) persist as their data file.
    for (const file of fs.readdirSync(this.dataDir)) {
      const m = /^(.+)\.db$/.exec(file);
      if (m && COLLECTION_NAME.test(m[1]) && !this.collections.has(m[1])) await this.openCollection(m[1], []);
    }
  }

  names(): string[] {
    return [...this.collections.keys()];
  }

  private async openCollection(name: string, indexes: IndexSpec[]): Promise<Collection> {
    const filename = path.join(this.dataDir, `${name}.db`);
    const dropped = dropTornTail(filename);
    if (dropped > 0) console.warn(`[local-cloud] ${name}: dropped an unfinished last write (${dropped} bytes) left by a crash`);
    const ds = await openDatastore(
      filename,
      indexes,
      (idx, err) =>
        new Error(
          `collection "${name}": cannot create unique index "${idx.name}" on ${Object.keys(idx.keys).join(', ')}: ` +
            `the stored documents already have duplicate values (${err.message})`,
        ),
    );
    const col = new Collection(name, ds, indexes);
    col.ordered = attachOrderedIndexes(ds, indexes, candidatesOf);
    this.collections.set(name, col);
    return col;
  }

  private get(name: unknown): Collection {
    if (this.closed) throw new StoreError('SYS_ERR', 'the local cloud is closed');
    if (typeof name !== 'string' || !name) throw new StoreError('INVALID_PARAM', 'collectionName is required');
    const col = this.collections.get(name);
    if (!col) {
      throw new StoreError(
        'DATABASE_COLLECTION_NOT_EXIST',
        `[ResourceNotFound] Db or Table not exist: ${name}. Declare it in cloudfunctions/database.json or create it with addCollection.`,
      );
    }
    return col;
  }

  async addCollection(name: unknown): Promise<void> {
    if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) throw new StoreError('INVALID_PARAM', 'invalid collection name');
    if (this.collections.has(name))
      throw new StoreError('DATABASE_COLLECTION_ALREADY_EXIST', `[ResourceInUse] Table exist: ${name}`);
    const col = await this.openCollection(name, []);
    // Make sure the file exists so the collection survives a restart even while empty.
    await col.ds.compactDatafileAsync();
  }

  async find(name: unknown, query: unknown, opts: FindOptions = {}): Promise<Doc[]> {
    const col = this.get(name);
    const nq = translateQuery(query);
    const sort = translateOrder(opts.order);
    const projection = validateProjection(opts.projection);
    const limit = normaliseLimit(opts.limit);
    const offset = opts.offset === undefined || opts.offset === null ? 0 : Number(opts.offset);
    if (!Number.isInteger(offset) || offset < 0) throw new QueryError('offset must be a non-negative integer');
    const page = findOrdered(col.ordered, nq, sort, offset, limit, opts.report);
    if (page) return page.map((d) => applyProjection(cloneValue(d), projection));
    let cursor = col.ds.findAsync(nq) as unknown as Datastore.Cursor<Doc[]>;
    if (sort) cursor = cursor.sort(sort);
    if (offset > 0) cursor = cursor.skip(offset);
    cursor = cursor.limit(limit);
    const docs = (await cursor) as unknown as Doc[];
    return docs.map((d) => applyProjection(d, projection));
  }

  async count(name: unknown, query: unknown): Promise<number> {
    const col = this.get(name);
    return (await col.ds.countAsync(translateQuery(query))) as unknown as number;
  }

  async insert(name: unknown, docs: unknown[], undo?: UndoLog): Promise<unknown[]> {
    const col = this.get(name);
    if (docs.length === 0) throw new QueryError('nothing to insert');
    const prepared = docs.map((d) => {
      if (!d || typeof d !== 'object' || Array.isArray(d)) throw new QueryError('a document must be an object');
      const { _id, ...rest } = d as Doc;
      const id = _id === undefined || _id === null || _id === '' ? generateId() : _id;
      if (typeof id !== 'string' && typeof id !== 'number') throw new QueryError('_id must be a string or a number');
      return { _id: id, ...rest } as Doc;
    });
    const ids = prepared.map((d) => d._id);
    return col.lock.run(async () => {
      try {
        await col.ds.insertAsync(prepared);
      } catch (err) {
        throw this.translateWriteError(col, err, prepared);
      }
      if (undo) for (const id of ids) undo.record(col.name, id, null);
      await this.wrote(col, 1);
      return ids;
    });
  }

  async modify(
    name: unknown,
    query: unknown,
    data: unknown,
    opts: ModifyOptions,
    undo?: UndoLog,
  ): Promise<{ updated: number; upsertId?: unknown; docs: Doc[] }> {
    const col = this.get(name);
    const nq = translateQuery(query);
    const update = compileUpdate(data, opts.merge);
    return col.lock.run(async () => {
      let cursor = col.ds.findAsync(nq) as unknown as Datastore.Cursor<Doc[]>;
      if (!opts.multi) cursor = cursor.limit(1);
      const matched = (await cursor) as unknown as Doc[];
      if (matched.length === 0 && opts.upsert) {
        const seed = opts.merge ? seedFromQuery(query) : pickId(query);
        const { _id: seedId, ...seedRest } = seed;
        const doc = update.apply({ _id: seedId ?? generateId(), ...seedRest });
        try {
          await col.ds.insertAsync(doc);
        } catch (err) {
          throw this.translateWriteError(col, err, [doc]);
        }
        undo?.record(col.name, doc._id, null);
        await this.wrote(col, 1);
        return { updated: 0, upsertId: doc._id, docs: [doc] };
      }
      let updated = 0;
      const docs: Doc[] = [];
      for (const before of matched) {
        const after = update.apply(before);
        docs.push(after);
        if (deepEqual(after, before)) continue;
        undo?.record(col.name, before._id, before);
        try {
          await col.ds.updateAsync({ _id: before._id }, after, {});
        } catch (err) {
          throw this.translateWriteError(col, err, [after]);
        }
        updated += 1;
      }
      await this.wrote(col, updated);
      return { updated, docs };
    });
  }

  async remove(name: unknown, query: unknown, multi: boolean, undo?: UndoLog): Promise<number> {
    const col = this.get(name);
    const nq = translateQuery(query);
    return col.lock.run(async () => {
      if (undo) {
        let cursor = col.ds.findAsync(nq) as unknown as Datastore.Cursor<Doc[]>;
        if (!multi) cursor = cursor.limit(1);
        for (const doc of (await cursor) as unknown as Doc[]) undo.record(col.name, doc._id, doc);
      }
      const deleted = (await col.ds.removeAsync(nq, { multi })) as number;
      await this.wrote(col, deleted);
      return deleted;
    });
  }

  /** Puts a document back the way it was (rollback): `before` null means it did not exist. */
  async restore(name: string, id: unknown, before: Doc | null): Promise<void> {
    const col = this.get(name);
    await col.lock.run(async () => {
      // One appended line either way. A remove followed by an insert would lose the document
      // for good if the process died between the two.
      if (before) await col.ds.updateAsync({ _id: id }, cloneValue(before), { upsert: true });
      else await col.ds.removeAsync({ _id: id }, { multi: false });
      await this.wrote(col, 1);
    });
  }

  /**
   * Counts appended writes and compacts the data file every `compactEvery` of them, inside the
   * collection's lock. nedb compacts crash-safely: it writes `<file>~`, fsyncs it and renames it
   * over the data file, and on load prefers the data file, so a crash mid-compaction leaves the
   * previous, complete file.
   */
  private async wrote(col: Collection, n: number): Promise<void> {
    if (n > 0) col.dirty = true;
    const every = this.options.compactEvery;
    if (!every || n <= 0) return;
    col.writes += n;
    if (col.writes < every) return;
    col.writes = 0;
    await col.ds.compactDatafileAsync();
    col.dirty = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const col of this.collections.values()) {
      await col.lock.run(async () => {
        col.ds.stopAutocompaction();
        // A file untouched since it was loaded compact (loader.ts) stays as it is.
        if (col.dirty) await col.ds.compactDatafileAsync();
      });
    }
    this.collections.clear();
  }

  private translateWriteError(col: Collection, err: unknown, docs: Doc[]): Error {
    const e = err as Error & { errorType?: string; key?: unknown };
    if (e && e.errorType === 'uniqueViolated') {
      const isId = docs.some((d) => deepEqual(d._id, e.key));
      const index = isId ? undefined : col.indexes.find((idx) => idx.unique && docs.some((d) => deepEqual(keyOf(d, idx), e.key)));
      const indexName = isId ? '_id_' : (index?.name ?? 'unique index');
      const fields = isId ? '_id' : index ? Object.keys(index.keys).join(', ') : 'key';
      return new StoreError(
        'DATABASE_REQUEST_FAILED',
        `[FailedOperation] E11000 duplicate key error collection: ${col.name} index: ${indexName} dup key: { ${fields} }`,
      );
    }
    if (e instanceof Error && /Field names cannot|cannot contain a \.|cannot begin with the \$/.test(e.message)) {
      return new QueryError(`invalid document: ${e.message}`);
    }
    return e instanceof Error ? e : new Error(String(e));
  }
}

function normaliseLimit(limit: unknown): number {
  if (limit === undefined || limit === null || limit === 0) return DEFAULT_LIMIT;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 0) throw new QueryError('limit must be a non-negative integer');
  return Math.min(n, MAX_LIMIT);
}

function keyOf(doc: Doc, idx: IndexSpec): unknown {
  const fields = Object.keys(idx.keys).sort();
  const get = (f: string) =>
    f.split('.').reduce<unknown>((o, p) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[p] : undefined), doc);
  if (fields.length === 1) return get(fields[0]);
  return Object.fromEntries(fields.map((f) => [f, get(f)]));
}

function pickId(query: unknown): Doc {
  const q = query as { _id?: unknown } | undefined;
  if (q && (typeof q._id === 'string' || typeof q._id === 'number')) return { _id: q._id };
  return {};
}

export type { CollectionSpec };
