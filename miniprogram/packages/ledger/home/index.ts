// 玻璃口袋: the community's accounts with their balances, the months (the open one and every closed
// one, with its rating) and their quarters, and the projects. A worker also finds the bookkeeping
// here: record an entry, the desk (approvals, questions, closing), projects and accounts.
import { ledgerService, type PeriodView } from '../../../services/ledger';
import { isActiveWorker, memberService } from '../../../services/member';
import { errorMessage } from '../../../services/feedback';
import { openPage } from '../../../utils/nav';
import { pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { LEDGER_PAGES, monthText, quarterOf, quarterText, shiftMonth, thisMonth, yuanText } from '../format';

interface AccountRow {
  id: string;
  name: string;
  balance: string;
  note: string;
}
interface MonthRow {
  month: string;
  label: string;
  meta: string;
}

const periodRow = (p: PeriodView): MonthRow => ({
  month: p.month,
  label: monthText(p.month),
  meta: `已结账公示 · 期末 ${yuanText(p.closing)}${p.rating.count ? ` · ${p.rating.average} 分` : ''}`,
});

const state = privateState(() => ({ page: 1, months: [] as string[] }));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'error',
    message: '',
    total: '',
    accounts: [] as AccountRow[],
    months: [] as MonthRow[],
    quarters: [] as { quarter: string; label: string }[],
    hasMore: false,
    isWorker: false,
  },

  methods: {
    onLoad() {
      memberService
        .me()
        .then((me) => this.setData({ isWorker: isActiveWorker(me) }))
        .catch(() => undefined);
      return this.load();
    },

    async load() {
      const s = state(this);
      try {
        const [overview, periods] = await Promise.all([ledgerService.overview(), ledgerService.periods()]);
        s.page = 1;
        const open = thisMonth();
        const rows: MonthRow[] = [{ month: open, label: monthText(open), meta: '本月 · 还在记账' }];
        // Months after the last closed one and before this one: not closed yet (the latest three).
        const last = overview.closedThrough;
        for (let m = shiftMonth(open, -1), n = 0; n < 3 && (!last || m > last); m = shiftMonth(m, -1), n++)
          rows.push({ month: m, label: monthText(m), meta: '未结账 · 账目还可能变动' });
        const closed = periods.items.map(periodRow).filter((r) => r.month !== open);
        s.months = [...rows, ...closed].map((r) => r.month);
        const total = (overview.items ?? []).reduce((a, x) => a + (x.balanceFen ?? 0), 0);
        this.setData({
          phase: 'ready',
          total: yuanText(total),
          accounts: overview.items.map((a) => ({
            id: a._id,
            name: a.name,
            balance: yuanText(a.balanceFen ?? 0),
            note: a.disabled ? '已停用' : '',
          })),
          months: [...rows, ...closed],
          quarters: this.quartersOf(s.months),
          hasMore: periods.hasMore,
          message: last ? `${monthText(last)}及以前已结账公示` : '还没有结账公示过的月份',
        });
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    quartersOf(months: string[]) {
      return [...new Set(months.map(quarterOf))].map((quarter) => ({ quarter, label: quarterText(quarter) }));
    },

    async onReachBottom() {
      const s = state(this);
      if (!this.data.hasMore) return;
      try {
        const next = await ledgerService.periods(s.page + 1);
        s.page += 1;
        const rows = next.items.map(periodRow);
        s.months.push(...rows.map((r) => r.month));
        const at = this.data.months.length;
        const patch: Record<string, unknown> = { hasMore: next.hasMore, quarters: this.quartersOf(s.months) };
        rows.forEach((r, i) => (patch[`months[${at + i}]`] = r));
        this.setData(patch);
      } catch (err) {
        this.setData({ message: errorMessage(err) });
      }
    },

    onAccount(e: WechatMiniprogram.BaseEvent) {
      openPage(`${LEDGER_PAGES.statement}?account=${encodeURIComponent(String(e.currentTarget.dataset.id))}`);
    },
    onMonth(e: WechatMiniprogram.BaseEvent) {
      openPage(`${LEDGER_PAGES.statement}?month=${String(e.currentTarget.dataset.month)}`);
    },
    onQuarter(e: WechatMiniprogram.BaseEvent) {
      openPage(`${LEDGER_PAGES.statement}?quarter=${String(e.currentTarget.dataset.quarter)}`);
    },
    onProjects() {
      openPage(LEDGER_PAGES.projects);
    },
    onRecord() {
      openPage(LEDGER_PAGES.record);
    },
    onDesk() {
      openPage(LEDGER_PAGES.desk);
    },
    onAccounts() {
      openPage(LEDGER_PAGES.accounts);
    },
  },
});
