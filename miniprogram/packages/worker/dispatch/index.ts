// 派单 (workers): the order in short, then the on-duty volunteers the function suggests, best
// first, each with the reason (技能 / 同楼栋 / 同网格 / 在办单数 / 评分, and the points) and a mark on those who
// declined or let it time out before. Tap a volunteer to dispatch; or release the order to the
// 接单大厅 for any volunteer on duty. When the order moved on meanwhile (E_CONFLICT), the page
// says so and shows the order as it is now.
import { errorMessage, showError } from '../../../services/feedback';
import { ordersService, type OrderDetail, type Suggestion } from '../../../services/orders';
import { decodeQueryValue, openPage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { shortDateTime } from '../../../utils/format';
import { deadlineText, statusFields, withId } from '../../../utils/orders';
import { CONSOLE_PAGES, personText } from '../format';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';

type Phase = 'loading' | 'ready' | 'error';

interface OrderView {
  serviceName: string;
  tierLabel: string;
  status: OrderDetail['status'];
  statusLabel: string;
  light: string;
  lightText: string;
  deadline: string;
  description: string;
  who: string;
  phone: string;
  orderedBy: string;
  volunteer: string;
  /** 志愿者 or 物业人员 (docs/property.md). */
  serverLabel: string;
  created: string;
  passedOver: { name: string; text: string }[];
}

interface SuggestionRow {
  name: string;
  building: string;
  reason: string;
  skills: string;
  passedOverBefore: boolean;
}

const state = privateState(() => ({
  orderId: '',
  openids: [] as string[],
}));

function orderViewOf(o: OrderDetail): OrderView {
  return {
    serviceName: o.serviceName,
    tierLabel: o.tierLabel,
    ...statusFields(o),
    deadline: deadlineText(o),
    description: o.description,
    who: personText(o.beneficiary),
    phone: o.beneficiary.phone ?? '',
    orderedBy: o.forSomeoneElse ? o.orderedBy.name : '',
    volunteer: o.volunteer ? o.volunteer.name : '',
    serverLabel: o.serverLabel,
    created: shortDateTime(o.createdAt),
    passedOver: o.passedOver.map((p) => ({
      name: p.name,
      text: p.timedOut ? '超时未接单' : `拒单：${p.reason}`,
    })),
  };
}

const suggestionRowOf = (v: Suggestion): SuggestionRow => ({
  name: v.name,
  building: v.building,
  reason: v.reason,
  skills: v.skills.join('、'),
  passedOverBefore: v.passedOverBefore,
});

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    loadError: '',
    order: null as OrderView | null,
    canDispatch: false,
    canRelease: false,
    suggestions: [] as SuggestionRow[],
    suggestionsLoaded: false,
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
        const canDispatch = order.allowedActions.includes('dispatch');
        this.setData({
          phase: 'ready',
          loadError: '',
          order: orderViewOf(order),
          canDispatch,
          canRelease: order.allowedActions.includes('release'),
        });
        if (canDispatch) await this.loadSuggestions();
        else {
          s.openids = [];
          this.setData({ suggestions: [], suggestionsLoaded: false });
        }
      } catch (err) {
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    async loadSuggestions() {
      const s = state(this);
      try {
        const res = await ordersService.suggestVolunteers(s.orderId);
        s.openids = res.items.map((v) => v.openid);
        this.setData({ suggestions: res.items.map(suggestionRowOf), suggestionsLoaded: true });
      } catch (err) {
        s.openids = [];
        this.setData({ suggestions: [], suggestionsLoaded: true });
        showError(this, err);
      }
    },

    async onPick(e: WechatMiniprogram.BaseEvent) {
      const s = state(this);
      const index = Number(e.currentTarget.dataset.index);
      const openid = s.openids[index];
      const row = this.data.suggestions[index];
      if (!openid || !row || isBusy(this) || !this.data.canDispatch) return;
      const answer = await wx.showModal({
        title: `派给${row.name}？`,
        content: row.passedOverBefore ? `${row.name}此前拒过或超时未接这单，确定仍派给他/她吗？` : row.reason,
        confirmText: '派单',
        cancelText: '再看看',
      });
      if (!answer.confirm) return;
      await this.act(() => ordersService.dispatch(s.orderId, openid), `已派给${row.name}，等待对方接单`);
    },

    async onRelease() {
      if (isBusy(this) || !this.data.canRelease) return;
      const answer = await wx.showModal({
        title: '发布到接单大厅？',
        content: '所有在岗志愿者都能看到并接单，先接的人负责服务。',
        confirmText: '发布',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      await this.act(() => ordersService.release(state(this).orderId), '已发布到接单大厅，在岗志愿者都能接单');
    },

    onOpenDetail() {
      const id = state(this).orderId;
      if (id) openPage(withId(CONSOLE_PAGES.detail, id));
    },

    onBackToBoard() {
      const pages = getCurrentPages();
      const previous = pages.length > 1 ? pages[pages.length - 2] : undefined;
      if (previous && previous.route === CONSOLE_PAGES.board.slice(1)) wx.navigateBack({ delta: 1 });
      else openPage(CONSOLE_PAGES.board);
    },
  },
});
