// Households (docs/members.md): a member's building + room is `claimed` until a worker verifies it
// or a verified member of that household confirms the newcomer. Only verified households let one
// member act for another (orders/menu.ts beneficiaryFor) or see each other (`household`).
import { createHash } from 'crypto';
import { AppError } from '../common/errors';
import { findById } from '../common/db';
import { householdStatus, isVerifiedHousehold, sameRoom, verifiedHousehold } from '../common/household';
import { memberId, type HouseholdProof, type MemberDoc } from '../common/model';
import { notify } from '../common/notify';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { memberSchemas as s, type HouseholdAnswer, type MemberView } from './api';
import { changeMember } from './change';
import { requireMemberIn, roomMembers, workersOf } from './store';
import { toHouseholdMemberView } from './views';

export const CONFIRM_PAGE = '/packages/household/confirm/index';
const WORKER_MEMBERS_PAGE = '/packages/worker/members/index';

const where = (m: Pick<MemberDoc, 'building' | 'room'>) => `${m.building} ${m.room}`;

/**
 * Asks the verified members of `member`'s building and room whether the newcomer lives with them.
 * Called when a membership is created or its room changes; the key (membership and version) makes
 * a repeated join send nothing twice. Nobody verified there: a worker has to verify the room.
 */
export async function askHousehold(member: MemberDoc, now: Date): Promise<number> {
  const people = await roomMembers(member.communityId, member.building, member.room);
  const to = people
    .filter((p) => p.openid !== member.openid && p.status === 'active' && isVerifiedHousehold(p) && sameRoom(p, member))
    .map((p) => p.openid);
  if (to.length === 0) return 0;
  const key = createHash('sha256').update(`${member._id}\u0000${member.version}`).digest('hex').slice(0, 24);
  return notify(
    member.communityId,
    to,
    {
      type: 'member.household',
      title: `${member.name}申请加入您家（${where(member)}），是您的家人吗？`,
      body: '是家人请点「确认」；不认识请点「不是我家人」，社区工作人员会来核实。',
      link: `${CONFIRM_PAGE}?openid=${member.openid}`,
      key: `household-ask:${key}`,
    },
    now,
  );
}

const NOT_YOURS = '没有找到这条家人申请：可能已撤回，或不是申请加入您家的';

/** The claimant `openid` as the caller may answer for: same room, caller verified; otherwise not found. */
async function claimFor(ctx: MemberCtx, openid: string): Promise<MemberDoc> {
  const target = openid === ctx.openid ? null : await findById<MemberDoc>('members', memberId(ctx.communityId, openid));
  if (!target || target.status === 'rejected' || !isVerifiedHousehold(ctx.member) || !sameRoom(ctx.member, target)) {
    throw new AppError('E_NOT_FOUND', NOT_YOURS);
  }
  return target;
}

export const householdActions = {
  confirmHousehold: action({
    schema: s.confirmHousehold,
    roles: ANY_MEMBER,
    handler: async ({ openid, confirm }, ctx): Promise<MemberView> => {
      const proof: HouseholdProof = {
        status: confirm ? 'verified' : 'disputed',
        via: 'household',
        by: ctx.openid,
        byName: ctx.member.name,
        at: ctx.now,
      };
      // Another write to the member (a duty switch, a tag) must not fail the answer: read again
      // and retry while the claim is still open. Another household member's answer closes it.
      for (let attempt = 0; ; attempt++) {
        const target = await claimFor(ctx, openid);
        if (householdStatus(target) !== 'claimed') {
          throw new AppError('E_CONFLICT', '这条申请已经处理过了（可能家里其他人已回答），请刷新');
        }
        try {
          const view = await changeMember(ctx, target, { household: proof }, '这条申请刚被处理，请刷新');
          if (!confirm) {
            await notify(
              ctx.communityId,
              await workersOf(ctx.communityId),
              {
                type: 'member.household_disputed',
                title: `${target.name}的房号有异议，请核实`,
                body: `${ctx.member.name}表示${target.name}不是其家人（${where(target)}）`,
                link: `${WORKER_MEMBERS_PAGE}?status=${target.status}&household=disputed`,
              },
              ctx.now,
            );
          }
          return view;
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'E_CONFLICT' || attempt >= 2) throw err;
        }
      }
    },
  }),

  verifyHousehold: action({
    schema: s.verifyHousehold,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ openid, note }, ctx) => {
      const target = await requireMemberIn(ctx, openid);
      if (target.status === 'rejected') throw new AppError('E_CONFLICT', '该申请已被拒绝，无需核实房号');
      const proof: HouseholdProof = {
        status: 'verified',
        via: 'worker',
        by: ctx.openid,
        byName: ctx.member.name,
        ...(note ? { note } : {}),
        at: ctx.now,
      };
      const view = await changeMember(ctx, target, { household: proof }, '成员信息已被修改，请刷新后重试');
      await notify(
        ctx.communityId,
        [openid],
        {
          type: 'member.household',
          title: `社区已核实您的房号（${where(target)}）`,
          body: '同户已核实的家人之间可以互相代下单',
          link: '/pages/mine/index',
        },
        ctx.now,
      );
      return view;
    },
  }),

  household: action({
    schema: s.household,
    roles: ANY_MEMBER,
    handler: async (_input, ctx): Promise<HouseholdAnswer> => {
      const me = ctx.member;
      if (!isVerifiedHousehold(me)) return { verified: false, items: [], claims: [] };
      const people = await roomMembers(ctx.communityId, me.building, me.room);
      const byJoined = (a: MemberDoc, b: MemberDoc) => new Date(a.joinedAt).getTime() - new Date(b.joinedAt).getTime();
      return {
        verified: true,
        items: people
          .filter((p) => verifiedHousehold(me, p))
          .sort(byJoined)
          .map(toHouseholdMemberView),
        claims: people
          .filter((p) => p.openid !== me.openid && p.status !== 'rejected' && householdStatus(p) === 'claimed' && sameRoom(p, me))
          .sort(byJoined)
          .map(toHouseholdMemberView),
      };
    },
  }),
};
