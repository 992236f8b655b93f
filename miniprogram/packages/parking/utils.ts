// Shared by the parking pages: half-hour pickers built on the community's clock (shared/clock.ts:
// Asia/Shanghai whatever the phone's own zone), plate checks that mirror the function's, and labels.
import type { BookingStatus, SpotStatus } from '../../services/parking';
import { DAY_MS, HOUR_MS, MINUTE_MS, clockText, dateText, instantOf, isoText, wallTime } from '../../shared/clock';

const SLOT_MS = 30 * MINUTE_MS;
const WEEKDAY_NAMES = ['日', '一', '二', '三', '四', '五', '六'];

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** ISO 8601 with +08:00, as the function expects: `2030-01-07T10:30:00+08:00`. */
export const isoOf = (ms: number): string => isoText(ms);

export interface DayOption {
  date: string;
  /** `今天`, `明天`, `周三`. */
  name: string;
  /** `1月9日`. */
  day: string;
}

/** The next `count` days from today on the community's clock. */
export function dayOptions(now: number, count = 7): DayOption[] {
  const out: DayOption[] = [];
  for (let i = 0; i < count; i++) {
    const w = wallTime(now + i * DAY_MS);
    out.push({
      date: dateText(now + i * DAY_MS),
      name: i === 0 ? '今天' : i === 1 ? '明天' : `周${WEEKDAY_NAMES[w.weekday % 7]}`,
      day: `${w.month}月${w.day}日`,
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
  const dayStart = instantOf(date).getTime();
  const out: TimeOption[] = [];
  for (let at = dayStart; at < dayStart + DAY_MS; at += SLOT_MS) if (at >= now) out.push({ at, label: clockText(at) });
  return out;
}

/** Ends from half an hour after `start` to `maxHours` after it; `次日` marks the next day. */
export function endOptions(start: number, maxHours = 12): TimeOption[] {
  const out: TimeOption[] = [];
  const startDate = dateText(start);
  for (let at = start + SLOT_MS; at <= start + maxHours * HOUR_MS; at += SLOT_MS) {
    const clock = clockText(at);
    out.push({ at, label: dateText(at) === startDate ? clock : clock === '00:00' ? '24:00' : `次日 ${clock}` });
  }
  return out;
}

/** Every half hour of a day as `HH:mm`, for windows: 00:00 … 23:30. */
export const CLOCKS: string[] = Array.from({ length: 48 }, (_, i) => `${pad(Math.floor(i / 2))}:${i % 2 ? '30' : '00'}`);

export const WEEKDAYS: { value: number; label: string }[] = [1, 2, 3, 4, 5, 6, 7].map((value) => ({
  value,
  label: `周${WEEKDAY_NAMES[value % 7]}`,
}));

/** `1月7日 周一 10:00–12:00` for a range the page built itself. */
export function rangeText(start: number, end: number): string {
  const w = wallTime(start);
  const endLabel =
    dateText(end) === dateText(start)
      ? clockText(end)
      : clockText(end) === '00:00' && end - start <= DAY_MS
        ? '24:00'
        : `次日 ${clockText(end)}`;
  return `${w.month}月${w.day}日 周${WEEKDAY_NAMES[w.weekday % 7]} ${clockText(start)}–${endLabel}`;
}

/**
 * Splits a label ending in a time range (`1月7日 周一 10:00–12:00`, `每周日 22:00–次日 06:00`) so the
 * page can keep the range on one line (`.nowrap`) while the words before it may wrap. A label
 * without a range (`每周六 全天`) is all head.
 */
export function splitRange(label: string): { head: string; range: string } {
  const m = /^(.*?)(\d{2}:\d{2}–(?:次日 )?\d{2}:\d{2})$/.exec(label);
  return m ? { head: m[1], range: m[2] } : { head: label, range: '' };
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
