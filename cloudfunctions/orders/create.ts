// 群众点单: placing an order, for oneself or (代点单) for someone else. Repeatable: the client's
// request id decides the order id, so a retried submission answers the order it already made;
// the same id with another body answers E_CONFLICT (common/request.ts).
import { createHash } from 'crypto';
import { audit } from '../common/audit';
import { insertOnce } from '../common/cas';
import { AppError } from '../common/errors';
import { checkAttachments } from '../common/files';
import { checkVoiceFile, submitVoiceCheck } from '../common/voice';
import { assertSameRequest, type RequestBody } from '../common/request';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { ordersSchemas as s } from './api';
import { effectiveLimits } from './clock';
import { countOrder } from './counters';
import { newOrderDoc, orderLink, timelineEntry } from './lifecycle';
import { beneficiaryFor, loadMenu } from './menu';
import { ORDERS, type OrderDoc } from './model';
import { ineligibility, viewerOf } from './rules';
import { findOrder, findService, requireCommunity, workersOf } from './store';
import { minutesText, tell } from './transition';
import { toDetail } from './view';

/** Deterministic order id: the same caller repeating the same request id lands on one document. */
export function orderIdFor(communityId: string, openid: string, requestId: string): string {
  return `o_${createHash('sha256').update(`${communityId}\n${openid}\n${requestId}`).digest('hex').slice(0, 32)}`;
}

/**
 * What makes two creates the same request: the service, the text and the pictures as stored, and
 * for whom (absent = the caller). The caller is the same by construction (the id includes them).
 */
const askedBody = (
  input: {
    serviceId: string;
    description?: string;
    photos?: string[];
    forOpenid?: string;
    voice?: { fileId: string; seconds: number };
    transcript?: string;
  },
  ctx: MemberCtx,
): RequestBody => ({
  serviceId: input.serviceId,
  description: input.description ?? '',
  photos: input.photos ?? [],
  forOpenid: input.forOpenid ?? ctx.openid,
  voice: input.voice?.fileId ?? '',
  transcript: input.transcript ?? '',
});
export const storedBody = (o: OrderDoc): RequestBody => ({
  serviceId: o.serviceId,
  description: o.description,
  photos: o.photos,
  forOpenid: o.forOpenid,
  voice: o.voice?.fileId ?? '',
  transcript: o.voice?.transcript ?? '',
});
export const OTHER_ORDER =
  '这个请求编号已用于另一笔内容不同的订单。请先到“我的订单”查看上一笔是否已提交；确需再下一单，请重新提交';

export const createActions = {
  create: action({
    schema: s.create,
    roles: ANY_MEMBER,
    limit: 'order',
    handler: async (input, ctx) => {
      const viewer = viewerOf(ctx);
      const orderId = orderIdFor(ctx.communityId, ctx.openid, input.requestId);
      const asked = askedBody(input, ctx);
      const repeated = await findOrder(orderId);
      if (repeated) {
        assertSameRequest(storedBody(repeated), asked, OTHER_ORDER);
        return toDetail(repeated, viewer, ctx.now);
      }

      const beneficiary = await beneficiaryFor(ctx, input.forOpenid);
      const forSomeoneElse = beneficiary.openid !== ctx.openid;
      let service = await findService(input.serviceId);
      if (!service && input.serviceId.startsWith(`${ctx.communityId}:`)) {
        // A community whose menu nobody has opened yet: give it the catalogue, then look again.
        await loadMenu(ctx.communityId, ctx.now);
        service = await findService(input.serviceId);
      }
      if (!service || service.communityId !== ctx.communityId)
        throw new AppError('E_NOT_FOUND', '服务项目不存在，请刷新服务菜单');
      if (!service.enabled) throw new AppError('E_CONFLICT', '该服务已暂停，请选择其他服务');
      const reason = ineligibility(service, beneficiary, forSomeoneElse);
      if (reason) throw new AppError('E_FORBIDDEN', reason);
      await checkAttachments(input.photos ?? [], ctx.openid);
      if (input.voice) await checkVoiceFile(input.voice.fileId, ctx.openid);
      const community = await requireCommunity(ctx.communityId);
      const limits = effectiveLimits(community.stepLimits, service.stepLimits);
      // Last before the insert: a check that cannot start refuses with nothing written.
      const voiceTraceId = input.voice ? await submitVoiceCheck(input.voice.fileId, ctx.openid) : null;

      const doc = newOrderDoc({
        _id: orderId,
        communityId: ctx.communityId,
        service,
        description: input.description ?? '',
        photos: input.photos ?? [],
        voice: input.voice ? { ...input.voice, transcript: input.transcript, check: 'checking', checkedAt: null } : undefined,
        voiceTraceId,
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
        // A concurrent repeat of the same request won the insert: answer its order.
        const first = await findOrder(orderId);
        if (!first) throw new AppError('E_CONFLICT');
        assertSameRequest(storedBody(first), asked, OTHER_ORDER);
        return toDetail(first, viewer, ctx.now);
      }
      await countOrder('created', doc, ctx.now);
      await audit(ctx, { target: `order:${orderId}`, after: { status: 'pending', forOpenid: beneficiary.openid } });
      await tell(ctx, await workersOf(ctx.communityId), {
        type: 'order.created',
        title: `新订单待派单：${service.name}`,
        body: `${beneficiary.building} ${beneficiary.name}${input.voice ? '（语音留言）' : ''}，请在 ${minutesText(limits.dispatch)}内派单`,
        link: orderLink(orderId),
      });
      return toDetail(doc, viewer, ctx.now);
    },
  }),
};
