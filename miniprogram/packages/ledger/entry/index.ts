// 账目详情: one entry as the reader may see it — amount, account, day, the other side (a person
// shows as 个人, their pictures withheld), the basis, the receipts and contracts, who recorded and
// who approved it, the reversal it is or that reversed it — and its questions with their answers
// and light. Any member asks here; a worker approves or rejects a pending entry, reverses an
// approved one and answers the open questions. `?id=<entryId>` (question messages link here).
import { ledgerService, newRequestId, type EntryView } from '../../../services/ledger';
import { errorMessage } from '../../../services/feedback';
import { isActiveWorker, memberService } from '../../../services/member';
import { decodeQueryValue, openPage } from '../../../utils/nav';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { dayText, entryUrl, yuanText } from '../format';
import { pictures, questionRow, STATUS_TEXT, type QuestionRow } from '../views';

const state = privateState(() => ({
  id: '',
  question: '',
  answer: '',
  reason: '',
  /** One reversal request id for the page's life: a retry reverses once. */
  reverseRequest: '',
}));

const length = (s: string) => Array.from(s.trim()).length;

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'error',
    message: '',
    isWorker: false,
    entry: null as null | {
      summary: string;
      amount: string;
      income: boolean;
      account: string;
      date: string;
      who: string;
      basis: string;
      status: string;
      pending: boolean;
      people: string;
      reason: string;
      reverses: string;
      reversedBy: string;
      canReverse: boolean;
      receipts: string[];
      contracts: string[];
      withheld: string;
    },
    questions: [] as QuestionRow[],
    answering: '',
    askText: '',
    /** Worker's form: '' | 'reject' | 'reverse'. */
    acting: '' as '' | 'reject' | 'reverse',
    formError: '',
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.id = decodeQueryValue(query.id);
      s.reverseRequest = newRequestId();
      memberService
        .me()
        .then((me) => this.setData({ isWorker: isActiveWorker(me) }))
        .catch(() => undefined);
      return this.load();
    },

    async load() {
      const s = state(this);
      try {
        const [entry, questions] = await Promise.all([ledgerService.entry(s.id), ledgerService.questions({ entryId: s.id })]);
        this.show(entry);
        this.setData({ questions: questions.items.map(questionRow) });
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    show(e: EntryView) {
      const hidden = e.pictureCount - e.receipts.length - e.contracts.length;
      this.setData({
        phase: 'ready',
        entry: {
          summary: e.summary,
          amount: `${e.direction === 'in' ? '收入 +' : '支出 -'}${yuanText(e.amountFen)}`,
          income: e.direction === 'in',
          account: e.accountName,
          date: `${e.date.slice(0, 4)}年${dayText(e.date)}`,
          who: e.counterparty ?? '',
          basis: e.basis ?? '',
          status: STATUS_TEXT[e.status],
          pending: e.status === 'pending',
          people: `${e.recordedByName}记账${e.approvedByName ? ` · ${e.approvedByName}复核` : ''}`,
          reason: e.reason ?? '',
          reverses: e.reverses ?? '',
          reversedBy: e.reversedBy ?? '',
          canReverse: e.status === 'approved' && !e.reverses && !e.reversedBy,
          receipts: pictures(e.receipts),
          contracts: pictures(e.contracts),
          withheld: hidden > 0 ? `另有 ${hidden} 张票据或合同照片涉及个人信息，不对居民公开` : '',
        },
      });
    },

    onQuestion(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).question = e.detail.value || '';
    },
    onAnswerText(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).answer = e.detail.value || '';
    },
    onReason(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).reason = e.detail.value || '';
    },

    async onAsk() {
      const s = state(this);
      if (isBusy(this)) return;
      if (!length(s.question)) return this.setData({ formError: '请写下您的问题，例如：这笔钱买了什么？' });
      this.setData({ formError: '' });
      await this.act(
        () => ledgerService.ask(s.id, s.question.trim()),
        '已提问，社区会在 3 天内回复',
        () => {
          s.question = '';
          this.setData({ askText: '' });
          return this.load();
        },
      );
    },

    onStartAnswer(e: WechatMiniprogram.BaseEvent) {
      state(this).answer = '';
      this.setData({ answering: String(e.currentTarget.dataset.id) });
    },

    async onAnswer() {
      const s = state(this);
      if (isBusy(this) || !this.data.answering) return;
      if (!length(s.answer)) return this.setData({ formError: '请写下回复' });
      this.setData({ formError: '' });
      await this.act(
        () => ledgerService.answer(this.data.answering, s.answer.trim()),
        '已回复，提问的居民会收到消息',
        () => {
          this.setData({ answering: '' });
          return this.load();
        },
      );
    },

    async onApprove() {
      if (isBusy(this)) return;
      await this.act(
        () => ledgerService.approve(state(this).id),
        '已复核，这笔账目已公开',
        (e) => this.show(e),
      );
    },

    onStartReject() {
      this.setData({ acting: 'reject', formError: '' });
    },
    onStartReverse() {
      this.setData({ acting: 'reverse', formError: '' });
    },
    onCancelAct() {
      this.setData({ acting: '', formError: '' });
    },

    async onConfirmAct() {
      const s = state(this);
      if (isBusy(this)) return;
      if (!length(s.reason))
        return this.setData({ formError: this.data.acting === 'reject' ? '请写下退回原因' : '请写下冲销原因' });
      if (this.data.acting === 'reject') {
        await this.act(
          () => ledgerService.reject(s.id, s.reason.trim()),
          '已退回，这笔账目不计入',
          (e) => {
            this.setData({ acting: '' });
            this.show(e);
          },
        );
      } else {
        await this.act(
          () => ledgerService.reverse(s.id, s.reason.trim(), s.reverseRequest),
          '已记冲销分录，待另一位工作者复核',
          (reversal) => {
            this.setData({ acting: '' });
            openPage(entryUrl(reversal._id));
          },
        );
      }
    },

    onOpenEntry(e: WechatMiniprogram.BaseEvent) {
      openPage(entryUrl(String(e.currentTarget.dataset.id)));
    },

    onPreview(e: WechatMiniprogram.BaseEvent) {
      const urls = [...(this.data.entry?.receipts ?? []), ...(this.data.entry?.contracts ?? [])];
      wx.previewImage({ current: String(e.currentTarget.dataset.src), urls });
    },
  },
});
