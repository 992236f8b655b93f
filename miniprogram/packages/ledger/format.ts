// Money and months as the ledger pages show them. Amounts arrive as integer fen.
import { dateText } from '../../shared/clock';

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `¥1,234.56`, `-¥5.00` */
export function yuanText(fen: number): string {
  const abs = Math.abs(fen);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${fen < 0 ? '-' : ''}¥${whole}.${pad(abs % 100)}`;
}

/** The community's current month: `2030-04`. */
export const thisMonth = (now: number = Date.now()): string => dateText(now).slice(0, 7);

export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + m - 1 + n;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** `2030年4月` */
export function monthText(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y}年${m}月`;
}
