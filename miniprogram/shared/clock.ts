// The community's clock, one module for the cloud functions and the mini-program alike. Every time
// a person reads or types is wall time in the community's zone, Asia/Shanghai: UTC+08:00 all year
// (no daylight saving since 1991), so a fixed offset is exact. Wall fields are read with the UTC
// getters of the shifted instant, never the phone's or the server's own zone: the same answer in
// Shanghai, in Vancouver and on a CloudBase server running in UTC.
//
// Why not dayjs (docs/conventions.md, "Time"): formatting in a zone other than the device's needs
// dayjs's utc/timezone plugins, and WeChat's 构建 npm packs only a package's main file, so
// `dayjs/plugin/utc` does not exist on the phone.

/** The community's zone and its offset from UTC. */
export const COMMUNITY_ZONE = 'Asia/Shanghai';
export const OFFSET_MINUTES = 8 * 60;
const OFFSET_MS = OFFSET_MINUTES * 60_000;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export type Instant = Date | number | string;

const msOf = (t: Instant): number => (t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t));

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: Monday 1 … Sunday 7. */
  weekday: number;
}

/** The wall-clock fields of an instant on the community's clock. */
export function wallTime(t: Instant): WallTime {
  const d = new Date(msOf(t) + OFFSET_MS);
  const day = d.getUTCDay();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: day === 0 ? 7 : day,
  };
}

/** `2030-01-07` */
export function dateText(t: Instant): string {
  const w = wallTime(t);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** `10:30` */
export function clockText(t: Instant): string {
  const w = wallTime(t);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** ISO 8601 with the community's offset: `2030-01-07T10:30:00+08:00`. */
export function isoText(t: Instant): string {
  const w = wallTime(t);
  return `${dateText(t)}T${clockText(t)}:${pad(w.second)}+08:00`;
}

/** The instant of a wall date (`YYYY-MM-DD`) and time (`HH:mm`, default midnight). */
export function instantOf(date: string, hm = '00:00'): Date {
  return new Date(`${date}T${hm}:00+08:00`);
}

/** Midnight of the instant's day on the community's clock. */
export function startOfDay(t: Instant): Date {
  const shifted = msOf(t) + OFFSET_MS;
  return new Date(shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS) - OFFSET_MS);
}

/** `11月30日 21:50`, with the year in front when it is not the year of `now`. */
export function shortDateTime(t: Instant, now: Instant = Date.now()): string {
  const w = wallTime(t);
  const text = `${w.month}月${w.day}日 ${pad(w.hour)}:${pad(w.minute)}`;
  return w.year === wallTime(now).year ? text : `${w.year}年${text}`;
}

/** `2024年5月3日 14:05`: the long form (subscribe messages' `time` keyword). */
export function longDateTime(t: Instant): string {
  const w = wallTime(t);
  return `${w.year}年${w.month}月${w.day}日 ${pad(w.hour)}:${pad(w.minute)}`;
}
