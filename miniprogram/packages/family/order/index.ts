// 亲情代办 — one of the elder's orders as the bound relative follows it (docs/family.md): status
// and light with the running step's deadline, the volunteer, the timeline; 取消订单 while an order
// the relative placed waits for dispatch; 评价 once it is completed. The relative's family
// messages open this page (`?id=`). The buttons are the function's `allowedActions`.
import { familyOrdersService, type OrderDetail } from '../../../services/orders';
import { errorMessage } from '../../../services/feedback';
import { maskPhone, shortDateTime } from '../../../utils/format';
import { decodeQueryValue } from '../../../utils/nav';
import { deadlineText, starsText, statusFields } from '../../../utils/orders';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';

const state = privateState(() => ({ id: '' }));

const view = (o: OrderDetail) => ({
  serviceName: o.serviceName,
  ...statusFields(o),
  deadline: deadlineText(o),
  description: o.description,
  who: o.beneficiary.name,
  volunteer: o.volunteer ? `${o.volunteer.name}${o.volunteer.phone ? ` ${maskPhone(o.volunteer.phone)}` : ''}` : '',
  rating: o.rating ? starsText(o.rating.stars) : '',
  completion: o.completion ? o.completion.note : '',
  canCancel: o.allowedActions.includes('cancel'),
  canRate: o.allowedActions.includes('rate'),
  timeline: o.timeline
    .slice()
    .reverse()
    .map((t) => ({ time: shortDateTime(t.at), text: `${t.actionLabel}${t.note ? `：${t.note}` : ''}`, who: t.actorName })),
});

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'view' | 'error',
    message: '',
    order: null as ReturnType<typeof view> | null,
    stars: 0,
    stars5: [1, 2, 3, 4, 5],
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).id = decodeQueryValue(query.id);
      return this.load();
    },

    async load() {
      try {
        const o = await familyOrdersService.get(state(this).id);
        this.setData({ phase: 'view', order: view(o) });
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    onStar(e: WechatMiniprogram.BaseEvent) {
      this.setData({ stars: Number(e.currentTarget.dataset.stars) });
    },

    async onRate() {
      if (!this.data.stars || isBusy(this)) return;
      await this.act(
        () => familyOrdersService.rate(state(this).id, this.data.stars),
        '感谢评价',
        (o) => this.setData({ order: view(o) }),
      );
    },

    async onCancel() {
      if (isBusy(this)) return;
      const asked = await wx.showModal({
        title: '取消这笔订单？',
        editable: true,
        placeholderText: '取消原因，例如：妈妈说不用了',
        confirmText: '取消订单',
        confirmColor: '#d54941',
        cancelText: '不取消',
      });
      if (!asked.confirm) return;
      const reason = (asked.content || '').trim() || '家属取消';
      await this.act(
        () => familyOrdersService.cancel(state(this).id, reason),
        '订单已取消',
        (o) => this.setData({ order: view(o) }),
      );
    },
  },
});
