// The order loop after 点单 (product.md §3): 社区派单 (dispatch, release), 党员接单 (accept, decline,
// start, complete), 组织评单 (rate, review, followUp), and cancel. Each handler is one
// `transition` (rules, compare-and-set, timeline, audit) and then tells whoever acts next.
import { AppError } from '../common/errors';
import { checkAttachments } from '../common/files';
import { action, ANY_MEMBER } from '../common/router';
import { ordersSchemas as s } from './api';
import { autoCloseAt } from './clock';
import { FOLLOW_UP_LABELS, SERVER_LABELS } from './labels';
import { countOrder } from './counters';
import { creditVolunteer, orderLink } from './lifecycle';
import type { RatingRecord } from './model';
import { sampledForFollowUp, viewerOf } from './rules';
import { findMember, loadOrder, serversFor, workersOf } from './store';
import { assertMay, minutesText, tell, tellParties, transition } from './transition';
import { toDetail } from './view';

export const transitionActions = {
  dispatch: action({
    schema: s.dispatch,
    roles: ['worker'],
    handler: async ({ orderId, volunteerOpenid }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      assertMay(ctx, 'dispatch', order);
      const v = await findMember(ctx.communityId, volunteerOpenid);
      // A property order goes to the property company's staff, any other to a volunteer on duty.
      const property = order.servedBy === 'property';
      if (!v || v.status !== 'active' || !v.roles.includes(property ? 'property' : 'volunteer')) {
        throw new AppError(
          'E_NOT_FOUND',
          property ? '该物业人员不存在或已不是物业人员，请重新选择' : '该志愿者不存在或已不是志愿者，请重新选择',
        );
      }
      if (!property && !v.onDuty) throw new AppError('E_CONFLICT', `${v.name}当前离岗，请选择在岗志愿者`);
      if (order.parties.includes(v.openid)) throw new AppError('E_CONFLICT', '不能派给下单人或服务对象本人');
      const next = await transition(ctx, order, 'dispatch', {
        to: 'dispatched',
        event: 'dispatch',
        note: `派给${v.name}`,
        set: { volunteerOpenid: v.openid, volunteerName: v.name, volunteerPhone: v.phone ?? null },
        clock: 'accept',
      });
      await tell(ctx, [v.openid], {
        type: 'order.dispatched',
        title: `派给您的订单：${order.serviceName}`,
        body: `${order.beneficiary.building} ${order.beneficiary.name}，请在 ${minutesText(order.limits.accept)}内接单或拒单`,
        link: orderLink(order._id),
      });
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  release: action({
    schema: s.release,
    roles: ['worker'],
    handler: async ({ orderId }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      const next = await transition(ctx, order, 'release', { to: 'open', event: 'release' });
      const volunteers = await serversFor(order);
      await tell(
        ctx,
        volunteers.map((v) => v.openid).filter((o) => !order.parties.includes(o)),
        {
          type: 'order.released',
          title: `接单大厅有新订单：${order.serviceName}`,
          body: `${order.beneficiary.building}，先到先得`,
          link: orderLink(order._id),
        },
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  accept: action({
    schema: s.accept,
    roles: ['volunteer', 'property'],
    handler: async ({ orderId }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      const grab = order.status === 'open';
      const next = await transition(ctx, order, 'accept', {
        to: 'accepted',
        event: grab ? 'grab' : 'accept',
        set: { volunteerOpenid: ctx.openid, volunteerName: ctx.member.name, volunteerPhone: ctx.member.phone ?? null },
        clock: 'serve',
        conflict: grab ? '手慢了，该订单已被其他志愿者接单' : '订单状态已变化，请刷新后重试',
      });
      await tellParties(
        ctx,
        order,
        {
          type: 'order.accepted',
          title: `${SERVER_LABELS[order.servedBy ?? 'volunteer']}${ctx.member.name}已接单：${order.serviceName}`,
          body: `将在 ${minutesText(order.limits.serve)}内完成服务，可在订单详情联系${SERVER_LABELS[order.servedBy ?? 'volunteer']}`,
          link: orderLink(order._id),
        },
        [],
        ctx.openid,
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  decline: action({
    schema: s.decline,
    roles: ['volunteer', 'property'],
    limit: 'text',
    handler: async ({ orderId, reason }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      assertMay(ctx, 'decline', order);
      const next = await transition(ctx, order, 'decline', {
        to: 'pending',
        event: 'decline',
        note: reason,
        set: { volunteerOpenid: null, volunteerName: null, volunteerPhone: null },
        push: { passedOver: { openid: ctx.openid, name: ctx.member.name, reason, timedOut: false, at: ctx.now } },
        clock: 'dispatch',
      });
      await tell(ctx, await workersOf(ctx.communityId), {
        type: 'order.declined',
        title: `${ctx.member.name}拒单，请重新派单：${order.serviceName}`,
        body: `原因：${reason}`,
        link: orderLink(order._id),
      });
      if (order.status === 'accepted') {
        // The residents heard of the acceptance (accept tells them); of a dispatch they never heard.
        await tellParties(ctx, order, {
          type: 'order.declined',
          title: `${SERVER_LABELS[order.servedBy ?? 'volunteer']}无法继续服务，社区将重新安排：${order.serviceName}`,
          link: orderLink(order._id),
        });
      }
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  start: action({
    schema: s.start,
    roles: ['volunteer', 'property'],
    handler: async ({ orderId }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      const next = await transition(ctx, order, 'start', { to: 'in_service', event: 'start' });
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  complete: action({
    schema: s.complete,
    roles: ['volunteer', 'property'],
    limit: 'text',
    handler: async ({ orderId, note, photos }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      assertMay(ctx, 'complete', order);
      await checkAttachments(photos ?? [], ctx.openid);
      const next = await transition(ctx, order, 'complete', {
        to: 'completed',
        event: 'complete',
        note,
        set: {
          completion: { note, photos: photos ?? [], at: ctx.now },
          autoCloseAt: autoCloseAt(ctx.now),
          // The serve step finished inside its time (the property company's on-time rate, docs/property.md).
          completedOnTime: !order.redAt || ctx.now.getTime() <= new Date(order.redAt).getTime(),
        },
        clock: null,
      });
      await tellParties(ctx, order, {
        type: 'order.completed',
        title: `服务已完成，请评价：${order.serviceName}`,
        body: `${SERVER_LABELS[order.servedBy ?? 'volunteer']}${ctx.member.name}：${note}`,
        link: orderLink(order._id),
      });
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  rate: action({
    schema: s.rate,
    roles: ANY_MEMBER,
    limit: 'text',
    handler: async ({ orderId, stars, comment }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      assertMay(ctx, 'rate', order);
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
        ctx,
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
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  review: action({
    schema: s.review,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ orderId, result, note }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      assertMay(ctx, 'review', order);
      if (result === 'rework' && !note) throw new AppError('E_VALIDATION', '请填写需要返工的原因，志愿者会看到');
      const review = { result, by: ctx.openid, at: ctx.now, ...(note ? { note } : {}) };
      if (result === 'pass') {
        const next = await transition(ctx, order, 'review', {
          to: 'closed',
          event: 'pass',
          note,
          set: { review, closedAt: ctx.now },
          clock: null,
        });
        await countOrder('closed', next, ctx.now);
        const points = await creditVolunteer(next, ctx.now);
        await tell(ctx, [next.volunteerOpenid], {
          type: 'order.closed',
          title: `订单已办结：${order.serviceName}`,
          body: points > 0 ? `感谢您的服务，积分 +${points}` : '感谢您的服务',
          link: orderLink(order._id),
          // The timer's auto-close sends the same key: the volunteer hears of the closing once.
          key: `order:${order._id}:closed`,
        });
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
      await tell(ctx, [order.volunteerOpenid], {
        type: 'order.rework',
        title: `订单需返工：${order.serviceName}`,
        body: `${note}；请在 ${minutesText(order.limits.serve)}内完成`,
        link: orderLink(order._id),
      });
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),

  followUp: action({
    schema: s.followUp,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ orderId, result, note }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      assertMay(ctx, 'followUp', order);
      const followUp = { needed: true, result, by: ctx.openid, at: ctx.now, ...(note ? { note } : {}) };
      // The status stays: a follow-up call records, it does not move the order.
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
    limit: 'text',
    handler: async ({ orderId, reason }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      assertMay(ctx, 'cancel', order);
      const next = await transition(ctx, order, 'cancel', {
        to: 'cancelled',
        event: 'cancel',
        note: reason,
        set: { cancellation: { reason, by: ctx.openid, byName: ctx.member.name, at: ctx.now } },
        clock: null,
      });
      await countOrder('cancelled', next, ctx.now);
      await tellParties(
        ctx,
        order,
        {
          type: 'order.cancelled',
          title: `订单已取消：${order.serviceName}`,
          body: `原因：${reason}`,
          link: orderLink(order._id),
        },
        [order.volunteerOpenid],
        ctx.openid,
      );
      return toDetail(next, viewerOf(ctx), ctx.now);
    },
  }),
};
