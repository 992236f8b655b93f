// Plain-word formatting and page paths shared by the order pages: the 首页 menu and the 订单 tab
// (main package) and the pages of packages/orders. Lives in the main package so both can use it.
import type { Light, OrderSummary, Step } from '../services/orders';
import { addressText } from './format';

export const ORDER_PAGES = {
  tab: '/pages/orders/index',
  create: '/packages/orders/create/index',
  detail: '/packages/orders/detail/index',
  rate: '/packages/orders/rate/index',
  hall: '/packages/orders/hall/index',
  /** Built by the worker console (packages/worker). */
  workerBoard: '/packages/worker/board/index',
  workerDispatch: '/packages/worker/dispatch/index',
  workerReview: '/packages/worker/review/index',
} as const;

/** `/packages/orders/detail/index` + id → `…?id=o_1` (encoded). */
export const withId = (path: string, id: string): string => `${path}?id=${encodeURIComponent(id)}`;

export const LIGHT_TEXT: Record<Light, string> = { green: '正常', yellow: '即将超时', red: '已超时' };

const STEP_TEXT: Record<Step, string> = { dispatch: '派单', accept: '接单', serve: '服务', review: '评单' };

/** Fen → 免费 / 30元 / 12.50元. */
export function priceText(fen: number): string {
  if (!fen) return '免费';
  const yuan = fen / 100;
  return `${Number.isInteger(yuan) ? yuan : yuan.toFixed(2)}元`;
}

/** `派单时限：11月30日 21:50` — when the running step runs out; '' when no clock runs. */
export function deadlineText(o: Pick<OrderSummary, 'step' | 'redAt' | 'light'>): string {
  if (!o.light || !o.step || !o.redAt) return '';
  return `${STEP_TEXT[o.step]}时限：${shortDateTime(o.redAt)}`;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
const OFFSET_MS = 8 * 3600_000;

/**
 * 11月30日 21:50 on the community's clock (Asia/Shanghai, +08:00, whatever the phone's own zone),
 * with the year when it is not this year.
 */
export function shortDateTime(iso: string | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms + OFFSET_MS);
  const year = new Date(now.getTime() + OFFSET_MS).getUTCFullYear();
  const text = `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return d.getUTCFullYear() === year ? text : `${d.getUTCFullYear()}年${text}`;
}

/** What an order card in a list shows (the order id stays in the page's private state). */
export interface OrderRow {
  serviceName: string;
  status: OrderSummary['status'];
  statusLabel: string;
  light: Light | '';
  lightText: string;
  description: string;
  /** 赵秀兰 · 1栋 1**室 — who is served, as the function shows it to this viewer. */
  who: string;
  volunteer: string;
  time: string;
  priceText: string;
  /** The resident may rate it now (completed). */
  canRate: boolean;
  /** The viewer grabbed or accepted it from a list, or it went to someone else: the card reacts. */
  done: '' | 'accepted' | 'gone';
}

/** Description shortened for a card. */
export function excerpt(text: string, max = 60): string {
  const chars = Array.from(text || '');
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

export function rowOf(o: OrderSummary, viewerIsParty: boolean): OrderRow {
  return {
    serviceName: o.serviceName,
    status: o.status,
    statusLabel: o.statusLabel,
    light: o.light ?? '',
    lightText: o.light ? LIGHT_TEXT[o.light] : '',
    description: excerpt(o.description),
    who: [o.beneficiary.name, addressText(o.beneficiary.building, o.beneficiary.room)].filter(Boolean).join(' · '),
    volunteer: o.volunteer ? o.volunteer.name : '',
    time: shortDateTime(o.createdAt),
    priceText: priceText(o.price),
    canRate: viewerIsParty && o.status === 'completed',
    done: '',
  };
}

export const STAR_WORDS = ['', '很不满意', '不满意', '一般', '满意', '非常满意'];

/** 4 → ★★★★☆ 满意 */
export const starsText = (n: number): string => `${'★'.repeat(n)}${'☆'.repeat(Math.max(5 - n, 0))} ${STAR_WORDS[n] || ''}`.trim();

/** A fresh id for one order form; every submit of that form repeats it. */
export const newRequestId = (): string => `or-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
