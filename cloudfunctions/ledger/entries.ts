// Entries: record (pending), approve by a second worker, reject a pending one, reverse an approved
// one. Every write is an insert with a deterministic `_id` or a compare-and-set on the approval or
// the one-time reversal mark; the money fields are never updated (docs/ledger.md).
import { audit } from '../common/audit';
import { cmd, collection, findById } from '../common/db';
import { AppError } from '../common/errors';
import { insertOnce } from '../common/cas';
import { checkAttachments } from '../common/files';
import { readPage } from '../common/paging';
import { assertSameDigest, requestDigest, type RequestBody } from '../common/request';
import { action, type MemberCtx } from '../common/router';
import { dateText } from '../../miniprogram/shared/clock';
import { ledgerSchemas as s, type Direction } from './api';
import { ACCOUNTS, BOOKS, ENTRIES, entryIdFor, type AccountDoc, type BookDoc, type EntryDoc } from './model';
import { monthLabel, monthOfDate } from './period';
import { isClosed, isWorker, loadBook, readBook, requireAccount, requireEntry } from './store';
import { toEntryView } from './views';
import { requireProject } from './projects';

const OTHER_REQUEST = '这个请求编号已用于另一笔内容不同的账目。请先在账目列表里查看上一笔是否已记上；确需再记，请重新提交';
const closedMessage = (closedThrough: string) =>
  `${monthLabel(closedThrough)}及以前的账期已结账，不能再记入；更正请在本期记一笔冲销或调整`;

export async function entryView(ctx: MemberCtx, e: EntryDoc) {
  const account = await findById<AccountDoc>(ACCOUNTS, e.accountId);
  return toEntryView(e, account?.name ?? '', isWorker(ctx));
}

async function findEntry(entryId: string): Promise<EntryDoc | null> {
  return findById<EntryDoc>(ENTRIES, entryId);
}

/** The same request again (a double tap, a retry, a race): its entry, if it asked the same. */
async function repeated(ctx: MemberCtx, entryId: string, asked: RequestBody): Promise<EntryDoc | null> {
  const first = await findEntry(entryId);
  if (!first || first.communityId !== ctx.communityId) return null;
  assertSameDigest(first.requestDigest, asked, OTHER_REQUEST);
  return first;
}

async function insertEntry(ctx: MemberCtx, doc: EntryDoc, asked: RequestBody): Promise<{ doc: EntryDoc; fresh: boolean }> {
  if (await insertOnce(ENTRIES, doc)) return { doc, fresh: true };
  const first = await repeated(ctx, doc._id, asked);
  if (!first) throw new AppError('E_CONFLICT');
  return { doc: first, fresh: false };
}

/**
 * Approvals and closing a period take turns on the book: an approval first bumps the book's
 * version while its month is open, so a close that read the book before it fails its own
 * compare-and-set, and a close that read it after sees the entry pending or approved, never
 * half-way. Two approvals at once retry.
 */
async function claimOpenMonth(communityId: string, month: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const book: BookDoc = await loadBook(communityId);
    if (isClosed(book, month)) throw new AppError('E_CONFLICT', closedMessage(book.closedThrough!));
    const res = await collection(BOOKS)
      .where({ _id: communityId, version: book.version, closedThrough: book.closedThrough })
      .update({ version: cmd().inc(1) });
    if (res.updated === 1) return;
  }
  throw new AppError('E_CONFLICT', '同时复核的账目较多，请稍后重试');
}

export const entryActions = {
  record: action({
    schema: s.record,
    roles: ['worker'],
    limit: 'ledger',
    handler: async (input, ctx) => {
      const _id = entryIdFor(ctx.communityId, input.requestId);
      const receipts = [...new Set(input.receipts ?? [])];
      const contracts = [...new Set(input.contracts ?? [])];
      const asked: RequestBody = {
        kind: 'record',
        account: input.account,
        direction: input.direction,
        amountFen: input.amountFen,
        date: input.date,
        summary: input.summary,
        counterparty: input.counterparty,
        counterpartyKind: input.counterparty ? (input.counterpartyKind ?? 'person') : undefined,
        receipts,
        contracts,
        basis: input.basis,
        project: input.project,
      };
      const again = await repeated(ctx, _id, asked);
      if (again) return entryView(ctx, again);

      const account = await requireAccount(ctx.communityId, input.account);
      if (account.disabled)
        throw new AppError('E_CONFLICT', `账户「${account.name}」已停用，不能再记入；请选择其他账户，或先启用它`);
      if (input.project) await requireProject(ctx, input.project);
      if (input.date > dateText(ctx.now)) throw new AppError('E_VALIDATION', '日期不能晚于今天，请重新选择');
      const month = monthOfDate(input.date);
      const book = await readBook(ctx.communityId);
      if (isClosed(book, month)) throw new AppError('E_CONFLICT', closedMessage(book.closedThrough!));
      await checkAttachments([...receipts, ...contracts], ctx.openid);

      const doc: EntryDoc = {
        _id,
        communityId: ctx.communityId,
        accountId: account._id,
        direction: input.direction,
        amountFen: input.amountFen,
        date: input.date,
        month,
        summary: input.summary,
        ...(input.counterparty ? { counterparty: input.counterparty, counterpartyKind: input.counterpartyKind ?? 'person' } : {}),
        receipts,
        contracts,
        ...(input.basis ? { basis: input.basis } : {}),
        ...(input.project ? { projectId: input.project } : {}),
        recordedBy: ctx.openid,
        recordedByName: ctx.member.name,
        status: 'pending',
        reversedBy: null,
        requestDigest: requestDigest(asked),
        createdAt: ctx.now,
        version: 1,
      };
      const { doc: saved, fresh } = await insertEntry(ctx, doc, asked);
      if (fresh) {
        await audit(ctx, {
          target: `ledger_entry:${_id}`,
          after: { status: 'pending', account: account._id, direction: doc.direction, amountFen: doc.amountFen, date: doc.date },
        });
      }
      return toEntryView(saved, account.name, true);
    },
  }),

  approve: action({
    schema: s.approve,
    roles: ['worker'],
    handler: async ({ entryId }, ctx) => {
      const entry = await requireEntry(ctx, entryId);
      if (entry.status !== 'pending') throw new AppError('E_CONFLICT', '这笔账目已复核或已退回，请刷新');
      if (entry.recordedBy === ctx.openid) throw new AppError('E_FORBIDDEN', '复核需由记账人以外的另一位社区工作者完成');
      await claimOpenMonth(ctx.communityId, entry.month);
      const patch = { status: 'approved', approvedBy: ctx.openid, approvedByName: ctx.member.name, approvedAt: ctx.now };
      const res = await collection(ENTRIES)
        .where({ _id: entryId, communityId: ctx.communityId, status: 'pending' })
        .update({ ...patch, version: cmd().inc(1) });
      if (res.updated !== 1) throw new AppError('E_CONFLICT', '这笔账目已复核或已退回，请刷新');
      await audit(ctx, { target: `ledger_entry:${entryId}`, before: { status: 'pending' }, after: { status: 'approved' } });
      return entryView(ctx, { ...entry, ...patch, status: 'approved' });
    },
  }),

  reject: action({
    schema: s.reject,
    roles: ['worker'],
    handler: async ({ entryId, reason }, ctx) => {
      const entry = await requireEntry(ctx, entryId);
      if (entry.status !== 'pending') throw new AppError('E_CONFLICT', '只有待复核的账目可以退回；已复核的请冲销');
      const res = await collection(ENTRIES)
        .where({ _id: entryId, communityId: ctx.communityId, status: 'pending' })
        .update({ status: 'rejected', rejectReason: reason, version: cmd().inc(1) });
      if (res.updated !== 1) throw new AppError('E_CONFLICT', '这笔账目已复核或已退回，请刷新');
      // A rejected reversal frees its original to be reversed again.
      if (entry.reverses)
        await collection(ENTRIES).where({ _id: entry.reverses, reversedBy: entryId }).update({ reversedBy: null });
      await audit(ctx, {
        target: `ledger_entry:${entryId}`,
        before: { status: 'pending' },
        after: { status: 'rejected' },
        note: reason,
      });
      return entryView(ctx, { ...entry, status: 'rejected', rejectReason: reason });
    },
  }),

  reverse: action({
    schema: s.reverse,
    roles: ['worker'],
    limit: 'ledger',
    handler: async ({ entryId, reason, requestId }, ctx) => {
      const _id = entryIdFor(ctx.communityId, requestId);
      const asked: RequestBody = { kind: 'reverse', entryId, reason };
      const again = await repeated(ctx, _id, asked);
      if (again) return entryView(ctx, again);

      const original = await requireEntry(ctx, entryId);
      if (original.reverses) throw new AppError('E_CONFLICT', '冲销分录不能再冲销；如冲销有误，请重新记一笔原账目');
      if (original.status !== 'approved') throw new AppError('E_CONFLICT', '只有已复核的账目可以冲销；待复核的账目请退回');
      if (original.reversedBy && original.reversedBy !== _id) throw new AppError('E_CONFLICT', '这笔账目已经冲销过了');
      // The mark first, under the reversal's deterministic id: a retry after a crash finds its own mark.
      await collection(ENTRIES).where({ _id: entryId, reversedBy: null }).update({ reversedBy: _id });
      const marked = await findEntry(entryId);
      if (marked?.reversedBy !== _id) throw new AppError('E_CONFLICT', '这笔账目已经冲销过了');

      const today = dateText(ctx.now);
      const direction: Direction = original.direction === 'in' ? 'out' : 'in';
      const doc: EntryDoc = {
        _id,
        communityId: ctx.communityId,
        accountId: original.accountId,
        direction,
        amountFen: original.amountFen,
        date: today,
        month: monthOfDate(today),
        summary: `冲销：${original.summary}`.slice(0, 100),
        ...(original.counterparty ? { counterparty: original.counterparty, counterpartyKind: original.counterpartyKind } : {}),
        // A reversal is charged where the original was, so the project's spending nets too.
        ...(original.projectId ? { projectId: original.projectId } : {}),
        receipts: [],
        contracts: [],
        recordedBy: ctx.openid,
        recordedByName: ctx.member.name,
        status: 'pending',
        reverses: entryId,
        reason,
        reversedBy: null,
        requestDigest: requestDigest(asked),
        createdAt: ctx.now,
        version: 1,
      };
      const { doc: saved, fresh } = await insertEntry(ctx, doc, asked);
      if (fresh) {
        await audit(ctx, [
          {
            target: `ledger_entry:${_id}`,
            after: { status: 'pending', reverses: entryId, direction, amountFen: doc.amountFen },
            note: reason,
          },
          { target: `ledger_entry:${entryId}`, before: { reversedBy: null }, after: { reversedBy: _id }, note: reason },
        ]);
      }
      return entryView(ctx, saved);
    },
  }),

  entry: action({
    schema: s.entry,
    roles: ['resident', 'volunteer', 'worker'],
    handler: async ({ entryId }, ctx) => entryView(ctx, await requireEntry(ctx, entryId)),
  }),

  pending: action({
    schema: s.pending,
    roles: ['worker'],
    handler: async ({ page = 1 }, ctx) => {
      const { docs, hasMore } = await readPage<EntryDoc>(
        collection(ENTRIES).where({ communityId: ctx.communityId, status: 'pending' }).orderBy('createdAt', 'asc'),
        page,
      );
      const names = new Map<string, string>();
      for (const id of new Set(docs.map((d) => d.accountId)))
        names.set(id, (await findById<AccountDoc>(ACCOUNTS, id))?.name ?? '');
      return { items: docs.map((d) => toEntryView(d, names.get(d.accountId) ?? '', true)), page, hasMore };
    },
  }),
};
