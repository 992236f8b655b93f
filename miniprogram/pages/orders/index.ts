// 订单 tab: the orders placed by or for me, filtered by state, each with its light; volunteers can
// switch to the orders they serve. 20 at a time, appended by path as the list scrolls.
import { ordersService, type OrderStatus, type OrderSummary } from '../../services/orders';
import { memberService } from '../../services/member';
import { errorMessage, showError } from '../../services/feedback';
import { isServiceError } from '../../services/core';
import { PAGES, openPage } from '../../utils/nav';
import { privateState } from '../../utils/state';
import { ORDER_PAGES, rowOf, withId, type OrderRow } from '../../utils/orders';
import { pageBehavior } from '../../utils/page-behavior';

type Phase = 'loading' | 'list' | 'guest' | 'pending' | 'error';
type Mode = 'resident' | 'volunteer';

interface Filter {
  key: 'all' | OrderStatus;
  label: string;
  empty: string;
}

/** listMine filters by one state; these are the ones a person asks about most. */
const FILTERS: Record<Mode, Filter[]> = {
  resident: [
    { key: 'all', label: '全部', empty: '您还没有下过单。需要帮忙时，到“首页”点一项服务就行。' },
    { key: 'completed', label: '待评价', empty: '没有等您评价的订单。服务完成后会出现在这里。' },
    { key: 'in_service', label: '服务中', empty: '现在没有正在服务的订单。' },
    { key: 'closed', label: '已办结', empty: '还没有办结的订单。' },
  ],
  volunteer: [
    {
      key: 'all',
      label: '全部',
      empty: '您还没有服务过的订单。您接下的单、社区派给您的单都会列在这里；到“接单大厅”上岗，就能看到谁需要帮忙。',
    },
    { key: 'dispatched', label: '待我接单', empty: '社区没有派给您、等您接的订单。派单后会通知您，也可以到“接单大厅”自己接单。' },
    { key: 'accepted', label: '已接单', empty: '没有已接单、还没开始的订单。到“接单大厅”接单后，会出现在这里。' },
    { key: 'in_service', label: '服务中', empty: '现在没有正在服务的订单。上门后在订单里点“开始服务”，就会出现在这里。' },
  ],
};

const state = privateState(() => ({
  page: 0,
  seq: 0,
  loading: false,
  ids: [] as string[],
  membershipVersion: -1,
}));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    mode: 'resident' as Mode,
    isVolunteer: false,
    filters: FILTERS.resident.map(({ key, label }) => ({ key, label })),
    filter: 'all',
    emptyText: FILTERS.resident[0].empty,
    items: [] as OrderRow[],
    loaded: false,
    hasMore: false,
    loadingMore: false,
    loadError: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.as === 'volunteer') this.setData({ mode: 'volunteer', ...this.filterPatch('volunteer', 'all') });
    },

    async onShow() {
      const app = getApp<IAppOption>();
      const version = app && app.globalData ? app.globalData.membershipVersion : 0;
      const asked = app && app.globalData ? app.globalData.ordersMode : undefined;
      if (asked) {
        app.globalData.ordersMode = undefined;
        if (asked !== this.data.mode) this.setData({ mode: asked, items: [], loaded: false, ...this.filterPatch(asked, 'all') });
      }
      const s = state(this);
      if (s.membershipVersion !== version) {
        s.membershipVersion = version;
        void this.loadRole();
      }
      await this.reload();
    },

    async loadRole() {
      try {
        const me = await memberService.me();
        const isVolunteer = !!me && me.status === 'active' && me.roles.includes('volunteer');
        this.setData({ isVolunteer });
      } catch {
        // The list shows its own error.
      }
    },

    onReachBottom() {
      if (this.data.hasMore && !state(this).loading) return this.loadPage(state(this).page + 1);
      return undefined;
    },

    filterPatch(mode: Mode, key: string) {
      const filter = FILTERS[mode].find((f) => f.key === key) || FILTERS[mode][0];
      return {
        filters: FILTERS[mode].map(({ key: k, label }) => ({ key: k, label })),
        filter: filter.key,
        emptyText: filter.empty,
      };
    },

    async reload() {
      const s = state(this);
      s.seq += 1;
      s.page = 0;
      s.loading = false;
      return this.loadPage(1);
    },

    async loadPage(page: number) {
      const s = state(this);
      const seq = s.seq;
      s.loading = true;
      if (page > 1) this.setData({ loadingMore: true });
      const mode = this.data.mode;
      const status = this.data.filter === 'all' ? undefined : (this.data.filter as OrderStatus);
      try {
        const res = await ordersService.listMine(
          { ...(status ? { status } : {}), ...(mode === 'volunteer' ? { as: mode } : {}) },
          page,
        );
        if (seq !== s.seq) return;
        const rows = res.items.map((o: OrderSummary) => rowOf(o, mode === 'resident'));
        if (page === 1) {
          s.ids = res.items.map((o) => o._id);
          this.setData({ phase: 'list', items: rows, loaded: true, hasMore: res.hasMore, loadingMore: false, loadError: '' });
        } else {
          // Append by path: only the new rows travel.
          const patch: Record<string, unknown> = { hasMore: res.hasMore, loadingMore: false };
          rows.forEach((row, i) => {
            patch[`items[${s.ids.length + i}]`] = row;
          });
          s.ids.push(...res.items.map((o) => o._id));
          this.setData(patch);
        }
        s.page = page;
      } catch (err) {
        if (seq !== s.seq) return;
        if (isServiceError(err) && err.code === 'E_NOT_MEMBER') {
          const me = await memberService.me().catch(() => null);
          this.setData({
            phase: me && me.status === 'pending' ? 'pending' : 'guest',
            items: [],
            hasMore: false,
            loadingMore: false,
          });
        } else if (this.data.phase === 'list' && page > 1) {
          this.setData({ loadingMore: false });
          showError(this, err);
        } else {
          this.setData({ phase: 'error', loadError: errorMessage(err), loadingMore: false });
        }
      } finally {
        if (seq === s.seq) s.loading = false;
      }
    },

    onPickMode(e: WechatMiniprogram.BaseEvent) {
      const mode = String(e.currentTarget.dataset.mode) as Mode;
      if (mode === this.data.mode) return undefined;
      this.setData({ mode, items: [], loaded: false, ...this.filterPatch(mode, 'all') });
      return this.reload();
    },

    onPickFilter(e: WechatMiniprogram.BaseEvent) {
      const key = String(e.currentTarget.dataset.key);
      if (key === this.data.filter) return undefined;
      this.setData({ items: [], loaded: false, ...this.filterPatch(this.data.mode, key) });
      return this.reload();
    },

    onOpen(e: WechatMiniprogram.BaseEvent) {
      const id = state(this).ids[Number(e.currentTarget.dataset.index)];
      if (id) openPage(withId(ORDER_PAGES.detail, id));
    },

    onRate(e: WechatMiniprogram.BaseEvent) {
      const id = state(this).ids[Number(e.currentTarget.dataset.index)];
      if (id) openPage(withId(ORDER_PAGES.rate, id));
    },

    onGoHome() {
      openPage(PAGES.home);
    },

    onGoHall() {
      openPage(ORDER_PAGES.hall);
    },

    onGoJoin() {
      openPage(PAGES.mine);
    },

    onRetry() {
      this.setData({ phase: 'loading' });
      return this.reload();
    },
  },
});
