// Reads of the ledger, always scoped to one community; entries a viewer may not see answer
// E_NOT_FOUND, as if missing (other communities', and pending or rejected ones for non-workers).
import { insertOnce } from '../common/cas';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import type { MemberCtx } from '../common/router';
import {
  ACCOUNTS,
  accountDocs,
  BOOKS,
  ENTRIES,
  PERIODS,
  type AccountDoc,
  type BookDoc,
  type EntryDoc,
  type PeriodDoc,
} from './model';

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

/**
 * Every approved entry after `afterMonth` (null: from the start) up to `toMonth`, one account or
 * all, by month, date and time of recording.
 */
export async function approvedThrough(
  communityId: string,
  toMonth: string,
  accountId?: string,
  afterMonth: string | null = null,
): Promise<EntryDoc[]> {
  const month = afterMonth ? cmd().gt(afterMonth).and(cmd().lte(toMonth)) : cmd().lte(toMonth);
  const where: Record<string, unknown> = { communityId, status: 'approved', month };
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

/** Balances by account id. */
export type Balances = Map<string, number>;

/**
 * Where a statement starting at `fromMonth` starts counting: the latest closed month before it
 * that stored its balances (a closed month never changes), or nothing (count from the start).
 * `fromMonth` undefined: the latest closed month of all.
 */
export async function baseBefore(communityId: string, fromMonth?: string): Promise<{ month: string | null; balances: Balances }> {
  const where: Record<string, unknown> = { communityId };
  if (fromMonth) where.month = cmd().lt(fromMonth);
  const [latest] = await getAll<PeriodDoc>(collection(PERIODS).where(where).orderBy('month', 'desc').limit(1));
  if (!latest?.balances) return { month: null, balances: new Map() };
  return { month: latest.month, balances: new Map(latest.balances.map((b) => [b.account, b.closing])) };
}

export const signed = (e: EntryDoc): number => (e.direction === 'in' ? e.amountFen : -e.amountFen);

/** The stored balances moved on by `entries` (all after the base). */
export function balancesAfter(base: Balances, entries: EntryDoc[]): Balances {
  const out = new Map(base);
  for (const e of entries) out.set(e.accountId, (out.get(e.accountId) ?? 0) + signed(e));
  return out;
}

/** The sum of one account's balance or (no account) all. */
export const balanceOf = (b: Balances, accountId?: string): number =>
  accountId ? (b.get(accountId) ?? 0) : [...b.values()].reduce((a, v) => a + v, 0);

/** Each account's balance now: the latest stored balances and every approved entry since. */
export async function balancesNow(communityId: string): Promise<Balances> {
  const base = await baseBefore(communityId);
  return balancesAfter(base.balances, await approvedThrough(communityId, '2099-12', undefined, base.month));
}

/** Entries waiting for approval in months up to `month` (a month with any cannot be closed). */
export async function pendingThrough(communityId: string, month: string): Promise<number> {
  const res = await collection(ENTRIES)
    .where({ communityId, status: 'pending', month: cmd().lte(month) })
    .count();
  return res.total;
}
