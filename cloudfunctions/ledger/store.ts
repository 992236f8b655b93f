// Reads of the ledger, always scoped to one community; entries a viewer may not see answer
// E_NOT_FOUND, as if missing (other communities', and pending or rejected ones for non-workers).
import { insertOnce } from '../common/cas';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import type { MemberCtx } from '../common/router';
import { ACCOUNTS, accountDocs, BOOKS, ENTRIES, type AccountDoc, type BookDoc, type EntryDoc } from './model';

/** How many entries one read takes: a statement reads every approved entry up to its last month. */
export const BATCH = 1000;

export const isWorker = (ctx: MemberCtx): boolean => ctx.member.roles.includes('worker');

/** The community's accounts in its order; a community without any gets the default four. */
export async function loadAccounts(communityId: string, now: Date): Promise<AccountDoc[]> {
  const read = () => getAll<AccountDoc>(collection(ACCOUNTS).where({ communityId }).orderBy('order', 'asc').limit(100));
  const found = await read();
  if (found.length) return found;
  for (const doc of accountDocs(communityId, now)) await insertOnce(ACCOUNTS, doc);
  return read();
}

export async function requireAccount(communityId: string, accountId: string): Promise<AccountDoc> {
  const account = await findById<AccountDoc>(ACCOUNTS, accountId);
  if (!account || account.communityId !== communityId) throw new AppError('E_NOT_FOUND', '账户不存在，请刷新后重新选择账户');
  return account;
}

export const NO_ENTRY = '这笔账目不存在或还未复核公开';

/** An entry the caller may see: workers every one of their community, others approved ones only. */
export async function requireEntry(ctx: MemberCtx, entryId: string): Promise<EntryDoc> {
  const entry = await findById<EntryDoc>(ENTRIES, entryId);
  if (!entry || entry.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', NO_ENTRY);
  if (entry.status !== 'approved' && !isWorker(ctx)) throw new AppError('E_NOT_FOUND', NO_ENTRY);
  return entry;
}

const emptyBook = (communityId: string): BookDoc => ({ _id: communityId, communityId, closedThrough: null, version: 0 });

/** The community's book, as stored or (never closed) as it will be: a read writes nothing. */
export async function readBook(communityId: string): Promise<BookDoc> {
  return (await findById<BookDoc>(BOOKS, communityId)) ?? emptyBook(communityId);
}

/** The book, created on first need, so compare-and-set always has a document: only where a write follows. */
export async function loadBook(communityId: string): Promise<BookDoc> {
  const found = await findById<BookDoc>(BOOKS, communityId);
  if (found) return found;
  await insertOnce<BookDoc>(BOOKS, emptyBook(communityId));
  return (await findById<BookDoc>(BOOKS, communityId))!;
}

export const isClosed = (book: BookDoc, month: string): boolean => book.closedThrough !== null && month <= book.closedThrough;

/** Every approved entry up to `toMonth` (one account or all), by month, date and time of recording. */
export async function approvedThrough(communityId: string, toMonth: string, accountId?: string): Promise<EntryDoc[]> {
  const where: Record<string, unknown> = { communityId, status: 'approved', month: cmd().lte(toMonth) };
  if (accountId) where.accountId = accountId;
  const out: EntryDoc[] = [];
  for (;;) {
    const batch = await getAll<EntryDoc>(
      collection(ENTRIES)
        .where(where)
        .orderBy('month', 'asc')
        .orderBy('date', 'asc')
        .orderBy('createdAt', 'asc')
        .skip(out.length)
        .limit(BATCH),
    );
    out.push(...batch);
    if (batch.length < BATCH) return out;
  }
}

/** Entries waiting for approval in months up to `month` (a month with any cannot be closed). */
export async function pendingThrough(communityId: string, month: string): Promise<number> {
  const res = await collection(ENTRIES)
    .where({ communityId, status: 'pending', month: cmd().lte(month) })
    .count();
  return res.total;
}
