// 一键求助 (docs/orders.md, "一键求助"): an elder taps one button; an urgent order with the shortest
// clocks is placed for her, straight into the hall (open), the community's workers and the on-duty volunteers of her building are
// told at once (one insert of all their messages), and the answer carries the duty phone to call.
// Once per request id (a double tap, a retry: one order) and rate-limited (`help`, common/limits.ts).
import { audit } from '../common/audit';
import { insertOnce } from '../common/cas';
import { elderOn } from '../common/elder-mode';
import { AppError } from '../common/errors';
import type { MemberDoc } from '../common/model';
import { notify } from '../common/notify';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import type { Tag } from '../common/roles';
import { ordersSchemas as s, type HelpAnswer } from './api';
import { effectiveLimits, type StepLimits } from './clock';
import { orderIdFor } from './create';
import { countOrder } from './counters';
import { newOrderDoc, orderLink, timelineEntry } from './lifecycle';
import { ORDERS, type OrderDoc } from './model';
import { viewerOf } from './rules';
import { findOrder, onDutyVolunteers, requireCommunity, workersOf } from './store';
import { toDetail } from './view';

/** Tags that make a member an elder who may call for help. */
export const ELDER_TAGS: readonly Tag[] = ['独居老人', '高龄'];

/**
 * Whether a member may use 一键求助: a worker tagged them 独居老人 or 高龄 (even with elder mode
 * switched off), or elder mode (长辈模式) is on for them.
 */
export function mayAskHelp(member: MemberDoc): boolean {
  return member.tags.some((t) => ELDER_TAGS.includes(t)) || elderOn(member);
}

/** The shortest clocks the menu allows (5 minutes) for finding and accepting; an hour to be there. */
export const HELP_LIMITS: Pick<StepLimits, 'dispatch' | 'accept' | 'serve'> = { dispatch: 5, accept: 5, serve: 60 };

export const HELP_SERVICE = { code: 'help', name: '一键求助' } as const;

/** Help orders carry the caller's request id under their own prefix: never the id of an ordinary order. */
const helpOrderId = (ctx: MemberCtx, requestId: string) => orderIdFor(ctx.communityId, ctx.openid, `help:${requestId}`);

/** On-duty volunteers of the building; none there: of the grid; none there either: all on duty. */
function nearest(volunteers: MemberDoc[], elder: MemberDoc): MemberDoc[] {
  const others = volunteers.filter((v) => v.openid !== elder.openid);
  const building = others.filter((v) => v.building === elder.building);
  if (building.length > 0) return building;
  const grid = elder.gridId ? others.filter((v) => v.gridId === elder.gridId) : [];
  return grid.length > 0 ? grid : others;
}

export const helpActions = {
  help: action({
    schema: s.help,
    roles: ANY_MEMBER,
    limit: 'help',
    handler: async ({ requestId }, ctx): Promise<HelpAnswer> => {
      if (!mayAskHelp(ctx.member))
        throw new AppError('E_FORBIDDEN', '一键求助供社区登记的独居、高龄老人和开启长辈模式的居民使用；如需帮助请下单或联系社区');
      const viewer = viewerOf(ctx);
      const orderId = helpOrderId(ctx, requestId);
      const community = await requireCommunity(ctx.communityId);
      const answer = (order: OrderDoc, notified: number): HelpAnswer => ({
        order: toDetail(order, viewer, ctx.now),
        notified,
        dutyPhone: community.dutyPhone,
      });
      const repeated = await findOrder(orderId);
      if (repeated) return answer(repeated, 0);

      const elder = ctx.member;
      const limits = { ...effectiveLimits(community.stepLimits), ...HELP_LIMITS };
      const doc = newOrderDoc({
        _id: orderId,
        communityId: ctx.communityId,
        service: { _id: `${ctx.communityId}:${HELP_SERVICE.code}`, name: HELP_SERVICE.name, tier: 'basic', price: 0, skills: [] },
        description: '',
        photos: [],
        urgent: true,
        orderedBy: { openid: ctx.openid, name: elder.name },
        beneficiary: {
          openid: elder.openid,
          name: elder.name,
          building: elder.building,
          room: elder.room,
          phone: elder.phone,
          gridId: elder.gridId,
        },
        limits,
        timeline: [
          timelineEntry(ctx.openid, elder.name, 'create', ctx.now, '一键求助'),
          timelineEntry(ctx.openid, elder.name, 'release', ctx.now, '紧急求助直接进入接单大厅'),
        ],
        now: ctx.now,
      });
      // Straight to the hall: any volunteer on duty may take it at once; workers may still dispatch.
      doc.status = 'open';
      if (!(await insertOnce(ORDERS, doc))) {
        // A concurrent tap with the same request id won: answer its order, tell nobody again.
        const first = await findOrder(orderId);
        if (!first) throw new AppError('E_CONFLICT');
        return answer(first, 0);
      }
      await countOrder('created', doc, ctx.now);
      await audit(ctx, { target: `order:${orderId}`, after: { status: 'pending', urgent: true } });
      const [workers, volunteers] = await Promise.all([workersOf(ctx.communityId), onDutyVolunteers(ctx.communityId)]);
      const to = [...workers, ...nearest(volunteers, elder).map((v) => v.openid)].filter((o) => o !== ctx.openid);
      const notified = await notify(
        ctx.communityId,
        to,
        {
          type: 'order.help',
          title: `紧急求助：${elder.building} ${elder.name}`,
          body: `${elder.name}按下了一键求助，请在 ${HELP_LIMITS.dispatch} 分钟内联系或上门`,
          link: orderLink(orderId),
          key: `help:${orderId}`,
        },
        ctx.now,
      );
      return answer(doc, notified);
    },
  }),
};
