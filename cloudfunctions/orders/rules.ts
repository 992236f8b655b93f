// Who may do what to an order, and from which states. One table serves the handlers (which
// answer E_NOT_FOUND / E_FORBIDDEN / E_CONFLICT from it) and `allowedActions` (the buttons a page shows), so
// the two can never disagree. Also who may order which service, and which ratings get a call.
import { createHash } from 'crypto';
import type { MemberDoc } from '../common/model';
import type { MemberCtx } from '../common/router';
import { STATUS_LABELS, type OrderAction, type OrderStatus, ORDER_ACTIONS } from './labels';
import type { OrderDoc, ServiceDoc } from './model';

export interface Viewer {
  openid: string;
  isWorker: boolean;
  isVolunteer: boolean;
  onDuty: boolean;
  /** 亲情代办: the elder whose orders a linked relative acts on (docs/family.md); never set for members. */
  familyOf?: string;
  /** Staff of the property company (物业人员): they serve the `property` orders, always on duty. */
  isStaff?: boolean;
}

/** The caller as the rules see them: a volunteer counts as on duty only while holding the role. */
export function viewerOf(ctx: MemberCtx): Viewer {
  const family = (ctx as MemberCtx & { family?: { elderOpenid: string } }).family;
  if (family) return { openid: ctx.openid, isWorker: false, isVolunteer: false, onDuty: false, familyOf: family.elderOpenid };
  const isVolunteer = ctx.member.roles.includes('volunteer');
  return {
    openid: ctx.openid,
    isWorker: ctx.member.roles.includes('worker'),
    isVolunteer,
    onDuty: isVolunteer && ctx.member.onDuty === true,
    isStaff: ctx.member.roles.includes('property'),
  };
}

/** Whether the viewer is of the kind that serves this order: property staff or volunteers. */
export function serves(order: Pick<OrderDoc, 'servedBy'>, viewer: Viewer): boolean {
  return order.servedBy === 'property' ? viewer.isStaff === true : viewer.isVolunteer;
}

/** Whether the viewer may take the order from the hall now: staff always, volunteers on duty. */
const mayGrab = (order: OrderDoc, viewer: Viewer): boolean =>
  order.servedBy === 'property' ? viewer.isStaff === true : viewer.onDuty;

type Relation = 'worker' | 'party' | 'assignee' | 'volunteer' | 'family';

interface Rule {
  /** The caller must stand in one of these relations to the order. */
  who: readonly Relation[];
  /** The states the transition leaves from, per relation when they differ. */
  from: (order: OrderDoc, viewer: Viewer) => readonly OrderStatus[];
  /** Chinese name of the transition for messages. */
  label: string;
}

const BEFORE_ACCEPT: readonly OrderStatus[] = ['pending', 'dispatched', 'open'];
const BEFORE_SERVICE: readonly OrderStatus[] = ['pending', 'dispatched', 'open', 'accepted'];

export const RULES: Record<OrderAction, Rule> = {
  dispatch: { who: ['worker'], from: () => ['pending', 'open'], label: '派单' },
  release: { who: ['worker'], from: () => ['pending'], label: '发布到接单大厅' },
  accept: {
    who: ['assignee', 'volunteer'],
    // The assigned volunteer accepts a dispatched order; any volunteer on duty grabs an open one.
    from: (order, viewer) => {
      const out: OrderStatus[] = [];
      if (order.volunteerOpenid === viewer.openid) out.push('dispatched');
      if (mayGrab(order, viewer) && !order.parties.includes(viewer.openid)) out.push('open');
      return out;
    },
    label: '接单',
  },
  decline: { who: ['assignee'], from: () => ['dispatched', 'accepted'], label: '拒单' },
  start: { who: ['assignee'], from: () => ['accepted'], label: '开始服务' },
  complete: { who: ['assignee'], from: () => ['in_service'], label: '完成服务' },
  rate: { who: ['party', 'family'], from: () => ['completed'], label: '评价' },
  review: { who: ['worker'], from: () => ['rated'], label: '评单' },
  followUp: {
    who: ['worker'],
    from: (order) => (order.followUpPending ? ['rated', 'closed'] : []),
    label: '回访',
  },
  cancel: {
    who: ['party', 'worker', 'family'],
    // A relative (亲情代办) cancels only an order they placed, while it is still waiting for dispatch.
    from: (order, viewer) =>
      viewer.isWorker
        ? BEFORE_SERVICE
        : order.parties.includes(viewer.openid)
          ? BEFORE_ACCEPT
          : viewer.familyOf && order.orderedBy === viewer.openid
            ? ['pending']
            : [],
    label: '取消订单',
  },
};

export function relations(order: OrderDoc, viewer: Viewer): Set<Relation> {
  const out = new Set<Relation>();
  if (viewer.isWorker) out.add('worker');
  if (order.parties.includes(viewer.openid)) out.add('party');
  if (serves(order, viewer) && order.volunteerOpenid === viewer.openid) out.add('assignee');
  if (serves(order, viewer)) out.add('volunteer');
  if (viewer.familyOf !== undefined && order.forOpenid === viewer.familyOf) out.add('family');
  return out;
}

export function mayAct(action: OrderAction, order: OrderDoc, viewer: Viewer): boolean {
  const rule = RULES[action];
  const rel = relations(order, viewer);
  return rule.who.some((r) => rel.has(r)) && rule.from(order, viewer).includes(order.status);
}

/** Exactly the transitions this viewer may perform on the order now. */
export function allowedActions(order: OrderDoc, viewer: Viewer): OrderAction[] {
  return ORDER_ACTIONS.filter((a) => mayAct(a, order, viewer));
}

export type Refusal = { code: 'E_NOT_FOUND' | 'E_FORBIDDEN' | 'E_CONFLICT'; message: string };

/** What a missing order answers; an order the caller may not see answers exactly the same. */
export const ORDER_MISSING = '订单不存在或已被删除';

/**
 * Whether the order exists for this viewer: they may open it (canSee), or they are a volunteer
 * who was on it (passed over) or may have seen it in the hall (it was released). A volunteer late
 * to grab is told the order moved on (E_CONFLICT), not that it never was.
 */
export function knows(order: OrderDoc, viewer: Viewer): boolean {
  if (canSee(order, viewer)) return true;
  if (!serves(order, viewer)) return false;
  return order.passedOver.some((p) => p.openid === viewer.openid) || order.timeline.some((t) => t.action === 'release');
}

/**
 * Why the viewer may not perform the action now, or null when they may. An order they may not
 * see is E_NOT_FOUND, as a missing one (docs/conventions.md, existence). Not standing in the
 * needed relation is E_FORBIDDEN (except for a volunteer the order was taken away from: for them
 * the state moved on, E_CONFLICT); the wrong state is E_CONFLICT.
 */
export function refusal(action: OrderAction, order: OrderDoc, viewer: Viewer): Refusal | null {
  const rule = RULES[action];
  const rel = relations(order, viewer);
  const current = STATUS_LABELS[order.status];
  if (!knows(order, viewer)) return { code: 'E_NOT_FOUND', message: ORDER_MISSING };
  if (!rule.who.some((r) => rel.has(r))) {
    // A volunteer's step on an order that has no volunteer now (never had one, or it was taken
    // back from them) does not fit the state; on someone else's order it is not theirs to take.
    if (rule.who.includes('assignee') && serves(order, viewer) && !order.volunteerOpenid) {
      return { code: 'E_CONFLICT', message: `订单当前为「${current}」，不能${rule.label}，请刷新后查看` };
    }
    if (rule.who.includes('assignee') && order.passedOver.some((p) => p.openid === viewer.openid)) {
      return { code: 'E_CONFLICT', message: `该订单已不由您负责（当前：${current}），请刷新` };
    }
    return { code: 'E_FORBIDDEN', message: forbiddenMessage(action) };
  }
  if (rule.from(order, viewer).includes(order.status)) return null;
  if (action === 'accept') {
    if (order.status === 'open' && !mayGrab(order, viewer))
      return { code: 'E_CONFLICT', message: '您当前处于离岗状态，请先上岗再抢单' };
    if (order.status === 'open') return { code: 'E_CONFLICT', message: '不能接自己的订单' };
    if (order.status === 'dispatched') return { code: 'E_CONFLICT', message: '该订单已派给其他志愿者' };
    if (order.status === 'accepted' || order.status === 'in_service')
      return { code: 'E_CONFLICT', message: '手慢了，该订单已被其他志愿者接单' };
  }
  if (action === 'followUp') return { code: 'E_CONFLICT', message: '该订单无需回访或已回访' };
  if (action === 'cancel' && viewer.familyOf !== undefined) {
    return order.orderedBy === viewer.openid
      ? { code: 'E_CONFLICT', message: `订单当前为「${current}」，家属不能再取消，请联系长辈或社区工作人员` }
      : { code: 'E_FORBIDDEN', message: '只能取消您为长辈下的订单；其他订单请联系长辈或社区工作人员' };
  }
  if (action === 'cancel' && !viewer.isWorker && order.status === 'accepted') {
    return { code: 'E_CONFLICT', message: '志愿者已接单，不能自行取消，请联系社区工作人员' };
  }
  return { code: 'E_CONFLICT', message: `订单当前为「${current}」，不能${rule.label}，请刷新后查看` };
}

function forbiddenMessage(action: OrderAction): string {
  switch (action) {
    case 'rate':
      return '只有下单人或服务对象可以评价';
    case 'cancel':
      return '只有下单人、服务对象或社区工作人员可以取消订单';
    case 'decline':
    case 'start':
    case 'complete':
      return '只有接单的志愿者或物业人员可以进行此操作';
    case 'accept':
      return '只有志愿者或物业人员可以接单';
    case 'dispatch':
    case 'release':
    case 'review':
    case 'followUp':
      return '只有社区工作人员可以进行此操作';
    default: {
      const never: never = action;
      return String(never);
    }
  }
}

/** Whether the viewer may open the order at all (otherwise it is "not found" to them). */
export function canSee(order: OrderDoc, viewer: Viewer): boolean {
  return (
    viewer.isWorker ||
    order.parties.includes(viewer.openid) ||
    (serves(order, viewer) && order.volunteerOpenid === viewer.openid) ||
    (serves(order, viewer) && order.status === 'open') ||
    (viewer.familyOf !== undefined && order.forOpenid === viewer.familyOf)
  );
}

/** Whether the viewer sees the beneficiary's whole phone and room. */
export function seesDetails(order: OrderDoc, viewer: Viewer): boolean {
  return (
    viewer.isWorker ||
    order.parties.includes(viewer.openid) ||
    (serves(order, viewer) && order.volunteerOpenid === viewer.openid) ||
    (viewer.familyOf !== undefined && order.forOpenid === viewer.familyOf)
  );
}

/** Why `member` may not order `service` (null when they may). */
export function ineligibility(service: ServiceDoc, member: MemberDoc, forSomeoneElse: boolean): string | null {
  if (!service.enabled) return '该服务已暂停';
  if (service.tier !== 'discounted') return null;
  const tags = member.tags ?? [];
  if (service.eligibleTags.some((t) => tags.includes(t))) return null;
  const who = forSomeoneElse ? '服务对象' : '您';
  return `特惠服务仅限${service.eligibleTags.map((t) => `「${t}」`).join('、')}居民，${who}暂未登记该身份；如符合条件请联系社区工作人员登记`;
}

/** Ratings of 3–5 stars sampled for a follow-up call: a fixed 20 % chosen by the order id. */
export function sampledForFollowUp(orderId: string): boolean {
  return parseInt(createHash('sha256').update(`follow-up:${orderId}`).digest('hex').slice(0, 8), 16) % 5 === 0;
}
