// Joining: invites (workers make them), what an invite opens, and the application itself.
import { audit, auditIn } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { cmd, collection, findById } from '../common/db';
import { sameRoom } from '../common/household';
import { AppError } from '../common/errors';
import { buildingsOf, gridOf, memberId, type HouseholdProof, type InviteDoc, type MemberDoc } from '../common/model';
import { notify } from '../common/notify';
import { action } from '../common/router';
import { memberSchemas as s } from './api';
import { askHousehold } from './household';
import { requireCommunity, requireInvite, setCurrentCommunity, workersOf } from './store';
import { toMemberView } from './views';

const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: codes are read aloud
const INVITE_DAYS = 30;

function sameApplication(m: MemberDoc, details: Partial<MemberDoc>, status: MemberDoc['status']): boolean {
  if (m.status !== status) return false;
  return (Object.keys(details) as (keyof MemberDoc)[]).every((k) => m[k] === details[k]);
}

export const joinActions = {
  inviteInfo: action({
    schema: s.inviteInfo,
    roles: 'identified',
    handler: async ({ inviteCode }, ctx) => {
      const invite = await requireInvite(inviteCode, ctx.now);
      const community = await requireCommunity(invite.communityId);
      return {
        communityName: community.name,
        building: invite.building,
        buildings: invite.building ? [invite.building] : buildingsOf(community),
        autoApprove: invite.autoApprove,
      };
    },
  }),

  join: action({
    schema: s.join,
    roles: 'identified',
    limit: 'join',
    handler: async (input, ctx) => {
      const invite = await requireInvite(input.inviteCode, ctx.now);
      const community = await requireCommunity(invite.communityId);
      if (invite.building && input.building && input.building !== invite.building) {
        throw new AppError('E_VALIDATION', `此邀请仅限${invite.building}居民，请向社区工作人员索取本楼的邀请`);
      }
      const building = invite.building ?? input.building;
      if (!building) throw new AppError('E_VALIDATION', '请选择楼栋');
      if (!buildingsOf(community).includes(building)) throw new AppError('E_VALIDATION', '所选楼栋不在本社区，请重新选择');

      const id = memberId(community._id, ctx.openid);
      let member = await findById<MemberDoc>('members', id);
      // Someone a worker removed applies again through a worker, whatever the invite says.
      const status = invite.autoApprove && member?.status !== 'removed' ? 'active' : 'pending';
      const details = {
        name: input.name,
        building,
        room: input.room,
        phone: input.phone,
        gridId: gridOf(community, building),
        inviteCode: invite._id,
      };
      /** Whose household to ask: set when this call created the membership or moved it to another room. */
      let ask = false;
      if (member?.status === 'active') {
        // Already in: joining again changes nothing, it just makes this community current.
      } else if (member && sameApplication(member, details, status)) {
        // The same application sent again (a double tap, a retry): nothing to change.
      } else if (member) {
        // A pending applicant correcting details, or a rejected one applying again. Losing the
        // race to an identical application is not an error: that application is this one.
        // Someone who left (or was removed) starts again as a plain resident: roles, tags, skills and
        // the room's proof were the old membership's.
        const returning = member.status === 'left' || member.status === 'removed';
        const fresh: Partial<MemberDoc> = returning
          ? { roles: ['resident'], tags: [], skills: [], onDuty: false, joinedAt: ctx.now }
          : {};
        // Another building or room is another claim: whatever proved the old one proves nothing now.
        const reclaim = returning || !sameRoom(member, details);
        const claimed: HouseholdProof = { status: 'claimed' };
        try {
          await compareAndSet(
            'members',
            { _id: id, version: member.version },
            { ...details, ...fresh, ...(reclaim ? { household: cmd().set(claimed) } : {}), status, updatedAt: ctx.now },
          );
          const was = member;
          member = {
            ...member,
            ...details,
            ...fresh,
            ...(reclaim ? { household: claimed } : {}),
            status,
            version: member.version + 1,
          };
          await auditIn(ctx, community._id, {
            target: `member:${id}`,
            before: { status: was.status, building: was.building, room: was.room },
            after: { status, building: details.building, room: details.room },
          });
          ask = reclaim;
        } catch (err) {
          const now = await findById<MemberDoc>('members', id);
          if (!now || !sameApplication(now, details, status)) throw err;
          member = now;
        }
      } else {
        const doc: MemberDoc = {
          _id: id,
          communityId: community._id,
          openid: ctx.openid,
          ...details,
          status,
          household: { status: 'claimed' },
          roles: ['resident'],
          tags: [],
          skills: [],
          onDuty: false,
          joinedAt: ctx.now,
          updatedAt: ctx.now,
          version: 1,
        };
        const created = await insertOnce('members', doc);
        member = created ? doc : await findById<MemberDoc>('members', id);
        if (!member) throw new AppError('E_CONFLICT');
        ask = created;
        if (created) {
          await auditIn(ctx, community._id, {
            target: `member:${id}`,
            after: { status, building: doc.building, room: doc.room },
            note: `邀请码 ${invite._id}`,
          });
          await collection('invites')
            .doc(invite._id)
            .update({ uses: cmd().inc(1) });
          if (status === 'pending') {
            await notify(
              community._id,
              await workersOf(community._id),
              {
                type: 'system',
                title: '有新的入社区申请待审核',
                body: `${building}住户申请加入`,
                link: '/packages/worker/members/index',
              },
              ctx.now,
            );
          }
        }
      }
      if (ask) await askHousehold(member, ctx.now);
      await setCurrentCommunity(ctx.openid, community._id, ctx.now);
      return toMemberView(member, { openid: ctx.openid, isWorker: false });
    },
  }),

  createInvite: action({
    schema: s.createInvite,
    roles: ['worker'],
    handler: async (input, ctx) => {
      if (input.building) {
        const community = await requireCommunity(ctx.communityId);
        if (!buildingsOf(community).includes(input.building)) throw new AppError('E_VALIDATION', '所选楼栋不在本社区');
      }
      const expiresAt = new Date(ctx.now.getTime() + (input.expiresInDays ?? INVITE_DAYS) * 86400_000);
      for (let attempt = 0; attempt < 5; attempt++) {
        let code = '';
        for (let i = 0; i < 8; i++) code += INVITE_ALPHABET[Math.floor(Math.random() * INVITE_ALPHABET.length)];
        const doc: InviteDoc = {
          _id: code,
          communityId: ctx.communityId,
          building: input.building,
          autoApprove: input.autoApprove ?? false,
          createdBy: ctx.openid,
          createdAt: ctx.now,
          expiresAt,
          uses: 0,
        };
        if (await insertOnce('invites', doc)) {
          await audit(ctx, { target: `invite:${code}`, after: { building: doc.building, autoApprove: doc.autoApprove } });
          return { inviteCode: code, building: doc.building, autoApprove: doc.autoApprove, expiresAt: expiresAt.toISOString() };
        }
      }
      throw new AppError('E_INTERNAL');
    },
  }),
};
