// 亲情代办 (docs/family.md): a relative linked to an elder orders for that elder, follows the
// elder's orders, cancels what they placed while it waits for dispatch, and rates. The caller is
// any identified person; what they may reach is decided by their *active* link alone: every action
// first turns the link (or the order's elder and the caller) into a FamilyCtx, and anything the
// link does not reach answers exactly as a missing link or order.
import { audit } from '../common/audit';
import { insertOnce } from '../common/cas';
import { AppError } from '../common/errors';
import { activeLinkOf, FAMILY_MISSING, familyLinkId, type FamilyLinkDoc } from '../common/family';
import type { MemberDoc } from '../common/model';
import { readPage } from '../common/paging';
import { assertSameRequest, type RequestBody } from '../common/request';
import { action, type Ctx, type MemberCtx } from '../common/router';
import { collection } from '../common/db';
import { ordersSchemas as s } from './api';
import { effectiveLimits } from './clock';
import { OTHER_ORDER, orderIdFor, storedBody } from './create';
import { TIER_LABELS, TIERS } from './labels';
import { countOrder } from './counters';
import { newOrderDoc, orderLink, timelineEntry } from './lifecycle';
import { loadMenu } from './menu';
import { ORDERS, type OrderDoc } from './model';
import { ineligibility, ORDER_MISSING, viewerOf } from './rules';
import { findOrder, findService, requireCommunity, workersOf } from './store';
import { minutesText, tell, tellParties } from './transition';
import { transitionActions } from './transitions';
import { toDetail, toPage, toServiceView } from './view';

/** A relative acting through an active link: in the elder's community, with no role at all. */
export interface FamilyCtx extends MemberCtx {
  family: FamilyLinkDoc;
  elder: MemberDoc;
}

/** The relative as the order's timeline and audit name them: 李娜（赵秀兰的女儿）. */
const actorName = (link: FamilyLinkDoc) => `${link.relativeName}（${link.elderName}的${link.relation}）`;

function familyCtx(ctx: Ctx, link: FamilyLinkDoc, elder: MemberDoc): FamilyCtx {
  // No roles, so no rule that asks for one (worker, volunteer) can ever pass for a relative.
  const actor: MemberDoc = {
    _id: `family:${link._id}`,
    communityId: link.communityId,
    openid: ctx.openid,
    name: actorName(link),
    building: elder.building,
    room: elder.room,
    status: 'active',
    roles: [],
    tags: [],
    skills: [],
    onDuty: false,
    joinedAt: link.requestedAt,
    updatedAt: link.requestedAt,
    version: link.version,
  };
  return { ...ctx, member: actor, communityId: link.communityId, family: link, elder };
}

/** The caller's active link `linkId`; anything else is the same "not found". */
async function byLink(ctx: Ctx, linkId: string): Promise<FamilyCtx> {
  const found = await activeLinkOf(linkId, ctx.openid);
  if (!found) throw new AppError('E_NOT_FOUND', FAMILY_MISSING);
  return familyCtx(ctx, found.link, found.elder);
}

/** The order and the caller's active link to the elder it is for; anything else: ORDER_MISSING. */
async function byOrder(ctx: Ctx, orderId: string): Promise<{ fctx: FamilyCtx; order: OrderDoc }> {
  const order = await findOrder(orderId);
  const found = order ? await activeLinkOf(familyLinkId(order.communityId, order.forOpenid, ctx.openid), ctx.openid) : null;
  if (!order || !found) throw new AppError('E_NOT_FOUND', ORDER_MISSING);
  return { fctx: familyCtx(ctx, found.link, found.elder), order };
}

export const familyOrderActions = {
  familyMenu: action({
    schema: s.familyMenu,
    roles: 'identified',
    handler: async ({ linkId }, ctx) => {
      const fctx = await byLink(ctx, linkId);
      const community = await requireCommunity(fctx.communityId);
      const services = (await loadMenu(fctx.communityId, ctx.now)).filter((x) => x.enabled);
      return {
        tiers: TIERS.map((tier) => ({
          tier,
          label: TIER_LABELS[tier],
          items: services.filter((x) => x.tier === tier).map((x) => toServiceView(x, community, fctx.elder, true)),
        })),
      };
    },
  }),

  familyCreate: action({
    schema: s.familyCreate,
    roles: 'identified',
    limit: 'order',
    handler: async (input, ctx) => {
      const fctx = await byLink(ctx, input.linkId);
      const { elder } = fctx;
      const viewer = viewerOf(fctx);
      const orderId = orderIdFor(fctx.communityId, ctx.openid, input.requestId);
      const asked: RequestBody = {
        serviceId: input.serviceId,
        description: input.description,
        photos: [],
        forOpenid: elder.openid,
        voice: '',
        transcript: '',
      };
      const repeated = await findOrder(orderId);
      if (repeated) {
        assertSameRequest(storedBody(repeated), asked, OTHER_ORDER);
        return toDetail(repeated, viewer, ctx.now);
      }
      const service = await findService(input.serviceId);
      if (!service || service.communityId !== fctx.communityId)
        throw new AppError('E_NOT_FOUND', '服务项目不存在，请刷新服务菜单');
      if (!service.enabled) throw new AppError('E_CONFLICT', '该服务已暂停，请选择其他服务');
      const reason = ineligibility(service, elder, true);
      if (reason) throw new AppError('E_FORBIDDEN', reason);
      const community = await requireCommunity(fctx.communityId);
      const limits = effectiveLimits(community.stepLimits, service.stepLimits);
      const doc = newOrderDoc({
        _id: orderId,
        communityId: fctx.communityId,
        service,
        description: input.description,
        photos: [],
        orderedBy: { openid: ctx.openid, name: fctx.member.name },
        beneficiary: elder,
        limits,
        timeline: [timelineEntry(ctx.openid, fctx.member.name, 'create', ctx.now, `亲情代办：为${elder.name}下单`)],
        now: ctx.now,
      });
      // The order belongs to the elder's household: the elder is its party, the relative only
      // `orderedBy` (they reach it through the link, and lose it when the link ends).
      doc.parties = [elder.openid];
      if (!(await insertOnce(ORDERS, doc))) {
        const first = await findOrder(orderId);
        if (!first) throw new AppError('E_CONFLICT');
        assertSameRequest(storedBody(first), asked, OTHER_ORDER);
        return toDetail(first, viewer, ctx.now);
      }
      await countOrder('created', doc, ctx.now);
      await audit(fctx, { target: `order:${orderId}`, after: { status: 'pending', forOpenid: elder.openid } });
      await tell(fctx, await workersOf(fctx.communityId), {
        type: 'order.created',
        title: `新订单待派单：${service.name}`,
        body: `${elder.building} ${elder.name}（家属代下单），请在 ${minutesText(limits.dispatch)}内派单`,
        link: orderLink(orderId),
      });
      // The elder and the other linked relatives hear of it; the one who placed it knows.
      await tellParties(
        fctx,
        doc,
        {
          type: 'order.created',
          title: `您的${fctx.family.relation}${fctx.family.relativeName}为您下单：${service.name}`,
          body: '社区会尽快派单',
          link: orderLink(orderId),
        },
        [],
        ctx.openid,
      );
      return toDetail(doc, viewer, ctx.now);
    },
  }),

  familyOrders: action({
    schema: s.familyOrders,
    roles: 'identified',
    handler: async ({ linkId, page }, ctx) => {
      const fctx = await byLink(ctx, linkId);
      const pageNo = page ?? 1;
      const { docs, hasMore } = await readPage<OrderDoc>(
        collection(ORDERS).where({ communityId: fctx.communityId, forOpenid: fctx.elder.openid }).orderBy('createdAt', 'desc'),
        pageNo,
      );
      return toPage(docs, viewerOf(fctx), ctx.now, pageNo, hasMore);
    },
  }),

  familyGet: action({
    schema: s.familyGet,
    roles: 'identified',
    handler: async ({ orderId }, ctx) => {
      const { fctx, order } = await byOrder(ctx, orderId);
      return toDetail(order, viewerOf(fctx), ctx.now);
    },
  }),

  familyCancel: action({
    schema: s.familyCancel,
    roles: 'identified',
    limit: 'text',
    handler: async ({ orderId, reason }, ctx) => {
      const { fctx } = await byOrder(ctx, orderId);
      return transitionActions.cancel.handler({ orderId, reason }, fctx);
    },
  }),

  familyRate: action({
    schema: s.familyRate,
    roles: 'identified',
    limit: 'text',
    handler: async ({ orderId, stars, comment }, ctx) => {
      const { fctx } = await byOrder(ctx, orderId);
      return transitionActions.rate.handler({ orderId, stars, comment }, fctx);
    },
  }),
};
