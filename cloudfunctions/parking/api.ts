// The parking function's contract: payload schemas and answer types. The mini-program imports
// these types with `import type`; zod itself never ships to the client.
import { z } from 'zod';
import { dateText, id, instant, mark, optionalText, page, pattern, picture, requestId, text, type Page } from '../common/schema';
import { isSpotCode, normalizePlate, normalizeSpotCode, plateProblem } from './rules';
import { HALF_HOUR_CLOCK } from './time';

export const SPOT_STATUSES = ['pending', 'verified', 'rejected'] as const;
export type SpotStatus = (typeof SPOT_STATUSES)[number];

/** `pending` exists only while a booking claims its slots; nobody is shown one. */
export const BOOKING_STATUSES = ['pending', 'booked', 'checked_in', 'completed', 'cancelled', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** `HH:mm` on the half hour. */
const clock = (label: string) =>
  mark(
    z
      .string()
      .trim()
      .refine((s) => HALF_HOUR_CLOCK.test(s), `${label}需按半小时选择，例如 08:00 或 08:30`),
    { kind: 'closed', allowed: '半小时整点，例如 08:00 或 08:30' },
  );

const plate = mark(
  z
    .string()
    .max(20)
    .superRefine((raw, ctx) => {
      const problem = plateProblem(raw);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(normalizePlate),
  { kind: 'closed', allowed: '车牌号，例如 粤B12345' },
);

/**
 * Spot code such as `B2-103` or `地下二层-18`: letters, digits, Chinese, groups joined by one hyphen
 * (normalizeSpotCode: `b2 - 103`, `B2 103` are `B2-103`); shown to residents, so checked.
 */
const spotCode = mark(
  z
    .string()
    .max(60)
    .transform(normalizeSpotCode)
    .refine(isSpotCode, '车位编号只能用字母、数字、汉字，分段用“-”或空格隔开，最多 20 个字，例如 B2-103'),
  { kind: 'text', label: '车位编号', scene: 1 },
);

const photo = picture('照片需要先上传，请重新选择照片').optional();

const weekday = z.number().int().min(1).max(7);

export const parkingSchemas = {
  registerSpot: z.strictObject({
    code: spotCode,
    location: text(50, { label: '位置', scene: 1 }),
    photo,
    maxHours: z.number().int().min(1).max(24).optional(),
  }),
  mySpots: z.strictObject({ page }),
  listSpots: z.strictObject({ status: z.enum(SPOT_STATUSES).optional(), page }),
  verifySpot: z.strictObject({ spotId: id }),
  rejectSpot: z.strictObject({ spotId: id, reason: text(100, { label: '原因', multiline: true }) }),
  publishWindow: z.strictObject({
    spotId: id,
    start: instant('开始时间').optional(),
    end: instant('结束时间').optional(),
    weekdays: z.array(weekday).min(1).max(7).optional(),
    from: clock('开始时刻').optional(),
    to: clock('结束时刻').optional(),
  }),
  removeWindow: z.strictObject({ spotId: id, windowId: pattern(/^w\d{1,6}$/, '系统给出的时段编号') }),
  spotSchedule: z.strictObject({
    spotId: id,
    date: dateText('日期不对，请选择一个真实的日期，例如 2030-01-07'),
    days: z.number().int().min(1).max(14).optional(),
  }),
  spotBookings: z.strictObject({ spotId: id, scope: z.enum(['upcoming', 'past']).optional(), page }),
  search: z.strictObject({ start: instant('开始时间'), end: instant('结束时间'), page }),
  book: z.strictObject({
    spotId: id,
    start: instant('开始时间'),
    end: instant('结束时间'),
    plate,
    requestId,
  }),
  cancelBooking: z.strictObject({ bookingId: id, reason: optionalText(100, { label: '原因', multiline: true }) }),
  checkIn: z.strictObject({ bookingId: id }),
  checkOut: z.strictObject({ bookingId: id }),
  myBookings: z.strictObject({ scope: z.enum(['upcoming', 'past']).optional(), page }),
};

export interface WindowView {
  id: string;
  kind: 'once' | 'weekly';
  /** One-off: ISO instants with +08:00. */
  start?: string;
  end?: string;
  /** Weekly: ISO weekdays (Monday 1) and `HH:mm`. */
  weekdays?: number[];
  from?: string;
  to?: string;
  /** `每周一至周五 08:00–18:00`, `1月7日 周一 08:00–18:00`. */
  label: string;
}

export interface SpotView {
  _id: string;
  code: string;
  location: string;
  photo?: string;
  status: SpotStatus;
  rejectReason?: string;
  maxHours: number;
  /** Open windows, oldest first; ended one-off windows are left out. */
  windows: WindowView[];
  isMine: boolean;
  /** The owner's building, for everyone; name, room and phone only for workers. */
  ownerBuilding: string;
  owner?: { openid: string; name: string; building: string; room: string; phone?: string };
  createdAt: string;
  verifiedAt?: string;
}

export interface FreeSpot {
  spotId: string;
  code: string;
  location: string;
  photo?: string;
  ownerBuilding: string;
  maxHours: number;
  /** The window the range lies in: `每周一至周五 08:00–18:00`. */
  windowLabel: string;
}

export interface SearchResult extends Page<FreeSpot> {
  start: string;
  end: string;
  /** Set when the caller may not book at the moment (no-shows or overstays). */
  blockedUntil?: string;
}

export interface BookingView {
  _id: string;
  spotId: string;
  spotCode: string;
  spotLocation: string;
  start: string;
  end: string;
  /** `1月7日 周一 10:00–12:00`. */
  label: string;
  status: Exclude<BookingStatus, 'pending'>;
  /** Whole for the booker and the spot's owner, masked (粤B***45) for anyone else. */
  plate: string;
  /** How the caller relates to the booking. */
  as: 'booker' | 'owner' | 'other';
  /** The booker's name and building: for the owner only. */
  bookerName?: string;
  bookerBuilding?: string;
  cancelledBy?: 'booker' | 'owner';
  cancelReason?: string;
  checkedInAt?: string;
  checkedOutAt?: string;
  overstay?: boolean;
  /** What the caller may do now (the function checks again). */
  canCancel: boolean;
  canCheckIn: boolean;
  canCheckOut: boolean;
  createdAt: string;
}

export interface MyBookings extends Page<BookingView> {
  blockedUntil?: string;
  /** No-shows and overstays in the last 30 days. */
  recentStrikes: number;
}

export interface MySpots extends Page<SpotView> {
  /** Points earned by sharing (all of the caller's spots). */
  points: number;
}

export interface ScheduleDay {
  date: string;
  /** `1月7日 周一`. */
  label: string;
  windows: { windowId: string; start: string; end: string; label: string }[];
  bookings: {
    bookingId?: string;
    start: string;
    end: string;
    label: string;
    status?: BookingView['status'];
    plate?: string;
    bookerName?: string;
  }[];
}

export interface SpotSchedule {
  spot: SpotView;
  days: ScheduleDay[];
}

type In<K extends keyof typeof parkingSchemas> = z.input<(typeof parkingSchemas)[K]>;

/** One-off (`start`, `end`) or weekly (`weekdays`, `from`, `to`). */
export type PublishWindowInput =
  { spotId: string; start: string; end: string } | { spotId: string; weekdays: number[]; from: string; to: string };

export interface ParkingApi {
  registerSpot: { input: In<'registerSpot'>; output: SpotView };
  mySpots: { input: In<'mySpots'>; output: MySpots };
  listSpots: { input: In<'listSpots'>; output: Page<SpotView> };
  verifySpot: { input: In<'verifySpot'>; output: SpotView };
  rejectSpot: { input: In<'rejectSpot'>; output: SpotView };
  publishWindow: { input: PublishWindowInput; output: SpotView };
  removeWindow: { input: In<'removeWindow'>; output: SpotView };
  spotSchedule: { input: In<'spotSchedule'>; output: SpotSchedule };
  spotBookings: { input: In<'spotBookings'>; output: Page<BookingView> };
  search: { input: In<'search'>; output: SearchResult };
  book: { input: In<'book'>; output: BookingView };
  cancelBooking: { input: In<'cancelBooking'>; output: BookingView };
  checkIn: { input: In<'checkIn'>; output: BookingView };
  checkOut: { input: In<'checkOut'>; output: BookingView };
  myBookings: { input: In<'myBookings'>; output: MyBookings };
}
