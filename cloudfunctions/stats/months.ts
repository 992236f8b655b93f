// Month arithmetic on `YYYY-MM` texts (the community's clock names the month; no Date involved).
import { instantOf } from '../../miniprogram/shared/clock';

export const monthIndex = (m: string): number => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
export const monthAt = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) out.push(monthAt(i));
  return out;
}

/** The instants the range covers: [start of `from`, start of the month after `to`). */
export function rangeOf(from: string, to: string): { start: Date; end: Date } {
  return { start: instantOf(`${from}-01`), end: instantOf(`${monthAt(monthIndex(to) + 1)}-01`) };
}
