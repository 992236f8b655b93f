// Labels, paths and card rows shared by the worker console's order pages (board, dispatch,
// review, service menu). The mini-program cannot import cloudfunctions/ at runtime, so the few
// label maps it needs are repeated here, typed against the contract so they cannot drift.
import type { FollowUpResult, Light, OrderStatus, OrderSummary, Tier } from '../../services/orders';
import { addressText } from '../../utils/format';
import { LIGHT_TEXT, deadlineText, excerpt, priceText, shortDateTime, withId } from '../../utils/orders';

// Times on the community's clock (+08:00), prices, lights and deadlines read the same as on the
// resident's and volunteer's pages: one formatting module in the main package.
export { LIGHT_TEXT, deadlineText, excerpt, priceText, shortDateTime, withId };

export const CONSOLE_PAGES = {
  board: '/packages/worker/board/index',
  dispatch: '/packages/worker/dispatch/index',
  review: '/packages/worker/review/index',
  services: '/packages/worker/services/index',
  /** The order detail page (packages/orders). */
  detail: '/packages/orders/detail/index',
} as const;

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

/** Follow-up (回访) results in the order the worker is asked. */
export const FOLLOW_UP_OPTIONS: { value: FollowUpResult; label: string }[] = [
  { value: 'satisfied', label: '满意' },
  { value: 'unsatisfied', label: '不满意' },
  { value: 'unreachable', label: '未联系上' },
];

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
    description: excerpt(o.description, 40),
    volunteer: o.volunteer ? o.volunteer.name : '',
    created: shortDateTime(o.createdAt),
    needsFollowUp: o.needsFollowUp,
    canDispatch: o.status === 'pending' || o.status === 'open',
    canReview: o.status === 'rated' || o.needsFollowUp,
  };
}
