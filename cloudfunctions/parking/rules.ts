// Pure rules of shared parking: plates, windows and their occurrences, strikes and blocks,
// bookable ranges.
// No database here, so every edge can be tested on its own.
import { AppError } from '../common/errors';
import { DAY_MS, MINUTE_MS, instantOf, startOfDay, wallTime } from '../../miniprogram/shared/clock';
import { addMinutes, clockMinutes, isOnHalfHour } from './time';

// ---------------------------------------------------------------------------------------------
// Licence plates (mainland China)

const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const LETTER = 'A-HJ-NP-Z'; // I and O are never used on plates
/** 粤B12345, 京A1234学 …: province, issuing letter, five characters (the last may be 挂学警港澳). */
const ORDINARY = new RegExp(`^[${PROVINCES}][${LETTER}][${LETTER}0-9]{4}[${LETTER}0-9挂学警港澳]$`);
/** New-energy small car, 8 characters: 粤BD12345, 沪AF1A234 (D/A/B/C/E pure electric, F/G/H/J/K other). */
const NEW_ENERGY_SMALL = new RegExp(`^[${PROVINCES}][${LETTER}][DABCEFGHJK][${LETTER}0-9]\\d{4}$`);
/** New-energy large vehicle, 8 characters: 粤B12345D. */
const NEW_ENERGY_LARGE = new RegExp(`^[${PROVINCES}][${LETTER}]\\d{5}[DABCEFGHJK]$`);

/** Upper-case, without spaces and the separator dot people type: `粤b·12345` → `粤B12345`. */
/**
 * Spot codes one way: full-width characters folded (NFKC), upper case, every run of spaces and
 * separators (- _ · . / \ — –) one hyphen, none at either end — `b2 - 088`, `B2 088`, `Ｂ２－０８８`
 * are all `B2-088`. No hyphen is added where none was written: `B2088` stays `B2088` (it cannot
 * be told whether that is B2-088 or B20-88).
 */
export const normalizeSpotCode = (raw: string): string =>
  raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_·•./\\—–]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** A normalised spot code: groups of letters, digits or Chinese joined by single hyphens, 1–20 long. */
export const isSpotCode = (code: string): boolean =>
  code.length <= 20 && /^[0-9A-Z\u4e00-\u9fa5]+(-[0-9A-Z\u4e00-\u9fa5]+)*$/.test(code);

export const normalizePlate = (raw: string): string => raw.replace(/[\s·•.\-]/g, '').toUpperCase();

export const isPlate = (plate: string): boolean =>
  ORDINARY.test(plate) || NEW_ENERGY_SMALL.test(plate) || NEW_ENERGY_LARGE.test(plate);

/** Why a plate is refused, in words a driver understands; '' when it is fine. */
export function plateProblem(raw: string): string {
  const plate = normalizePlate(raw);
  if (!plate) return '请填写车牌号';
  if (isPlate(plate)) return '';
  if (!PROVINCES.includes(plate[0])) return '车牌号第一个字应是省份简称，例如 粤B12345 的“粤”';
  if (plate.length < 7) return '车牌号位数不够：普通车牌 7 位（如 粤B12345），新能源车牌 8 位（如 粤BD12345）';
  if (plate.length > 8) return '车牌号位数太多：普通车牌 7 位（如 粤B12345），新能源车牌 8 位（如 粤BD12345）';
  return '车牌号格式不对，请核对：普通车牌如 粤B12345，新能源车牌如 粤BD12345（字母 I 和 O 不会出现在车牌里）';
}

// ---------------------------------------------------------------------------------------------
// Availability windows

export interface OnceWindow {
  id: string;
  kind: 'once';
  start: Date;
  end: Date;
  /**
   * Set while a removal checks for bookings: no new booking may rely on the window meanwhile.
   * A removal finishes within a function's timeout, so an older mark (a crashed removal) is void.
   */
  closingSince?: Date;
}

export interface WeeklyWindow {
  id: string;
  kind: 'weekly';
  /** ISO weekdays, Monday 1 … Sunday 7, of the day each occurrence starts. */
  weekdays: number[];
  /** `HH:mm` on the half hour, in +08:00. */
  from: string;
  /** `HH:mm`; at or before `from` means the next day (an overnight window); equal means 24 h. */
  to: string;
  closingSince?: Date;
}

export type Window = OnceWindow | WeeklyWindow;

export interface Occurrence {
  windowId: string;
  start: Date;
  end: Date;
}

/** Length of a weekly window's occurrence in minutes (1 … 1440). */
export function weeklyMinutes(w: Pick<WeeklyWindow, 'from' | 'to'>): number {
  const diff = (clockMinutes(w.to) - clockMinutes(w.from) + 1440) % 1440;
  return diff === 0 ? 1440 : diff;
}

/** The occurrences of a window that intersect [from, to). */
export function occurrences(w: Window, from: Date, to: Date): Occurrence[] {
  if (w.kind === 'once') {
    const start = new Date(w.start);
    const end = new Date(w.end);
    return start < to && end > from ? [{ windowId: w.id, start, end }] : [];
  }
  const out: Occurrence[] = [];
  const minutes = weeklyMinutes(w);
  const offset = clockMinutes(w.from);
  // An occurrence is at most 24 h long, so one starting the day before `from` may still reach it.
  for (let day = startOfDay(from).getTime() - DAY_MS; day < to.getTime(); day += DAY_MS) {
    const dayStart = new Date(day);
    if (!w.weekdays.includes(wallTime(dayStart).weekday)) continue;
    const start = addMinutes(dayStart, offset);
    const end = addMinutes(start, minutes);
    if (start < to && end > from) out.push({ windowId: w.id, start, end });
  }
  return out;
}

/** How long a removal's mark keeps a window closed; far beyond a function's timeout. */
export const CLOSING_MS = 60_000;

export const isClosing = (w: Window, now: Date): boolean =>
  !!w.closingSince && now.getTime() - new Date(w.closingSince).getTime() < CLOSING_MS;

/** The open window whose one occurrence holds the whole of [start, end), if any. */
export function coveringWindow(windows: readonly Window[], start: Date, end: Date, now: Date): Occurrence | undefined {
  for (const w of windows) {
    if (isClosing(w, now)) continue;
    const hit = occurrences(w, start, end).find((o) => o.start <= start && end <= o.end);
    if (hit) return hit;
  }
  return undefined;
}

/** Whether two windows share any time (touching is not sharing). */
export function windowsOverlap(a: Window, b: Window): boolean {
  let from: Date;
  let to: Date;
  if (a.kind === 'once' || b.kind === 'once') {
    const once = (a.kind === 'once' ? a : b) as OnceWindow;
    from = new Date(new Date(once.start).getTime() - DAY_MS);
    to = new Date(new Date(once.end).getTime() + DAY_MS);
  } else {
    // Two weekly windows repeat every week: one fortnight shows every way they can meet.
    from = instantOf('2024-01-01'); // a Monday
    to = new Date(from.getTime() + 15 * DAY_MS);
  }
  const xs = occurrences(a, from, to);
  const ys = occurrences(b, from, to);
  return xs.some((x) => ys.some((y) => x.start < y.end && y.start < x.end));
}

/** A window that can no longer be used: a one-off window that has ended. */
export const isExpired = (w: Window, now: Date): boolean => w.kind === 'once' && new Date(w.end) <= now;

// ---------------------------------------------------------------------------------------------
// Strikes (no-shows and overstays) and blocks

export const STRIKE_WINDOW_DAYS = 30;
export const STRIKES_TO_BLOCK = 3;
export const BLOCK_DAYS = 14;

/**
 * Until when a member may not book, from the times of their strikes: three strikes within 30
 * days block booking for 14 days from the third. Undefined when not blocked at `now`.
 */
export function blockedUntil(strikeTimes: readonly Date[], now: Date): Date | undefined {
  const times = strikeTimes.map((t) => new Date(t).getTime()).sort((x, y) => x - y);
  let until = 0;
  for (let i = STRIKES_TO_BLOCK - 1; i < times.length; i++) {
    if (times[i] - times[i - STRIKES_TO_BLOCK + 1] <= STRIKE_WINDOW_DAYS * DAY_MS) {
      until = Math.max(until, times[i] + BLOCK_DAYS * DAY_MS);
    }
  }
  return until > now.getTime() ? new Date(until) : undefined;
}

/** Strikes within the last 30 days. */
export const recentStrikes = (strikeTimes: readonly Date[], now: Date): number =>
  strikeTimes.filter((t) => now.getTime() - new Date(t).getTime() <= STRIKE_WINDOW_DAYS * DAY_MS).length;

/** How far back strikes can matter for a block that is still running. */
export const STRIKE_LOOKBACK_MS = (STRIKE_WINDOW_DAYS + BLOCK_DAYS) * DAY_MS;

/** `2030年1月21日` for messages about a block's end. */
export function dayLabel(d: Date): string {
  const w = wallTime(d);
  return `${w.year}年${w.month}月${w.day}日`;
}

// ---------------------------------------------------------------------------------------------
// Bookable ranges

/** Bookings reach this far ahead. */
export const BOOKING_HORIZON_DAYS = 30;

export const invalid = (message: string): AppError => new AppError('E_VALIDATION', message);

function hoursText(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} 小时` : `${(minutes / 60).toFixed(1)} 小时`;
}

/** A bookable range: half hours, forward, not past, not too long, not too far ahead. */
export function checkRange(start: Date, end: Date, now: Date, maxMinutes: number): void {
  if (!isOnHalfHour(start) || !isOnHalfHour(end)) throw invalid('时间需按半小时选择，例如 10:00 或 10:30');
  if (end <= start) throw invalid('结束时间需晚于开始时间');
  if (start < now) throw invalid('开始时间已经过去，请选择现在之后的时间');
  if (end.getTime() - start.getTime() > maxMinutes * MINUTE_MS)
    throw invalid(`每次最多预约 ${hoursText(maxMinutes)}，请缩短时间`);
  if (start.getTime() > now.getTime() + BOOKING_HORIZON_DAYS * DAY_MS)
    throw invalid(`只能预约 ${BOOKING_HORIZON_DAYS} 天以内的车位`);
}
