// orders: the service menu and the order loop 群众点单、社区派单、党员接单、组织评单 (product.md §2–3).
// Every transition is a compare-and-set on { _id, version, status } that appends its timeline
// entry in the same update; the rules of who may do what from which state live in rules.ts.
import { createHash, randomBytes } from 'crypto';
import { AppError } from '../common/errors';
import { audit, auditIfStaff } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { assertCleanText } from '../common/content';
import { checkAttachments } from '../common/files';
import { cmd, collection, findById, getAll } from '../common/db';
import { readPage } from '../common/paging';
import type { MessageInput } from '../common/model';
import { notify } from '../common/notify';
import { memberId, type CommunityDoc, type MemberDoc } from '../common/model';
import { action, ANY_MEMBER, createFunction, type MemberCtx } from '../common/router';
import type { Page } from '../common/schema';
import type { Tag } from '../common/roles';
import { ordersSchemas as s, type OrdersApi, type OrderSummary, type ServiceView, type Suggestion } from './api';
import { catalogueService, DEFAULT_CATALOGUE } from './catalogue';
import { autoCloseAt, effectiveLimits } from './clock';
import {
  FOLLOW_UP_LABELS,
  TIER_LABELS,
  TIERS,
  type OrderAction,
  type OrderStatus,
  type Step,
  type TimelineAction,
} from './labels';
import {
  clockPatch,
  creditVolunteer,
  newOrderDoc,
  onDutyVolunteers,
  orderLink,
  statsId,
  timelineEntry,
  workersOf,
} from './lifecycle';
import {
  ORDERS,
  SERVICES,
  VOLUNTEER_STATS,
  type OrderDoc,
  type PassedOver,
  type RatingRecord,
  type ServiceDoc,
  type VolunteerStatsDoc,
} from './model';
import { canSee, refusal, type Viewer } from './rules';
import { toDetail, toSummary } from './view';

// ---------------------------------------------------------------------------------------------
// Callers, communities, members

const hasRole = (ctx: MemberCtx, role: 'worker' | 'volunteer') => ctx.member.roles.includes(role);

function viewerOf(ctx: MemberCtx): Viewer {
  return {
    openid: ctx.openid,
    isWorker: hasRole(ctx, 'worker'),
    isVolunteer: hasRole(ctx, 'volunteer'),
    onDuty: hasRole(ctx, 'volunteer') && ctx.member.onDuty === true,
  };
}

async function requireCommunity(id: string): Promise<CommunityDoc> {
  const community = await findById<CommunityDoc>('communities', id);
  if (!community) throw new AppError('E_NOT_FOUND', '社区不存在');
  return community;
}

/**
 * The person an order is for. Oneself; or, ordering for someone else (代点单): a worker for any
 * active member of the community, anyone else only for a member of their own household (same
 * building and room).
 */
async function beneficiaryFor(ctx: MemberCtx, forOpenid: string | undefined): Promise<MemberDoc> {
  if (!forOpenid || forOpenid === ctx.openid) return ctx.member;
  const m = await findById<MemberDoc>('members', memberId(ctx.communityId, forOpenid));
  if (!m || m.status !== 'active') throw new AppError('E_NOT_FOUND', '服务对象不是本社区的成员，请确认后再下单');
  const household = m.building === ctx.member.building && m.room === ctx.member.room;
  if (!hasRole(ctx, 'worker') && !household) {
    throw new AppError('E_FORBIDDEN', '只能为同住一户的家人代下单；为其他居民下单请联系社区工作人员');
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// The menu

/** The community's menu; a community without one gets the default catalogue (idempotently). */
async function loadMenu(communityId: string, now: Date): Promise<ServiceDoc[]> {
  const query = () => getAll<ServiceDoc>(collection(SERVICES).where({ communityId }).orderBy('sort', 'asc').limit(100));
  const found = await query();
  if (found.length > 0) return found;
  for (const item of DEFAULT_CATALOGUE) await insertOnce(SERVICES, catalogueService(communityId, item, now));
  return query();
}

/** Why `member` may not order `service` (null when they may). */
function ineligibility(service: ServiceDoc, member: MemberDoc, forSomeoneElse: boolean): string | null {
  if (!service.enabled) return '该服务已暂停';
  if (service.tier !== 'discounted') return null;
  const tags = member.tags ?? [];
  if (service.eligibleTags.some((t) => tags.includes(t))) return null;
  const who = forSomeoneElse ? '服务对象' : '您';
  return `特惠服务仅限${service.eligibleTags.map((t) => `「${t}」`).join('、')}居民，${who}暂未登记该身份；如符合条件请联系社区工作人员登记`;
}

function toServiceView(service: ServiceDoc, community: CommunityDoc, member: MemberDoc, forSomeoneElse: boolean): ServiceView {
  const reason = ineligibility(service, member, forSomeoneElse);
  return {
    _id: service._id,
    name: service.name,
    tier: service.tier,
    tierLabel: TIER_LABELS[service.tier],
    description: service.description,
    price: service.price,
    eligibleTags: service.eligibleTags,
    skills: service.skills,
    enabled: service.enabled,
    stepLimits: effectiveLimits(community.stepLimits, service.stepLimits),
    sort: service.sort,
    orderable: reason === null,
    reason: reason ?? undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Orders

/** Deterministic order id: the same caller repeating the same request id lands on one document. */
export function orderIdFor(communityId: string, openid: string, requestId: string): string {
  return `o_${createHash('sha256').update(`${communityId}\n${openid}\n${requestId}`).digest('hex').slice(0, 32)}`;
}

/** The order in the caller's community; another community's order does not exist for them. */
async function loadOrder(ctx: MemberCtx, orderId: string): Promise<OrderDoc> {
  const docs = await getAll<OrderDoc>(collection(ORDERS).where({ _id: orderId, communityId: ctx.communityId }).limit(1));
  if (!docs[0]) throw new AppError('E_NOT_FOUND', '订单不存在或已被删除');
  return docs[0];
}

/** Ratings of 3–5 stars sampled for a follow-up call: a fixed 20 % chosen by the order id. */
export function sampledForFollowUp(orderId: string): boolean {
  return parseInt(createHash('sha256').update(`follow-up:${orderId}`).digest('hex').slice(0, 8), 16) % 5 === 0;
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
 */
async function transition(ctx: MemberCtx, order: OrderDoc, act: OrderAction, change: Change): Promise<OrderDoc> {
  const no = refusal(act, order, viewerOf(ctx));
  if (no) throw new AppError(no.code, no.message);
  const entry = timelineEntry(ctx.openid, ctx.member.name, change.event, ctx.now, change.note);
  const clock = change.clock === undefined ? {} : clockPatch(order, change.clock, ctx.now);
  const fields: Partial<OrderDoc> = { ...change.set, ...clock, status: change.to, updatedAt: ctx.now };
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
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
  await auditIfStaff(ctx, {
    target: `order:${order._id}`,
    before: { status: order.status, volunteerOpenid: order.volunteerOpenid },
    after: { status: next.status, volunteerOpenid: next.volunteerOpenid },
    note: change.note,
  });
  return next;
}

async function tell(
  communityId: string,
  to: (string | null | undefined)[],
  msg: MessageInput,
  now: Date,
  except?: string,
): Promise<void> {
  const people = [...new Set(to.filter((o): o is string => Boolean(o) && o !== except))];
  if (people.length > 0) await notify(communityId, people, msg, now);
}

function summaries(docs: OrderDoc[], viewer: Viewer, now: Date, pageNo: number, hasMore: boolean): Page<OrderSummary> {
  return { items: docs.map((o) => toSummary(o, viewer, now)), page: pageNo, hasMore };
}

const minutesText = (m: number): string => (m % 1440 === 0 ? `${m / 1440} 天` : m % 60 === 0 ? `${m / 60} 小时` : `${m} 分钟`);

/** The open work of each volunteer: orders dispatched to, accepted by or being served by them. */
async function openOrderCounts(communityId: string, openids: string[]): Promise<Map<string, number>> {
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

async function statsOf(communityId: string, openids: string[]): Promise<Map<string, VolunteerStatsDoc>> {
  if (openids.length === 0) return new Map();
  const docs = await getAll<VolunteerStatsDoc>(
    collection(VOLUNTEER_STATS)
      .where({ _id: cmd().in(openids.map((o) => statsId(communityId, o))) })
      .limit(100),
  );
  return new Map(docs.map((d) => [d.openid, d]));
}

const avgStars = (s: VolunteerStatsDoc | undefined): number | null =>
  s && s.ratedCount > 0 ? Math.round((s.starsSum / s.ratedCount) * 10) / 10 : null;

// ---------------------------------------------------------------------------------------------

export const main = createFunction<OrdersApi>('orders', {
  menu: action({
    schema: s.menu,
    roles: ANY_MEMBER,
    handler: async ({ forOpenid }, ctx) => {
      const beneficiary = await beneficiaryFor(ctx, forOpenid);
      const forSomeoneElse = beneficiary.openid !== ctx.openid;
      const community = await requireCommunity(ctx.communityId);
      const services = await loadMenu(ctx.communityId, ctx.now);
      const visible = services.filter((x) => x.enabled || hasRole(ctx, 'worker'));
      return {
        tiers: TIERS.map((tier) => ({
          tier,
          label: TIER_LABELS[tier],
          items: visible.filter((x) => x.tier === tier).map((x) => toServiceView(x, community, beneficiary, forSomeoneElse)),
        })),
      };
    },
  }),

  create: action({
    schema: s.create,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const viewer = viewerOf(ctx);
      const orderId = orderIdFor(ctx.communityId, ctx.openid, input.requestId);
      const repeated = await findById<OrderDoc>(ORDERS, orderId);
      if (repeated) return toDetail(repeated, viewer, ctx.now);

      const beneficiary = await beneficiaryFor(ctx, input.forOpenid);
      const forSomeoneElse = beneficiary.openid !== ctx.openid;
      let service = await findById<ServiceDoc>(SERVICES, input.serviceId);
      if (!service && input.serviceId.startsWith(`${ctx.communityId}:`)) {
        // A community whose menu nobody has opened yet: give it the catalogue, then look again.
        await loadMenu(ctx.communityId, ctx.now);
        service = await findById<ServiceDoc>(SERVICES, input.serviceId);
      }
      if (!service || service.communityId !== ctx.communityId)
        throw new AppError('E_NOT_FOUND', '服务项目不存在，请刷新服务菜单');
      if (!service.enabled) throw new AppError('E_CONFLICT', '该服务已暂停，请选择其他服务');
      const reason = ineligibility(service, beneficiary, forSomeoneElse);
      if (reason) throw new AppError('E_FORBIDDEN', reason);
      await assertCleanText({ 需求描述: input.description }, ctx.openid);
      await checkAttachments(input.photos ?? [], ctx.openid);
      const community = await requireCommunity(ctx.communityId);
      const limits = effectiveLimits(community.stepLimits, service.stepLimits);

      const doc = newOrderDoc({
        _id: orderId,
        communityId: ctx.communityId,
        service,
        description: input.description,
        photos: input.photos ?? [],
        orderedBy: { openid: ctx.openid, name: ctx.member.name },
        beneficiary,
        limits,
        timeline: [
          timelineEntry(
            ctx.openid,
            ctx.member.name,
            'create',
            ctx.now,
            forSomeoneElse ? `为${beneficiary.name}代下单` : undefined,
          ),
        ],
        now: ctx.now,
      });
      if (!(await insertOnce(ORDERS, doc))) {
        const first = await findById<OrderDoc>(ORDERS, orderId);
        if (!first) throw new AppError('E_CONFLICT');
        return toDetail(first, viewer, ctx.now);
      }
      await auditIfStaff(ctx, { target: `order:${orderId}`, after: { status: 'pending', forOpenid: beneficiary.openid } });
      await tell(
        ctx.communityId,
        await workersOf(ctx.communityId),
        {
          type: 'order.created',
          title: `新订单待派单：${service.name}`,
          body: `${beneficiary.building} ${beneficiary.name}，请在 ${minutesText(limits.dispatch)}内派单`,
          link: orderLink(orderId),
        },
        ctx.now,
      );
      return toDetail(doc, viewer, ctx.now);
    },
  }),

  get: action({
    schema: s.get,
    roles: ANY_MEMBER,
    handler: async ({ orderId }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const viewer = viewerOf(ctx);
      if (!canSee(order, viewer)) throw new AppError('E_NOT_FOUND', '订单不存在或已被删除');
      return toDetail(order, viewer, ctx.now);
    },
  }),

  listMine: action({
    schema: s.listMine,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const where: Record<string, unknown> = { communityId: ctx.communityId };
      if (input.as === 'volunteer') where.volunteerOpenid = ctx.openid;
      else where.parties = ctx.openid;
      if (input.status) where.status = input.status;
      const pageNo = input.page ?? 1;
      const { docs, hasMore } = await readPage<OrderDoc>(collection(ORDERS).where(where).orderBy('createdAt', 'desc'), pageNo);
      return summaries(docs, viewerOf(ctx), ctx.now, pageNo, hasMore);
    },
  }),

  listHall: action({
    schema: s.listHall,
    roles: ['volunteer'],
    handler: async (input, ctx) => {
      const viewer = viewerOf(ctx);
      const mine = { communityId: ctx.communityId, status: 'dispatched', volunteerOpenid: ctx.openid };
      // Off duty: only what was already dispatched to them; the open hall needs being on duty.
      const where = viewer.onDuty ? cmd().or([{ communityId: ctx.communityId, status: 'open' }, mine]) : mine;
      const pageNo = input.page ?? 1;
      const { docs, hasMore } = await readPage<OrderDoc>(collection(ORDERS).where(where).orderBy('createdAt', 'asc'), pageNo);
      return { ...summaries(docs, viewer, ctx.now, pageNo, hasMore), onDuty: viewer.onDuty };
    },
  }),

  listAll: action({
    schema: s.listAll,
    roles: ['worker'],
    handler: async (input, ctx) => {
      const where: Record<string, unknown> = { communityId: ctx.communityId };
      if (input.status) where.status = input.status;
      if (input.building) where.building = input.building;
      if (input.tier) where.tier = input.tier;
      if (input.needsFollowUp !== undefined) where.followUpPending = input.needsFollowUp;
      let sortBy = 'createdAt';
      let direction: 'asc' | 'desc' = 'desc';
      if (input.light === 'green') {
        where.yellowAt = cmd().gt(ctx.now);
        [sortBy, direction] = ['yellowAt', 'asc'];
      } else if (input.light === 'yellow') {
        where.yellowAt = cmd().lte(ctx.now);
        where.redAt = cmd().gt(ctx.now);
        [sortBy, direction] = ['redAt', 'asc'];
      } else if (input.light === 'red') {
        where.redAt = cmd().lte(ctx.now);
        [sortBy, direction] = ['redAt', 'asc'];
      }
      const pageNo = input.page ?? 1;
      const { docs, hasMore } = await readPage<OrderDoc>(collection(ORDERS).where(where).orderBy(sortBy, direction), pageNo);
      return summaries(docs, viewerOf(ctx), ctx.now, pageNo, hasMore);
    },
  }),

  suggestVolunteers: action({
    schema: s.suggestVolunteers,
    roles: ['worker'],
    handler: async ({ orderId }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      if (order.status !== 'pending' && order.status !== 'open') {
        throw new AppError('E_CONFLICT', '该订单已不在待派单状态，请刷新');
      }
      const community = await requireCommunity(ctx.communityId);
      const volunteers = (await onDutyVolunteers(ctx.communityId)).filter((v) => !order.parties.includes(v.openid));
      const ids = volunteers.map((v) => v.openid);
      const [counts, stats] = await Promise.all([openOrderCounts(ctx.communityId, ids), statsOf(ctx.communityId, ids)]);
      const gridName = (id?: string) => community.grids.find((g) => g.id === id)?.name ?? '';
      const rows = volunteers.map((v) => {
        const sameBuilding = v.building === order.building;
        const sameGrid = !sameBuilding && Boolean(v.gridId) && v.gridId === order.beneficiary.gridId;
        const matched = order.skills.filter((k) => (v.skills ?? []).includes(k));
        const open = counts.get(v.openid) ?? 0;
        const st = stats.get(v.openid);
        const avg = avgStars(st);
        const passed = order.passedOver.some((p) => p.openid === v.openid);
        const parts = [
          sameBuilding ? `同楼栋（${v.building}）` : sameGrid ? `同网格（${gridName(v.gridId)}）` : `${v.building}，不同网格`,
          matched.length > 0 ? `擅长${matched.join('、')}` : order.skills.length > 0 ? '技能不完全匹配' : '',
          open === 0 ? '当前无在办订单' : `当前在办 ${open} 单`,
          avg === null ? '暂无评分' : `平均 ${avg.toFixed(1)} 星`,
          passed ? '此前拒单或超时未接' : '',
        ].filter(Boolean);
        const suggestion: Suggestion = {
          openid: v.openid,
          name: v.name,
          building: v.building,
          gridId: v.gridId,
          skills: v.skills ?? [],
          openOrders: open,
          avgStars: avg,
          served: st?.served ?? 0,
          reason: parts.join('，'),
          passedOverBefore: passed,
        };
        return {
          suggestion,
          key: [passed ? 1 : 0, sameBuilding ? 0 : 1, sameBuilding || sameGrid ? 0 : 1, -matched.length, open, -(avg ?? 0)],
        };
      });
      rows.sort((a, b) => {
        for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
        return a.suggestion.openid < b.suggestion.openid ? -1 : 1;
      });
      return { items: rows.map((r) => r.suggestion) };
    },
  }),

  dispatch: action({
    schema: s.dispatch,
    roles: ['worker'],
    handler: async ({ orderId, volunteerOpenid }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const no = refusal('dispatch', order, viewerOf(ctx));
      if (no) throw new AppError(no.code, no.message);
      const v = await findById<MemberDoc>('members', memberId(ctx.communityId, volunteerOpenid));
      if (!v || v.status !== 'active' || !v.roles.includes('volunteer')) {
        throw new AppError('E_NOT_FOUND', '该志愿者不存在或已不是志愿者，请重新选择');
      }
      if (!v.onDuty) throw new AppError('E_CONFLICT', `${v.name}当前离岗，请选择在岗志愿者`);
      if (order.parties.includes(v.openid)) throw new AppError('E_CONFLICT', '不能派给下单人或服务对象本人');
      const next = await transition(ctx, order, 'dispatch', {
        to: 'dispatched',
        event: 'dispatch',
        note: `派给${v.name}`,
        set: { volunteerOpenid: v.openid, volunteerName: v.name, volunteerPhone: v.phone ?? null },
        clock: 'accept',
      });
      await tell(
        ctx.communityId,
        [v.openid],
        {
          type: 'order.dispatched',
          title: `派给您的订单：${order.serviceName}`,
          body: `${order.beneficiary.building} ${order.beneficiary.name}，请在 ${minutesText(order.limits.accept)}内接单或拒单`,
          link: orderLink(order._id),
        },
        ctx.now,
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  release: action({
    schema: s.release,
    roles: ['worker'],
    handler: async ({ orderId }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const next = await transition(ctx, order, 'release', { to: 'open', event: 'release' });
      const volunteers = await onDutyVolunteers(ctx.communityId);
      await tell(
        ctx.communityId,
        volunteers.map((v) => v.openid).filter((o) => !order.parties.includes(o)),
        {
          type: 'order.released',
          title: `接单大厅有新订单：${order.serviceName}`,
          body: `${order.beneficiary.building}，先到先得`,
          link: orderLink(order._id),
        },
        ctx.now,
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  accept: action({
    schema: s.accept,
    roles: ['volunteer'],
    handler: async ({ orderId }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const grab = order.status === 'open';
      const next = await transition(ctx, order, 'accept', {
        to: 'accepted',
        event: grab ? 'grab' : 'accept',
        set: { volunteerOpenid: ctx.openid, volunteerName: ctx.member.name, volunteerPhone: ctx.member.phone ?? null },
        clock: 'serve',
        conflict: grab ? '手慢了，该订单已被其他志愿者接单' : '订单状态已变化，请刷新后重试',
      });
      await tell(
        ctx.communityId,
        order.parties,
        {
          type: 'order.accepted',
          title: `志愿者${ctx.member.name}已接单：${order.serviceName}`,
          body: `将在 ${minutesText(order.limits.serve)}内完成服务，可在订单详情联系志愿者`,
          link: orderLink(order._id),
        },
        ctx.now,
        ctx.openid,
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  decline: action({
    schema: s.decline,
    roles: ['volunteer'],
    handler: async ({ orderId, reason }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const no = refusal('decline', order, viewerOf(ctx));
      if (no) throw new AppError(no.code, no.message);
      await assertCleanText({ 拒单原因: reason }, ctx.openid);
      const next = await transition(ctx, order, 'decline', {
        to: 'pending',
        event: 'decline',
        note: reason,
        set: { volunteerOpenid: null, volunteerName: null, volunteerPhone: null },
        push: { passedOver: { openid: ctx.openid, name: ctx.member.name, reason, timedOut: false, at: ctx.now } },
        clock: 'dispatch',
      });
      await tell(
        ctx.communityId,
        await workersOf(ctx.communityId),
        {
          type: 'order.declined',
          title: `${ctx.member.name}拒单，请重新派单：${order.serviceName}`,
          body: `原因：${reason}`,
          link: orderLink(order._id),
        },
        ctx.now,
      );
      if (order.status === 'accepted') {
        await tell(
          ctx.communityId,
          order.parties,
          {
            type: 'order.declined',
            title: `志愿者无法继续服务，社区将重新安排：${order.serviceName}`,
            link: orderLink(order._id),
          },
          ctx.now,
        );
      }
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  start: action({
    schema: s.start,
    roles: ['volunteer'],
    handler: async ({ orderId }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const next = await transition(ctx, order, 'start', { to: 'in_service', event: 'start' });
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  complete: action({
    schema: s.complete,
    roles: ['volunteer'],
    handler: async ({ orderId, note, photos }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const no = refusal('complete', order, viewerOf(ctx));
      if (no) throw new AppError(no.code, no.message);
      await assertCleanText({ 服务说明: note }, ctx.openid);
      await checkAttachments(photos ?? [], ctx.openid);
      const next = await transition(ctx, order, 'complete', {
        to: 'completed',
        event: 'complete',
        note,
        set: { completion: { note, photos: photos ?? [], at: ctx.now }, autoCloseAt: autoCloseAt(ctx.now) },
        clock: null,
      });
      await tell(
        ctx.communityId,
        order.parties,
        {
          type: 'order.completed',
          title: `服务已完成，请评价：${order.serviceName}`,
          body: `志愿者${ctx.member.name}：${note}`,
          link: orderLink(order._id),
        },
        ctx.now,
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  rate: action({
    schema: s.rate,
    roles: ANY_MEMBER,
    handler: async ({ orderId, stars, comment }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const no = refusal('rate', order, viewerOf(ctx));
      if (no) throw new AppError(no.code, no.message);
      await assertCleanText({ 评价: comment }, ctx.openid);
      const low = stars <= 2;
      const followUp = low || sampledForFollowUp(order._id);
      const rating: RatingRecord = { stars, by: ctx.openid, at: ctx.now };
      if (comment) rating.comment = comment;
      const next = await transition(ctx, order, 'rate', {
        to: 'rated',
        event: 'rate',
        note: `${stars} 星${comment ? `：${comment}` : ''}`,
        set: {
          rating,
          autoCloseAt: null,
          followUp: followUp ? { needed: true } : order.followUp,
          followUpPending: followUp || order.followUpPending,
        },
        clock: 'review',
        conflict: '该订单已评价过了',
      });
      await tell(
        ctx.communityId,
        await workersOf(ctx.communityId),
        low
          ? {
              type: 'order.followup',
              title: `差评（${stars} 星）待评单并回访：${order.serviceName}`,
              body: comment ?? '',
              link: orderLink(order._id),
            }
          : {
              type: followUp ? 'order.followup' : 'order.rated',
              title: `${followUp ? '订单待评单（抽中回访）' : '订单待评单'}：${order.serviceName}`,
              body: `${stars} 星`,
              link: orderLink(order._id),
            },
        ctx.now,
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  review: action({
    schema: s.review,
    roles: ['worker'],
    handler: async ({ orderId, result, note }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const no = refusal('review', order, viewerOf(ctx));
      if (no) throw new AppError(no.code, no.message);
      if (result === 'rework' && !note) throw new AppError('E_VALIDATION', '请填写需要返工的原因，志愿者会看到');
      await assertCleanText({ 评单意见: note }, ctx.openid);
      const review = { result, by: ctx.openid, at: ctx.now, ...(note ? { note } : {}) };
      if (result === 'pass') {
        const next = await transition(ctx, order, 'review', {
          to: 'closed',
          event: 'pass',
          note,
          set: { review, closedAt: ctx.now },
          clock: null,
        });
        const points = await creditVolunteer(next, ctx.now);
        await tell(
          ctx.communityId,
          [next.volunteerOpenid],
          {
            type: 'order.closed',
            title: `订单已办结：${order.serviceName}`,
            body: points > 0 ? `感谢您的服务，积分 +${points}` : '感谢您的服务',
            link: orderLink(order._id),
            key: `order:${order._id}:closed`,
          },
          ctx.now,
        );
        return toDetail(next, viewerOf(ctx), ctx.now);
      }
      const next = await transition(ctx, order, 'review', {
        to: 'accepted',
        event: 'rework',
        note,
        set: { review, rating: null, reworkCount: (order.reworkCount ?? 0) + 1 },
        push: order.rating ? { previousRatings: order.rating } : undefined,
        clock: 'serve',
      });
      await tell(
        ctx.communityId,
        [order.volunteerOpenid],
        {
          type: 'order.rework',
          title: `订单需返工：${order.serviceName}`,
          body: `${note}；请在 ${minutesText(order.limits.serve)}内完成`,
          link: orderLink(order._id),
        },
        ctx.now,
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  followUp: action({
    schema: s.followUp,
    roles: ['worker'],
    handler: async ({ orderId, result, note }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const no = refusal('followUp', order, viewerOf(ctx));
      if (no) throw new AppError(no.code, no.message);
      await assertCleanText({ 回访记录: note }, ctx.openid);
      const followUp = { needed: true, result, by: ctx.openid, at: ctx.now, ...(note ? { note } : {}) };
      const next = await transition(ctx, order, 'followUp', {
        to: order.status,
        event: 'followUp',
        note: `${FOLLOW_UP_LABELS[result]}${note ? `：${note}` : ''}`,
        set: { followUp, followUpPending: false },
        conflict: '该订单已回访过了',
      });
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  cancel: action({
    schema: s.cancel,
    roles: ANY_MEMBER,
    handler: async ({ orderId, reason }, ctx) => {
      const order = await loadOrder(ctx, orderId);
      const no = refusal('cancel', order, viewerOf(ctx));
      if (no) throw new AppError(no.code, no.message);
      await assertCleanText({ 取消原因: reason }, ctx.openid);
      const next = await transition(ctx, order, 'cancel', {
        to: 'cancelled',
        event: 'cancel',
        note: reason,
        set: { cancellation: { reason, by: ctx.openid, byName: ctx.member.name, at: ctx.now } },
        clock: null,
      });
      await tell(
        ctx.communityId,
        [...order.parties, order.volunteerOpenid],
        {
          type: 'order.cancelled',
          title: `订单已取消：${order.serviceName}`,
          body: `原因：${reason}`,
          link: orderLink(order._id),
        },
        ctx.now,
        ctx.openid,
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  saveService: action({
    schema: s.saveService,
    roles: ['worker'],
    handler: async (input, ctx) => {
      if (input.tier === 'basic' && input.price !== 0) throw new AppError('E_VALIDATION', '基础服务对居民免费，价格请填 0');
      const eligibleTags: Tag[] = input.tier === 'discounted' ? [...new Set(input.eligibleTags ?? [])] : [];
      if (input.tier === 'discounted' && eligibleTags.length === 0) {
        throw new AppError('E_VALIDATION', '特惠服务请至少选择一个适用人群标签');
      }
      if (input.tier !== 'discounted' && (input.eligibleTags ?? []).length > 0) {
        throw new AppError('E_VALIDATION', '只有特惠服务需要选择适用人群');
      }
      await assertCleanText({ 服务名称: input.serviceName, 服务说明: input.description }, ctx.openid);
      const community = await requireCommunity(ctx.communityId);
      const fields = {
        name: input.serviceName,
        tier: input.tier,
        description: input.description,
        price: input.price,
        eligibleTags,
        skills: [...new Set(input.skills ?? [])],
        enabled: input.enabled,
        stepLimits: { ...(input.stepLimits ?? {}) },
        updatedAt: ctx.now,
      };
      let saved: ServiceDoc;
      if (input.serviceId) {
        const current = await findById<ServiceDoc>(SERVICES, input.serviceId);
        if (!current || current.communityId !== ctx.communityId)
          throw new AppError('E_NOT_FOUND', '服务项目不存在，请刷新服务菜单');
        const sort = input.sort ?? current.sort;
        await compareAndSet(
          SERVICES,
          { _id: current._id, version: current.version },
          { ...fields, stepLimits: cmd().set(fields.stepLimits), sort },
          '服务项目刚被其他人修改，请刷新后重试',
        );
        saved = { ...current, ...fields, sort, version: current.version + 1 };
        await audit(ctx, {
          target: `service:${current._id}`,
          before: { name: current.name, tier: current.tier, price: current.price, enabled: current.enabled },
          after: { name: saved.name, tier: saved.tier, price: saved.price, enabled: saved.enabled },
        });
      } else {
        await loadMenu(ctx.communityId, ctx.now); // a brand-new community gets the catalogue first
        saved = {
          _id: `${ctx.communityId}:s${randomBytes(6).toString('hex')}`,
          communityId: ctx.communityId,
          ...fields,
          sort: input.sort ?? 900,
          createdAt: ctx.now,
          version: 1,
        };
        if (!(await insertOnce(SERVICES, saved))) throw new AppError('E_CONFLICT');
        await audit(ctx, { target: `service:${saved._id}`, after: { name: saved.name, tier: saved.tier, price: saved.price } });
      }
      return toServiceView(saved, community, ctx.member, false);
    },
  }),

  setDuty: action({
    schema: s.setDuty,
    roles: ['volunteer'],
    handler: async ({ onDuty }, ctx) => {
      const m = ctx.member;
      if (m.onDuty === onDuty) return { onDuty };
      await compareAndSet(
        'members',
        { _id: m._id, version: m.version },
        { onDuty, updatedAt: ctx.now },
        '状态已变化，请刷新后重试',
      );
      await audit(ctx, { target: `member:${m._id}`, before: { onDuty: m.onDuty }, after: { onDuty } });
      return { onDuty };
    },
  }),

  volunteerRecord: action({
    schema: s.volunteerRecord,
    roles: ANY_MEMBER,
    handler: async ({ openid }, ctx) => {
      const v = await findById<MemberDoc>('members', memberId(ctx.communityId, openid));
      if (!v || v.status !== 'active' || !v.roles.includes('volunteer')) throw new AppError('E_NOT_FOUND', '该志愿者不存在');
      const stats = (await statsOf(ctx.communityId, [openid])).get(openid);
      return {
        openid,
        name: v.name,
        building: v.building,
        served: stats?.served ?? 0,
        avgStars: avgStars(stats),
        ratedCount: stats?.ratedCount ?? 0,
        points: stats?.points ?? 0,
        onDuty: v.onDuty,
      };
    },
  }),
});
