// Time for parking: half-hour slots on the community's clock. Every community is in Asia/Shanghai
// (UTC+08:00, no daylight saving), so a fixed offset is exact and no timezone database is needed.
// Instants travel as ISO 8601 with an offset; weekly windows (weekday + HH:mm) are read in +08:00.

export const TZ_OFFSET_MIN = 8 * 60;
const TZ_OFFSET_MS = TZ_OFFSET_MIN * 60_000;
export const MINUTE = 60_000;
export const SLOT_MIN = 30;
export const SLOT_MS = SLOT_MIN * MINUTE;
export const HOUR_MS = 60 * MINUTE;
export const DAY_MS = 24 * HOUR_MS;

/** `2030-01-07T10:00:00+08:00`, `…Z`, seconds and milliseconds optional; the offset is required. */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoWithOffset(text: string): boolean {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return false;
  const [, , mo, d, h, mi, s] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || (s !== undefined && +s > 59)) return false;
  return Number.isFinite(Date.parse(text));
}

/** `HH:mm` on the half hour, 00:00 … 23:30. */
export const HALF_HOUR_CLOCK = /^([01]\d|2[0-3]):(00|30)$/;

/** `YYYY-MM-DD`. */
export const DATE_TEXT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The wall-clock fields of an instant in +08:00. */
export function local(d: Date) {
  const t = new Date(d.getTime() + TZ_OFFSET_MS);
  const day = t.getUTCDay();
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
    /** ISO weekday: Monday 1 … Sunday 7. */
    weekday: day === 0 ? 7 : day,
  };
}

/** ISO 8601 in +08:00: `2030-01-07T10:00:00+08:00`. */
export function isoLocal(d: Date): string {
  const l = local(d);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:00+08:00`;
}

/** `2030-01-07` of an instant in +08:00. */
export function dateText(d: Date): string {
  const l = local(d);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}

/** `10:30` of an instant in +08:00. */
export function clockText(d: Date): string {
  const l = local(d);
  return `${pad(l.hour)}:${pad(l.minute)}`;
}

/** Compact key of a slot start for deterministic ids: `203001071030`. */
export function slotKey(d: Date): string {
  const l = local(d);
  return `${l.year}${pad(l.month)}${pad(l.day)}${pad(l.hour)}${pad(l.minute)}`;
}

/** Midnight (+08:00) of the local day of `d`. */
export function startOfDay(d: Date): Date {
  const t = d.getTime() + TZ_OFFSET_MS;
  return new Date(t - (((t % DAY_MS) + DAY_MS) % DAY_MS) - TZ_OFFSET_MS);
}

/** Midnight (+08:00) of a `YYYY-MM-DD` date. */
export function dayFromText(text: string): Date {
  return new Date(`${text}T00:00:00+08:00`);
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

export const addMinutes = (d: Date, minutes: number): Date => new Date(d.getTime() + minutes * MINUTE);

const WEEKDAY_NAMES = ['', '一', '二', '三', '四', '五', '六', '日'];

/** `周一`; ISO weekday 1 … 7. */
export const weekdayText = (weekday: number): string => `周${WEEKDAY_NAMES[weekday] ?? ''}`;

/** `1月7日 周一 10:00`. */
export function dateTimeLabel(d: Date): string {
  const l = local(d);
  return `${l.month}月${l.day}日 ${weekdayText(l.weekday)} ${clockText(d)}`;
}

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
  const l = local(end);
  return `${dateTimeLabel(start)}–${l.month}月${l.day}日 ${clockText(end)}`;
}
