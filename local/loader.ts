// Reads a collection's nedb data file faster and in less memory than nedb's own loader
// (docs/local-store.md): nedb streams the file line by line through a chain of promises and
// parses every line with a JSON reviver, and keeps a separate copy of every repeated string.
// This reads big chunks, parses each line with plain JSON.parse, turns `{"$$date": n}` into
// Dates in one walk (only on lines that hold one), and shares one copy of each short string
// value across the collection. The result is the same as nedb's (persistence.treatRawStreamAsync):
// the last line of an _id wins, `$$deleted` removes, `$$indexCreated`/`$$indexRemoved` lines give
// the persisted index definitions, and more than 10% corrupt lines refuse the file.
import fs from 'fs';
import Datastore from '@seald-io/nedb';
import Index from '@seald-io/nedb/lib/indexes.js';
import storage from '@seald-io/nedb/lib/storage.js';
import type { IndexSpec } from './database-config';
import { IdIndex } from './id-index';
import type { Doc } from './update';

export interface PersistedIndex {
  fieldName: string | string[];
  unique?: boolean;
  sparse?: boolean;
}

export interface LoadedFile {
  docs: Doc[];
  indexes: Record<string, PersistedIndex>;
  /**
   * True when rewriting the file would only reorder it: every line parsed, no id written twice,
   * no removals, no index removals or repeated index lines (nedb rewrites every file it loads).
   */
  compact: boolean;
  lines: number;
}

const CHUNK = 8 * 1024 * 1024;
/** Strings up to this length are shared (ids, openids, statuses, names); longer ones are rarely repeated. */
const SHARE_MAX = 64;
const CORRUPT_ALERT_THRESHOLD = 0.1;

/** nedb's deserialize (a JSON reviver) as a walk: an object with a `$$date` key becomes `new Date(value)`. */
function revive(v: unknown, shared: Map<string, string>): unknown {
  if (typeof v === 'string') {
    if (v.length > SHARE_MAX) return v;
    const s = shared.get(v);
    if (s !== undefined) return s;
    shared.set(v, v);
    return v;
  }
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i], shared);
    return v;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const before = o[k];
    const after = revive(before, shared);
    if (after !== before) setOwn(o, k, after);
  }
  if (Object.prototype.hasOwnProperty.call(o, '$$date')) return new Date(o.$$date as number);
  return o;
}

function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

/** The lines of a file, in order, read in big chunks (never the whole file in one string). */
function* linesOf(filename: string): Generator<string> {
  let fd: number;
  try {
    fd = fs.openSync(filename, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    // Most collections are small: a buffer of the file's size, at most CHUNK.
    const size = fs.fstatSync(fd).size;
    if (size === 0) return;
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, size));
    let carry = Buffer.alloc(0);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const end = chunk.lastIndexOf(0x0a);
      if (end < 0) {
        carry = Buffer.from(chunk);
        continue;
      }
      // Decode only whole lines, so a character split between two reads is never cut.
      yield* chunk.toString('utf8', 0, end).split('\n');
      carry = Buffer.from(chunk.subarray(end + 1));
    }
    if (carry.length) yield carry.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

export function loadDataFile(filename: string): LoadedFile {
  const byId = new Map<string, Doc>();
  const indexes: Record<string, PersistedIndex> = {};
  const shared = new Map<string, string>();
  let lines = 0;
  let corrupt = 0;
  let dataLines = 0;
  let indexLines = 0;
  let removals = false;
  for (const line of linesOf(filename)) {
    if (line === '') continue;
    lines++;
    try {
      const parsed = JSON.parse(line) as unknown;
      const doc = revive(parsed, shared) as Doc & {
        $$deleted?: unknown;
        $$indexCreated?: PersistedIndex;
        $$indexRemoved?: unknown;
      };
      if (doc._id) {
        dataLines++;
        if (doc.$$deleted === true) {
          byId.delete(String(doc._id));
          removals = true;
        } else byId.set(String(doc._id), doc);
      } else if (doc.$$indexCreated && doc.$$indexCreated.fieldName != null) {
        indexLines++;
        indexes[String(doc.$$indexCreated.fieldName)] = doc.$$indexCreated;
      } else if (typeof doc.$$indexRemoved === 'string') {
        delete indexes[doc.$$indexRemoved];
        removals = true;
      }
    } catch {
      corrupt++;
    }
  }
  if (lines > 0 && corrupt / lines > CORRUPT_ALERT_THRESHOLD) {
    const rate = corrupt / lines;
    throw Object.assign(
      new Error(
        `${Math.floor(100 * rate)}% of the data file is corrupt, more than given corruptAlertThreshold (${Math.floor(100 * CORRUPT_ALERT_THRESHOLD)}%). Cautiously refusing to start NeDB to prevent dataloss.`,
      ),
      { corruptionRate: rate, corruptItems: corrupt, dataLength: lines },
    );
  }
  const compact = corrupt === 0 && !removals && dataLines === byId.size && indexLines === Object.keys(indexes).length;
  return { docs: [...byId.values()], indexes, compact, lines };
}

interface NedbInternals {
  indexes: Record<string, { fieldName: string; unique: boolean; sparse: boolean; insert(docs: Doc[]): void }>;
  persistence: { persistCachedDatabaseAsync(): Promise<void> };
  executor: { processBuffer(): void };
}

/** nedb's name of an index: its fields sorted, joined by commas. */
export function nedbFieldName(idx: IndexSpec): string {
  return Object.keys(idx.keys).sort().join(',');
}

/**
 * Opens a collection's datastore with loadDataFile instead of nedb's loader. nedb keeps its own
 * index only for `_id` (a sorted array, id-index.ts) and for unique indexes (AVL trees), which it
 * enforces; every index of
 * database.json is an ordered index (ordered-index.ts), which also answers nedb's candidate
 * look-ups. The file is rewritten only when that changes something (nedb rewrites it on every load).
 */
export async function openDatastore(
  filename: string,
  specs: IndexSpec[],
  duplicate: (idx: IndexSpec, err: Error) => Error,
): Promise<Datastore> {
  const ds = new Datastore({ filename });
  const nedb = ds as unknown as NedbInternals;
  // After a crash in the middle of a compaction, `<file>~` is the complete copy (nedb's recovery).
  await storage.ensureDatafileIntegrityAsync(filename);
  // The data file exists, so a `<file>~` left beside it is a compaction killed before its rename:
  // nedb prefers the data file and its rewrite at load replaced the leftover; without a rewrite, drop it.
  fs.rmSync(`${filename}~`, { force: true });
  const loaded = loadDataFile(filename);
  const ids = new IdIndex();
  ids.insert(loaded.docs);
  nedb.indexes._id = ids;
  for (const idx of specs.filter((s) => s.unique)) {
    const fieldName = nedbFieldName(idx);
    const index = new Index({ fieldName, unique: true, sparse: idx.sparse });
    try {
      index.insert(loaded.docs);
    } catch (err) {
      throw duplicate(idx, err as Error);
    }
    nedb.indexes[fieldName] = index;
  }
  const persisted = Object.entries(loaded.indexes).map(([name, i]) => `${name}:${i.unique === true}:${i.sparse === true}`);
  const kept = Object.entries(nedb.indexes)
    .filter(([name]) => name !== '_id')
    .map(([name, i]) => `${name}:${i.unique}:${i.sparse}`);
  const sameIndexes = persisted.length === kept.length && kept.every((k) => persisted.includes(k));
  if (!loaded.compact || !sameIndexes) await nedb.persistence.persistCachedDatabaseAsync();
  nedb.executor.processBuffer();
  return ds;
}
