// Leaving a community (the member) and removing a member from it (workers).
import { AppError } from '../common/errors';
import { notify } from '../common/notify';
import { action } from '../common/router';
import { memberSchemas as s } from './api';
import { currentCommunityOf, endMembership } from './departure';
import { requireMemberIn } from './store';
import { toMemberView, viewerOf } from './views';

export const leaveActions = {
  leave: action({
    schema: s.leave,
    roles: 'identified',
    handler: async (_input, ctx) => {
      const m = ctx.member;
      if (!m || (m.status !== 'active' && m.status !== 'pending')) {
        throw new AppError('E_NOT_MEMBER', '您当前没有加入社区，无需退出');
      }
      const departure = await endMembership(ctx, m, { status: 'left', actor: { openid: m.openid, name: m.name } });
      return { ...departure, currentCommunityId: await currentCommunityOf(ctx.openid) };
    },
  }),

  remove: action({
    schema: s.remove,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ openid, reason }, ctx) => {
      if (openid === ctx.openid) throw new AppError('E_FORBIDDEN', '不能移出自己；如需离开，请在“我的”里退出社区');
      const target = await requireMemberIn(ctx, openid);
      if (target.status !== 'active') throw new AppError('E_CONFLICT', '只能移出已加入的成员；待审核的申请请使用“不通过”');
      await endMembership(ctx, target, { status: 'removed', actor: { openid: ctx.openid, name: ctx.member.name }, reason });
      await notify(
        ctx.communityId,
        [openid],
        { type: 'member.removed', title: '您已被移出社区', body: reason ?? '如有疑问请联系社区工作人员' },
        ctx.now,
      );
      return toMemberView({ ...target, status: 'removed', onDuty: false, version: target.version + 1 }, viewerOf(ctx));
    },
  }),
};
