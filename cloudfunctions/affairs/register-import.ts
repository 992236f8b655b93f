// 房屋台账 (the PC console): a worker's register file checked row by row (checkParts, the dry run,
// writes nothing), imported in chunks of 200 under one import id (importPartRows: rows with errors
// are skipped and listed; a retried chunk writes nothing twice), and the import log
// (listPartImports). docs/votes.md "The register" and docs/console.md "房屋台账".
import { audit } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { buildingsOf } from '../common/model';
import { readPage } from '../common/paging';
import { action, type MemberCtx } from '../common/router';
import { registerSchemas as s, type ImportLogView, type RowCheck, type RowCounts } from './api-register';
import { digestOf, importDocId, PART_IMPORTS, type ImportChunkDoc, type PartImportDoc } from './model-register';
import { PARTS, partId, type PartDoc } from './model-votes';
import { checkRows, countOf, outcomeOf, type CheckedRow, type PartRow } from './register-rows';
import { requireCommunity } from './vote-store';

const UPDATE_CONCURRENCY = 10;
const BUSY = '登记表正被同时修改，请稍后再导入一次（已导入的行不会重复写入）';

async function readParts(ids: string[]): Promise<Map<string, PartDoc>> {
  if (!ids.length) return new Map();
  const docs = await getAll<PartDoc>(
    collection(PARTS)
      .where({ _id: cmd().in(ids) })
      .limit(ids.length),
  );
  return new Map(docs.map((p) => [p._id, p]));
}

const goodRows = (checked: CheckedRow[]): PartRow[] => checked.flatMap((c) => (c.ok ? [c.part] : []));

/** Each row with what writing it would do to the register as it is now. */
async function plan(ctx: MemberCtx, checked: CheckedRow[]): Promise<RowCheck[]> {
  const stored = await readParts(goodRows(checked).map((r) => partId(ctx.communityId, r.building, r.room)));
  return checked.map((c) =>
    c.ok
      ? {
          line: c.line,
          building: c.building,
          room: c.room,
          ...outcomeOf(c.part, stored.get(partId(ctx.communityId, c.building, c.room))),
        }
      : { line: c.line, building: c.building, room: c.room, outcome: 'error', errors: c.errors },
  );
}

const newPart = (ctx: MemberCtx, _id: string, r: PartRow): PartDoc => ({
  _id,
  communityId: ctx.communityId,
  building: r.building,
  room: r.room,
  area: r.area,
  developer: r.developer,
  ...(r.holder ? { holder: r.holder } : {}),
  owners: [],
  updatedAt: ctx.now,
  version: 1,
});

/** Makes one part say what `r` says; idempotent (a retry finds it done), a few tries against other writers. */
async function setPart(ctx: MemberCtx, _id: string, r: PartRow, known?: PartDoc): Promise<void> {
  let p = known;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0 || !p) p = (await findById<PartDoc>(PARTS, _id)) ?? undefined;
    if (!p) {
      if (await insertOnce(PARTS, newPart(ctx, _id, r))) return;
      continue;
    }
    if (outcomeOf(r, p).outcome === 'unchanged') return;
    try {
      await compareAndSet(
        PARTS,
        { _id, version: p.version },
        { area: r.area, developer: r.developer, holder: r.holder ?? null, updatedAt: ctx.now },
      );
      return;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'E_CONFLICT') throw err;
    }
  }
  throw new AppError('E_CONFLICT', BUSY);
}

/** Writes the good rows: new parts in one add, changed ones each by compare-and-set. */
async function applyRows(ctx: MemberCtx, rows: PartRow[]): Promise<void> {
  const want = new Map(rows.map((r) => [partId(ctx.communityId, r.building, r.room), r]));
  const stored = await readParts([...want.keys()]);
  const fresh = [...want].filter(([id]) => !stored.has(id));
  if (fresh.length) {
    const docs = fresh.map(([id, r]) => newPart(ctx, id, r));
    try {
      await collection(PARTS).add(docs.length === 1 ? docs[0] : docs);
    } catch {
      // Another import (or a retry of this chunk) wrote some of them meanwhile: one by one.
      for (const [id, r] of fresh) await setPart(ctx, id, r);
    }
  }
  // Changed parts, UPDATE_CONCURRENCY at a time: 200 round trips one after another would take
  // seconds on CloudBase, near the function's timeout.
  const changed = [...want].filter(([id]) => stored.has(id));
  for (let i = 0; i < changed.length; i += UPDATE_CONCURRENCY)
    await Promise.all(changed.slice(i, i + UPDATE_CONCURRENCY).map(([id, r]) => setPart(ctx, id, r, stored.get(id))));
}

const ZERO: RowCounts = { rows: 0, created: 0, updated: 0, unchanged: 0, errors: 0 };

/** The log's sums over its finished chunks. */
function totals(
  parts: Record<string, ImportChunkDoc>,
  chunks: number,
): Pick<PartImportDoc, keyof RowCounts | 'chunksDone' | 'status'> {
  const done = Object.values(parts).filter((p) => p.state === 'done');
  const sum = (k: keyof RowCounts) => done.reduce((n, p) => n + p[k], 0);
  return {
    rows: sum('rows'),
    created: sum('created'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    errors: sum('errors'),
    chunksDone: done.length,
    status: done.length === chunks ? 'done' : 'partial',
  };
}

/**
 * Sets chunk `key` of the log (compare-and-set; other chunks may land meanwhile, so re-read and try
 * again). `when` says whether the change still applies to the log as read; false: leave it.
 */
async function changeChunk(
  logId: string,
  key: string,
  when: (log: PartImportDoc) => boolean,
  chunk: (log: PartImportDoc) => ImportChunkDoc,
  now: Date,
): Promise<{ log: PartImportDoc; changed: boolean }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const log = (await findById<PartImportDoc>(PART_IMPORTS, logId))!;
    if (!when(log)) return { log, changed: false };
    const parts = { ...log.parts, [key]: chunk(log) };
    const patch = { parts, ...totals(parts, log.chunks), updatedAt: now };
    try {
      await compareAndSet(PART_IMPORTS, { _id: logId, version: log.version }, patch);
      return { log: { ...log, ...patch, version: log.version + 1 }, changed: true };
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'E_CONFLICT') throw err;
    }
  }
  throw new AppError('E_CONFLICT', BUSY);
}

export const logView = (d: PartImportDoc): ImportLogView => ({
  _id: d._id,
  fileName: d.fileName,
  byName: d.byName,
  at: d.createdAt.toISOString(),
  chunks: d.chunks,
  chunksDone: d.chunksDone,
  status: d.status,
  rows: d.rows,
  created: d.created,
  updated: d.updated,
  unchanged: d.unchanged,
  errors: d.errors,
});

/** The import's log, made by the first chunk to arrive; the same import id must name the same file. */
async function openLog(ctx: MemberCtx, input: { importId: string; fileName: string; chunks: number }): Promise<PartImportDoc> {
  const _id = importDocId(ctx.communityId, input.importId);
  let log = await findById<PartImportDoc>(PART_IMPORTS, _id);
  if (!log) {
    const fresh: PartImportDoc = {
      _id,
      communityId: ctx.communityId,
      fileName: input.fileName,
      chunks: input.chunks,
      parts: {},
      ...ZERO,
      chunksDone: 0,
      status: 'partial',
      byOpenid: ctx.openid,
      byName: ctx.member.name,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      version: 1,
    };
    log = (await insertOnce(PART_IMPORTS, fresh)) ? fresh : await findById<PartImportDoc>(PART_IMPORTS, _id);
  }
  if (!log || log.fileName !== input.fileName || log.chunks !== input.chunks)
    throw new AppError('E_CONFLICT', '这个导入编号已用于另一个文件，请重新选择文件再导入');
  return log;
}

export const importActions = {
  checkParts: action({
    schema: s.checkParts,
    roles: ['worker'],
    handler: async ({ rows }, ctx) => {
      const community = await requireCommunity(ctx);
      const items = await plan(ctx, checkRows(rows, buildingsOf(community)));
      return { ...countOf(items), items };
    },
  }),

  importPartRows: action({
    schema: s.importPartRows,
    roles: ['worker'],
    limit: 'register',
    handler: async (input, ctx) => {
      const community = await requireCommunity(ctx);
      let log = await openLog(ctx, input);
      const key = String(input.chunk);
      const digest = digestOf(input.rows);
      const differs = (l: PartImportDoc) => l.parts[key] && l.parts[key].digest !== digest;
      if (differs(log)) throw new AppError('E_CONFLICT', `这个导入编号的第 ${key} 段已导入过不同的内容，请重新选择文件再导入`);
      const checked = checkRows(input.rows, buildingsOf(community));
      let repeated = Boolean(log.parts[key]);
      if (!repeated) {
        // The plan is recorded before anything is written: a retry after a crash answers these
        // counts (the rows would look unchanged by then) and finishes the writing.
        const items = await plan(ctx, checked);
        const planned: ImportChunkDoc = {
          ...countOf(items),
          digest,
          state: 'writing',
          errorLines: items.filter((i) => i.outcome === 'error').map((i) => i.line),
        };
        const rec = await changeChunk(
          log._id,
          key,
          (l) => !l.parts[key],
          () => planned,
          ctx.now,
        );
        log = rec.log;
        repeated = !rec.changed;
        if (differs(log)) throw new AppError('E_CONFLICT', `这个导入编号的第 ${key} 段已导入过不同的内容，请重新选择文件再导入`);
      }
      if (log.parts[key].state === 'writing') {
        await applyRows(ctx, goodRows(checked));
        const fin = await changeChunk(
          log._id,
          key,
          (l) => l.parts[key]?.state === 'writing',
          (l) => ({ ...l.parts[key], state: 'done' }),
          ctx.now,
        );
        log = fin.log;
        if (fin.changed) {
          const { digest: _d, state: _s, errorLines: _e, ...counts } = log.parts[key];
          await audit(ctx, {
            target: `part_import:${log._id}`,
            after: { fileName: log.fileName, chunk: input.chunk, ...counts },
          });
        }
      }
      const { digest: _d, state: _s, errorLines, ...counts } = log.parts[key];
      return { chunk: input.chunk, ...counts, errorLines, repeated, log: logView(log) };
    },
  }),

  listPartImports: action({
    schema: s.listPartImports,
    roles: ['worker'],
    handler: async (input, ctx) => {
      const page = input.page ?? 1;
      const { docs, hasMore } = await readPage<PartImportDoc>(
        collection(PART_IMPORTS).where({ communityId: ctx.communityId }).orderBy('createdAt', 'desc'),
        page,
      );
      return { items: docs.map(logView), page, hasMore };
    },
  }),
};
