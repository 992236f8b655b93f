// 志愿者接单大厅: on/off duty, the open orders anyone on duty may grab (待接单) and the orders the
// community dispatched to me (派给我的), one tap to accept either. Losing a grab race says so
// kindly and takes the card away. My record (served, stars, points) sits on top.
import { ordersService, type HallPage, type OrderSummary } from '../../../services/orders';
import { memberService } from '../../../services/member';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { openPage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { ORDER_PAGES, rowOf, withId, type OrderRow } from '../../../utils/orders';
import { pageBehavior } from '../../../utils/page-behavior';

type Phase = 'loading' | 'hall' | 'forbidden' | 'error';
type Tab = 'open' | 'mine';
const LIST: Record<Tab, 'openItems' | 'mineItems'> = { open: 'openItems', mine: 'mineItems' };

/** Pages fetched in a row at most, looking for rows of the tab being shown. */
const MAX_PAGES_PER_SCROLL = 3;

const state = privateState(() => ({
  page: 0,
  seq: 0,
  loading: false,
  ids: { open: [] as string[], mine: [] as string[] },
  busy: false,
  stale: false,
}));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    message: '',
    onDuty: false,
    /** 物业人员: always on duty for the property company's orders, no switch (docs/property.md). */
    staff: false,
    dutyBusy: false,
    tab: 'open' as Tab,
    openItems: [] as OrderRow[],
    mineItems: [] as OrderRow[],
    openCount: 0,
    mineCount: 0,
    hasMore: false,
    loadingMore: false,
    record: '',
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      if (query.tab === 'mine') this.setData({ tab: 'mine' });
      void this.loadRecord();
      await this.reload();
    },

    async onShow() {
      const s = state(this);
      if (!s.stale) return;
      s.stale = false;
      await this.reload();
    },

    async onPullDownRefresh() {
      void this.loadRecord();
      await this.reload();
      wx.stopPullDownRefresh();
    },

    onReachBottom() {
      if (this.data.hasMore && !state(this).loading) return this.loadMore();
      return undefined;
    },

    async loadRecord() {
      try {
        const me = await memberService.me();
        if (!me) return;
        const r = await ordersService.volunteerRecord(me.openid);
        const stars = r.avgStars === null ? '还没有评分' : `平均 ${r.avgStars} 星`;
        this.setData({ record: `已服务 ${r.served} 单 · ${stars} · 积分 ${r.points}` });
      } catch {
        // The record is a nicety; the hall works without it.
      }
    },

    async reload() {
      const s = state(this);
      s.seq += 1;
      s.page = 0;
      s.ids = { open: [], mine: [] };
      s.loading = false;
      this.setData({ openItems: [], mineItems: [], openCount: 0, mineCount: 0, hasMore: false });
      await this.loadMore();
    },

    /** Next page(s) of the hall; rows go to their tab's list, appended by path. */
    async loadMore() {
      const s = state(this);
      if (s.loading) return;
      s.loading = true;
      const seq = s.seq;
      const tab = this.data.tab;
      const before = s.ids[tab].length;
      if (s.page > 0) this.setData({ loadingMore: true });
      try {
        for (let i = 0; i < MAX_PAGES_PER_SCROLL; i++) {
          const res: HallPage = await ordersService.listHall(s.page + 1);
          if (seq !== s.seq) return;
          this.append(res);
          if (!res.hasMore || s.ids[tab].length > before) break;
        }
      } catch (err) {
        if (seq !== s.seq) return;
        if (isServiceError(err) && err.code === 'E_FORBIDDEN') {
          this.setData({ phase: 'forbidden', message: '接单大厅只对党员志愿者和物业人员开放。想当志愿者，请联系社区工作者。' });
        } else if (this.data.phase === 'hall') {
          showError(this, err);
        } else {
          this.setData({ phase: 'error', message: errorMessage(err) });
        }
      } finally {
        if (seq === s.seq) {
          s.loading = false;
          this.setData({ loadingMore: false });
        }
      }
    },

    append(res: HallPage) {
      const s = state(this);
      const patch: Record<string, unknown> = { phase: 'hall', onDuty: res.onDuty, staff: res.staff, hasMore: res.hasMore };
      res.items.forEach((o: OrderSummary) => {
        const tab: Tab = o.status === 'open' ? 'open' : 'mine';
        if (s.ids[tab].includes(o._id)) return;
        patch[`${LIST[tab]}[${s.ids[tab].length}]`] = rowOf(o, false);
        s.ids[tab].push(o._id);
      });
      patch.openCount = s.ids.open.length;
      patch.mineCount = s.ids.mine.length;
      s.page += 1;
      this.setData(patch);
    },

    onPickTab(e: WechatMiniprogram.BaseEvent) {
      const tab = String(e.currentTarget.dataset.tab) as Tab;
      if (tab === this.data.tab) return undefined;
      this.setData({ tab });
      // The rows of this tab may still be on later pages.
      if (!state(this).ids[tab].length && this.data.hasMore) return this.loadMore();
      return undefined;
    },

    async onDuty(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      const onDuty = !!e.detail.value;
      if (this.data.dutyBusy) return;
      this.setData({ dutyBusy: true, onDuty });
      try {
        const res = await ordersService.setDuty(onDuty);
        showSuccess(this, res.onDuty ? '已上岗，可以抢单了' : '已离岗，不会再收到新的待接单');
        await this.reload();
      } catch (err) {
        this.setData({ onDuty: !onDuty });
        showError(this, err);
      } finally {
        this.setData({ dutyBusy: false });
      }
    },

    /** One tap: accept a dispatched order or grab an open one. */
    async onAccept(e: WechatMiniprogram.BaseEvent) {
      const s = state(this);
      const tab = String(e.currentTarget.dataset.tab) as Tab;
      const index = Number(e.currentTarget.dataset.index);
      const id = s.ids[tab][index];
      const key = LIST[tab];
      const row = this.data[key][index];
      if (!id || !row || row.done || s.busy) return;
      s.busy = true;
      try {
        const order = await ordersService.accept(id);
        this.setData({ [`${key}[${index}].done`]: 'accepted', [`${key}[${index}].statusLabel`]: order.statusLabel });
        showSuccess(this, '接单成功！请尽快联系居民');
      } catch (err) {
        showError(this, err);
        // Someone else was quicker, or the order moved on: the card goes away.
        if (isServiceError(err) && (err.code === 'E_CONFLICT' || err.code === 'E_NOT_FOUND') && this.data.onDuty !== false)
          this.setData({ [`${key}[${index}].done`]: 'gone' });
      } finally {
        s.busy = false;
      }
    },

    onOpen(e: WechatMiniprogram.BaseEvent) {
      const tab = String(e.currentTarget.dataset.tab) as Tab;
      const id = state(this).ids[tab][Number(e.currentTarget.dataset.index)];
      if (!id) return;
      state(this).stale = true;
      openPage(withId(ORDER_PAGES.detail, id));
    },

    onMyOrders() {
      // The 订单 tab opens on the orders I serve, not my own (a tab takes no query).
      const app = getApp<IAppOption>();
      if (app && app.globalData) app.globalData.ordersMode = 'volunteer';
      openPage(ORDER_PAGES.tab);
    },
  },
});
