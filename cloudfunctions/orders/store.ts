// Reads of the orders domain: the order collection's query shapes (each has its index in
// database.json), the menu, and the people an order goes to. Writes stay with the code that
// decides them (transition.ts, lifecycle.ts, sweep.ts).
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { memberId, type CommunityDoc, type MemberDoc } from '../common/model';
import { readPage } from '../common/paging';
import type { Light, OrderStatus, Server, Tier } from './labels';
import { statsId } from './lifecycle';
import { ORDER_MISSING } from './rules';
import { ORDERS, SERVICES, VOLUNTEER_STATS, type OrderDoc, type ServiceDoc, type VolunteerStatsDoc } from './model';

// ---------------------------------------------------------------------------------------------
// Orders

/** An order by id in any community (a repeated `create` looks up its own deterministic id). */
export const findOrder = (orderId: string): Promise<OrderDoc | null> => findById<OrderDoc>(ORDERS, orderId);

/** The order in the caller's community; another community's order does not exist for them. */
export async function loadOrder(communityId: string, orderId: string): Promise<OrderDoc> {
  const docs = await getAll<OrderDoc>(collection(ORDERS).where({ _id: orderId, communityId }).limit(1));
  if (!docs[0]) throw new AppError('E_NOT_FOUND', ORDER_MISSING);
  return docs[0];
}

/** A list query of orders: its filter and its order. */
export interface OrderQuery {
  where: object;
  sortBy: string;
  direction: 'asc' | 'desc';
}

/** Page `pageNo` of a list query. */
export function readOrders(query: OrderQuery, pageNo: number): Promise<{ docs: OrderDoc[]; hasMore: boolean }> {
  return readPage<OrderDoc>(collection(ORDERS).where(query.where).orderBy(query.sortBy, query.direction), pageNo);
}

/** The caller's orders, newest first: ordered by or for them, or (`as: 'volunteer'`) served by them. */
export function mineQuery(
  communityId: string,
  openid: string,
  filter: { as?: 'resident' | 'volunteer'; status?: OrderStatus },
): OrderQuery {
  const where: Record<string, unknown> = { communityId };
  if (filter.as === 'volunteer') where.volunteerOpenid = openid;
  else where.parties = openid;
  if (filter.status) where.status = filter.status;
  return { where, sortBy: 'createdAt', direction: 'desc' };
}

/**
 * The hall, oldest first: what was dispatched to the caller, and the open orders they may take —
 * volunteers' orders while a volunteer is on duty, the property company's (`servedBy: 'property'`)
 * for its staff (docs/property.md).
 */
export function hallQuery(communityId: string, openid: string, open: { volunteer: boolean; property: boolean }): OrderQuery {
  const mine = { communityId, status: 'dispatched', volunteerOpenid: openid };
  const branches: object[] = [mine];
  if (open.volunteer) branches.push({ communityId, status: 'open', servedBy: cmd().neq('property') });
  if (open.property) branches.push({ communityId, status: 'open', servedBy: 'property' });
  const where = branches.length > 1 ? cmd().or(branches) : mine;
  return { where, sortBy: 'createdAt', direction: 'asc' };
}

/**
 * The worker's board: newest first, or with a light the most urgent first. A light is a range of
 * the stored instants at `now` (yellow from `yellowAt`, red from `redAt`), so it can be indexed.
 */
export function boardQuery(
  communityId: string,
  filter: { status?: OrderStatus; building?: string; tier?: Tier; needsFollowUp?: boolean; light?: Light; servedBy?: Server },
  now: Date,
): OrderQuery {
  const where: Record<string, unknown> = { communityId };
  if (filter.status) where.status = filter.status;
  if (filter.building) where.building = filter.building;
  if (filter.tier) where.tier = filter.tier;
  if (filter.needsFollowUp !== undefined) where.followUpPending = filter.needsFollowUp;
  // An order without the field is a volunteers' order (older data too).
  if (filter.servedBy) where.servedBy = filter.servedBy === 'property' ? 'property' : cmd().neq('property');
  if (filter.light === 'green') {
    where.yellowAt = cmd().gt(now);
    return { where, sortBy: 'yellowAt', direction: 'asc' };
  }
  if (filter.light === 'yellow') {
    where.yellowAt = cmd().lte(now);
    where.redAt = cmd().gt(now);
    return { where, sortBy: 'redAt', direction: 'asc' };
  }
  if (filter.light === 'red') {
    where.redAt = cmd().lte(now);
    return { where, sortBy: 'redAt', direction: 'asc' };
  }
  return { where, sortBy: 'createdAt', direction: 'desc' };
}

/** The timer's work: orders whose `field` instant has come, oldest first, at most `limit`. */
export function dueOrders(field: 'redDue' | 'yellowDue' | 'autoCloseAt', now: Date, limit: number): Promise<OrderDoc[]> {
  return getAll<OrderDoc>(
    collection(ORDERS)
      .where({ [field]: cmd().lte(now) })
      .orderBy(field, 'asc')
      .limit(limit),
  );
}

/** The open work of each volunteer: orders dispatched to, accepted by or being served by them. */
export async function openOrderCounts(communityId: string, openids: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (openids.length === 0) return counts;
  const docs = await getAll<Pick<OrderDoc, 'volunteerOpenid'>>(
    collection(ORDERS)
      .where({ communityId, volunteerOpenid: cmd().in(openids), status: cmd().in(['dispatched', 'accepted', 'in_service']) })
      .field({ volunteerOpenid: true })
      .limit(1000),
  );
  for (const d of docs) if (d.volunteerOpenid) counts.set(d.volunteerOpenid, (counts.get(d.volunteerOpenid) ?? 0) + 1);
  return counts;
}

// ---------------------------------------------------------------------------------------------
// The menu

/** The community's menu in its order (empty for a community that has none yet). */
export const readMenu = (communityId: string): Promise<ServiceDoc[]> =>
  getAll<ServiceDoc>(collection(SERVICES).where({ communityId }).orderBy('sort', 'asc').limit(100));

export const findService = (serviceId: string): Promise<ServiceDoc | null> => findById<ServiceDoc>(SERVICES, serviceId);

// ---------------------------------------------------------------------------------------------
// Communities and people

export async function requireCommunity(id: string): Promise<CommunityDoc> {
  const community = await findById<CommunityDoc>('communities', id);
  if (!community) throw new AppError('E_NOT_FOUND', '社区不存在');
  return community;
}

/** A membership of the community, whatever its status (callers check status and roles). */
export const findMember = (communityId: string, openid: string): Promise<MemberDoc | null> =>
  findById<MemberDoc>('members', memberId(communityId, openid));

/** Active workers of a community (the people red lights and new orders go to). */
export async function workersOf(communityId: string): Promise<string[]> {
  const docs = await getAll<MemberDoc>(
    collection('members').where({ communityId, status: 'active', roles: 'worker' }).field({ openid: true }).limit(50),
  );
  return docs.map((m) => m.openid);
}

/** Active, on-duty volunteers of a community. */
export async function onDutyVolunteers(communityId: string): Promise<MemberDoc[]> {
  return getAll<MemberDoc>(
    collection('members').where({ communityId, status: 'active', roles: 'volunteer', onDuty: true }).limit(100),
  );
}

/** Active staff of the community's property company (物业人员, docs/property.md). */
export async function propertyStaff(communityId: string): Promise<MemberDoc[]> {
  return getAll<MemberDoc>(collection('members').where({ communityId, status: 'active', roles: 'property' }).limit(100));
}

/** Who may take the order: its community's staff for `property` orders, on-duty volunteers for the rest. */
export const serversFor = (order: Pick<OrderDoc, 'communityId' | 'servedBy'>): Promise<MemberDoc[]> =>
  order.servedBy === 'property' ? propertyStaff(order.communityId) : onDutyVolunteers(order.communityId);

/** Running totals of volunteers, by openid. */
export async function statsOf(communityId: string, openids: string[]): Promise<Map<string, VolunteerStatsDoc>> {
  if (openids.length === 0) return new Map();
  const docs = await getAll<VolunteerStatsDoc>(
    collection(VOLUNTEER_STATS)
      .where({ _id: cmd().in(openids.map((o) => statsId(communityId, o))) })
      .limit(100),
  );
  return new Map(docs.map((d) => [d.openid, d]));
}
