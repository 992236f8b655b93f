// 账目公开 (玻璃口袋): a month's or a quarter's statement as a resident reads it — opening balance,
// income, spending, closing balance, every approved entry (20 at a time, each opening its page,
// where it can be questioned), per account or all; a closed month shows its rating and takes the
// reader's stars once. `?month=2030-03` or `?quarter=2030-Q1` opens that period, `?account=<id>`
// that account.
import { ledgerService, type EntryView, type StatementView } from '../../../services/ledger';
import { errorMessage } from '../../../services/feedback';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { decodeQueryValue } from '../../../utils/nav';
import { openPage } from '../../../utils/nav';
import { entryUrl, monthText, quarterOf, quarterText, shiftMonth, thisMonth, yuanText } from '../format';

interface Row {
  id: string;
  date: string;
  summary: string;
  account: string;
  who: string;
  amount: string;
  income: boolean;
  note: string;
}

const rowOf = (e: EntryView): Row => ({
  id: e._id,
  date: e.date.slice(5).replace('-', '月') + '日',
  summary: e.summary,
  account: e.accountName,
  who: e.counterparty ?? '',
  amount: `${e.direction === 'in' ? '+' : '-'}${yuanText(e.amountFen)}`,
  income: e.direction === 'in',
  note: e.reverses ? '冲销分录' : e.reversedBy ? '已冲销' : '',
});

const state = privateState(() => ({ month: '', quarter: '', wantAccount: '', accountIds: [] as string[], page: 1 }));

/** The first month of a quarter: `2030-Q2` → `2030-04`. */
const firstMonth = (quarter: string) =>
  `${quarter.slice(0, 4)}-${String((Number(quarter.slice(-1)) - 1) * 3 + 1).padStart(2, '0')}`;

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'error',
    message: '',
    monthLabel: '',
    /** 本月 or 本季 */
    unit: '本月',
    canNext: false,
    accounts: [] as string[],
    /** -1: all accounts. */
    accountIndex: -1,
    opening: '',
    income: '',
    expense: '',
    closing: '',
    items: [] as Row[],
    hasMore: false,
    closed: false,
    ratingText: '',
    myStars: 0,
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      const asked = decodeQueryValue(query.month);
      const quarter = decodeQueryValue(query.quarter);
      s.month = /^\d{4}-\d{2}$/.test(asked) ? asked : thisMonth();
      s.quarter = /^\d{4}-Q[1-4]$/.test(quarter) ? quarter : '';
      s.wantAccount = decodeQueryValue(query.account);
      return this.load();
    },

    async load() {
      const s = state(this);
      try {
        if (!s.accountIds.length) {
          const accounts = await ledgerService.accounts();
          s.accountIds = accounts.map((a) => a._id);
          this.setData({ accounts: accounts.map((a) => a.name), accountIndex: s.accountIds.indexOf(s.wantAccount) });
        }
        s.page = 1;
        this.show(await this.fetch(1));
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    fetch(page: number): Promise<StatementView> {
      const s = state(this);
      const account = s.accountIds[this.data.accountIndex];
      return s.quarter ? ledgerService.quarter(s.quarter, account, page) : ledgerService.statement(s.month, account, page);
    },

    show(st: StatementView) {
      const { month, quarter } = state(this);
      this.setData({
        phase: 'ready',
        monthLabel: quarter ? quarterText(quarter) : monthText(month),
        unit: quarter ? '本季' : '本月',
        canNext: quarter ? quarter < quarterOf(thisMonth()) : month < thisMonth(),
        opening: yuanText(st.opening),
        income: yuanText(st.income),
        expense: yuanText(st.expense),
        closing: yuanText(st.closing),
        items: st.items.map(rowOf),
        hasMore: st.hasMore,
        closed: st.closed,
        ratingText: st.rating ? (st.rating.count ? `${st.rating.average} 分 · ${st.rating.count} 人评` : '还没有人评分') : '',
        myStars: st.rating?.mine ?? 0,
      });
    },

    async onReachBottom() {
      const s = state(this);
      if (!this.data.hasMore) return;
      try {
        const st = await this.fetch(s.page + 1);
        s.page += 1;
        const at = this.data.items.length;
        const patch: Record<string, unknown> = { hasMore: st.hasMore };
        st.items.forEach((e, i) => (patch[`items[${at + i}]`] = rowOf(e)));
        this.setData(patch);
      } catch (err) {
        this.setData({ message: errorMessage(err) });
      }
    },

    shift(n: number) {
      const s = state(this);
      if (s.quarter) s.quarter = quarterOf(shiftMonth(firstMonth(s.quarter), 3 * n));
      else s.month = shiftMonth(s.month, n);
      return this.load();
    },

    onPrev() {
      return this.shift(-1);
    },

    onNext() {
      if (!this.data.canNext) return;
      return this.shift(1);
    },

    onEntry(e: WechatMiniprogram.BaseEvent) {
      openPage(entryUrl(String(e.currentTarget.dataset.id)));
    },

    onAccount(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      if (index === this.data.accountIndex) return;
      this.setData({ accountIndex: index });
      return this.load();
    },

    async onRate(e: WechatMiniprogram.BaseEvent) {
      const stars = Number(e.currentTarget.dataset.stars);
      if (!this.data.closed || state(this).quarter || this.data.myStars || isBusy(this)) return;
      await this.act(
        () => ledgerService.rate(state(this).month, stars),
        `已评 ${stars} 星，谢谢`,
        (r) => this.setData({ myStars: r.stars, ratingText: `${r.average} 分 · ${r.count} 人评` }),
      );
    },
  },
});
