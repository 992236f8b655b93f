// Month arithmetic on the community's clock (miniprogram/shared/clock.ts): a month is `YYYY-MM` of
// the community's wall time, never the server's zone. Texts of this shape sort as they follow.
import { dateText } from '../../miniprogram/shared/clock';

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The community's month of an instant: `2026-03`. */
export const monthOf = (t: Date): string => dateText(t).slice(0, 7);

/** The month of a `YYYY-MM-DD` day. */
export const monthOfDate = (date: string): string => date.slice(0, 7);

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** The first and last month of `2026-Q2`. */
export function quarterMonths(quarter: string): { from: string; to: string } {
  const [y, q] = quarter.split('-Q').map(Number);
  const first = (q - 1) * 3 + 1;
  return { from: `${y}-${pad(first)}`, to: `${y}-${pad(first + 2)}` };
}

/** `2026年3月` */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y}年${m}月`;
}

/** A quarter's last month closes the quarter: `2026-03` → `2026-Q1`, else undefined. */
export function quarterEndingIn(month: string): string | undefined {
  const [y, m] = month.split('-').map(Number);
  return m % 3 === 0 ? `${y}-Q${m / 3}` : undefined;
}

/** `¥1,234.56` from fen. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${whole}.${pad(abs % 100)}`;
}
