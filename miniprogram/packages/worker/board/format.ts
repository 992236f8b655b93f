// Labels, paths and card rows shared by the worker console's order pages (board, dispatch,
// review, service menu). The mini-program cannot import cloudfunctions/ at runtime, so the few
// label maps it needs are repeated here, typed against the contract so they cannot drift.
import type { FollowUpResult, Light, OrderStatus, OrderSummary, Tier } from '../../../services/orders';
import { addressText } from '../../../utils/format';

export const CONSOLE_PAGES = {
  board: '/packages/worker/board/index',
  dispatch: '/packages/worker/dispatch/index',
  review: '/packages/worker/review/index',
  services: '/packages/worker/services/index',
  /** The order detail page (packages/orders). */
  detail: '/packages/orders/detail/index',
} as const;

/** `/packages/worker/dispatch/index` + id → `…?id=o_1` (encoded). */
export const withId = (path: string, id: string): string => `${path}?id=${encodeURIComponent(id)}`;

/** Board filters by status, in the order a worker thinks of the loop. */
export const STATUS_FILTERS: { value: OrderStatus | ''; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'pending', label: '待派单' },
  { value: 'open', label: '待接单' },
  { value: 'dispatched', label: '已派单' },
  { value: 'accepted', label: '已接单' },
  { value: 'in_service', label: '服务中' },
  { value: 'completed', label: '待评价' },
  { value: 'rated', label: '已评价' },
  { value: 'closed', label: '已办结' },
  { value: 'cancelled', label: '已取消' },
];

export const LIGHT_TEXT: Record<Light, string> = { green: '正常', yellow: '即将超时', red: '已超时' };

export const LIGHT_FILTERS: { value: Light | ''; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'red', label: '红灯·已超时' },
  { value: 'yellow', label: '黄灯·即将超时' },
  { value: 'green', label: '绿灯·正常' },
];

export const TIER_TEXT: Record<Tier, string> = { basic: '基础服务', value_added: '增值服务', discounted: '特惠服务' };

export const TIER_FILTERS: { value: Tier | ''; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'basic', label: TIER_TEXT.basic },
  { value: 'value_added', label: TIER_TEXT.value_added },
  { value: 'discounted', label: TIER_TEXT.discounted },
];

const STEP_TEXT: Record<NonNullable<OrderSummary['step']>, string> = {
  dispatch: '派单',
  accept: '接单',
  serve: '服务',
  review: '评单',
};

/** Follow-up (回访) results in the order the worker is asked. */
export const FOLLOW_UP_OPTIONS: { value: FollowUpResult; label: string }[] = [
  { value: 'satisfied', label: '满意' },
  { value: 'unsatisfied', label: '不满意' },
  { value: 'unreachable', label: '未联系上' },
];

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** 11月30日 21:50 (this year), else with the year. */
export function shortDateTime(iso: string | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const day = `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.getFullYear() === now.getFullYear() ? day : `${d.getFullYear()}年${day}`;
}

/** `派单时限 11月30日 21:50` for the running step; '' when no clock runs. */
export function deadlineText(o: Pick<OrderSummary, 'step' | 'redAt' | 'light'>): string {
  if (!o.light || !o.step || !o.redAt) return '';
  return `${STEP_TEXT[o.step]}时限 ${shortDateTime(o.redAt)}`;
}

/** Fen → 免费 / 30元 / 12.50元. */
export function priceText(fen: number): string {
  if (!fen) return '免费';
  const yuan = fen / 100;
  return `${Number.isInteger(yuan) ? yuan : yuan.toFixed(2)}元`;
}

/** Description shortened for a card. */
export function excerpt(text: string, max = 40): string {
  const chars = Array.from(text || '');
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

/** 赵秀兰 · 1栋 102室 */
export const personText = (p: { name: string; building?: string; room?: string }): string =>
  [p.name, addressText(p.building, p.room)].filter(Boolean).join(' · ');

/** What a board card shows; the order id stays in the page's private state. */
export interface BoardRow {
  serviceName: string;
  tierLabel: string;
  status: OrderStatus;
  statusLabel: string;
  light: Light | '';
  lightText: string;
  deadline: string;
  who: string;
  building: string;
  description: string;
  volunteer: string;
  created: string;
  needsFollowUp: boolean;
  /** Quick buttons on the card. */
  canDispatch: boolean;
  canReview: boolean;
}

export function boardRowOf(o: OrderSummary): BoardRow {
  return {
    serviceName: o.serviceName,
    tierLabel: o.tierLabel,
    status: o.status,
    statusLabel: o.statusLabel,
    light: o.light ?? '',
    lightText: o.light ? LIGHT_TEXT[o.light] : '',
    deadline: deadlineText(o),
    who: personText(o.beneficiary),
    building: o.beneficiary.building ?? '',
    description: excerpt(o.description),
    volunteer: o.volunteer ? o.volunteer.name : '',
    created: shortDateTime(o.createdAt),
    needsFollowUp: o.needsFollowUp,
    canDispatch: o.status === 'pending' || o.status === 'open',
    canReview: o.status === 'rated' || o.needsFollowUp,
  };
}
