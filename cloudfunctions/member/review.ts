// Workers' side of membership: approve or reject applicants, roles, tags, the member list.
import { cmd, collection } from '../common/db';
import { AppError } from '../common/errors';
import type { MemberDoc, TagProof } from '../common/model';
import { notify } from '../common/notify';
import { readPage } from '../common/paging';
import { action, type MemberCtx } from '../common/router';
import { memberSchemas as s, type Role, type Tag } from './api';
import { changeMember } from './change';
import { requireMemberIn } from './store';
import { toMemberView, viewerOf } from './views';

/**
 * The proofs after a setTags: a tag added now (or kept without a proof, when a note is given) gets
 * this call's note, worker and time; a kept tag keeps its proof; a removed tag loses it.
 */
function tagProofsAfter(ctx: MemberCtx, target: MemberDoc, tags: Tag[], note: string | undefined): TagProof[] {
  const old = target.tagProofs ?? [];
  return tags.flatMap((tag): TagProof[] => {
    const kept = target.tags.includes(tag) ? old.find((p) => p.tag === tag) : undefined;
    if (kept) return [kept];
    if (target.tags.includes(tag) && !note) return [];
    return [{ tag, ...(note ? { note } : {}), by: ctx.openid, byName: ctx.member.name, at: ctx.now }];
  });
}

export const reviewActions = {
  approve: action({
    schema: s.approve,
    roles: ['worker'],
    handler: async ({ openid }, ctx) => {
      const target = await requireMemberIn(ctx, openid);
      if (target.status !== 'pending') throw new AppError('E_CONFLICT', '该成员不在待审核状态，请刷新列表');
      const view = await changeMember(ctx, target, { status: 'active' }, '该申请已被处理，请刷新列表');
      await notify(
        ctx.communityId,
        [openid],
        { type: 'member.approved', title: '您已通过社区审核，欢迎加入', link: '/pages/home/index' },
        ctx.now,
      );
      return view;
    },
  }),

  reject: action({
    schema: s.reject,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ openid, reason }, ctx) => {
      const target = await requireMemberIn(ctx, openid);
      if (target.status !== 'pending') throw new AppError('E_CONFLICT', '该成员不在待审核状态，请刷新列表');
      const view = await changeMember(ctx, target, { status: 'rejected', rejectReason: reason }, '该申请已被处理，请刷新列表');
      await notify(
        ctx.communityId,
        [openid],
        { type: 'member.rejected', title: '您的入社区申请未通过', body: reason ?? '如有疑问请联系社区工作人员' },
        ctx.now,
      );
      return view;
    },
  }),

  setRoles: action({
    schema: s.setRoles,
    roles: ['worker'],
    handler: async ({ openid, roles, version }, ctx) => {
      const target = await requireMemberIn(ctx, openid, version);
      if (target.status !== 'active') throw new AppError('E_CONFLICT', '只能为已加入的成员设置角色');
      const next: Role[] = ['resident', ...(['volunteer', 'worker', 'property'] as const).filter((r) => roles.includes(r))];
      if (openid === ctx.openid && !next.includes('worker')) {
        throw new AppError('E_FORBIDDEN', '不能取消自己的社区工作者角色，请由其他工作人员操作');
      }
      const patch: Partial<MemberDoc> = { roles: next };
      if (!next.includes('volunteer')) patch.onDuty = false;
      return changeMember(ctx, target, patch, '成员信息已被修改，请刷新后重试');
    },
  }),

  setTags: action({
    schema: s.setTags,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ openid, tags, note, version }, ctx) => {
      const target = await requireMemberIn(ctx, openid, version);
      const next = [...new Set(tags)];
      const tagProofs = tagProofsAfter(ctx, target, next, note);
      return changeMember(ctx, target, { tags: next, tagProofs }, '成员信息已被修改，请刷新后重试');
    },
  }),

  list: action({
    schema: s.list,
    roles: ['worker'],
    handler: async (input, ctx) => {
      const where: Record<string, unknown> = { communityId: ctx.communityId };
      if (input.status) where.status = input.status;
      if (input.building) where.building = input.building;
      if (input.role) where.roles = input.role;
      // A membership without a proof is claimed: "not verified and not disputed" finds both.
      if (input.household) {
        where['household.status'] = input.household === 'claimed' ? cmd().nin(['verified', 'disputed']) : input.household;
      }
      const page = input.page ?? 1;
      const { docs, hasMore } = await readPage<MemberDoc>(collection('members').where(where).orderBy('joinedAt', 'desc'), page);
      const viewer = viewerOf(ctx);
      return { items: docs.map((m) => toMemberView(m, viewer)), page, hasMore };
    },
  }),
};
