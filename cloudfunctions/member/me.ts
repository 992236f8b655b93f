// The caller's own membership: who am I here, and which community is current.
import { findById } from '../common/db';
import { AppError } from '../common/errors';
import { memberId, type MemberDoc } from '../common/model';
import { action } from '../common/router';
import { memberSchemas as s } from './api';
import { setCurrentCommunity } from './store';
import { meView } from './views';

export const meActions = {
  me: action({
    schema: s.me,
    roles: 'identified',
    handler: async (_input, ctx) => (ctx.member ? meView(ctx, ctx.member) : null),
  }),

  switchCommunity: action({
    schema: s.switchCommunity,
    roles: 'identified',
    handler: async ({ communityId }, ctx) => {
      const member = await findById<MemberDoc>('members', memberId(communityId, ctx.openid));
      if (!member) throw new AppError('E_NOT_MEMBER', '您还不是该社区成员');
      if (member.status === 'left') throw new AppError('E_NOT_MEMBER', '您已退出该社区，如需重新加入请向社区工作者索取邀请');
      await setCurrentCommunity(ctx.openid, communityId, ctx.now);
      return meView(ctx, member);
    },
  }),
};
