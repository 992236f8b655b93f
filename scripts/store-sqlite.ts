// Prototype (docs/local-store.md): the bench's data files in SQLite, one table per collection
// (`_id`, the document as JSON), database.json's indexes as indexes on json_extract expressions.
// Reports the import, a cold open, memory and the hot queries' times.
//
// Two drivers, the same SQL:
// - better-sqlite3 (the default): native, built from source at install (see docs/local-store.md);
// - node-sqlite3-wasm (SQLITE_DRIVER=wasm, module path in SQLITE_WASM): SQLite compiled to
//   WebAssembly, nothing to build. Its file system layer has no shared memory, so WAL is refused
//   and the rollback journal is used, unless SQLITE_LOCKING=exclusive (one connection holds the
//   file, and WAL then works).
//
//   npm install --no-save better-sqlite3@12.11.1      (or: npm install node-sqlite3-wasm@0.8.60)
//   [SQLITE_DRIVER=wasm SQLITE_WASM=<dir>] node -r ./local/register.js scripts/store-sqlite.ts \
//     <dir written by store-load.ts build> [db file]
//
// Not used by the local cloud: nothing here is production code.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { DEFAULT_DATABASE_CONFIG, loadDatabaseConfig, type IndexSpec } from '../local/database-config';

interface Statement {
  run(...args: unknown[]): unknown;
  all(...args: unknown[]): Record<string, unknown>[];
  get(...args: unknown[]): Record<string, unknown> | undefined;
}
interface Db {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  pragma(sql: string): unknown;
  transaction<T extends unknown[]>(fn: (...args: T) => void): (...args: T) => void;
  close(): void;
}

/** The part of node-sqlite3-wasm used here: parameters are passed as one array. */
interface WasmStatement {
  run(values: unknown[]): unknown;
  all(values: unknown[]): Record<string, unknown>[];
  get(values: unknown[]): Record<string, unknown> | null;
  finalize(): void;
  readonly isFinalized: boolean;
}
interface WasmDatabase {
  prepare(sql: string): WasmStatement;
  exec(sql: string): void;
  all(sql: string): Record<string, unknown>[];
  readonly inTransaction: boolean;
  close(): void;
}

/** node-sqlite3-wasm behind better-sqlite3's interface. Its statements live in the WebAssembly heap,
 * not V8's: they are finalized on close, since nothing else frees them. */
function wasmDriver(module: string): new (file: string) => Db {
  const { Database } = require(module) as { Database: new (file: string) => WasmDatabase };
  return class WasmDb implements Db {
    private readonly db: WasmDatabase;
    private readonly statements: WasmStatement[] = [];
    constructor(file: string) {
      this.db = new Database(file);
    }
    prepare(sql: string): Statement {
      const s = this.db.prepare(sql);
      this.statements.push(s);
      return {
        run: (...args) => s.run(args),
        all: (...args) => s.all(args),
        get: (...args) => s.get(args) ?? undefined,
      };
    }
    exec(sql: string): void {
      this.db.exec(sql);
    }
    pragma(sql: string): unknown {
      return this.db.all(`PRAGMA ${sql}`);
    }
    transaction<T extends unknown[]>(fn: (...args: T) => void): (...args: T) => void {
      return (...args) => {
        this.db.exec('BEGIN');
        try {
          fn(...args);
          this.db.exec('COMMIT');
        } catch (e) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw e;
        }
      };
    }
    close(): void {
      for (const s of this.statements) if (!s.isFinalized) s.finalize();
      this.db.close();
    }
  };
}

const driver = process.env.SQLITE_DRIVER === 'wasm' ? 'node-sqlite3-wasm' : 'better-sqlite3';
const loadStart = performance.now();
const Sqlite =
  driver === 'node-sqlite3-wasm'
    ? wasmDriver(process.env.SQLITE_WASM ?? 'node-sqlite3-wasm')
    : (require(process.env.BETTER_SQLITE3 ?? 'better-sqlite3') as new (file: string) => Db);
/** Part of a start too: loading the driver (for the wasm one, compiling its module). */
const loadMs = performance.now() - loadStart;
/** Each connection's journal: WAL where the driver can (better-sqlite3; the wasm one only with exclusive locking). */
function setJournal(db: Db): unknown {
  if (process.env.SQLITE_LOCKING === 'exclusive') db.pragma('locking_mode = EXCLUSIVE');
  return db.pragma('journal_mode = WAL');
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
function peakRss(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}
const cpuS = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** A field's value as the index sees it: a date's milliseconds (`{"$$date": ms}` as nedb writes it), else the value. */
const expr = (field: string) => {
  const p = `$.${field.split('.').join('.')}`;
  return `coalesce(json_extract(doc, '${p}."$$date"'), json_extract(doc, '${p}'))`;
};

function createIndexes(db: Db, table: string, indexes: IndexSpec[]): void {
  for (const idx of indexes) {
    const cols = Object.entries(idx.keys).map(([f, dir]) => `${expr(f)}${dir === -1 ? ' DESC' : ''}`);
    db.exec(`CREATE INDEX IF NOT EXISTS "${table}__${idx.name}" ON "${table}" (${cols.join(', ')})`);
  }
}

function importAll(db: Db, dir: string): { docs: number; seconds: number; cpu: number } {
  const t0 = performance.now();
  const c0 = cpuS();
  let docs = 0;
  for (const spec of loadDatabaseConfig(DEFAULT_DATABASE_CONFIG).collections) {
    const file = path.join(dir, `${spec.name}.db`);
    if (!fs.existsSync(file)) continue;
    // A rowid table: an index walk that needs only keys (a count) never reads a document.
    db.exec(`CREATE TABLE IF NOT EXISTS "${spec.name}" (_id TEXT NOT NULL UNIQUE, doc TEXT NOT NULL)`);
    const insert = db.prepare(`INSERT OR REPLACE INTO "${spec.name}" (_id, doc) VALUES (?, ?)`);
    const batch = db.transaction((lines: string[]) => {
      for (const line of lines) {
        if (!line) continue;
        const id = (JSON.parse(line) as { _id?: string })._id;
        if (id) insert.run(String(id), line);
      }
    });
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i += 20_000) batch(lines.slice(i, i + 20_000));
    docs += lines.filter(Boolean).length;
    createIndexes(db, spec.name, spec.indexes);
  }
  db.exec('ANALYZE');
  return { docs, seconds: (performance.now() - t0) / 1000, cpu: cpuS() - c0 };
}

/** p50 and max of `n` runs of `fn`, in ms, and the rows of the last one. */
function time(n: number, fn: () => unknown[]): { p50: number; max: number; rows: number } {
  const ts: number[] = [];
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    rows = fn().length;
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return { p50: +ts[Math.floor(n / 2)].toFixed(3), max: +ts[n - 1].toFixed(3), rows };
}

/** nedb's `{"$$date": ms}` back to Dates, as the store would answer. */
const parse = (rows: Record<string, unknown>[]) =>
  rows.map((r) =>
    JSON.parse(r.doc as string, (_k, v: unknown) =>
      v && typeof v === 'object' && '$$date' in v ? new Date((v as { $$date: number }).$$date) : v,
    ),
  );

function queries(db: Db): Record<string, unknown> {
  const d = (f: string) => expr(f);
  const some = db
    .prepare(
      `SELECT json_extract(doc, '$.openid') o FROM messages WHERE json_extract(doc, '$.communityId') = 'bench' LIMIT 1 OFFSET 500`,
    )
    .get();
  const openid = (some?.o as string) ?? 'br-1';
  // The page's rowids off the index first, then only its 20 documents.
  const page = db.prepare(
    `SELECT doc FROM orders WHERE rowid IN (SELECT rowid FROM orders WHERE ${d('communityId')} = ? AND ${d('status')} = ? ` +
      `ORDER BY ${d('createdAt')} DESC LIMIT 20 OFFSET ?) ORDER BY ${d('createdAt')} DESC`,
  );
  const inList = db.prepare(
    `SELECT doc FROM orders WHERE ${d('communityId')} = ? AND ${d('status')} IN ('pending', 'dispatched', 'accepted') ORDER BY ${d('createdAt')} DESC LIMIT 20`,
  );
  const range = db.prepare(
    `SELECT doc FROM messages WHERE ${d('openid')} = ? AND ${d('communityId')} = ? AND ${d('createdAt')} < ? ORDER BY ${d('createdAt')} DESC LIMIT 20`,
  );
  const byId = db.prepare(`SELECT doc FROM orders WHERE _id = ?`);
  const count = db.prepare(`SELECT count(*) n FROM orders WHERE ${d('communityId')} = ? AND ${d('status')} = ?`);
  const now = Date.now();
  return {
    'orders page 1 (community, status, createdAt desc)': time(200, () => parse(page.all('bench', 'closed', 0))),
    'orders page 5': time(200, () => parse(page.all('bench', 'closed', 80))),
    'orders $in status, page 1': time(200, () => parse(inList.all('bench'))),
    'messages range (openid, community, createdAt < now)': time(200, () => parse(range.all(openid, 'bench', now))),
    'orders by _id': time(200, () => parse(byId.all('bo_bench_17'))),
    'count closed orders': time(20, () => count.all('bench', 'closed')),
    'query plan of the page': db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT rowid FROM orders WHERE ${d('communityId')} = 'bench' AND ${d('status')} = 'closed' ORDER BY ${d('createdAt')} DESC LIMIT 20`,
      )
      .all()
      .map((r) => r.detail),
  };
}

function main(): void {
  const [dir, dbArg] = process.argv.slice(2);
  if (!dir) throw new Error('usage: store-sqlite.ts <data dir> [db file]');
  const file = dbArg ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-sqlite-')), 'local.sqlite');
  const fresh = !fs.existsSync(file);
  let db = new Sqlite(file);
  const journal = setJournal(db);
  db.pragma('synchronous = NORMAL');
  const imported = fresh ? importAll(db, dir) : undefined;
  db.close();
  // The start-up the local cloud would have: open the file, nothing loaded into memory.
  const t0 = performance.now();
  db = new Sqlite(file);
  setJournal(db);
  db.pragma('cache_size = -65536'); // 64 MB of page cache
  const openMs = performance.now() - t0;
  const q = queries(db);
  const rss = process.memoryUsage();
  console.log(
    JSON.stringify(
      {
        driver,
        journal,
        file,
        fileMb: mb(fs.statSync(file).size),
        imported,
        loadMs: +loadMs.toFixed(1),
        openMs: +openMs.toFixed(1),
        queries: q,
        peakRssMb: mb(peakRss()),
        rssMb: mb(rss.rss),
        heapUsedMb: mb(rss.heapUsed),
      },
      null,
      1,
    ),
  );
  db.close();
}

main();
