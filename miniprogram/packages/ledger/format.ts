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

/** `2030-Q2` → `2030年第2季度` */
export function quarterText(quarter: string): string {
  const [y, q] = quarter.split('-Q');
  return `${y}年第${q}季度`;
}

/** The quarter a month is in: `2030-05` → `2030-Q2`. */
export const quarterOf = (month: string): string => `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;

/**
 * Fen from what a person typed in 元 (`12`, `12.5`, `1,200.05`), by text, never by float
 * arithmetic; null for anything else (more than two decimals, zero, letters).
 */
export function fenOf(text: string): number | null {
  const clean = text.replace(/[,，\s¥]/g, '');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(clean);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : null;
}

/** `3月15日` from `2030-03-15`. */
export const dayText = (date: string): string => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** The ledger's pages. */
export const LEDGER_PAGES = {
  home: '/packages/ledger/home/index',
  statement: '/packages/ledger/statement/index',
  entry: '/packages/ledger/entry/index',
  projects: '/packages/ledger/projects/index',
  project: '/packages/ledger/project/index',
  record: '/packages/ledger/record/index',
  desk: '/packages/ledger/desk/index',
  accounts: '/packages/ledger/accounts/index',
} as const;

export const entryUrl = (id: string): string => `${LEDGER_PAGES.entry}?id=${encodeURIComponent(id)}`;
export const projectUrl = (id: string): string => `${LEDGER_PAGES.project}?id=${encodeURIComponent(id)}`;
