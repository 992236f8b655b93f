// Order states, tiers, lights, steps and their Chinese labels: the one definition, read by the
// orders function (through cloudfunctions/orders/labels.ts) and by the mini-program's pages. Plain
// constants that import nothing and touch no platform global (tests/cloud/imports.test.ts), so
// both sides may import them at runtime. The answers carry the labels of a given order too
// (`statusLabel`, `tierLabel`, `actionLabel`, `resultLabel`); pages import these maps for what no
// answer carries: a light's and a step's words, and filter and picker options.

export const ORDER_STATUSES = [
  'pending',
  'dispatched',
  'open',
  'accepted',
  'in_service',
  'completed',
  'rated',
  'closed',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const STATUS_LABELS: Record<OrderStatus, string> = {
  pending: '待派单',
  dispatched: '已派单',
  open: '待接单',
  accepted: '已接单',
  in_service: '服务中',
  completed: '待评价',
  rated: '已评价',
  closed: '已办结',
  cancelled: '已取消',
};

export const TIERS = ['basic', 'value_added', 'discounted'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_LABELS: Record<Tier, string> = {
  basic: '基础服务',
  value_added: '增值服务',
  discounted: '特惠服务',
};

/**
 * Who serves an item's orders: party-member volunteers, or the property company's staff (物业人员,
 * docs/property.md). A menu item or order without the field is served by volunteers.
 */
export const SERVERS = ['volunteer', 'property'] as const;
export type Server = (typeof SERVERS)[number];

export const SERVER_LABELS: Record<Server, string> = { volunteer: '志愿者', property: '物业人员' };

export const LIGHTS = ['green', 'yellow', 'red'] as const;
export type Light = (typeof LIGHTS)[number];

export const LIGHT_LABELS: Record<Light, string> = { green: '正常', yellow: '即将超时', red: '已超时' };

/** The four step clocks of product.md §3. */
export const STEPS = ['dispatch', 'accept', 'serve', 'review'] as const;
export type Step = (typeof STEPS)[number];

export const STEP_LABELS: Record<Step, string> = {
  dispatch: '派单',
  accept: '接单',
  serve: '服务',
  review: '评单',
};

/** Transitions a viewer may be offered as buttons (`OrderDetail.allowedActions`). */
export const ORDER_ACTIONS = [
  'dispatch',
  'release',
  'accept',
  'decline',
  'start',
  'complete',
  'rate',
  'review',
  'followUp',
  'cancel',
] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** What the timeline records. */
export const TIMELINE_ACTIONS = [
  'create',
  'dispatch',
  'release',
  'accept',
  'grab',
  'decline',
  'timeout',
  'start',
  'complete',
  'rate',
  'pass',
  'rework',
  'followUp',
  'cancel',
  'autoClose',
] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

export const TIMELINE_LABELS: Record<TimelineAction, string> = {
  create: '下单',
  dispatch: '派单',
  release: '发布到接单大厅',
  accept: '接单',
  grab: '抢单',
  decline: '拒单',
  timeout: '接单超时，退回待派单',
  start: '开始服务',
  complete: '完成服务',
  rate: '评价',
  pass: '评单通过，已办结',
  rework: '评单：需返工',
  followUp: '回访',
  cancel: '取消',
  autoClose: '超过 7 天未评价，自动办结',
};

export const FOLLOW_UP_RESULTS = ['satisfied', 'unsatisfied', 'unreachable'] as const;
export type FollowUpResult = (typeof FOLLOW_UP_RESULTS)[number];

export const FOLLOW_UP_LABELS: Record<FollowUpResult, string> = {
  satisfied: '满意',
  unsatisfied: '不满意',
  unreachable: '未联系上',
};
