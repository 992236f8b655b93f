// Plain-word formatting and page paths shared by the order pages: the 首页 menu and the 订单 tab
// (main package), the pages of packages/orders and the worker console (packages/worker). Lives in
// the main package so all of them can use it. Labels come from shared/order-labels (the functions'
// own), times from shared/clock through ./format.
import type { Light, OrderSummary } from '../services/orders';
import { LIGHT_LABELS, STEP_LABELS } from '../shared/order-labels';
import { addressText, shortDateTime } from './format';

export const ORDER_PAGES = {
  tab: '/pages/orders/index',
  create: '/packages/orders/create/index',
  detail: '/packages/orders/detail/index',
  rate: '/packages/orders/rate/index',
  hall: '/packages/orders/hall/index',
  /** 语音点单: a big button per service and a press-and-hold record button (elders). */
  voice: '/packages/orders/voice/index',
  /** Built by the worker console (packages/worker). */
  workerBoard: '/packages/worker/board/index',
  workerDispatch: '/packages/worker/dispatch/index',
  workerReview: '/packages/worker/review/index',
} as const;

/** `/packages/orders/detail/index` + id → `…?id=o_1` (encoded). */
export const withId = (path: string, id: string): string => `${path}?id=${encodeURIComponent(id)}`;

/** Fen → 免费 / 30元 / 12.50元. */
export function priceText(fen: number): string {
  if (!fen) return '免费';
  const yuan = fen / 100;
  return `${Number.isInteger(yuan) ? yuan : yuan.toFixed(2)}元`;
}

/** `派单时限：11月30日 21:50` — when the running step runs out; '' when no clock runs. */
export function deadlineText(o: Pick<OrderSummary, 'step' | 'redAt' | 'light'>): string {
  if (!o.light || !o.step || !o.redAt) return '';
  return `${STEP_LABELS[o.step]}时限：${shortDateTime(o.redAt)}`;
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

/** The status and light every order card and order header shows. */
export function statusFields(o: Pick<OrderSummary, 'status' | 'statusLabel' | 'light'>) {
  return {
    status: o.status,
    statusLabel: o.statusLabel,
    light: (o.light ?? '') as Light | '',
    lightText: o.light ? LIGHT_LABELS[o.light] : '',
  };
}

export function rowOf(o: OrderSummary, viewerIsParty: boolean): OrderRow {
  return {
    serviceName: o.serviceName,
    ...statusFields(o),
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

/** Tags that make a member an elder: 一键求助 and 语音点单 on the home page (orders/help.ts ELDER_TAGS). */
const ELDER_TAGS = ['独居老人', '高龄'];

/** Whether the home page offers an elder's tools (一键求助, 语音点单): tagged, or in elder mode (orders/help.ts). */
export const mayAskHelp = (tags: readonly string[] | undefined, elderMode = false): boolean =>
  elderMode || (tags ?? []).some((t) => ELDER_TAGS.includes(t));
