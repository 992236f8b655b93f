// 记一笔账 (workers): account, income or spending, the amount in 元 (sent as integer fen), the
// business day, a summary, the other side (a person is shown to residents only as 个人), the
// project it is charged to, receipts and contracts, and the basis. One request id for the form's
// life: a retry or a double tap records once; it is renewed after a success or when the id was
// already used for another entry. The entry waits for a second worker's approval.
import { ledgerService, newRequestId } from '../../../services/ledger';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { dateText } from '../../../shared/clock';
import { openPage } from '../../../utils/nav';
import { pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { entryUrl, fenOf } from '../format';
import { addPictures } from '../views';

const MAX_PICTURES = 9;
const state = privateState(() => ({
  requestId: '',
  accountIds: [] as string[],
  projectIds: [] as string[],
  amount: '',
  summary: '',
  counterparty: '',
  basis: '',
  receipts: [] as string[],
  contracts: [] as string[],
}));
const length = (s: string) => Array.from(s.trim()).length;

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'error',
    message: '',
    accounts: [] as string[],
    accountIndex: -1,
    direction: 'in' as 'in' | 'out',
    date: '',
    today: '',
    personal: true,
    projects: [] as string[],
    /** 0: none; i: projects[i]. */
    projectIndex: 0,
    receipts: [] as string[],
    contracts: [] as string[],
    errors: {} as Record<string, string>,
    busy: false,
  },

  methods: {
    onLoad() {
      state(this).requestId = newRequestId();
      const today = dateText(Date.now());
      this.setData({ date: today, today });
      return this.load();
    },

    async load() {
      const s = state(this);
      try {
        const [accounts, projects] = await Promise.all([ledgerService.accounts(), ledgerService.projects()]);
        const open = accounts.filter((a) => !a.disabled);
        s.accountIds = open.map((a) => a._id);
        s.projectIds = projects.items.map((p) => p._id);
        this.setData({
          phase: 'ready',
          accounts: open.map((a) => a.name),
          projects: ['不记到项目', ...projects.items.map((p) => p.name)],
        });
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    onAccount(e: WechatMiniprogram.BaseEvent) {
      this.setData({ accountIndex: Number(e.currentTarget.dataset.index), 'errors.account': '' });
    },
    onDirection(e: WechatMiniprogram.BaseEvent) {
      this.setData({ direction: e.currentTarget.dataset.direction === 'out' ? 'out' : 'in' });
    },
    onKind(e: WechatMiniprogram.BaseEvent) {
      this.setData({ personal: e.currentTarget.dataset.kind !== 'org' });
    },
    onDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ date: e.detail.value });
    },
    onProject(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ projectIndex: Number(e.detail.value) });
    },
    onAmount(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).amount = e.detail.value || '';
      if (this.data.errors.amount) this.setData({ 'errors.amount': '' });
    },
    onSummary(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).summary = e.detail.value || '';
      if (this.data.errors.summary) this.setData({ 'errors.summary': '' });
    },
    onCounterparty(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).counterparty = e.detail.value || '';
    },
    onBasis(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).basis = e.detail.value || '';
    },
    async onAddReceipt() {
      await addPictures(
        this,
        state(this).receipts,
        MAX_PICTURES,
        (err) => this.setData({ message: errorMessage(err) }),
        'receipts',
      );
    },
    async onAddContract() {
      await addPictures(
        this,
        state(this).contracts,
        MAX_PICTURES,
        (err) => this.setData({ message: errorMessage(err) }),
        'contracts',
      );
    },

    /** The form's own checks, in the words the function would use. */
    check(): number | null {
      const s = state(this);
      const fen = fenOf(s.amount);
      const errors: Record<string, string> = {};
      if (this.data.accountIndex < 0) errors.account = '请选择记到哪个账户';
      if (fen === null) errors.amount = '请填金额（元），最多两位小数，例如 3600 或 12.50';
      else if (fen > 10_000_000_000) errors.amount = '单笔金额不能超过 1 亿元';
      if (!length(s.summary)) errors.summary = '请写摘要，例如：地面车位 3 月租金';
      else if (length(s.summary) > 100) errors.summary = '摘要最多 100 个字';
      this.setData({ errors });
      return Object.keys(errors).length ? null : fen;
    },

    async onSubmit() {
      const s = state(this);
      if (this.data.busy) return;
      const amountFen = this.check();
      if (amountFen === null) return;
      const project = s.projectIds[this.data.projectIndex - 1];
      this.setData({ busy: true });
      try {
        const entry = await ledgerService.record({
          account: s.accountIds[this.data.accountIndex],
          direction: this.data.direction,
          amountFen,
          date: this.data.date,
          summary: s.summary.trim(),
          ...(length(s.counterparty)
            ? { counterparty: s.counterparty.trim(), counterpartyKind: this.data.personal ? 'person' : 'org' }
            : {}),
          ...(s.receipts.length ? { receipts: s.receipts.slice() } : {}),
          ...(s.contracts.length ? { contracts: s.contracts.slice() } : {}),
          ...(length(s.basis) ? { basis: s.basis.trim() } : {}),
          ...(project ? { project } : {}),
          requestId: s.requestId,
        });
        s.requestId = newRequestId();
        showSuccess(this, '已记账，待另一位工作者复核');
        wx.redirectTo({ url: entryUrl(entry._id) });
      } catch (err) {
        showError(this, err);
        // The id already recorded another entry (or the month closed): the next tap is a new
        // request. Other failures (network, content) keep it, so a retry cannot record twice.
        if (isServiceError(err) && err.code === 'E_CONFLICT') s.requestId = newRequestId();
      } finally {
        this.setData({ busy: false });
      }
    },

    onOpenEntry(e: WechatMiniprogram.BaseEvent) {
      openPage(entryUrl(String(e.currentTarget.dataset.id)));
    },
  },
});
