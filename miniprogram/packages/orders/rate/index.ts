// 评价服务: stars (1–5) and an optional comment for a completed order, then back to its detail.
import { ordersService, type OrderDetail } from '../../../services/orders';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { decodeQueryValue, replacePage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { ORDER_PAGES, STAR_WORDS, withId } from '../../../utils/orders';
import { pageBehavior } from '../../../utils/page-behavior';

type Phase = 'loading' | 'form' | 'closed' | 'error';

const state = privateState(() => ({
  id: '',
  comment: '',
  submitting: false,
}));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    message: '',
    serviceName: '',
    volunteerName: '',
    stars: 0,
    starsWord: '',
    starsError: '',
    commentError: '',
    submitting: false,
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.id = decodeQueryValue(query.id);
      if (!s.id) {
        this.setData({ phase: 'error', message: '没有找到要评价的订单' });
        return;
      }
      try {
        this.show(await ordersService.get(s.id));
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    show(order: OrderDetail) {
      const base = { serviceName: order.serviceName, volunteerName: order.volunteer ? order.volunteer.name : '' };
      if (!order.allowedActions.includes('rate')) {
        const message = order.rating ? '这次服务已经评价过了，谢谢您' : `订单当前为「${order.statusLabel}」，服务完成后才能评价`;
        this.setData({ ...base, phase: 'closed', message });
        return;
      }
      this.setData({ ...base, phase: 'form' });
    },

    onStars(e: WechatMiniprogram.CustomEvent<{ value: number }>) {
      const stars = Math.max(0, Math.min(5, Math.round(Number(e.detail.value) || 0)));
      this.setData({ stars, starsWord: STAR_WORDS[stars] || '', starsError: '' });
    },

    /** Big buttons next to the stars, for fingers that find the stars small. */
    onPickStars(e: WechatMiniprogram.BaseEvent) {
      const stars = Number(e.currentTarget.dataset.stars);
      this.setData({ stars, starsWord: STAR_WORDS[stars] || '', starsError: '' });
    },

    onComment(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).comment = e.detail.value || '';
      if (this.data.commentError) this.setData({ commentError: '' });
    },

    async onSubmit() {
      const s = state(this);
      if (s.submitting) return;
      const stars = this.data.stars;
      if (stars < 1) {
        this.setData({ starsError: '请点星星打分：5 颗星最满意' });
        return;
      }
      const comment = s.comment.trim();
      if (Array.from(comment).length > 300) {
        this.setData({ commentError: '最多写 300 个字' });
        return;
      }
      s.submitting = true;
      this.setData({ submitting: true });
      try {
        await ordersService.rate(s.id, stars, comment || undefined);
        showSuccess(this, '谢谢您的评价');
        this.back();
      } catch (err) {
        const message = showError(this, err);
        if (isServiceError(err) && err.code === 'E_CONTENT_REJECTED') this.setData({ commentError: message });
        if (isServiceError(err) && err.code === 'E_CONFLICT') this.setData({ phase: 'closed', message });
        this.setData({ submitting: false });
        s.submitting = false;
      }
    },

    /** Back to the detail that opened this page, or to the detail itself when opened directly. */
    back() {
      const pages = getCurrentPages();
      const previous = pages.length > 1 ? pages[pages.length - 2] : undefined;
      if (previous && previous.route === 'packages/orders/detail/index') wx.navigateBack({ delta: 1 });
      else wx.redirectTo({ url: withId(ORDER_PAGES.detail, state(this).id) });
    },

    onToDetail() {
      replacePage(withId(ORDER_PAGES.detail, state(this).id));
    },
  },
});
