// 车位管理 (the owner): open windows with publish and remove, a week view of windows and bookings,
// and the upcoming bookings with plates, which the owner may cancel with a reason.
import { parkingService, type BookingView, type PublishWindowInput, type SpotSchedule } from '../../../services/parking';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { privateState } from '../../../utils/state';
import { enableShareMenu, shareCard } from '../../../utils/share';
import {
  BOOKING_STATUS_TEXT,
  CLOCKS,
  PARKING_PAGES,
  SPOT_STATUS_TEXT,
  WEEKDAYS,
  dayOptions,
  endOptions,
  isoOf,
  startOptions,
  type DayOption,
  type TimeOption,
} from '../utils';
import { DAY_MS, dateText } from '../../../shared/clock';
import { pageBehavior } from '../../../utils/page-behavior';
import { showHint } from '../../../utils/elder';

interface DayRow {
  label: string;
  windows: string;
  bookings: string[];
}

interface BookingRow {
  label: string;
  plate: string;
  booker: string;
  statusText: string;
  canCancel: boolean;
  busy: boolean;
}

const bookingRowOf = (b: BookingView): BookingRow => ({
  label: b.label,
  plate: b.plate,
  booker: `${b.bookerName ?? ''}${b.bookerBuilding ? `（${b.bookerBuilding}）` : ''}`,
  statusText: BOOKING_STATUS_TEXT[b.status],
  canCancel: b.canCancel,
  busy: false,
});

const dayRowOf = (d: SpotSchedule['days'][number]): DayRow => ({
  label: d.label,
  windows: d.windows.map((w) => w.label).join('、'),
  bookings: d.bookings.map((b) => `${b.label} ${b.plate ?? ''} ${b.bookerName ?? ''}`.trim()),
});

const ONCE_DAYS = 14;

const state = privateState(() => ({
  spotId: '',
  windowIds: [] as string[],
  bookingIds: [] as string[],
  bookingsPage: 1,
  loadingMore: false,
  starts: [] as TimeOption[],
  ends: [] as TimeOption[],
  publishing: false,
}));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'error',
    loadError: '',
    code: '',
    location: '',
    statusText: '',
    verified: false,
    maxHours: 12,
    windows: [] as string[],
    kind: 'weekly' as 'weekly' | 'once',
    weekdays: WEEKDAYS,
    picked: [true, true, true, true, true, false, false],
    clocks: CLOCKS,
    fromIndex: 16,
    toIndex: 36,
    /** The weekly window ends the next day. */
    overnight: false,
    onceDays: [] as DayOption[],
    onceDayIndex: 0,
    startLabels: [] as string[],
    startIndex: 0,
    endLabels: [] as string[],
    endIndex: 0,
    publishing: false,
    weekOffset: 0,
    week: [] as DayRow[],
    bookings: [] as BookingRow[],
    bookingsHasMore: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).spotId = query.id || '';
      enableShareMenu();
      this.setData({ onceDays: dayOptions(Date.now(), ONCE_DAYS) });
      this.pickOnceDay(0);
    },

    onShow() {
      return this.load();
    },

    /** A card for the building's group chat: neighbours land on 找车位 with this spot marked. */
    onShareAppMessage() {
      const title = this.data.verified ? `我的车位 ${this.data.code} 可以共享预约了` : '邻里帮 · 共享车位';
      return shareCard(title, PARKING_PAGES.find, this.data.verified ? { spot: state(this).spotId } : {});
    },

    /** The next 20 upcoming bookings, appended by path. */
    async onReachBottom() {
      const s = state(this);
      if (!this.data.bookingsHasMore || s.loadingMore) return;
      s.loadingMore = true;
      try {
        const res = await parkingService.spotBookings(s.spotId, 'upcoming', s.bookingsPage + 1);
        const patch: Record<string, unknown> = { bookingsHasMore: res.hasMore };
        const offset = s.bookingIds.length;
        res.items.forEach((b, i) => {
          patch[`bookings[${offset + i}]`] = bookingRowOf(b);
          s.bookingIds.push(b._id);
        });
        s.bookingsPage += 1;
        this.setData(patch);
      } catch (err) {
        showError(this, err);
      } finally {
        s.loadingMore = false;
      }
    },

    async load() {
      const s = state(this);
      if (!s.spotId) {
        this.setData({ phase: 'error', loadError: '没有找到这个车位，请从“我的车位”重新进入' });
        return;
      }
      try {
        const date = dateText(Date.now() + this.data.weekOffset * 7 * DAY_MS);
        const [schedule, bookings] = await Promise.all([
          parkingService.spotSchedule(s.spotId, date, 7),
          parkingService.spotBookings(s.spotId, 'upcoming', 1),
        ]);
        const spot = schedule.spot;
        s.windowIds = spot.windows.map((w) => w.id);
        s.bookingIds = bookings.items.map((b) => b._id);
        s.bookingsPage = 1;
        this.setData({
          phase: 'ready',
          loadError: '',
          code: spot.code,
          location: spot.location,
          statusText: SPOT_STATUS_TEXT[spot.status],
          verified: spot.status === 'verified',
          maxHours: spot.maxHours,
          windows: spot.windows.map((w) => w.label),
          week: schedule.days.map(dayRowOf),
          bookings: bookings.items.map(bookingRowOf),
          bookingsHasMore: bookings.hasMore,
        });
      } catch (err) {
        if (this.data.phase === 'ready') showError(this, err);
        else this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    onPickKind(e: WechatMiniprogram.BaseEvent) {
      this.setData({ kind: e.currentTarget.dataset.kind as 'weekly' | 'once' });
    },

    onToggleWeekday(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      this.setData({ [`picked[${index}]`]: !this.data.picked[index] });
    },

    onFromChange(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const fromIndex = Number(e.detail.value);
      this.setData({ fromIndex, overnight: this.data.toIndex <= fromIndex });
    },

    onToChange(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const toIndex = Number(e.detail.value);
      this.setData({ toIndex, overnight: toIndex <= this.data.fromIndex });
    },

    pickOnceDay(index: number) {
      const s = state(this);
      const day = this.data.onceDays[index];
      s.starts = day ? startOptions(day.date, Date.now()) : [];
      this.setData({ onceDayIndex: index, startLabels: s.starts.map((o) => o.label), startIndex: 0 });
      this.pickOnceStart(0);
    },

    pickOnceStart(index: number) {
      const s = state(this);
      const start = s.starts[index];
      s.ends = start ? endOptions(start.at, 24) : [];
      this.setData({
        startIndex: index,
        endLabels: s.ends.map((o) => o.label),
        endIndex: Math.min(7, Math.max(s.ends.length - 1, 0)),
      });
    },

    onPickOnceDay(e: WechatMiniprogram.BaseEvent) {
      this.pickOnceDay(Number(e.currentTarget.dataset.index));
    },

    onOnceStartChange(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.pickOnceStart(Number(e.detail.value));
    },

    onOnceEndChange(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ endIndex: Number(e.detail.value) });
    },

    /** The window the form describes, or a sentence saying what is missing. */
    formWindow(): PublishWindowInput | string {
      const s = state(this);
      if (this.data.kind === 'weekly') {
        const weekdays = WEEKDAYS.filter((_, i) => this.data.picked[i]).map((d) => d.value);
        if (!weekdays.length) return '请至少选一天';
        return { spotId: s.spotId, weekdays, from: CLOCKS[this.data.fromIndex], to: CLOCKS[this.data.toIndex] };
      }
      const start = s.starts[this.data.startIndex];
      const end = s.ends[this.data.endIndex];
      if (!start || !end) return '这一天已经没有可选的时间了，请选其他日期';
      return { spotId: s.spotId, start: isoOf(start.at), end: isoOf(end.at) };
    },

    async onPublish() {
      const s = state(this);
      if (s.publishing) return;
      const input = this.formWindow();
      if (typeof input === 'string') {
        showHint(input);
        return;
      }
      s.publishing = true;
      this.setData({ publishing: true });
      try {
        const spot = await parkingService.publishWindow(input);
        s.windowIds = spot.windows.map((w) => w.id);
        this.setData({ windows: spot.windows.map((w) => w.label), publishing: false });
        showSuccess(this, '已发布，邻居现在可以预约了');
        await this.load();
      } catch (err) {
        this.setData({ publishing: false });
        showError(this, err);
      } finally {
        s.publishing = false;
      }
    },

    async onRemoveWindow(e: WechatMiniprogram.BaseEvent) {
      const s = state(this);
      const index = Number(e.currentTarget.dataset.index);
      const windowId = s.windowIds[index];
      if (!windowId) return;
      const answer = await wx.showModal({
        title: '删除这个开放时段？',
        content: this.data.windows[index],
        confirmText: '删除',
        confirmColor: '#d54941',
        cancelText: '不删',
      });
      if (!answer.confirm) return;
      try {
        const spot = await parkingService.removeWindow(s.spotId, windowId);
        s.windowIds = spot.windows.map((w) => w.id);
        this.setData({ windows: spot.windows.map((w) => w.label) });
        showSuccess(this, '已删除');
        await this.load();
      } catch (err) {
        // The reason (which booking still depends on it) is long: show it where it can be read.
        if (isServiceError(err) && err.code === 'E_CONFLICT') {
          await wx.showModal({ title: '暂时不能删除', content: err.message, showCancel: false, confirmText: '知道了' });
        } else {
          showError(this, err);
        }
      }
    },

    onPrevWeek() {
      if (this.data.weekOffset <= 0) return undefined;
      this.setData({ weekOffset: this.data.weekOffset - 1 });
      return this.load();
    },

    onNextWeek() {
      if (this.data.weekOffset >= 4) return undefined;
      this.setData({ weekOffset: this.data.weekOffset + 1 });
      return this.load();
    },

    async onCancelBooking(e: WechatMiniprogram.BaseEvent) {
      const s = state(this);
      const index = Number(e.currentTarget.dataset.index);
      const id = s.bookingIds[index];
      const row = this.data.bookings[index];
      if (!id || !row || row.busy) return;
      const answer = await wx.showModal({
        title: '取消这位邻居的预约？',
        content: '',
        editable: true,
        placeholderText: '请写原因，对方会收到通知',
        confirmText: '取消预约',
        confirmColor: '#d54941',
        cancelText: '不取消',
      });
      if (!answer.confirm) return;
      const reason = (answer.content || '').trim();
      if (!reason) {
        showHint('请写上取消原因，对方会收到通知');
        return;
      }
      this.setData({ [`bookings[${index}].busy`]: true });
      try {
        const view = await parkingService.cancelBooking(id, reason.slice(0, 100));
        this.setData({ [`bookings[${index}]`]: bookingRowOf(view) });
        showSuccess(this, '已取消，已通知预约人');
      } catch (err) {
        this.setData({ [`bookings[${index}].busy`]: false });
        showError(this, err);
      }
    },
  },
});
