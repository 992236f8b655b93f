// 亲情代办 — the relative orders for the elder (docs/family.md): the menu as it answers for the
// elder (a 特惠 item follows the elder's tags), what is needed, 提交. The order belongs to the
// elder; the relative is recorded as the one who placed it. One request id per form, so a retried
// submit makes one order.
import { familyOrdersService, type ServiceView } from '../../../services/orders';
import { errorMessage } from '../../../services/feedback';
import { decodeQueryValue, replacePage } from '../../../utils/nav';
import { newRequestId, priceText } from '../../../utils/orders';
import { pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';

const ORDER_PAGE = '/packages/family/order/index';
const state = privateState(() => ({ link: '', ids: [] as string[], description: '', requestId: newRequestId() }));

const itemRow = (x: ServiceView, picked: boolean) => ({
  name: x.name,
  tier: x.tierLabel,
  price: priceText(x.price),
  picked,
});

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'form' | 'error',
    message: '',
    items: [] as ReturnType<typeof itemRow>[],
    picked: -1,
    formError: '',
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).link = decodeQueryValue(query.link);
      return this.load();
    },

    async load() {
      const s = state(this);
      try {
        const menu = await familyOrdersService.menu(s.link);
        const items = menu.tiers.flatMap((t) => t.items).filter((x) => x.orderable);
        s.ids = items.map((x) => x._id);
        this.setData({ phase: 'form', items: items.map((x) => itemRow(x, false)), picked: -1 });
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    onPick(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const patch: Record<string, unknown> = { picked: index, formError: '' };
      if (this.data.picked >= 0) patch[`items[${this.data.picked}].picked`] = false;
      patch[`items[${index}].picked`] = true;
      this.setData(patch);
    },

    onDescription(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).description = e.detail.value;
    },

    async onSubmit() {
      const s = state(this);
      const serviceId = s.ids[this.data.picked];
      if (!serviceId) return this.setData({ formError: '请先选一项服务' });
      const description = s.description.trim();
      if (!description) return this.setData({ formError: '请写清需要帮什么忙，例如要买的药名、上门时间' });
      this.setData({ formError: '' });
      const ok = await this.act(
        () => familyOrdersService.create({ linkId: s.link, serviceId, description, requestId: s.requestId }),
        '已为长辈下单',
        (order) => replacePage(`${ORDER_PAGE}?id=${encodeURIComponent(order._id)}`),
      );
      if (!ok) s.requestId = newRequestId();
    },
  },
});
