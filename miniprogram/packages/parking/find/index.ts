// 找车位: pick a day and a half-hour range, see the spots free for all of it, book one with a plate.
import { parkingService, type FreeSpot, type SearchResult } from '../../../services/parking';
import { isActiveWorker, memberService } from '../../../services/member';
import { messagesService } from '../../../services/messages';
import { enableShareMenu, pathWith, sendStrangerToJoin, shareCard } from '../../../utils/share';
import { showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { openPage } from '../../../utils/nav';
import { pagedList } from '../../../utils/paged-list';
import { privateState } from '../../../utils/state';
import {
  PARKING_PAGES,
  dayOptions,
  endOptions,
  isoOf,
  lastPlate,
  newRequestId,
  normalizePlate,
  plateProblem,
  rangeText,
  splitRange,
  rememberPlate,
  startOptions,
  type DayOption,
  type TimeOption,
} from '../utils';
import { HOUR_MS } from '../../../shared/clock';
import { shortDateTime } from '../../../utils/format';
import { pageBehavior } from '../../../utils/page-behavior';

/** What a result card shows; the spot id stays in private state. */
interface SpotRow {
  code: string;
  location: string;
  ownerBuilding: string;
  /** The window's days (`每周一至周五 `) and its time range (`08:00–18:00`, kept on one line). */
  windowDays: string;
  windowTime: string;
  maxHours: number;
  /** Taken by someone else since the search. */
  taken: boolean;
  /** Booked by this person from this page. */
  booked: boolean;
  /** The spot a neighbour's share card pointed to. */
  shared: boolean;
}

const rowOf = (s: FreeSpot, sharedSpotId: string): SpotRow => ({
  code: s.code,
  location: s.location,
  ownerBuilding: s.ownerBuilding,
  windowDays: splitRange(s.windowLabel).head,
  windowTime: splitRange(s.windowLabel).range,
  maxHours: s.maxHours,
  taken: false,
  booked: false,
  shared: s.spotId === sharedSpotId,
});

const DEFAULT_HOURS = 2;

const state = privateState(() => ({
  starts: [] as TimeOption[],
  ends: [] as TimeOption[],
  /** The range the shown results are for. */
  range: { start: 0, end: 0 },
  plate: '',
  /** One id per booking attempt: a retry after a network failure books at most once. */
  requestId: '',
  submitting: false,
  /** From a share card of one spot (`?spot=`): that spot is marked when it is free. */
  sharedSpotId: '',
}));

/** Free spots for the range in state; `list.ids(this)[i]` is row i's spot id. */
const list = pagedList({
  fetch: (host, page: number) => parkingService.search(isoOf(state(host).range.start), isoOf(state(host).range.end), page),
  rowOf: (spot: FreeSpot, host) => rowOf(spot, state(host).sharedSpotId),
  idOf: (spot) => spot.spotId,
  extra: (res: SearchResult) => ({
    blockedText: res.blockedUntil
      ? `因近 30 天内未按时入场或超时离场满 3 次，${shortDateTime(res.blockedUntil)}前暂不能预约`
      : '',
  }),
  loadedKey: 'searched',
  // A stranger from a share card is sent to join, then back here.
  onError: (host, err) => sendStrangerToJoin(err, pathWith(PARKING_PAGES.find, { spot: state(host).sharedSpotId || undefined })),
});

Component({
  behaviors: [pageBehavior],
  data: {
    days: [] as DayOption[],
    dayIndex: 0,
    startLabels: [] as string[],
    startIndex: 0,
    endLabels: [] as string[],
    endIndex: 0,
    rangeText: '',
    rangeTime: '',
    items: [] as SpotRow[],
    searched: false,
    loading: false,
    hasMore: false,
    loadError: '',
    blockedText: '',
    /** Index of the spot whose booking form is open, or -1. */
    selected: -1,
    plate: '',
    plateError: '',
    submitting: false,
    bookedText: '',
    isWorker: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      enableShareMenu();
      void messagesService.prepareSubscribe();
      state(this).sharedSpotId = query.spot || '';
      this.setData({ days: dayOptions(Date.now()), plate: lastPlate() });
      state(this).plate = this.data.plate;
      this.pickDay(0);
      void this.loadRoles();
      return this.search();
    },

    onShareAppMessage() {
      return shareCard('邻里帮 · 共享车位：按半小时预约邻居闲着的车位', PARKING_PAGES.find);
    },

    async onPullDownRefresh() {
      await this.search();
      wx.stopPullDownRefresh();
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    async loadRoles() {
      try {
        const me = await memberService.me();
        this.setData({ isWorker: isActiveWorker(me) });
      } catch {
        // The worker link is a convenience; the rest of the page works without it.
      }
    },

    /** Fills the start and end pickers for a day, keeping the chosen length when it can. */
    pickDay(index: number, hours = DEFAULT_HOURS) {
      const s = state(this);
      const day = this.data.days[index];
      s.starts = day ? startOptions(day.date, Date.now()) : [];
      this.setData({ dayIndex: index, startLabels: s.starts.map((o) => o.label), startIndex: 0 });
      this.pickStart(0, hours);
    },

    pickStart(index: number, hours = DEFAULT_HOURS) {
      const s = state(this);
      const start = s.starts[index];
      s.ends = start ? endOptions(start.at) : [];
      const endIndex = Math.min(Math.max(hours * 2 - 1, 0), Math.max(s.ends.length - 1, 0));
      this.setData({ startIndex: index, endLabels: s.ends.map((o) => o.label), endIndex });
      this.showRange();
    },

    showRange() {
      const s = state(this);
      const start = s.starts[this.data.startIndex];
      const end = s.ends[this.data.endIndex];
      const { head, range } = splitRange(start && end ? rangeText(start.at, end.at) : '');
      this.setData({ rangeText: head, rangeTime: range });
    },

    /** Hours currently chosen, to keep when the day or the start changes. */
    chosenHours(): number {
      const s = state(this);
      const start = s.starts[this.data.startIndex];
      const end = s.ends[this.data.endIndex];
      return start && end ? (end.at - start.at) / HOUR_MS : DEFAULT_HOURS;
    },

    onPickDay(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      if (index === this.data.dayIndex) return undefined;
      this.pickDay(index, this.chosenHours());
      return this.search();
    },

    onStartChange(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.pickStart(Number(e.detail.value), this.chosenHours());
      return this.search();
    },

    onEndChange(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ endIndex: Number(e.detail.value) });
      this.showRange();
      return this.search();
    },

    async search() {
      const s = state(this);
      const start = s.starts[this.data.startIndex];
      const end = s.ends[this.data.endIndex];
      list.reset(this, { selected: -1, bookedText: '' });
      if (!start || !end) {
        this.setData({ searched: true });
        return;
      }
      s.range = { start: start.at, end: end.at };
      await this.loadMore();
    },

    loadMore() {
      return list.loadMore(this);
    },

    onOpenBooking(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row || row.taken || row.booked) return;
      state(this).requestId = newRequestId();
      this.setData({ selected: index, plateError: '' });
    },

    onCloseBooking() {
      this.setData({ selected: -1, plateError: '' });
    },

    onPlateChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).plate = e.detail.value || '';
      if (this.data.plateError) this.setData({ plateError: '' });
    },

    async onConfirmBooking() {
      const s = state(this);
      const index = this.data.selected;
      const spotId = list.ids(this)[index];
      if (s.submitting || index < 0 || !spotId) return;
      const plateError = plateProblem(s.plate);
      if (plateError) {
        this.setData({ plateError });
        return;
      }
      const plate = normalizePlate(s.plate);
      // Consent for the booking's reminders, asked on this tap (never on load); not awaited.
      void messagesService.askSubscribe(['parking']);
      s.submitting = true;
      this.setData({ submitting: true });
      try {
        const booking = await parkingService.book({
          spotId,
          start: isoOf(s.range.start),
          end: isoOf(s.range.end),
          plate,
          requestId: s.requestId,
        });
        rememberPlate(plate);
        s.plate = plate;
        this.setData({
          [`items[${index}].booked`]: true,
          selected: -1,
          plate,
          submitting: false,
          bookedText: `已预约 ${booking.spotCode}，${booking.label}，车牌 ${booking.plate}。请按时入场，到了在“我的预约”里点“入场”。`,
        });
        showSuccess(this, '预约成功');
      } catch (err) {
        const conflict = isServiceError(err) && err.code === 'E_CONFLICT';
        // The booker or the car already holds another spot then: this spot is still free.
        const holdsAnother = conflict && /只能约一个车位/.test(err.message);
        const patch: Record<string, unknown> = { submitting: false };
        if (conflict && !holdsAnother) {
          patch[`items[${index}].taken`] = true;
          patch.selected = -1;
        }
        const aboutPlate = /车牌/.test(isServiceError(err) ? err.message : '');
        if (isServiceError(err) && (err.code === 'E_VALIDATION' || holdsAnother) && aboutPlate) patch.plateError = err.message;
        this.setData(patch);
        showError(this, err);
        // A refused attempt is over; the next tap is a new one.
        if (isServiceError(err) && err.code !== 'E_NETWORK') s.requestId = newRequestId();
      } finally {
        s.submitting = false;
      }
    },

    onOpenBookings() {
      openPage(PARKING_PAGES.bookings);
    },

    onOpenSpots() {
      openPage(PARKING_PAGES.spots);
    },

    onOpenVerify() {
      openPage(PARKING_PAGES.verify);
    },
  },
});
