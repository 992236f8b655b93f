// 评单与回访 (workers): what was done and how the resident rated it, then — as the order's
// `allowedActions` say — 评单 (通过 → 已办结, or 返工 with a note back to the volunteer) and 回访
// (the call-back result and a note). When the order moved on meanwhile (E_CONFLICT), the page
// says so and shows it as it is now.
import { errorMessage } from '../../../services/feedback';
import { ordersService, type FollowUpResult, type OrderDetail } from '../../../services/orders';
import { decodeQueryValue, openPage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { shortDateTime } from '../../../utils/format';
import { deadlineText, statusFields, withId } from '../../../utils/orders';
import { CONSOLE_PAGES, FOLLOW_UP_OPTIONS, personText } from '../format';
import { pageBehavior } from '../../../utils/page-behavior';

type Phase = 'loading' | 'ready' | 'error';

interface OrderView {
  serviceName: string;
  status: OrderDetail['status'];
  statusLabel: string;
  light: string;
  lightText: string;
  deadline: string;
  who: string;
  phone: string;
  description: string;
  volunteer: string;
  completionNote: string;
  completedAt: string;
  stars: number;
  starsText: string;
  comment: string;
  reviewText: string;
  reworkCount: number;
  followUpText: string;
}

const state = privateState(() => ({
  orderId: '',
  note: '',
  followUpNote: '',
}));

const starsText = (n: number): string => '★★★★★'.slice(0, n) + '☆☆☆☆☆'.slice(0, 5 - n);

function orderViewOf(o: OrderDetail): OrderView {
  const stars = o.rating ? o.rating.stars : 0;
  return {
    serviceName: o.serviceName,
    ...statusFields(o),
    deadline: deadlineText(o),
    who: personText(o.beneficiary),
    phone: o.beneficiary.phone ?? '',
    description: o.description,
    volunteer: o.volunteer ? o.volunteer.name : '',
    completionNote: o.completion ? o.completion.note : '',
    completedAt: o.completion ? shortDateTime(o.completion.at) : '',
    stars,
    starsText: stars ? `${starsText(stars)} ${stars} 星` : '',
    comment: o.rating && o.rating.comment ? o.rating.comment : '',
    reviewText: o.review ? (o.review.result === 'pass' ? '评单通过' : `需返工：${o.review.note ?? ''}`) : '',
    reworkCount: o.reworkCount,
    followUpText:
      o.followUp && o.followUp.resultLabel
        ? `${o.followUp.resultLabel}${o.followUp.note ? `：${o.followUp.note}` : ''}（${shortDateTime(o.followUp.at)}）`
        : '',
  };
}

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    loadError: '',
    order: null as OrderView | null,
    canReview: false,
    canFollowUp: false,
    followUpOptions: FOLLOW_UP_OPTIONS,
    followUpResult: '' as FollowUpResult | '',
    noteError: '',
    followUpError: '',
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).orderId = decodeQueryValue(query.id);
      return this.load();
    },

    async load() {
      const s = state(this);
      if (!s.orderId) {
        this.setData({ phase: 'error', loadError: '没有指定订单，请从派单工作台进入' });
        return;
      }
      try {
        const order = await ordersService.get(s.orderId);
        this.setData({
          phase: 'ready',
          loadError: '',
          order: orderViewOf(order),
          canReview: order.allowedActions.includes('review'),
          canFollowUp: order.allowedActions.includes('followUp'),
        });
      } catch (err) {
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    onNote(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).note = e.detail.value || '';
      if (this.data.noteError) this.setData({ noteError: '' });
    },

    onFollowUpNote(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).followUpNote = e.detail.value || '';
    },

    onPickFollowUp(e: WechatMiniprogram.BaseEvent) {
      const value = String(e.currentTarget.dataset.value) as FollowUpResult;
      this.setData({ followUpResult: value, followUpError: '' });
    },

    onPass() {
      if (!this.data.canReview) return undefined;
      const note = state(this).note.trim();
      return this.act(
        () => ordersService.review(state(this).orderId, 'pass', note || undefined),
        '评单通过，订单已办结，志愿者获得积分',
      );
    },

    async onRework() {
      if (!this.data.canReview) return;
      const note = state(this).note.trim();
      if (!note) {
        this.setData({ noteError: '请写明哪里需要返工，志愿者会看到这段话' });
        return;
      }
      const answer = await wx.showModal({
        title: '退回返工？',
        content: '订单会回到志愿者手里重新服务，居民之后重新评价。',
        confirmText: '退回返工',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      await this.act(() => ordersService.review(state(this).orderId, 'rework', note), '已退回返工，志愿者会收到通知');
    },

    onSubmitFollowUp() {
      if (!this.data.canFollowUp) return undefined;
      const result = this.data.followUpResult;
      if (!result) {
        this.setData({ followUpError: '请选择回访结果' });
        return undefined;
      }
      const note = state(this).followUpNote.trim();
      return this.act(() => ordersService.followUp(state(this).orderId, result, note || undefined), '回访已记录');
    },

    onOpenDetail() {
      const id = state(this).orderId;
      if (id) openPage(withId(CONSOLE_PAGES.detail, id));
    },
  },
});
