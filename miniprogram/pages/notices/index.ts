// 通知 tab: the notices for my building, pinned first, then newest; unread ones marked; a
// category filter; 20 at a time, appended as the list scrolls. Workers also get the way to
// compose and manage. Consent for reminder messages is asked only when the bar is tapped.
import { noticesService, CATEGORIES, type NoticeSummary } from '../../services/notices';
import { messagesService } from '../../services/messages';
import { isActiveWorker, memberService } from '../../services/member';
import { errorMessage, showError, showSuccess } from '../../services/feedback';
import { isServiceError } from '../../services/core';
import { PAGES, openPage } from '../../utils/nav';
import { privateState } from '../../utils/state';
import { relativeTimeText } from '../../utils/format';
import { NOTICE_PAGES } from '../../utils/notices';
import { pageBehavior } from '../../utils/page-behavior';

type Phase = 'loading' | 'list' | 'guest' | 'pending' | 'error';

interface Row {
  id: string;
  title: string;
  excerpt: string;
  category: string;
  pinned: boolean;
  read: boolean;
  time: string;
  audience: string;
  hasImages: boolean;
}

const NOTICES_TAB_INDEX = 2;

const rowOf = (n: NoticeSummary): Row => ({
  id: n._id,
  title: n.title,
  excerpt: n.excerpt,
  category: n.category,
  pinned: n.pinned,
  read: n.read !== false,
  time: relativeTimeText(n.publishAt),
  audience: n.audienceText,
  hasImages: n.hasImages,
});

const state = privateState(() => ({
  page: 0,
  /** Bumped on every reload: answers of an older request are dropped. */
  seq: 0,
  loading: false,
  membershipVersion: -1,
  ids: [] as string[],
}));

function redDot(show: boolean): void {
  try {
    if (show && typeof wx.showTabBarRedDot === 'function')
      wx.showTabBarRedDot({ index: NOTICES_TAB_INDEX, fail: () => undefined });
    if (!show && typeof wx.hideTabBarRedDot === 'function')
      wx.hideTabBarRedDot({ index: NOTICES_TAB_INDEX, fail: () => undefined });
  } catch {
    // Not shown as a tab page.
  }
}

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    categories: ['全部', ...CATEGORIES] as string[],
    category: '全部',
    items: [] as Row[],
    hasMore: false,
    loadingMore: false,
    isWorker: false,
    loadError: '',
  },

  methods: {
    onLoad() {
      void messagesService.prepareSubscribe();
    },

    async onShow() {
      const app = getApp<IAppOption>();
      const version = app && app.globalData ? app.globalData.membershipVersion : 0;
      const s = state(this);
      if (s.membershipVersion !== version) {
        s.membershipVersion = version;
        void this.loadRole();
      }
      void messagesService.refreshBadge();
      await this.reload();
    },

    async loadRole() {
      try {
        const me = await memberService.me();
        this.setData({ isWorker: isActiveWorker(me) });
      } catch {
        // The list shows its own error.
      }
    },

    onReachBottom() {
      if (this.data.hasMore && !this.data.loadingMore) return this.loadPage(state(this).page + 1);
      return undefined;
    },

    async reload() {
      const s = state(this);
      s.seq += 1;
      s.page = 0;
      return this.loadPage(1);
    },

    async loadPage(page: number) {
      const s = state(this);
      const seq = s.seq;
      if (page > 1) this.setData({ loadingMore: true });
      const category = this.data.category === '全部' ? undefined : (this.data.category as NoticeSummary['category']);
      try {
        const res = await noticesService.list({ ...(category ? { category } : {}), page });
        if (seq !== s.seq) return;
        const rows = res.items.map(rowOf);
        if (page === 1) {
          s.ids = rows.map((r) => r.id);
          this.setData({ phase: 'list', items: rows, hasMore: res.hasMore, loadingMore: false, loadError: '' });
        } else {
          // Append by path: only the new rows travel.
          const patch: Record<string, unknown> = { hasMore: res.hasMore, loadingMore: false };
          const start = this.data.items.length;
          rows.forEach((row, i) => {
            patch[`items[${start + i}]`] = row;
          });
          s.ids.push(...rows.map((r) => r.id));
          this.setData(patch);
        }
        s.page = page;
        if (page === 1 && !category) redDot(rows.some((r) => !r.read));
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
          return;
        }
        if (this.data.phase === 'list') {
          this.setData({ loadingMore: false });
          showError(this, err);
        } else {
          this.setData({ phase: 'error', loadError: errorMessage(err), loadingMore: false });
        }
      }
    },

    onPickCategory(e: WechatMiniprogram.BaseEvent) {
      const category = String(e.currentTarget.dataset.category || '全部');
      if (category === this.data.category) return undefined;
      this.setData({ category });
      return this.reload();
    },

    onOpen(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row) return;
      if (!row.read) this.setData({ [`items[${index}].read`]: true });
      openPage(`${NOTICE_PAGES.detail}?id=${encodeURIComponent(row.id)}`);
    },

    /** A tap, so WeChat may ask for consent. */
    async onSubscribe() {
      const accepted = await messagesService.askSubscribe(['notice']);
      if (accepted > 0) showSuccess(this, '已开启，社区提醒会通过微信通知您');
    },

    onCompose() {
      openPage(NOTICE_PAGES.compose);
    },

    onManage() {
      openPage(NOTICE_PAGES.manage);
    },

    onRetry() {
      this.setData({ phase: 'loading' });
      return this.reload();
    },

    onGoJoin() {
      openPage(PAGES.mine);
    },
  },
});
