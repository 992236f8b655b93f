// 账目公开 (玻璃口袋): a month's statement as a resident reads it — opening balance, income,
// spending, closing balance, every approved entry (20 at a time), per account or all; a closed
// month shows its rating and takes the reader's stars once. `?month=2030-03` opens that month.
import { ledgerService, type EntryView, type StatementView } from '../../../services/ledger';
import { errorMessage } from '../../../services/feedback';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { decodeQueryValue } from '../../../utils/nav';
import { monthText, shiftMonth, thisMonth, yuanText } from '../format';

interface Row {
  date: string;
  summary: string;
  account: string;
  who: string;
  amount: string;
  income: boolean;
  note: string;
}

const rowOf = (e: EntryView): Row => ({
  date: e.date.slice(5).replace('-', '月') + '日',
  summary: e.summary,
  account: e.accountName,
  who: e.counterparty ?? '',
  amount: `${e.direction === 'in' ? '+' : '-'}${yuanText(e.amountFen)}`,
  income: e.direction === 'in',
  note: e.reverses ? '冲销分录' : e.reversedBy ? '已冲销' : '',
});

const state = privateState(() => ({ month: '', accountIds: [] as string[], page: 1 }));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'error',
    message: '',
    monthLabel: '',
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
      const asked = decodeQueryValue(query.month);
      state(this).month = /^\d{4}-\d{2}$/.test(asked) ? asked : thisMonth();
      return this.load();
    },

    async load() {
      const s = state(this);
      try {
        if (!s.accountIds.length) {
          const accounts = await ledgerService.accounts();
          s.accountIds = accounts.map((a) => a._id);
          this.setData({ accounts: accounts.map((a) => a.name) });
        }
        s.page = 1;
        const st = await ledgerService.statement(s.month, s.accountIds[this.data.accountIndex]);
        this.show(st);
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    show(st: StatementView) {
      const month = state(this).month;
      this.setData({
        phase: 'ready',
        monthLabel: monthText(month),
        canNext: month < thisMonth(),
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
        const st = await ledgerService.statement(s.month, s.accountIds[this.data.accountIndex], s.page + 1);
        s.page += 1;
        const at = this.data.items.length;
        const patch: Record<string, unknown> = { hasMore: st.hasMore };
        st.items.forEach((e, i) => (patch[`items[${at + i}]`] = rowOf(e)));
        this.setData(patch);
      } catch (err) {
        this.setData({ message: errorMessage(err) });
      }
    },

    onPrev() {
      state(this).month = shiftMonth(state(this).month, -1);
      return this.load();
    },

    onNext() {
      if (!this.data.canNext) return;
      state(this).month = shiftMonth(state(this).month, 1);
      return this.load();
    },

    onAccount(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      if (index === this.data.accountIndex) return;
      this.setData({ accountIndex: index });
      return this.load();
    },

    async onRate(e: WechatMiniprogram.BaseEvent) {
      const stars = Number(e.currentTarget.dataset.stars);
      if (!this.data.closed || this.data.myStars || isBusy(this)) return;
      await this.act(
        () => ledgerService.rate(state(this).month, stars),
        `已评 ${stars} 星，谢谢`,
        (r) => this.setData({ myStars: r.stars, ratingText: `${r.average} 分 · ${r.count} 人评` }),
      );
    },
  },
});
