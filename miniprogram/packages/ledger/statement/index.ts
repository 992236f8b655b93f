// 账目公开 (玻璃口袋): a month's or a quarter's statement as a resident reads it — opening balance,
// income, spending, closing balance, every approved entry (20 at a time, each opening its page,
// where it can be questioned), per account or all; a closed month shows its rating and takes the
// reader's stars once. `?month=2030-03` or `?quarter=2030-Q1` opens that period, `?account=<id>`
// that account.
import { ledgerService, type EntryView, type StatementView } from '../../../services/ledger';
import { errorMessage } from '../../../services/feedback';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { pagedList, type ListHost } from '../../../utils/paged-list';
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

const state = privateState(() => ({ month: '', quarter: '', wantAccount: '', accountIds: [] as string[] }));

/** The first month of a quarter: `2030-Q2` → `2030-04`. */
const firstMonth = (quarter: string) =>
  `${quarter.slice(0, 4)}-${String((Number(quarter.slice(-1)) - 1) * 3 + 1).padStart(2, '0')}`;

/** The period's (and account's) statement for this page of entries. */
function fetch(host: ListHost<{ accountIndex: number }>, page: number): Promise<StatementView> {
  const s = state(host);
  const account = s.accountIds[host.data.accountIndex];
  return s.quarter ? ledgerService.quarter(s.quarter, account, page) : ledgerService.statement(s.month, account, page);
}

/** The period's totals and rating, as its first page tells them. */
function summaryOf(st: StatementView, host: ListHost) {
  const { month, quarter } = state(host);
  return {
    monthLabel: quarter ? quarterText(quarter) : monthText(month),
    unit: quarter ? '本季' : '本月',
    canNext: quarter ? quarter < quarterOf(thisMonth()) : month < thisMonth(),
    opening: yuanText(st.opening),
    income: yuanText(st.income),
    expense: yuanText(st.expense),
    closing: yuanText(st.closing),
    closed: st.closed,
    ratingText: st.rating ? (st.rating.count ? `${st.rating.average} 分 · ${st.rating.count} 人评` : '还没有人评分') : '',
    myStars: st.rating?.mine ?? 0,
  };
}

/** The period's approved entries; every page comes with the totals, shown from the first. */
const list = pagedList({
  fetch,
  rowOf,
  idOf: (e: EntryView) => e._id,
  extra: (st, page, host) => (page === 1 ? summaryOf(st, host) : {}),
});

Component({
  behaviors: [pageBehavior],
  data: {
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
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
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
      if (!s.accountIds.length) {
        try {
          const accounts = await ledgerService.accounts();
          s.accountIds = accounts.map((a) => a._id);
          this.setData({ accounts: accounts.map((a) => a.name), accountIndex: s.accountIds.indexOf(s.wantAccount) });
        } catch (err) {
          // No accounts, no statement: the page says why instead.
          list.reset(this, { loaded: true, loadError: errorMessage(err) });
          return;
        }
      }
      await list.reload(this);
    },

    onReachBottom() {
      return list.reachBottom(this);
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
