// 阅读情况 (workers): read rate per building, counted by household (building + room), and the
// households where nobody has opened the notice yet — building by building, those with elderly or
// disabled members first, with their phones to call. One reminder per notice goes to everyone still
// unread.
import { noticesService, type NoticeStats, type UnreadHousehold } from '../../../services/notices';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { dateTimeText } from '../../../utils/format';
import { decodeQueryValue, openPage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { NOTICE_PAGES, STATE_LABELS, percent } from '../../../utils/notices';
import { pageBehavior } from '../../../utils/page-behavior';

interface BuildingRow {
  building: string;
  rate: string;
  width: number;
  text: string;
}

interface UnreadRow {
  where: string;
  names: string;
  phone: string;
  attention: boolean;
  tags: string;
}

const buildingRow = (b: NoticeStats['buildings'][number]): BuildingRow => ({
  building: b.building,
  rate: b.households ? percent(b.rate) : '—',
  width: Math.round(b.rate * 100),
  text: b.households ? `${b.readHouseholds}/${b.households} 户已读 · ${b.read}/${b.members} 人` : '这栋楼还没有居民加入',
});

const unreadRow = (h: UnreadHousehold): UnreadRow => ({
  where: `${h.building} ${h.room}${h.verified ? '' : '（房号待核实）'}`,
  names: h.members.map((m) => m.name).join('、'),
  phone: (h.members.find((m) => m.phone) || { phone: '' }).phone || '',
  attention: h.attention,
  tags: [...new Set(h.members.reduce((all, m) => all.concat(m.tags), [] as string[]))].join('、'),
});

const state = privateState(() => ({ id: '', page: 0, seq: 0, reminding: false }));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'stats' | 'error',
    loadError: '',
    title: '',
    stateText: '',
    canRemind: false,
    audience: '',
    total: { rate: '', text: '' },
    buildings: [] as BuildingRow[],
    filters: ['全部'] as string[],
    filter: '全部',
    unread: [] as UnreadRow[],
    hasMore: false,
    reminded: '',
    reminding: false,
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      state(this).id = decodeQueryValue(query.id);
      await this.reload();
    },

    onReachBottom() {
      if (this.data.hasMore) return this.loadPage(state(this).page + 1);
      return undefined;
    },

    reload() {
      const s = state(this);
      s.seq += 1;
      return this.loadPage(1);
    },

    async loadPage(page: number) {
      const s = state(this);
      const seq = s.seq;
      const building = this.data.filter === '全部' ? undefined : this.data.filter;
      try {
        const st = await noticesService.stats(s.id, building, page);
        if (seq !== s.seq) return;
        const rows = st.unread.items.map(unreadRow);
        if (page === 1) {
          this.setData({
            phase: 'stats',
            title: st.title,
            stateText: STATE_LABELS[st.state],
            canRemind: st.state === 'published' && !st.remindedAt,
            audience: st.audienceText,
            total: {
              rate: st.totals.households ? percent(st.totals.rate) : '—',
              text: `${st.totals.readHouseholds}/${st.totals.households} 户已读，${st.totals.read}/${st.totals.members} 人打开过`,
            },
            buildings: st.buildings.map(buildingRow),
            filters: ['全部', ...st.buildings.map((b) => b.building)],
            unread: rows,
            hasMore: st.unread.hasMore,
            reminded: st.remindedAt
              ? st.remindPending
                ? `已于 ${dateTimeText(st.remindedAt)} 开始提醒，已发 ${st.remindedCount || 0} 人，其余 ${st.remindPending} 人正在陆续发送`
                : `已于 ${dateTimeText(st.remindedAt)} 提醒 ${st.remindedCount || 0} 人`
              : '',
          });
        } else {
          const patch: Record<string, unknown> = { hasMore: st.unread.hasMore };
          rows.forEach((row, i) => {
            patch[`unread[${this.data.unread.length + i}]`] = row;
          });
          this.setData(patch);
        }
        s.page = page;
      } catch (err) {
        if (seq !== s.seq) return;
        if (this.data.phase === 'stats') showError(this, err);
        else this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    onPickFilter(e: WechatMiniprogram.BaseEvent) {
      const filter = String(e.currentTarget.dataset.filter);
      if (filter === this.data.filter) return undefined;
      this.setData({ filter });
      return this.reload();
    },

    onCall(e: WechatMiniprogram.BaseEvent) {
      const phone = String(e.currentTarget.dataset.phone || '');
      if (phone) wx.makePhoneCall({ phoneNumber: phone, fail: () => undefined });
    },

    async onRemind() {
      const s = state(this);
      if (s.reminding || !this.data.canRemind) return;
      const answer = await wx.showModal({
        title: '提醒未读的居民？',
        content: '会给还没打开这条通知的住户各发一条提醒消息。每条通知只能提醒一次。',
        confirmText: '发送提醒',
      });
      if (!answer.confirm) return;
      s.reminding = true;
      this.setData({ reminding: true });
      try {
        const { sent, pending } = await noticesService.remind(s.id);
        showSuccess(
          this,
          pending ? `已提醒 ${sent} 人，其余 ${pending} 人稍后陆续发送` : sent ? `已提醒 ${sent} 人` : '没有需要提醒的人',
        );
        await this.reload();
      } catch (err) {
        showError(this, err);
      } finally {
        s.reminding = false;
        this.setData({ reminding: false });
      }
    },

    onOpenNotice() {
      openPage(`${NOTICE_PAGES.detail}?id=${encodeURIComponent(state(this).id)}`);
    },
  },
});
