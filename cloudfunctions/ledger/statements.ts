// Statements by month and by quarter (one account or all): opening balance, income, spending,
// closing balance and the period's approved entries. Closing a month freezes it and every earlier
// one, and publishes the statement as a notice with read receipts; members rate a closed month once.
import { audit } from '../common/audit';
import { insertOnce } from '../common/cas';
import { cmd, collection, findById } from '../common/db';
import { AppError } from '../common/errors';
import { readPage } from '../common/paging';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { PAGE_SIZE } from '../common/schema';
import { publishPublicNotice } from '../notices/publish';
import { ledgerSchemas as s, type PeriodView, type StatementView } from './api';
import {
  BOOKS,
  PERIODS,
  periodId,
  RATINGS,
  ratingId,
  statementNoticeId,
  type AccountDoc,
  type EntryDoc,
  type PeriodDoc,
  type RatingDoc,
} from './model';
import { monthLabel, monthOf, quarterEndingIn, quarterMonths, yuan } from './period';
import {
  approvedThrough,
  balanceOf,
  balancesAfter,
  baseBefore,
  isClosed,
  isWorker,
  loadAccounts,
  loadBook,
  pendingThrough,
  readBook,
  requireAccount,
  signed,
  type Balances,
} from './store';
import { toEntryView } from './views';

export interface Totals {
  opening: number;
  income: number;
  expense: number;
  closing: number;
}

/**
 * The arithmetic of a statement: `start` (the stored balance the entries follow) and every
 * approved entry before `from` make the opening.
 */
export function totalsOf(entries: EntryDoc[], from: string, to: string, start = 0): Totals & { inPeriod: EntryDoc[] } {
  let opening = start;
  let income = 0;
  let expense = 0;
  const inPeriod: EntryDoc[] = [];
  for (const e of entries) {
    if (e.month < from) opening += signed(e);
    else if (e.month <= to) {
      inPeriod.push(e);
      if (e.direction === 'in') income += e.amountFen;
      else expense += e.amountFen;
    }
  }
  return { opening, income, expense, closing: opening + income - expense, inPeriod };
}

async function statementOf(
  ctx: MemberCtx,
  period: string,
  from: string,
  to: string,
  accountId: string | undefined,
  page: number,
): Promise<StatementView> {
  if (accountId) await requireAccount(ctx.communityId, accountId);
  const accounts = await loadAccounts(ctx.communityId, ctx.now);
  const names = new Map(accounts.map((a) => [a._id, a.name]));
  const base = await baseBefore(ctx.communityId, from);
  const entries = await approvedThrough(ctx.communityId, to, accountId, base.month);
  const { inPeriod, ...totals } = totalsOf(entries, from, to, balanceOf(base.balances, accountId));
  const book = await readBook(ctx.communityId);
  const closed = isClosed(book, to);
  const start = (page - 1) * PAGE_SIZE;
  const view: StatementView = {
    period,
    from,
    to,
    account: accountId ?? null,
    ...totals,
    items: inPeriod.slice(start, start + PAGE_SIZE).map((e) => toEntryView(e, names.get(e.accountId) ?? '', isWorker(ctx))),
    page,
    hasMore: inPeriod.length > start + PAGE_SIZE,
    closed,
  };
  if (from === to) {
    const closedPeriod = await findById<PeriodDoc>(PERIODS, periodId(ctx.communityId, to));
    if (closedPeriod) {
      const mine = await findById<RatingDoc>(RATINGS, ratingId(ctx.communityId, to, ctx.openid));
      view.noticeId = closedPeriod.noticeId;
      view.rating = { ...ratingOf(closedPeriod), ...(mine ? { mine: mine.stars } : {}) };
    }
  }
  return view;
}

const ratingOf = (p: PeriodDoc) => ({
  count: p.ratingCount,
  average: p.ratingCount ? Math.round((p.ratingSum / p.ratingCount) * 10) / 10 : 0,
});

const toPeriodView = (p: PeriodDoc): PeriodView => ({
  month: p.month,
  closedAt: new Date(p.closedAt).toISOString(),
  noticeId: p.noticeId,
  opening: p.opening,
  income: p.income,
  expense: p.expense,
  closing: p.closing,
  rating: ratingOf(p),
});

/** The notice's body: each account's line, the whole, and the quarter when the month ends one. */
async function noticeBody(
  communityId: string,
  month: string,
  accounts: AccountDoc[],
  base: Balances,
  entries: EntryDoc[],
  whole: Totals,
): Promise<string> {
  const line = (name: string, t: Totals) =>
    `${name}：期初 ${yuan(t.opening)}，收入 ${yuan(t.income)}，支出 ${yuan(t.expense)}，期末 ${yuan(t.closing)}`;
  const lines = accounts.map((a) =>
    line(
      a.name,
      totalsOf(
        entries.filter((e) => e.accountId === a._id),
        month,
        month,
        base.get(a._id) ?? 0,
      ),
    ),
  );
  lines.push(line('合计', whole));
  const quarter = quarterEndingIn(month);
  if (quarter) {
    const { from, to } = quarterMonths(quarter);
    const base = await baseBefore(communityId, from);
    const inQuarter = await approvedThrough(communityId, to, undefined, base.month);
    lines.push(line(`第${quarter.slice(-1)}季度合计`, totalsOf(inQuarter, from, to, balanceOf(base.balances))));
  }
  lines.push('每笔收支、票据和依据请在「玻璃口袋」查看；对任何一笔有疑问都可以直接提问，也欢迎为本期账目评分。');
  return lines.join('\n');
}

async function publishNotice(ctx: MemberCtx, month: string, body: string): Promise<string> {
  const notice = await publishPublicNotice(ctx, {
    _id: statementNoticeId(ctx.communityId, month),
    title: `${monthLabel(month)}社区账目公示`,
    body,
    buildings: [],
  });
  return notice._id;
}

export const statementActions = {
  statement: action({
    schema: s.statement,
    roles: ANY_MEMBER,
    handler: async ({ month, account, page = 1 }, ctx) => statementOf(ctx, month, month, month, account, page),
  }),

  quarter: action({
    schema: s.quarter,
    roles: ANY_MEMBER,
    handler: async ({ quarter, account, page = 1 }, ctx) => {
      const { from, to } = quarterMonths(quarter);
      return statementOf(ctx, quarter, from, to, account, page);
    },
  }),

  close: action({
    schema: s.close,
    roles: ['worker'],
    handler: async ({ month }, ctx) => {
      if (month >= monthOf(ctx.now)) throw new AppError('E_CONFLICT', `${monthLabel(month)}还没有过完，下个月才能结账`);
      const pid = periodId(ctx.communityId, month);
      if (await findById<PeriodDoc>(PERIODS, pid)) throw new AppError('E_CONFLICT', `${monthLabel(month)}已经结账公示过了`);
      const book = await readBook(ctx.communityId);
      // closedThrough equal to the month and no period: a close that stopped half-way; finish it.
      const resuming = book.closedThrough === month;
      if (isClosed(book, month) && !resuming) throw new AppError('E_CONFLICT', `${monthLabel(month)}已在更晚的结账中关闭`);
      const waiting = await pendingThrough(ctx.communityId, month);
      if (waiting > 0 && !resuming)
        throw new AppError('E_CONFLICT', `${monthLabel(month)}及以前还有 ${waiting} 笔账目待复核，请先复核或退回再结账`);
      // The latest stored balances before the month, and every approved entry after them up to it.
      const base = await baseBefore(ctx.communityId, month);
      const entries = await approvedThrough(ctx.communityId, month, undefined, base.month);
      if (!resuming) {
        if (book.version === 0) await loadBook(ctx.communityId); // the first close creates the book
        const res = await collection(BOOKS)
          .where({ _id: ctx.communityId, version: book.version, closedThrough: book.closedThrough })
          .update({ closedThrough: month, version: cmd().inc(1) });
        if (res.updated !== 1) throw new AppError('E_CONFLICT', '账目刚有变动，请刷新后重新结账');
      }
      // Each account's balance at the month's end, stored with the period.
      const closing = balancesAfter(base.balances, entries);
      const { inPeriod: _, ...totals } = totalsOf(entries, month, month, balanceOf(base.balances));
      const accounts = await loadAccounts(ctx.communityId, ctx.now);
      const body = await noticeBody(ctx.communityId, month, accounts, base.balances, entries, totals);
      const noticeId = await publishNotice(ctx, month, body);
      const period: PeriodDoc = {
        _id: pid,
        communityId: ctx.communityId,
        month,
        ...totals,
        noticeId,
        closedBy: ctx.openid,
        closedAt: ctx.now,
        ratingCount: 0,
        ratingSum: 0,
        balances: [...closing].map(([account, value]) => ({ account, closing: value })),
      };
      if (!(await insertOnce(PERIODS, period))) throw new AppError('E_CONFLICT', `${monthLabel(month)}已经结账公示过了`);
      await audit(ctx, [
        {
          target: `ledger_period:${pid}`,
          before: { closedThrough: book.closedThrough },
          after: { closedThrough: month, ...totals },
        },
        { target: `notice:${noticeId}`, after: { status: 'published' } },
      ]);
      return toPeriodView(period);
    },
  }),

  periods: action({
    schema: s.periods,
    roles: ANY_MEMBER,
    handler: async ({ page = 1 }, ctx) => {
      const { docs, hasMore } = await readPage<PeriodDoc>(
        collection(PERIODS).where({ communityId: ctx.communityId }).orderBy('month', 'desc'),
        page,
      );
      return { items: docs.map(toPeriodView), page, hasMore };
    },
  }),

  rate: action({
    schema: s.rate,
    roles: ANY_MEMBER,
    handler: async ({ month, stars }, ctx) => {
      const pid = periodId(ctx.communityId, month);
      const period = await findById<PeriodDoc>(PERIODS, pid);
      if (!period) throw new AppError('E_CONFLICT', `${monthLabel(month)}的账目还没有结账公示，公示后才能评分`);
      const rating: RatingDoc = {
        _id: ratingId(ctx.communityId, month, ctx.openid),
        communityId: ctx.communityId,
        month,
        openid: ctx.openid,
        stars,
        at: ctx.now,
      };
      if (!(await insertOnce(RATINGS, rating))) throw new AppError('E_CONFLICT', '您已经为这期账目评过分了，每期只能评一次');
      await collection(PERIODS)
        .where({ _id: pid })
        .update({ ratingCount: cmd().inc(1), ratingSum: cmd().inc(stars) });
      await audit(ctx, { target: `ledger_period:${pid}`, after: { stars } });
      const now = (await findById<PeriodDoc>(PERIODS, pid)) ?? period;
      return { month, stars, ...ratingOf(now) };
    },
  }),
};
