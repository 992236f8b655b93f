// 亲情代办 — the relative's home (docs/family.md): the elders they are bound to, the chosen
// elder's orders with their lights (20 a page), 为TA下单, and 解除绑定. A relative sees only
// what concerns that elder; everything comes from the family actions of the functions.
import { familyService, type FamilyLinkView } from '../../../services/member';
import { familyOrdersService, type OrderSummary } from '../../../services/orders';
import { errorMessage } from '../../../services/feedback';
import { messagesService, type MessageView } from '../../../services/messages';
import { shortDateTime } from '../../../utils/format';
import { decodeQueryValue, openPage } from '../../../utils/nav';
import { deadlineText, excerpt, statusFields } from '../../../utils/orders';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { privateState } from '../../../utils/state';

export const FAMILY_PAGES = {
  bind: '/packages/family/bind/index',
  create: '/packages/family/create/index',
  order: '/packages/family/order/index',
} as const;

interface LinkRow {
  title: string;
  statusLabel: string;
  status: FamilyLinkView['status'];
  selected: boolean;
  mayEnd: boolean;
}

const state = privateState(() => ({
  linkIds: [] as string[],
  selected: '',
  wanted: '',
  messages: [] as MessageView[],
}));

/** The newest family messages shown on top (the rest are about orders listed below). */
const NEWS = 3;
const newsRow = (m: MessageView) => ({ title: m.title, time: shortDateTime(m.createdAt), unread: !m.read });

const linkRow = (l: FamilyLinkView, selected: string): LinkRow => ({
  title: `${l.elderName}（${l.communityName}）`,
  statusLabel: l.statusLabel,
  status: l.status,
  selected: l._id === selected,
  mayEnd: l.mayEnd,
});

const orderRow = (o: OrderSummary) => ({
  serviceName: o.serviceName,
  ...statusFields(o),
  deadline: deadlineText(o),
  description: excerpt(o.description, 40),
  volunteer: o.volunteer ? o.volunteer.name : '',
  time: shortDateTime(o.createdAt),
});

/** The chosen elder's orders. Their first page failing fails the page, as the links failing does. */
const orders = pagedList({
  fetch: (host: ListHost, page: number) => familyOrdersService.list(state(host).selected, page),
  rowOf: orderRow,
  idOf: (o: OrderSummary) => o._id,
  onError: (host, err) => {
    if (orders.ids(host).length) return false;
    host.setData({ phase: 'error', message: errorMessage(err), loading: false });
    return true;
  },
});

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'list' | 'none' | 'error',
    message: '',
    links: [] as LinkRow[],
    elder: '',
    active: false,
    items: [] as ReturnType<typeof orderRow>[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
    news: [] as ReturnType<typeof newsRow>[],
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).wanted = decodeQueryValue(query.link);
      return this.load();
    },

    async load() {
      const s = state(this);
      try {
        const mine = await familyService.mine(1);
        const open = mine.items.filter((l) => l.status === 'active' || l.status === 'requested');
        if (open.length === 0) {
          orders.reset(this, { phase: 'none', links: [] });
          return;
        }
        const pick =
          open.find((l) => l._id === (s.selected || s.wanted) && l.status === 'active') ??
          open.find((l) => l.status === 'active') ??
          open[0];
        s.selected = pick._id;
        s.linkIds = open.map((l) => l._id);
        this.setData({
          phase: 'list',
          links: open.map((l) => linkRow(l, pick._id)),
          elder: pick.elderName,
          active: pick.status === 'active',
        });
        await Promise.all([this.loadOrders(), this.loadNews()]);
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    /** The elder's orders from the first page; none while the link waits for confirmation. */
    loadOrders() {
      if (!this.data.active) {
        orders.reset(this);
        return undefined;
      }
      return orders.reload(this);
    },

    async loadNews() {
      const page = await messagesService.familyList(1);
      state(this).messages = page.items.slice(0, NEWS);
      this.setData({ news: state(this).messages.map(newsRow) });
    },

    async onNews(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const m = state(this).messages[index];
      if (!m) return;
      if (!m.read) {
        m.read = true;
        this.setData({ [`news[${index}].unread`]: false });
        await messagesService.familyMarkRead(m._id).catch(() => undefined);
      }
      if (m.link) openPage(m.link);
    },

    onReachBottom() {
      return orders.reachBottom(this);
    },

    async onPickLink(e: WechatMiniprogram.BaseEvent) {
      const id = state(this).linkIds[Number(e.currentTarget.dataset.index)];
      if (!id || id === state(this).selected) return;
      state(this).selected = id;
      await this.load();
    },

    onOrder() {
      openPage(`${FAMILY_PAGES.create}?link=${encodeURIComponent(state(this).selected)}`);
    },

    onOpen(e: WechatMiniprogram.BaseEvent) {
      const id = orders.ids(this)[Number(e.currentTarget.dataset.index)];
      if (id) openPage(`${FAMILY_PAGES.order}?id=${encodeURIComponent(id)}`);
    },

    onBind() {
      openPage(FAMILY_PAGES.bind);
    },

    async onEnd(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const id = state(this).linkIds[index];
      const row = this.data.links[index];
      if (!id || !row || isBusy(this)) return;
      const sure = await wx.showModal({
        title: `解除与${row.title}的绑定？`,
        content: '解除后，您不能再为这位长辈下单，也看不到长辈的订单。',
        confirmText: '解除',
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (!sure.confirm) return;
      if (id === state(this).selected) state(this).selected = '';
      await this.act(() => familyService.end(id), '已解除绑定');
    },
  },
});
