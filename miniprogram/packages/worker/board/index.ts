// 派单工作台 (workers): every order of the community, filtered by status, light, building, tier
// and 需回访, newest first (most urgent first when filtered by light), 20 at a time appended at
// the bottom. A banner counts the red and yellow orders so the late ones are never missed. A card
// opens the order; quick buttons lead to 派单 (pending / open) and 评单·回访 (rated / owing a call).
import { memberService } from '../../../services/member';
import {
  ordersService,
  type Light,
  type ListAllFilter,
  type OrderStatus,
  type OrderSummary,
  type Tier,
} from '../../../services/orders';
import { isServiceError } from '../../../services/core';
import { openPage } from '../../../utils/nav';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { privateState } from '../../../utils/state';
import { withId } from '../../../utils/orders';
import { CONSOLE_PAGES, LIGHT_FILTERS, STATUS_FILTERS, TIER_FILTERS, boardRowOf, type BoardRow } from '../format';
import { pageBehavior } from '../../../utils/page-behavior';

type Phase = 'loading' | 'ready' | 'refused';

/** The filters, as the page's data holds them. */
interface BoardData {
  status: OrderStatus | '';
  light: Light | '';
  tier: Tier | '';
  servedBy: 'volunteer' | 'property' | '';
  building: string;
  followUp: boolean;
}

const state = privateState(() => ({ buildingsLoaded: false }));

function filterOf(d: BoardData): ListAllFilter {
  const f: ListAllFilter = {};
  if (d.status) f.status = d.status;
  if (d.light) f.light = d.light;
  if (d.tier) f.tier = d.tier;
  if (d.servedBy) f.servedBy = d.servedBy;
  if (d.building) f.building = d.building;
  if (d.followUp) f.needsFollowUp = true;
  return f;
}

/** A member who is not a worker (or not a member) gets one clear sentence, no filters. */
function refuse(host: ListHost, err: unknown): boolean {
  if (!isServiceError(err) || (err.code !== 'E_FORBIDDEN' && err.code !== 'E_NOT_MEMBER')) return false;
  const refusal =
    err.code === 'E_FORBIDDEN' ? '派单工作台只对社区工作者开放。如需派单或查看全部订单，请联系社区工作人员。' : err.message;
  host.setData({ phase: 'refused', refusal, loading: false, loaded: true, items: [] });
  return true;
}

const list = pagedList({
  fetch: (host: ListHost<BoardData>, page: number) => ordersService.listAll(filterOf(host.data), page),
  rowOf: boardRowOf,
  idOf: (o: OrderSummary) => o._id,
  settled: { phase: 'ready' },
  onError: refuse,
});

/** `20+` when there is more than a page of them. */
const countText = (n: number, more: boolean): string => (more ? `${n}+` : String(n));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    refusal: '',
    statusFilters: STATUS_FILTERS,
    lightFilters: LIGHT_FILTERS,
    tierFilters: TIER_FILTERS,
    buildings: [] as string[],
    status: '' as OrderStatus | '',
    light: '' as Light | '',
    tier: '' as Tier | '',
    servedBy: '' as 'volunteer' | 'property' | '',
    building: '',
    followUp: false,
    /** Late orders in the whole community, whatever the filters: '' when none. */
    redCount: '',
    yellowCount: '',
    items: [] as BoardRow[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const status = STATUS_FILTERS.find((f) => f.value && f.value === query.status);
      const light = LIGHT_FILTERS.find((f) => f.value && f.value === query.light);
      const patch: Record<string, unknown> = {};
      if (status) patch.status = status.value;
      if (light) patch.light = light.value;
      if (query.followUp === '1') patch.followUp = true;
      if (Object.keys(patch).length) this.setData(patch);
    },

    /** Back from a dispatch or a review: what changed shows at once. */
    onShow() {
      return this.refresh();
    },

    async onPullDownRefresh() {
      await this.refresh();
      wx.stopPullDownRefresh();
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    async refresh() {
      await Promise.all([this.reload(), this.loadCounts(), this.loadBuildings()]);
    },

    reload() {
      return list.reload(this);
    },

    loadMore() {
      return list.loadMore(this);
    },

    /** The red and yellow orders of the community, counted from the first page of each. */
    async loadCounts() {
      try {
        const [red, yellow] = await Promise.all([
          ordersService.listAll({ light: 'red' }),
          ordersService.listAll({ light: 'yellow' }),
        ]);
        this.setData({
          redCount: red.items.length ? countText(red.items.length, red.hasMore) : '',
          yellowCount: yellow.items.length ? countText(yellow.items.length, yellow.hasMore) : '',
        });
      } catch {
        // The list itself reports the failure; the banner just stays away.
        if (this.data.redCount || this.data.yellowCount) this.setData({ redCount: '', yellowCount: '' });
      }
    },

    /** The community's buildings for the building filter, once. */
    async loadBuildings() {
      const s = state(this);
      if (s.buildingsLoaded) return;
      try {
        const me = await memberService.me();
        s.buildingsLoaded = true;
        if (me && me.buildings.length) this.setData({ buildings: me.buildings });
      } catch {
        // Without buildings the other filters still work.
      }
    },

    setFilter(patch: Record<string, unknown>) {
      this.setData(patch);
      return this.reload();
    },

    onPickStatus(e: WechatMiniprogram.BaseEvent) {
      const value = String(e.currentTarget.dataset.value ?? '') as OrderStatus | '';
      if (value === this.data.status) return undefined;
      return this.setFilter({ status: value });
    },

    onPickLight(e: WechatMiniprogram.BaseEvent) {
      const value = String(e.currentTarget.dataset.value ?? '') as Light | '';
      if (value === this.data.light) return undefined;
      return this.setFilter({ light: value });
    },

    onPickTier(e: WechatMiniprogram.BaseEvent) {
      const value = String(e.currentTarget.dataset.value ?? '') as Tier | '';
      if (value === this.data.tier) return undefined;
      return this.setFilter({ tier: value });
    },

    /** Only the orders the property company serves (物业, docs/property.md), or all again. */
    onToggleProperty() {
      return this.setFilter({ servedBy: this.data.servedBy === 'property' ? '' : 'property' });
    },

    onPickBuilding(e: WechatMiniprogram.BaseEvent) {
      const value = String(e.currentTarget.dataset.value ?? '');
      if (value === this.data.building) return undefined;
      return this.setFilter({ building: value });
    },

    onToggleFollowUp() {
      return this.setFilter({ followUp: !this.data.followUp });
    },

    /** The banner: show only the red (or yellow) ones, whatever the status. */
    onShowLate(e: WechatMiniprogram.BaseEvent) {
      const light = String(e.currentTarget.dataset.light) as Light;
      return this.setFilter({ light, status: '' });
    },

    onClearFilters() {
      return this.setFilter({ status: '', light: '', tier: '', servedBy: '', building: '', followUp: false });
    },

    idAt(e: WechatMiniprogram.BaseEvent): string | undefined {
      return list.ids(this)[Number(e.currentTarget.dataset.index)];
    },

    onOpen(e: WechatMiniprogram.BaseEvent) {
      const id = this.idAt(e);
      if (id) openPage(withId(CONSOLE_PAGES.detail, id));
    },

    onDispatch(e: WechatMiniprogram.BaseEvent) {
      const id = this.idAt(e);
      if (id) openPage(withId(CONSOLE_PAGES.dispatch, id));
    },

    onReview(e: WechatMiniprogram.BaseEvent) {
      const id = this.idAt(e);
      if (id) openPage(withId(CONSOLE_PAGES.review, id));
    },

    onOpenServices() {
      openPage(CONSOLE_PAGES.services);
    },
  },
});
