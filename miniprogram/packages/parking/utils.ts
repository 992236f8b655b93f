// Shared by the parking pages: half-hour times on the community's clock (Asia/Shanghai, +08:00,
// whatever the phone's own time zone), plate checks that mirror the function's, and labels.
import type { BookingStatus, SpotStatus } from '../../services/parking';

const OFFSET_MS = 8 * 3600_000;
const SLOT_MS = 1800_000;
const DAY_MS = 86400_000;
const WEEKDAY_NAMES = ['日', '一', '二', '三', '四', '五', '六'];

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Wall-clock fields of an instant in +08:00. */
function fields(ms: number) {
  const d = new Date(ms + OFFSET_MS);
  return {
    y: d.getUTCFullYear(),
    m: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    wd: d.getUTCDay(),
  };
}

/** `2030-01-07` of an instant. */
export function dateOf(ms: number): string {
  const f = fields(ms);
  return `${f.y}-${pad(f.m)}-${pad(f.d)}`;
}

/** `10:30` of an instant. */
export function clockOf(ms: number): string {
  const f = fields(ms);
  return `${pad(f.h)}:${pad(f.mi)}`;
}

/** The instant of a date and `HH:mm` in +08:00. */
export const instantOf = (date: string, hm: string): number => Date.parse(`${date}T${hm}:00+08:00`);

/** ISO 8601 with +08:00, as the function expects: `2030-01-07T10:30:00+08:00`. */
export const isoOf = (ms: number): string => `${dateOf(ms)}T${clockOf(ms)}:00+08:00`;

export interface DayOption {
  date: string;
  /** `今天`, `明天`, `周三`. */
  name: string;
  /** `1月9日`. */
  day: string;
}

/** The next `count` days from today (+08:00). */
export function dayOptions(now: number, count = 7): DayOption[] {
  const out: DayOption[] = [];
  for (let i = 0; i < count; i++) {
    const f = fields(now + i * DAY_MS);
    out.push({
      date: dateOf(now + i * DAY_MS),
      name: i === 0 ? '今天' : i === 1 ? '明天' : `周${WEEKDAY_NAMES[f.wd]}`,
      day: `${f.m}月${f.d}日`,
    });
  }
  return out;
}

export interface TimeOption {
  /** Milliseconds since the epoch. */
  at: number;
  label: string;
}

/** Half-hour starts on `date`; today only those still ahead. */
export function startOptions(date: string, now: number): TimeOption[] {
  const dayStart = instantOf(date, '00:00');
  const out: TimeOption[] = [];
  for (let at = dayStart; at < dayStart + DAY_MS; at += SLOT_MS) if (at >= now) out.push({ at, label: clockOf(at) });
  return out;
}

/** Ends from half an hour after `start` to `maxHours` after it; `次日` marks the next day. */
export function endOptions(start: number, maxHours = 12): TimeOption[] {
  const out: TimeOption[] = [];
  const startDate = dateOf(start);
  for (let at = start + SLOT_MS; at <= start + maxHours * 3600_000; at += SLOT_MS) {
    const clock = clockOf(at);
    out.push({ at, label: dateOf(at) === startDate ? clock : clock === '00:00' ? '24:00' : `次日 ${clock}` });
  }
  return out;
}

/** Every half hour of a day as `HH:mm`, for windows: 00:00 … 23:30. */
export const CLOCKS: string[] = Array.from({ length: 48 }, (_, i) => `${pad(Math.floor(i / 2))}:${i % 2 ? '30' : '00'}`);

export const WEEKDAYS: { value: number; label: string }[] = [1, 2, 3, 4, 5, 6, 7].map((value) => ({
  value,
  label: `周${WEEKDAY_NAMES[value % 7]}`,
}));

/** `1月21日 15:16` of an ISO instant from the function. */
export function dateTextOf(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const f = fields(ms);
  return `${f.m}月${f.d}日 ${clockOf(ms)}`;
}

/** `1月7日 周一 10:00–12:00` for a range the page built itself. */
export function rangeText(start: number, end: number): string {
  const f = fields(start);
  const endLabel =
    dateOf(end) === dateOf(start)
      ? clockOf(end)
      : clockOf(end) === '00:00' && end - start <= DAY_MS
        ? '24:00'
        : `次日 ${clockOf(end)}`;
  return `${f.m}月${f.d}日 周${WEEKDAY_NAMES[f.wd]} ${clockOf(start)}–${endLabel}`;
}

// ---------------------------------------------------------------------------------------------
// Plates: the same rules as cloudfunctions/parking/rules.ts (a test keeps them in step).

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const LETTER = 'A-HJ-NP-Z';
const ORDINARY = new RegExp(`^[${PROVINCES}][${LETTER}][${LETTER}0-9]{4}[${LETTER}0-9挂学警港澳]$`);
const NEW_ENERGY_SMALL = new RegExp(`^[${PROVINCES}][${LETTER}][DABCEFGHJK][${LETTER}0-9]\\d{4}$`);
const NEW_ENERGY_LARGE = new RegExp(`^[${PROVINCES}][${LETTER}]\\d{5}[DABCEFGHJK]$`);

export const normalizePlate = (raw: string): string => (raw || '').replace(/[\s·•.\-]/g, '').toUpperCase();

/** Why a plate would be refused; '' when it is fine. */
export function plateProblem(raw: string): string {
  const plate = normalizePlate(raw);
  if (!plate) return '请填写车牌号';
  if (ORDINARY.test(plate) || NEW_ENERGY_SMALL.test(plate) || NEW_ENERGY_LARGE.test(plate)) return '';
  if (!PROVINCES.includes(plate[0])) return '车牌号第一个字应是省份简称，例如 粤B12345 的“粤”';
  if (plate.length < 7) return '车牌号位数不够：普通车牌 7 位（如 粤B12345），新能源车牌 8 位（如 粤BD12345）';
  if (plate.length > 8) return '车牌号位数太多：普通车牌 7 位（如 粤B12345），新能源车牌 8 位（如 粤BD12345）';
  return '车牌号格式不对，请核对：普通车牌如 粤B12345，新能源车牌如 粤BD12345（字母 I 和 O 不会出现在车牌里）';
}

/** Where the last plate used for a booking is remembered on this phone. */
export const LAST_PLATE_KEY = 'parking.lastPlate';

export function lastPlate(): string {
  try {
    const value = wx.getStorageSync(LAST_PLATE_KEY);
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}

export function rememberPlate(plate: string): void {
  try {
    wx.setStorageSync(LAST_PLATE_KEY, plate);
  } catch {
    // Storage full or unavailable: the next booking just asks again.
  }
}

/** A fresh id for one booking attempt; a retry of the same attempt reuses it. */
export const newRequestId = (): string => `bk-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

// ---------------------------------------------------------------------------------------------
// Labels

export const BOOKING_STATUS_TEXT: Record<Exclude<BookingStatus, 'pending'>, string> = {
  booked: '已预约',
  checked_in: '已入场',
  completed: '已完成',
  cancelled: '已取消',
  no_show: '未按时入场',
};

export const SPOT_STATUS_TEXT: Record<SpotStatus, string> = {
  pending: '等待社区核实',
  verified: '已核实，可共享',
  rejected: '未通过核实',
};

export const PARKING_PAGES = {
  find: '/packages/parking/find/index',
  bookings: '/packages/parking/bookings/index',
  spots: '/packages/parking/spots/index',
  spot: (spotId: string) => `/packages/parking/spot/index?id=${spotId}`,
  verify: '/packages/parking/verify/index',
};
