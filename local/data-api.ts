// Answers the HTTP API of @cloudbase/node-sdk: one POST per call, `action` naming the operation
// (`storage.*` actions go to local/storage.ts).
// Successful answers are `{ requestId, data: … }`; failures are `{ requestId, code, message }`
// with status 200, which makes the SDK reject the call's promise with that code and message.
import { randomUUID } from 'crypto';
import { EjsonError, parseEjson, stringifyEjson } from './ejson';
import { FunctionError, type FunctionHost } from './functions';
import { QueryError } from './query';
import type { ReadPlan } from './ordered-plan';
import { StorageError, type LocalStorage } from './storage';
import { StoreError, type Store, type UndoLog } from './store';
import type { Doc } from './update';

export interface ApiAnswer {
  requestId: string;
  code?: string;
  message?: string;
  [key: string]: unknown;
}

type Body = Record<string, unknown>;

/** One answered data-API call, as the `observe` hook of startLocalCloud reports it (benchmarks). */
export interface DataCallRecord {
  action: string;
  collection?: string;
  /** Time to answer it, request body already parsed (EJSON decoding, store, EJSON encoding). */
  ms: number;
  /** The request as received (parsed JSON, not copied: do not modify). */
  body: unknown;
  /** For a read (`getDocument`): an index walk or a scan, and the documents a walk looked at. */
  read?: ReadPlan;
}

const TX_IDLE_MS = 30_000;
const TX_WAIT_MS = 5_000;

interface Tx {
  id: string;
  undo: { collection: string; id: unknown; before: Doc | null }[];
  seen: Set<string>;
  idle: NodeJS.Timeout;
}

/**
 * Transactions, simply: one at a time (a second one waits, then fails with
 * DATABASE_TRANSACTION_CONFLICT, which `runTransaction` retries), writes applied at once with
 * an undo log, rolled back on abort or after 30 s of inactivity. Reads outside the transaction
 * may see its uncommitted writes.
 */
class Transactions {
  private current: Tx | undefined;
  private waiters: (() => void)[] = [];

  constructor(private readonly store: Store) {}

  async start(): Promise<string> {
    const deadline = Date.now() + TX_WAIT_MS;
    while (this.current) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new StoreError('DATABASE_TRANSACTION_CONFLICT', 'database transaction conflict: another transaction is running');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const id = randomUUID().replace(/-/g, '');
    const tx: Tx = { id, undo: [], seen: new Set(), idle: this.idleTimer(id) };
    this.current = tx;
    return id;
  }

  /** The undo log of a live transaction; rejects unknown or finished ones. */
  log(id: unknown): UndoLog {
    const tx = this.current;
    if (!tx || tx.id !== id) throw new StoreError('DATABASE_TRANSACTION_FAIL', 'transaction not found or already finished');
    clearTimeout(tx.idle);
    tx.idle = this.idleTimer(tx.id);
    return {
      record: (collection, docId, before) => {
        const key = `${collection}\u0000${JSON.stringify(docId)}`;
        if (tx.seen.has(key)) return;
        tx.seen.add(key);
        tx.undo.push({ collection, id: docId, before });
      },
    };
  }

  check(id: unknown): void {
    this.log(id);
  }

  commit(id: unknown): void {
    this.check(id);
    this.finish();
  }

  async abort(id: unknown): Promise<void> {
    this.check(id);
    await this.rollback();
  }

  private async rollback(): Promise<void> {
    const tx = this.current;
    if (!tx) return;
    try {
      for (const entry of [...tx.undo].reverse()) await this.store.restore(entry.collection, entry.id, entry.before);
    } finally {
      this.finish();
    }
  }

  private finish(): void {
    if (this.current) clearTimeout(this.current.idle);
    this.current = undefined;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private idleTimer(id: string): NodeJS.Timeout {
    const t = setTimeout(() => {
      if (this.current?.id === id) void this.rollback().catch(() => undefined);
    }, TX_IDLE_MS);
    t.unref();
    return t;
  }

  async close(): Promise<void> {
    await this.rollback();
  }
}

export class DataApi {
  private readonly tx: Transactions;
  /** Data-API calls answered so far (function invocations report their share). */
  calls = 0;

  constructor(
    private readonly store: Store,
    private readonly functions: FunctionHost,
    private readonly onCall?: (record: DataCallRecord) => void,
    private readonly storage?: LocalStorage,
  ) {
    this.tx = new Transactions(store);
  }

  async handle(body: unknown): Promise<ApiAnswer> {
    this.calls += 1;
    if (!this.onCall) return this.answer(body);
    const started = performance.now();
    const read: ReadPlan = { plan: 'scan' };
    try {
      return await this.answer(body, read);
    } finally {
      const b = (body ?? {}) as Body;
      this.onCall({
        action: String(b.action ?? ''),
        collection: typeof b.collectionName === 'string' ? b.collectionName : undefined,
        ms: performance.now() - started,
        body,
        ...(b.action === 'database.getDocument' ? { read } : {}),
      });
    }
  }

  private async answer(body: unknown, read?: ReadPlan): Promise<ApiAnswer> {
    const requestId = randomUUID();
    try {
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new QueryError('request body must be a JSON object');
      const data = await this.dispatch(body as Body, read);
      return { requestId, ...data };
    } catch (err) {
      return { requestId, ...toErrorAnswer(err) };
    }
  }

  async close(): Promise<void> {
    await this.tx.close();
  }

  private async dispatch(body: Body, read?: ReadPlan): Promise<Record<string, unknown>> {
    const now = new Date();
    const action = body.action;
    const coll = body.collectionName;
    if (this.storage?.handles(action)) return this.storage.action(body);
    const undo = body.transactionId ? this.tx.log(body.transactionId) : undefined;
    switch (action) {
      case 'database.getDocument': {
        const docs = await this.store.find(coll, parseEjson(body.query, now), {
          order: parseEjson(body.order, now),
          offset: asNumber(body.offset),
          limit: body.queryType === 'DOC' ? 1 : asNumber(body.limit),
          projection: parseEjson(body.projection, now),
          report: read,
        });
        return { data: { list: docs.map(stringifyEjson) } };
      }
      case 'database.calculateDocument':
        return { data: { total: await this.store.count(coll, parseEjson(body.query, now)) } };
      case 'database.insertDocument': {
        const raw = Array.isArray(body.data) ? body.data : [body.data];
        const docs = raw.map((d) => parseEjson(d, now));
        const ids = await this.store.insert(coll, docs, undo);
        return { data: { insertedIds: ids } };
      }
      case 'database.modifyDocument': {
        const res = await this.store.modify(
          coll,
          parseEjson(body.query, now),
          parseEjson(body.data, now),
          { multi: body.multi === true, merge: body.merge !== false, upsert: body.upsert === true },
          undo,
        );
        const data: Record<string, unknown> = { updated: res.updated };
        if (res.upsertId !== undefined) data.upsert_id = res.upsertId;
        return { data };
      }
      case 'database.modifyAndReturnDoc': {
        const res = await this.store.modify(
          coll,
          parseEjson(body.query, now),
          parseEjson(body.data, now),
          {
            multi: false,
            merge: true,
            upsert: false,
          },
          undo,
        );
        return { data: { updated: res.updated, doc: res.docs[0] ? stringifyEjson(res.docs[0]) : null } };
      }
      case 'database.removeDocument': {
        const deleted = await this.store.remove(coll, parseEjson(body.query, now), body.multi === true, undo);
        return { data: { deleted } };
      }
      case 'database.addCollection':
        await this.store.addCollection(coll);
        return { data: {} };
      case 'database.startTransaction':
        return { transactionId: await this.tx.start() };
      case 'database.commitTransaction':
        this.tx.commit(body.transactionId);
        return {};
      case 'database.abortTransaction':
        await this.tx.abort(body.transactionId);
        return {};
      case 'functions.invokeFunction': {
        const name = body.function_name;
        if (typeof name !== 'string' || !name) throw new StoreError('INVALID_PARAM', 'function_name is required');
        let event: unknown = {};
        if (typeof body.request_data === 'string' && body.request_data !== '') {
          try {
            event = JSON.parse(body.request_data);
          } catch {
            throw new StoreError('INVALID_PARAM', 'request_data is not JSON');
          }
        }
        const result = await this.functions.invoke(name, event, { source: 'sdk' });
        return { data: { response_data: JSON.stringify(result) } };
      }
      default:
        throw new StoreError(
          'INVALID_ACTION',
          `the local cloud does not support "${String(action)}" (aggregate, watch and other APIs are not emulated)`,
        );
    }
  }
}

function asNumber(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'number' ? v : Number(v);
}

export function toErrorAnswer(err: unknown): { code: string; message: string } {
  if (err instanceof StoreError || err instanceof StorageError) return { code: err.code, message: err.message };
  if (err instanceof QueryError || err instanceof EjsonError)
    return { code: 'DATABASE_REQUEST_FAILED', message: `[InvalidParameter] ${err.message}` };
  if (err instanceof FunctionError) {
    const code =
      err.code === 'FUNCTION_NOT_FOUND'
        ? 'FUNCTIONS_NOT_FOUND'
        : err.code === 'FUNCTION_TIMEOUT'
          ? 'FUNCTIONS_TIME_LIMIT_EXCEEDED'
          : 'FUNCTIONS_EXECUTE_FAIL';
    return { code, message: err.message };
  }
  // nedb's own validation errors (bad field names, unknown operators) are the caller's mistakes.
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'DATABASE_REQUEST_FAILED', message: `[FailedOperation] ${message}` };
}
