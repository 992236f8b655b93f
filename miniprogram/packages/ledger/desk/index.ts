// 账目工作台 (workers): the entries waiting for a second worker's approval (approve here; reject
// or look closer on the entry's page), residents' open questions with their light (answer on the
// entry's page), and closing a month: the statement is published as a notice and the month (with
// every earlier one) takes no more entries.
import { ledgerService } from '../../../services/ledger';
import { errorMessage } from '../../../services/feedback';
import { openPage } from '../../../utils/nav';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { entryUrl, LEDGER_PAGES, monthText, shiftMonth, thisMonth } from '../format';
import { entryRow, questionRow, type EntryRow, type QuestionRow } from '../views';

type Tab = 'pending' | 'questions' | 'close';
const state = privateState(() => ({ page: 1 }));

/** Months that may be closed now: after the last closed one, up to last month (the latest three). */
function closable(closedThrough: string | null): { month: string; label: string }[] {
  const out: { month: string; label: string }[] = [];
  for (let m = shiftMonth(thisMonth(), -1); out.length < 3 && (!closedThrough || m > closedThrough); m = shiftMonth(m, -1))
    out.push({ month: m, label: monthText(m) });
  return out;
}

Component({
  behaviors: [pageBehavior],
  data: {
    tab: 'pending' as Tab,
    phase: 'loading' as 'loading' | 'ready' | 'error',
    message: '',
    pending: [] as EntryRow[],
    questions: [] as QuestionRow[],
    hasMore: false,
    months: [] as { month: string; label: string }[],
    monthIndex: 0,
    closedText: '',
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.tab === 'questions' || query.tab === 'close') this.setData({ tab: query.tab });
      return this.load();
    },

    onShow() {
      if (this.data.phase === 'ready') return this.load();
    },

    async load() {
      state(this).page = 1;
      try {
        if (this.data.tab === 'pending') {
          const res = await ledgerService.pending();
          this.setData({ phase: 'ready', pending: res.items.map(entryRow), hasMore: res.hasMore });
        } else if (this.data.tab === 'questions') {
          const res = await ledgerService.questions({ open: true });
          this.setData({ phase: 'ready', questions: res.items.map(questionRow), hasMore: res.hasMore });
        } else {
          const overview = await ledgerService.overview();
          this.setData({
            phase: 'ready',
            months: closable(overview.closedThrough),
            monthIndex: 0,
            closedText: overview.closedThrough ? `${monthText(overview.closedThrough)}及以前已结账公示` : '还没有结过账',
            hasMore: false,
          });
        }
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    async onReachBottom() {
      const s = state(this);
      if (!this.data.hasMore || this.data.tab === 'close') return;
      try {
        const patch: Record<string, unknown> = {};
        if (this.data.tab === 'pending') {
          const res = await ledgerService.pending(s.page + 1);
          const at = this.data.pending.length;
          res.items.forEach((e, i) => (patch[`pending[${at + i}]`] = entryRow(e)));
          patch.hasMore = res.hasMore;
        } else {
          const res = await ledgerService.questions({ open: true }, s.page + 1);
          const at = this.data.questions.length;
          res.items.forEach((q, i) => (patch[`questions[${at + i}]`] = questionRow(q)));
          patch.hasMore = res.hasMore;
        }
        s.page += 1;
        this.setData(patch);
      } catch (err) {
        this.setData({ message: errorMessage(err) });
      }
    },

    onTab(e: WechatMiniprogram.BaseEvent) {
      const tab = e.currentTarget.dataset.tab as Tab;
      if (tab === this.data.tab) return;
      this.setData({ tab, phase: 'loading' });
      return this.load();
    },

    async onApprove(e: WechatMiniprogram.BaseEvent) {
      if (isBusy(this)) return;
      const id = String(e.currentTarget.dataset.id);
      await this.act(() => ledgerService.approve(id), '已复核，这笔账目已公开');
    },

    onOpenEntry(e: WechatMiniprogram.BaseEvent) {
      openPage(entryUrl(String(e.currentTarget.dataset.id)));
    },

    onPickMonth(e: WechatMiniprogram.BaseEvent) {
      this.setData({ monthIndex: Number(e.currentTarget.dataset.index) });
    },

    async onClose() {
      const picked = this.data.months[this.data.monthIndex];
      if (!picked || isBusy(this)) return;
      const { confirm } = await wx.showModal({
        title: `结账 ${picked.label}`,
        content: `结账后 ${picked.label}及以前不能再记账，账目将作为通知向全社区公示。`,
        confirmText: '结账公示',
      });
      if (!confirm) return;
      await this.act(() => ledgerService.close(picked.month), `${picked.label}已结账公示`);
    },

    onRecord() {
      openPage(LEDGER_PAGES.record);
    },
  },
});
