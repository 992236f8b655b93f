// The one way a caller moves an order: the rules' verdict, then one compare-and-set on
// { _id, version, status } that moves the status and the clock and appends the timeline entry
// together, then the audit entry. And `tell`, how the handlers reach the people concerned.
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { cmd } from '../common/db';
import { AppError } from '../common/errors';
import type { MessageInput } from '../common/model';
import { FAMILY_INBOX, familyOrderLink, relativesOf } from '../common/family';
import { notify } from '../common/notify';
import type { MemberCtx } from '../common/router';
import type { OrderAction, OrderStatus, Step, TimelineAction } from './labels';
import { clockPatch, timelineEntry } from './lifecycle';
import { ORDERS, type OrderDoc, type PassedOver, type RatingRecord } from './model';
import { refusal, viewerOf } from './rules';

/** Refuses (E_NOT_FOUND / E_FORBIDDEN / E_CONFLICT) unless the caller may take `act` now; handlers ask before the content check. */
export function assertMay(ctx: MemberCtx, act: OrderAction, order: OrderDoc): void {
  const no = refusal(act, order, viewerOf(ctx));
  if (no) throw new AppError(no.code, no.message);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

interface Change {
  to: OrderStatus;
  event: TimelineAction;
  note?: string;
  /** Plain fields to set; sub-objects replace the stored ones whole. */
  set?: Partial<OrderDoc>;
  push?: { passedOver?: PassedOver; previousRatings?: RatingRecord };
  /** A new step clock (a Step), none (null), or the running one kept (undefined). */
  clock?: Step | null;
  /** What the loser of a race is told. */
  conflict?: string;
}

/**
 * One transition: refused unless the rules allow it for this caller and state; otherwise one
 * compare-and-set that moves the status, the clock and appends the timeline entry together.
 * Answers the order as it now is.
 */
export async function transition(ctx: MemberCtx, order: OrderDoc, act: OrderAction, change: Change): Promise<OrderDoc> {
  assertMay(ctx, act, order);
  const entry = timelineEntry(ctx.openid, ctx.member.name, change.event, ctx.now, change.note);
  const clock = change.clock === undefined ? {} : clockPatch(order, change.clock, ctx.now);
  const fields: Partial<OrderDoc> = { ...change.set, ...clock, status: change.to, updatedAt: ctx.now };
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    // A plain object would be merged into the stored one field by field; `set` replaces it.
    patch[key] = isPlainObject(value) ? cmd().set(value) : value;
  }
  patch.timeline = cmd().push([entry]);
  if (change.push?.passedOver) patch.passedOver = cmd().push([change.push.passedOver]);
  if (change.push?.previousRatings) patch.previousRatings = cmd().push([change.push.previousRatings]);
  await compareAndSet(
    ORDERS,
    { _id: order._id, version: order.version, status: order.status },
    patch,
    change.conflict ?? '订单状态已变化，请刷新后重试',
  );
  const next: OrderDoc = {
    ...order,
    ...fields,
    version: order.version + 1,
    timeline: [...order.timeline, entry],
    passedOver: change.push?.passedOver ? [...order.passedOver, change.push.passedOver] : order.passedOver,
    previousRatings: change.push?.previousRatings
      ? [...(order.previousRatings ?? []), change.push.previousRatings]
      : order.previousRatings,
  };
  // Only what changed: the status, and the volunteer when it changed (dispatch, release, decline…).
  const before: Record<string, unknown> = { status: order.status };
  const after: Record<string, unknown> = { status: next.status };
  if ((order.volunteerOpenid ?? null) !== (next.volunteerOpenid ?? null)) {
    before.volunteerOpenid = order.volunteerOpenid ?? null;
    after.volunteerOpenid = next.volunteerOpenid ?? null;
  }
  await audit(ctx, { target: `order:${order._id}`, before, after, note: change.note });
  return next;
}

/** Notifies each person once, leaving out nobodies and `except` (the caller, who knows already). */
export async function tell(
  ctx: MemberCtx,
  to: readonly (string | null | undefined)[],
  msg: MessageInput,
  except?: string,
): Promise<void> {
  const people = [...new Set(to.filter((o): o is string => Boolean(o) && o !== except))];
  if (people.length > 0) await notify(ctx.communityId, people, msg, ctx.now);
}

/**
 * Tells the order's parties, and (亲情代办, docs/family.md) the relatives linked to the person it is
 * for: the same message in their family inbox, opening the family page of the order. One query
 * for the links and one notify for all of them, however many relatives there are.
 */
export async function tellParties(
  ctx: MemberCtx,
  order: Pick<OrderDoc, '_id' | 'communityId' | 'parties' | 'forOpenid'>,
  msg: MessageInput,
  extra: readonly (string | null | undefined)[] = [],
  except?: string,
): Promise<void> {
  await tell(ctx, [...order.parties, ...extra], msg, except);
  const relatives = (await relativesOf(order.communityId, order.forOpenid))
    .map((l) => l.relativeOpenid)
    .filter((o) => o !== except);
  if (relatives.length > 0) await notify(FAMILY_INBOX, relatives, { ...msg, link: familyOrderLink(order._id) }, ctx.now);
}

/** A step limit in the messages: `30 分钟`, `4 小时`, `2 天`. */
export const minutesText = (m: number): string =>
  m % 1440 === 0 ? `${m / 1440} 天` : m % 60 === 0 ? `${m / 60} 小时` : `${m} 分钟`;
