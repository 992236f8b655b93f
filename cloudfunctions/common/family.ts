// 亲情代办 (docs/family.md): a relative who lives elsewhere is linked to one elder of a community.
// The link is the only thing that lets a person who is not a member of that community see or do
// anything there, and it reaches exactly one elder: the orders *for* that elder. Both the member
// function (links) and the orders function (ordering on behalf) read it from here.
import { createHash } from 'crypto';
import { collection, findById, getAll } from './db';
import { memberId, type MemberDoc } from './model';

export const FAMILY_LINKS = 'family_links';
export const FAMILY_CODES = 'family_codes';

/**
 * The inbox a relative's messages go to (`messages.communityId`): not any community's, so a member
 * inbox never shows them and the family inbox never shows a community's messages.
 */
export const FAMILY_INBOX = 'family';

/** At most this many links per elder, requested and active together. */
export const FAMILY_CAP = 10;

/** How long a family code (亲情码) may be used. */
export const FAMILY_CODE_DAYS = 7;

export { FAMILY_STATUSES, RELATIONS, type FamilyStatus, type Relation } from '../../miniprogram/shared/family-labels';
import type { FamilyStatus, Relation } from '../../miniprogram/shared/family-labels';

export interface FamilyLinkDoc {
  /** familyLinkId(communityId, elderOpenid, relativeOpenid): one link per pair, whatever the races. */
  _id: string;
  communityId: string;
  elderOpenid: string;
  elderName: string;
  relativeOpenid: string;
  relativeName: string;
  relation: Relation;
  relativePhone?: string | null;
  status: FamilyStatus;
  requestedAt: Date;
  /** Who confirmed or declined (the elder or a worker), and when. */
  answeredBy?: string | null;
  answeredByName?: string | null;
  answeredAt?: Date | null;
  /** Who ended it: the elder, the relative or a worker. */
  endedBy?: string | null;
  endedAt?: Date | null;
  version: number;
}

export interface FamilyCodeDoc {
  /** The code itself. */
  _id: string;
  communityId: string;
  elderOpenid: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
}

export function familyLinkId(communityId: string, elderOpenid: string, relativeOpenid: string): string {
  return `fl_${createHash('sha256').update(`${communityId}\n${elderOpenid}\n${relativeOpenid}`).digest('hex').slice(0, 32)}`;
}

/** What a relative is told for a link that is not theirs, not active, or missing: one sentence. */
export const FAMILY_MISSING = '没有找到这条亲情绑定：可能已解除，或不是您的绑定';

/**
 * The caller's link with `linkId` when it is active and the elder is still an active member of
 * that community; null otherwise (the caller then knows nothing of it).
 */
export async function activeLinkOf(
  linkId: string,
  relativeOpenid: string,
): Promise<{ link: FamilyLinkDoc; elder: MemberDoc } | null> {
  const link = await findById<FamilyLinkDoc>(FAMILY_LINKS, linkId);
  if (!link || link.relativeOpenid !== relativeOpenid || link.status !== 'active') return null;
  const elder = await findById<MemberDoc>('members', memberId(link.communityId, link.elderOpenid));
  if (!elder || elder.status !== 'active') return null;
  return { link, elder };
}

/** The active relatives of an elder (one query, at most FAMILY_CAP): who hears what the elder hears. */
export async function relativesOf(communityId: string, elderOpenid: string): Promise<FamilyLinkDoc[]> {
  return getAll<FamilyLinkDoc>(collection(FAMILY_LINKS).where({ communityId, elderOpenid, status: 'active' }).limit(FAMILY_CAP));
}

/** The family page of one order: where a relative's message opens. */
export const familyOrderLink = (orderId: string): string => `/packages/family/order/index?id=${orderId}`;
