// member: joining by invite, approval, roles and tags, and the caller's own membership.
import { AppError } from '../common/errors';
import { audit } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { assertCleanText } from '../common/content';
import { cmd, collection, findById, getAll } from '../common/db';
import { readPage } from '../common/paging';
import { notify } from '../common/notify';
import { buildingsOf, gridOf, memberId, type CommunityDoc, type InviteDoc, type MemberDoc } from '../common/model';
import { maskPhone } from '../common/mask';
import { action, createFunction, type Ctx, type MemberCtx } from '../common/router';
import { uploadPrefix } from '../common/files';
import { memberSchemas as s, type CommunitySummary, type MeView, type MemberApi, type MemberView, type Role } from './api';

const INVITE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: codes are read aloud
const INVITE_DAYS = 30;

export function toMemberView(m: MemberDoc, viewer: { openid: string; isWorker: boolean }): MemberView {
  const whole = viewer.isWorker || viewer.openid === m.openid;
  return {
    _id: m._id,
    communityId: m.communityId,
    openid: m.openid,
    name: m.name,
    building: m.building,
    room: m.room,
    phone: whole ? m.phone : maskPhone(m.phone),
    status: m.status,
    roles: m.roles,
    tags: m.tags,
    skills: m.skills,
    onDuty: m.onDuty,
    gridId: m.gridId,
    joinedAt: new Date(m.joinedAt).toISOString(),
  };
}

const viewerOf = (ctx: Ctx) => ({
  openid: ctx.openid,
  isWorker: ctx.member?.status === 'active' && ctx.member.roles.includes('worker'),
});

async function requireCommunity(id: string): Promise<CommunityDoc> {
  const community = await findById<CommunityDoc>('communities', id);
  if (!community) throw new AppError('E_NOT_FOUND', '社区不存在');
  return community;
}

async function requireInvite(code: string, now: Date): Promise<InviteDoc> {
  const invite = await findById<InviteDoc>('invites', code);
  if (!invite || new Date(invite.expiresAt) <= now) {
    throw new AppError('E_NOT_FOUND', '邀请码无效或已过期，请向社区工作人员索取新的邀请');
  }
  return invite;
}

/** A member of the caller's community, by openid. */
async function requireMemberIn(ctx: MemberCtx, openid: string): Promise<MemberDoc> {
  const m = await findById<MemberDoc>('members', memberId(ctx.communityId, openid));
  if (!m) throw new AppError('E_NOT_FOUND', '该成员不存在');
  return m;
}

async function meView(ctx: Ctx, member: MemberDoc): Promise<MeView> {
  const memberships = await getAll<MemberDoc>(collection('members').where({ openid: ctx.openid }).limit(50));
  const ids = memberships.map((m) => m.communityId);
  const communities = await getAll<CommunityDoc>(
    collection('communities')
      .where({ _id: cmd().in(ids) })
      .limit(50),
  );
  const names = new Map(communities.map((c) => [c._id, c.name]));
  const current = communities.find((c) => c._id === member.communityId);
  const summaries: CommunitySummary[] = memberships.map((m) => ({
    communityId: m.communityId,
    name: names.get(m.communityId) ?? m.communityId,
    status: m.status,
  }));
  return {
    ...toMemberView(member, { openid: ctx.openid, isWorker: true }),
    communityName: current?.name ?? member.communityId,
    buildings: current ? buildingsOf(current) : [],
    communities: summaries,
    uploadPrefix: uploadPrefix(ctx.openid),
  };
}

async function setCurrentCommunity(openid: string, communityId: string, now: Date): Promise<void> {
  await collection('users').doc(openid).set({ currentCommunityId: communityId, updatedAt: now });
}

function sameApplication(m: MemberDoc, details: Partial<MemberDoc>, status: MemberDoc['status']): boolean {
  if (m.status !== status) return false;
  return (Object.keys(details) as (keyof MemberDoc)[]).every((k) => m[k] === details[k]);
}

/** A member-changing step by a worker: compare-and-set, audit, answer the new view. */
async function changeMember(
  ctx: MemberCtx,
  target: MemberDoc,
  patch: Partial<MemberDoc>,
  conflictMessage: string,
): Promise<MemberView> {
  await compareAndSet('members', { _id: target._id, version: target.version }, { ...patch, updatedAt: ctx.now }, conflictMessage);
  const before: Record<string, unknown> = {};
  for (const key of Object.keys(patch)) before[key] = target[key as keyof MemberDoc];
  await audit(ctx, { target: `member:${target._id}`, before, after: patch });
  return toMemberView({ ...target, ...patch, version: target.version + 1 }, viewerOf(ctx));
}

export const main = createFunction<MemberApi>('member', {
  me: action({
    schema: s.me,
    roles: 'identified',
    handler: async (_input, ctx) => (ctx.member ? meView(ctx, ctx.member) : null),
  }),

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
    handler: async (input, ctx) => {
      const invite = await requireInvite(input.inviteCode, ctx.now);
      const community = await requireCommunity(invite.communityId);
      if (invite.building && input.building && input.building !== invite.building) {
        throw new AppError('E_VALIDATION', `此邀请仅限${invite.building}居民，请向社区工作人员索取本楼的邀请`);
      }
      const building = invite.building ?? input.building;
      if (!building) throw new AppError('E_VALIDATION', '请选择楼栋');
      if (!buildingsOf(community).includes(building)) throw new AppError('E_VALIDATION', '所选楼栋不在本社区，请重新选择');
      await assertCleanText({ 姓名: input.name, 房号: input.room }, ctx.openid, 1);

      const id = memberId(community._id, ctx.openid);
      const status = invite.autoApprove ? 'active' : 'pending';
      const details = {
        name: input.name,
        building,
        room: input.room,
        phone: input.phone,
        gridId: gridOf(community, building),
        inviteCode: invite._id,
      };
      let member = await findById<MemberDoc>('members', id);
      if (member?.status === 'active') {
        // Already in: joining again changes nothing, it just makes this community current.
      } else if (member && sameApplication(member, details, status)) {
        // The same application sent again (a double tap, a retry): nothing to change.
      } else if (member) {
        // A pending applicant correcting details, or a rejected one applying again. Losing the
        // race to an identical application is not an error: that application is this one.
        try {
          await compareAndSet('members', { _id: id, version: member.version }, { ...details, status, updatedAt: ctx.now });
          member = { ...member, ...details, status, version: member.version + 1 };
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
        if (created) {
          await collection('invites')
            .doc(invite._id)
            .update({ uses: cmd().inc(1) });
          if (status === 'pending') {
            const workers = await getAll<MemberDoc>(
              collection('members').where({ communityId: community._id, status: 'active', roles: 'worker' }).limit(50),
            );
            await notify(
              community._id,
              workers.map((w) => w.openid),
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
    handler: async ({ openid, roles }, ctx) => {
      const target = await requireMemberIn(ctx, openid);
      if (target.status !== 'active') throw new AppError('E_CONFLICT', '只能为已加入的成员设置角色');
      const next: Role[] = ['resident', ...(['volunteer', 'worker'] as const).filter((r) => roles.includes(r))];
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
    handler: async ({ openid, tags }, ctx) => {
      const target = await requireMemberIn(ctx, openid);
      return changeMember(ctx, target, { tags: [...new Set(tags)] }, '成员信息已被修改，请刷新后重试');
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
      const page = input.page ?? 1;
      const { docs, hasMore } = await readPage<MemberDoc>(collection('members').where(where).orderBy('joinedAt', 'desc'), page);
      const viewer = viewerOf(ctx);
      return { items: docs.map((m) => toMemberView(m, viewer)), page, hasMore };
    },
  }),

  switchCommunity: action({
    schema: s.switchCommunity,
    roles: 'identified',
    handler: async ({ communityId }, ctx) => {
      const member = await findById<MemberDoc>('members', memberId(communityId, ctx.openid));
      if (!member) throw new AppError('E_NOT_MEMBER', '您还不是该社区成员');
      await setCurrentCommunity(ctx.openid, communityId, ctx.now);
      return meView(ctx, member);
    },
  }),
});
