// 通知管理 (workers): sent notices with their read counts, scheduled ones, drafts, withdrawn.
// A sent notice opens its read statistics; a draft or a scheduled one opens the editor.
import { noticesService, type NoticeBox, type NoticeSummary } from '../../../services/notices';
import { errorMessage, showError } from '../../../services/feedback';
import { openPage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { relativeTimeText } from '../../../utils/format';
import { NOTICE_PAGES, STATE_LABELS } from '../../../utils/notices';
import { pageBehavior } from '../../../utils/page-behavior';

type Box = Exclude<NoticeBox, 'feed'>;

interface Row {
  id: string;
  title: string;
  stateText: string;
  state: string;
  time: string;
  audience: string;
  pinned: boolean;
  readCount: number;
}

const BOXES: { box: Box; label: string }[] = [
  { box: 'sent', label: '已发布' },
  { box: 'scheduled', label: '定时' },
  { box: 'drafts', label: '草稿' },
  { box: 'withdrawn', label: '已撤回' },
];

const rowOf = (n: NoticeSummary): Row => ({
  id: n._id,
  title: n.title,
  state: n.state,
  stateText: STATE_LABELS[n.state],
  time: n.state === 'draft' ? `修改于 ${relativeTimeText(n.updatedAt)}` : relativeTimeText(n.publishAt),
  audience: n.audienceText,
  pinned: n.pinned,
  readCount: n.readCount || 0,
});

const state = privateState(() => ({ page: 0, seq: 0 }));

Component({
  behaviors: [pageBehavior],
  data: {
    boxes: BOXES,
    box: 'sent' as Box,
    phase: 'loading' as 'loading' | 'list' | 'error',
    items: [] as Row[],
    hasMore: false,
    loadingMore: false,
    loadError: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const box = BOXES.find((b) => b.box === query.box);
      if (box) this.setData({ box: box.box });
    },

    onShow() {
      return this.reload();
    },

    onReachBottom() {
      if (this.data.hasMore && !this.data.loadingMore) return this.loadPage(state(this).page + 1);
      return undefined;
    },

    reload() {
      const s = state(this);
      s.seq += 1;
      s.page = 0;
      return this.loadPage(1);
    },

    async loadPage(page: number) {
      const s = state(this);
      const seq = s.seq;
      if (page > 1) this.setData({ loadingMore: true });
      try {
        const res = await noticesService.list({ box: this.data.box, page });
        if (seq !== s.seq) return;
        const rows = res.items.map(rowOf);
        if (page === 1) {
          this.setData({ phase: 'list', items: rows, hasMore: res.hasMore, loadingMore: false });
        } else {
          const patch: Record<string, unknown> = { hasMore: res.hasMore, loadingMore: false };
          rows.forEach((row, i) => {
            patch[`items[${this.data.items.length + i}]`] = row;
          });
          this.setData(patch);
        }
        s.page = page;
      } catch (err) {
        if (seq !== s.seq) return;
        if (this.data.phase === 'list') {
          this.setData({ loadingMore: false });
          showError(this, err);
        } else {
          this.setData({ phase: 'error', loadError: errorMessage(err) });
        }
      }
    },

    onPickBox(e: WechatMiniprogram.BaseEvent) {
      const box = String(e.currentTarget.dataset.box) as Box;
      if (box === this.data.box) return undefined;
      this.setData({ box, items: [], phase: 'loading' });
      return this.reload();
    },

    onOpen(e: WechatMiniprogram.BaseEvent) {
      const row = this.data.items[Number(e.currentTarget.dataset.index)];
      if (!row) return;
      const id = encodeURIComponent(row.id);
      if (row.state === 'draft' || row.state === 'scheduled') openPage(`${NOTICE_PAGES.compose}?id=${id}`);
      else if (row.state === 'withdrawn') openPage(`${NOTICE_PAGES.detail}?id=${id}`);
      else openPage(`${NOTICE_PAGES.stats}?id=${id}`);
    },

    onCompose() {
      openPage(NOTICE_PAGES.compose);
    },

    onGroups() {
      openPage(NOTICE_PAGES.groups);
    },
  },
});
