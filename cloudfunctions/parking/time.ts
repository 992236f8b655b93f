// Time for parking: half-hour slots on the community's clock. Wall-time arithmetic (zone, wall
// fields, midnight, date and clock text) is the shared community clock's; what lives here is
// parking's own: the half-hour grid, the accepted input shapes, slot keys and the range labels.
import { DAY_MS, MINUTE_MS, clockText, dateText, isoText, startOfDay, wallTime } from '../../miniprogram/shared/clock';

export const SLOT_MS = 30 * MINUTE_MS;

export const HALF_HOUR_CLOCK = /^([01]\d|2[0-3]):(00|30)$/;

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * ISO 8601 on the community's clock, to the minute: parking's answers have always dropped the
 * seconds (check-in times, blocks), and the pages compare and show them at that precision.
 */
export const isoMinute = (d: Date): string => isoText(d.getTime() - (d.getTime() % MINUTE_MS));

/** Compact key of a slot start for deterministic ids: `203001071030`. */
export function slotKey(d: Date): string {
  const w = wallTime(d);
  return `${w.year}${pad(w.month)}${pad(w.day)}${pad(w.hour)}${pad(w.minute)}`;
}

/** Minutes after midnight of `HH:mm`. */
export function clockMinutes(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h * 60 + m;
}

export const isOnHalfHour = (d: Date): boolean => d.getTime() % SLOT_MS === 0;

/** The first half-hour boundary at or after `d`. */
export function ceilSlot(d: Date): Date {
  return new Date(Math.ceil(d.getTime() / SLOT_MS) * SLOT_MS);
}

/** Slot starts of [start, end), both on the half hour. */
export function slotsOf(start: Date, end: Date): Date[] {
  const out: Date[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += SLOT_MS) out.push(new Date(t));
  return out;
}

export const addMinutes = (d: Date, minutes: number): Date => new Date(d.getTime() + minutes * MINUTE_MS);

const WEEKDAY_NAMES = ['', '一', '二', '三', '四', '五', '六', '日'];

/** `周一`; ISO weekday 1 … 7. */
export const weekdayText = (weekday: number): string => `周${WEEKDAY_NAMES[weekday] ?? ''}`;

/** `1月7日 周一`. */
export function dayTitle(d: Date): string {
  const w = wallTime(d);
  return `${w.month}月${w.day}日 ${weekdayText(w.weekday)}`;
}

/** `1月7日 周一 10:00`. */
const dateTimeLabel = (d: Date): string => `${dayTitle(d)} ${clockText(d)}`;

/**
 * `1月7日 周一 10:00–12:00`, or with the end's date when the range ends on a later day
 * (`1月7日 周一 20:00–1月8日 08:00`); an end at midnight reads `24:00`.
 */
export function rangeLabel(start: Date, end: Date): string {
  const sameDay = dateText(start) === dateText(end);
  const endsAtMidnight =
    end.getTime() - start.getTime() <= DAY_MS &&
    end.getTime() === startOfDay(end).getTime() &&
    dateText(new Date(end.getTime() - 1)) === dateText(start);
  if (sameDay) return `${dateTimeLabel(start)}–${clockText(end)}`;
  if (endsAtMidnight) return `${dateTimeLabel(start)}–24:00`;
  const w = wallTime(end);
  return `${dateTimeLabel(start)}–${w.month}月${w.day}日 ${clockText(end)}`;
}

/** Clips [start, end) to a day and labels it `10:00–12:00` (`24:00` at the day's end). */
export function clipToDay(start: Date, end: Date, day: Date): { start: Date; end: Date; label: string } {
  const dayEnd = new Date(day.getTime() + DAY_MS);
  const s = start < day ? day : start;
  const e = end > dayEnd ? dayEnd : end;
  return { start: s, end: e, label: `${clockText(s)}–${e.getTime() === dayEnd.getTime() ? '24:00' : clockText(e)}` };
}
