// Filters, paths and card rows shared by the worker console's order pages (board, dispatch,
// review, service menu); only the worker subpackage uses them, so they live in it. Labels are the
// functions' own (shared/order-labels), times on the community's clock (utils/format → shared/clock).
import type { FollowUpResult, Light, OrderStatus, OrderSummary, Tier } from '../../services/orders';
import { FOLLOW_UP_LABELS, LIGHT_LABELS, STATUS_LABELS, TIER_LABELS } from '../../shared/order-labels';
import { addressText, shortDateTime } from '../../utils/format';
import { deadlineText, excerpt, statusFields } from '../../utils/orders';

export const CONSOLE_PAGES = {
  board: '/packages/worker/board/index',
  dispatch: '/packages/worker/dispatch/index',
  review: '/packages/worker/review/index',
  services: '/packages/worker/services/index',
  /** The order detail page (packages/orders). */
  detail: '/packages/orders/detail/index',
} as const;

/** Board filters by status, in the order a worker thinks of the loop. */
const FILTER_ORDER: OrderStatus[] = [
  'pending',
  'open',
  'dispatched',
  'accepted',
  'in_service',
  'completed',
  'rated',
  'closed',
  'cancelled',
];
export const STATUS_FILTERS: { value: OrderStatus | ''; label: string }[] = [
  { value: '', label: '全部' },
  ...FILTER_ORDER.map((value) => ({ value, label: STATUS_LABELS[value] })),
];

export const LIGHT_FILTERS: { value: Light | ''; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'red', label: `红灯·${LIGHT_LABELS.red}` },
  { value: 'yellow', label: `黄灯·${LIGHT_LABELS.yellow}` },
  { value: 'green', label: `绿灯·${LIGHT_LABELS.green}` },
];

export const TIER_FILTERS: { value: Tier | ''; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'basic', label: TIER_LABELS.basic },
  { value: 'value_added', label: TIER_LABELS.value_added },
  { value: 'discounted', label: TIER_LABELS.discounted },
];

/** Follow-up (回访) results in the order the worker is asked. */
export const FOLLOW_UP_OPTIONS: { value: FollowUpResult; label: string }[] = (
  ['satisfied', 'unsatisfied', 'unreachable'] as const
).map((value) => ({ value, label: FOLLOW_UP_LABELS[value] }));

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
  /** 志愿者 or 物业人员: who serves the order. */
  serverLabel: string;
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
    ...statusFields(o),
    deadline: deadlineText(o),
    who: personText(o.beneficiary),
    building: o.beneficiary.building ?? '',
    description: excerpt(o.description, 40),
    volunteer: o.volunteer ? o.volunteer.name : '',
    serverLabel: o.serverLabel,
    created: shortDateTime(o.createdAt),
    needsFollowUp: o.needsFollowUp,
    canDispatch: o.status === 'pending' || o.status === 'open',
    canReview: o.status === 'rated' || o.needsFollowUp,
  };
}
