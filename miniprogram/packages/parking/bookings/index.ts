// 我的预约: upcoming bookings to check in, check out or cancel, and the ones that are over.
import { parkingService, type BookingScope, type BookingView, type MyBookings } from '../../../services/parking';
import { showError, showSuccess } from '../../../services/feedback';
import { openPage } from '../../../utils/nav';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { shortDateTime } from '../../../utils/format';
import { BOOKING_STATUS_TEXT, PARKING_PAGES } from '../utils';
import { pageBehavior } from '../../../utils/page-behavior';

interface BookingRow {
  code: string;
  location: string;
  label: string;
  plate: string;
  status: BookingView['status'];
  statusText: string;
  note: string;
  canCancel: boolean;
  canCheckIn: boolean;
  canCheckOut: boolean;
  busy: boolean;
}

function noteOf(b: BookingView): string {
  if (b.status === 'cancelled' && b.cancelledBy === 'owner') return `车主取消：${b.cancelReason ?? '未说明原因'}`;
  if (b.status === 'no_show') return '开始后 30 分钟内没有入场，记一次爽约';
  if (b.overstay) return '超过结束时间 15 分钟才离场，记一次超时';
  if (b.status === 'checked_in') return `已入场${b.checkedInAt ? `（${shortDateTime(b.checkedInAt)}）` : ''}，离开时请点“离场”`;
  if (b.status === 'booked' && !b.canCheckIn) return '开始前 15 分钟起可以点“入场”';
  return '';
}

const rowOf = (b: BookingView): BookingRow => ({
  code: b.spotCode,
  location: b.spotLocation,
  label: b.label,
  plate: b.plate,
  status: b.status,
  statusText: BOOKING_STATUS_TEXT[b.status],
  note: noteOf(b),
  canCancel: b.canCancel,
  canCheckIn: b.canCheckIn,
  canCheckOut: b.canCheckOut,
  busy: false,
});

const SCOPES: { scope: BookingScope; label: string }[] = [
  { scope: 'upcoming', label: '未结束' },
  { scope: 'past', label: '已结束' },
];

const list = pagedList({
  fetch: (host: ListHost<{ scope: BookingScope }>, page: number) => parkingService.myBookings(host.data.scope, page),
  rowOf,
  idOf: (b: BookingView) => b._id,
  // The strike banners come with every page: the latest answer is the one shown.
  extra: (res: MyBookings) => ({
    blockedText: res.blockedUntil
      ? `暂停预约到 ${shortDateTime(res.blockedUntil)}：近 30 天内未按时入场或超时离场满 3 次。到期自动恢复。`
      : '',
    strikeText:
      !res.blockedUntil && res.recentStrikes > 0
        ? `近 30 天有 ${res.recentStrikes} 次未按时入场或超时离场，满 3 次会暂停预约 14 天。`
        : '',
  }),
});

Component({
  behaviors: [pageBehavior],
  data: {
    scopes: SCOPES,
    scope: 'upcoming' as BookingScope,
    items: [] as BookingRow[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
    strikeText: '',
    blockedText: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.scope === 'past') this.setData({ scope: 'past' });
    },

    onShow() {
      return this.reload();
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    onPickScope(e: WechatMiniprogram.BaseEvent) {
      const scope = e.currentTarget.dataset.scope as BookingScope;
      if (scope === this.data.scope) return undefined;
      this.setData({ scope });
      return this.reload();
    },

    reload() {
      return list.reload(this);
    },

    loadMore() {
      return list.loadMore(this);
    },

    /** Runs one booking action and shows its answer in that row only. */
    async act(index: number, run: (id: string) => Promise<BookingView>, done: string) {
      const id = list.ids(this)[index];
      const row = this.data.items[index];
      if (!id || !row || row.busy) return;
      this.setData({ [`items[${index}].busy`]: true });
      try {
        const view = await run(id);
        this.setData({ [`items[${index}]`]: rowOf(view) });
        showSuccess(this, done);
      } catch (err) {
        this.setData({ [`items[${index}].busy`]: false });
        showError(this, err);
      }
    },

    onCheckIn(e: WechatMiniprogram.BaseEvent) {
      return this.act(Number(e.currentTarget.dataset.index), (id) => parkingService.checkIn(id), '已入场，离开时记得点“离场”');
    },

    onCheckOut(e: WechatMiniprogram.BaseEvent) {
      return this.act(Number(e.currentTarget.dataset.index), (id) => parkingService.checkOut(id), '已离场，谢谢按时挪车');
    },

    async onCancel(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row) return;
      const answer = await wx.showModal({
        title: '取消这次预约？',
        content: `${row.code} ${row.label}`,
        confirmText: '取消预约',
        confirmColor: '#d54941',
        cancelText: '不取消',
      });
      if (!answer.confirm) return;
      await this.act(index, (id) => parkingService.cancelBooking(id), '已取消，车主会收到通知');
    },

    onFind() {
      openPage(PARKING_PAGES.find);
    },
  },
});
