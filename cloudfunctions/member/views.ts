// How a membership is shown: to the member, to workers, to anyone else (phones masked).
import { cmd, collection, getAll } from '../common/db';
import { uploadPrefix } from '../common/files';
import { maskPhone } from '../common/mask';
import { householdStatus } from '../common/household';
import { buildingsOf, type CommunityDoc, type MemberDoc } from '../common/model';
import type { Ctx } from '../common/router';
import { elderOn } from '../common/elder-mode';
import {
  HOUSEHOLD_LABELS,
  type CommunitySummary,
  type HouseholdMemberView,
  type HouseholdView,
  type MeView,
  type MemberView,
} from './api';

const iso = (d: Date | string | undefined) => (d ? new Date(d).toISOString() : undefined);

/** The room proof: its status for anyone who sees the member, how and by whom for workers. */
export function householdView(m: MemberDoc, isWorker: boolean): HouseholdView {
  const status = householdStatus(m);
  const view: HouseholdView = { status, statusLabel: HOUSEHOLD_LABELS[status] };
  if (!isWorker || !m.household) return view;
  const h = m.household;
  return { ...view, via: h.via, byName: h.byName, note: h.note, at: iso(h.at) };
}

export function toMemberView(m: MemberDoc, viewer: { openid: string; isWorker: boolean }): MemberView {
  const whole = viewer.isWorker || viewer.openid === m.openid;
  const view: MemberView = {
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
    version: m.version,
    household: householdView(m, viewer.isWorker),
  };
  if (whole) {
    view.tagProofs = (m.tagProofs ?? [])
      .filter((p) => m.tags.includes(p.tag))
      .map((p) => ({ tag: p.tag, note: p.note, byName: p.byName, at: iso(p.at)! }));
    view.elderMode = m.elderMode ?? 'auto';
    view.elder = elderOn(m);
  }
  return view;
}

/** A household member (or claimant) as another resident sees them: name, room, masked phone. */
export const toHouseholdMemberView = (m: MemberDoc): HouseholdMemberView => ({
  openid: m.openid,
  name: m.name,
  building: m.building,
  room: m.room,
  phone: maskPhone(m.phone),
  joinedAt: new Date(m.joinedAt).toISOString(),
});

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
