// setElderMode: the member switches 长辈模式 for themself, a worker for a member of the community,
// a verified member of the household for their family (docs/elder-mode.md).
import { AppError } from '../common/errors';
import { verifiedHousehold } from '../common/household';
import type { MemberDoc } from '../common/model';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { memberSchemas as s } from './api';
import { changeMember } from './change';
import { requireMemberIn } from './store';

const MISSING = '该成员不存在';

/** Whose setting the caller may change: their own; a worker any member's; family each other's. */
async function targetFor(ctx: MemberCtx, openid: string | undefined, version?: number): Promise<MemberDoc> {
  if (!openid || openid === ctx.openid) {
    if (version !== undefined && ctx.member.version !== version) throw new AppError('E_CONFLICT', '设置已被修改，请刷新后重试');
    return ctx.member;
  }
  const isWorker = ctx.member.roles.includes('worker');
  let target: MemberDoc;
  try {
    target = await requireMemberIn(ctx, openid, version);
  } catch (err) {
    // A stale version is a conflict only for someone who may see the member at all.
    if (err instanceof AppError && err.code === 'E_CONFLICT' && !isWorker) throw new AppError('E_NOT_FOUND', MISSING);
    throw err;
  }
  if (!isWorker && !verifiedHousehold(ctx.member, target)) throw new AppError('E_NOT_FOUND', MISSING);
  if (target.status !== 'active') throw new AppError('E_CONFLICT', '只能为已加入的成员设置长辈模式');
  return target;
}

export const elderActions = {
  setElderMode: action({
    schema: s.setElderMode,
    roles: ANY_MEMBER,
    handler: async ({ openid, mode, version }, ctx) => {
      const target = await targetFor(ctx, openid, version);
      return changeMember(ctx, target, { elderMode: mode }, '设置已被修改，请刷新后重试');
    },
  }),
};
