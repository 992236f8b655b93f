// How a membership is shown: to the member, to workers, to anyone else (phones masked).
import { cmd, collection, getAll } from '../common/db';
import { uploadPrefix } from '../common/files';
import { maskPhone } from '../common/mask';
import { buildingsOf, type CommunityDoc, type MemberDoc } from '../common/model';
import type { Ctx } from '../common/router';
import type { CommunitySummary, MeView, MemberView } from './api';

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

export const viewerOf = (ctx: Ctx) => ({
  openid: ctx.openid,
  isWorker: ctx.member?.status === 'active' && ctx.member.roles.includes('worker'),
});

export async function meView(ctx: Ctx, member: MemberDoc): Promise<MeView> {
  // Communities the person left are history, not somewhere to switch to.
  const memberships = (await getAll<MemberDoc>(collection('members').where({ openid: ctx.openid }).limit(50))).filter(
    (m) => m.status !== 'left' || m.communityId === member.communityId,
  );
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
