// Reads and writes of memberships, invites and the caller's current community.
import { AppError } from '../common/errors';
import { collection, findById, getAll } from '../common/db';
import { memberId, type CommunityDoc, type InviteDoc, type MemberDoc } from '../common/model';
import type { MemberCtx } from '../common/router';

export async function requireCommunity(id: string): Promise<CommunityDoc> {
  const community = await findById<CommunityDoc>('communities', id);
  if (!community) throw new AppError('E_NOT_FOUND', '社区不存在');
  return community;
}

export async function requireInvite(code: string, now: Date): Promise<InviteDoc> {
  const invite = await findById<InviteDoc>('invites', code);
  if (!invite || new Date(invite.expiresAt) <= now) {
    throw new AppError('E_NOT_FOUND', '邀请码无效或已过期，请向社区工作人员索取新的邀请');
  }
  return invite;
}

/** A member of the caller's community, by openid; with `version`, only as the caller last saw them. */
export async function requireMemberIn(ctx: MemberCtx, openid: string, version?: number): Promise<MemberDoc> {
  const m = await findById<MemberDoc>('members', memberId(ctx.communityId, openid));
  if (!m) throw new AppError('E_NOT_FOUND', '该成员不存在');
  if (version !== undefined && m.version !== version) throw new AppError('E_CONFLICT', '成员信息已被修改，请刷新后重试');
  return m;
}

export async function setCurrentCommunity(openid: string, communityId: string, now: Date): Promise<void> {
  await collection('users').doc(openid).set({ currentCommunityId: communityId, updatedAt: now });
}

/** Everyone who gave this building and room in the community (at most 50: a flat, not a building). */
export async function roomMembers(communityId: string, building: string, room: string): Promise<MemberDoc[]> {
  return getAll<MemberDoc>(collection('members').where({ communityId, building, room }).limit(50));
}

/** The community's active workers (who hears of applications and disputed rooms). */
export async function workersOf(communityId: string): Promise<string[]> {
  const docs = await getAll<MemberDoc>(
    collection('members').where({ communityId, status: 'active', roles: 'worker' }).field({ openid: true }).limit(50),
  );
  return docs.map((m) => m.openid);
}
