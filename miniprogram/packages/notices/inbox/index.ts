// 我的消息: everything that needs my attention (orders, parking, notice reminders, membership),
// newest first, 20 at a time. Opening one marks it read and goes where it points.
import { messagesService, setMineBadge, type MessageView } from '../../../services/messages';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { openPage, safeTarget } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { relativeTimeText } from '../../../utils/format';
import { pageBehavior } from '../../../utils/page-behavior';

interface Row {
  id: string;
  title: string;
  body: string;
  time: string;
  read: boolean;
  hasLink: boolean;
}

const rowOf = (m: MessageView): Row => ({
  id: m._id,
  title: m.title,
  body: m.body || '',
  time: relativeTimeText(m.createdAt),
  read: m.read,
  hasLink: !!safeTarget(m.link),
});

const state = privateState(() => ({ page: 0, seq: 0, links: [] as (string | undefined)[] }));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'list' | 'error',
    loadError: '',
    items: [] as Row[],
    hasMore: false,
    unread: 0,
  },

  methods: {
    onShow() {
      return this.reload();
    },

    onReachBottom() {
      if (this.data.hasMore) return this.loadPage(state(this).page + 1);
      return undefined;
    },

    async reload() {
      const s = state(this);
      s.seq += 1;
      void this.refreshCount();
      return this.loadPage(1);
    },

    async refreshCount() {
      try {
        const unread = await messagesService.unreadCount();
        this.setData({ unread });
        setMineBadge(unread);
      } catch {
        // The list shows the error.
      }
    },

    async loadPage(page: number) {
      const s = state(this);
      const seq = s.seq;
      try {
        const res = await messagesService.list(page);
        if (seq !== s.seq) return;
        const rows = res.items.map(rowOf);
        const links = res.items.map((m) => safeTarget(m.link));
        if (page === 1) {
          s.links = links;
          this.setData({ phase: 'list', items: rows, hasMore: res.hasMore });
        } else {
          s.links.push(...links);
          const patch: Record<string, unknown> = { hasMore: res.hasMore };
          rows.forEach((row, i) => {
            patch[`items[${this.data.items.length + i}]`] = row;
          });
          this.setData(patch);
        }
        s.page = page;
      } catch (err) {
        if (seq !== s.seq) return;
        if (this.data.phase === 'list') showError(this, err);
        else this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    async onOpen(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row) return;
      const link = state(this).links[index];
      if (!row.read) {
        this.setData({ [`items[${index}].read`]: true, unread: Math.max(0, this.data.unread - 1) });
        setMineBadge(this.data.unread);
        messagesService.markRead(row.id).catch((err) => showError(this, err));
      }
      if (link) openPage(link);
    },

    async onReadAll() {
      try {
        await messagesService.markRead();
        const patch: Record<string, unknown> = { unread: 0 };
        this.data.items.forEach((row, i) => {
          if (!row.read) patch[`items[${i}].read`] = true;
        });
        this.setData(patch);
        setMineBadge(0);
        showSuccess(this, '已全部标为已读');
      } catch (err) {
        showError(this, err);
      }
    },
  },
});
