// Stored document shapes shared by several functions. Every record carries its communityId.
import type { HouseholdStatus, MemberStatus, Role, Tag } from './roles';

export interface CommunityDoc {
  _id: string;
  name: string;
  grids: { id: string; name: string; buildings: string[] }[];
  /** Step time limits in minutes, community defaults (orders may override per item). */
  stepLimits: { dispatch: number; accept: number; serve: number; review: number };
  /** The community's duty phone (社区值班电话), offered after 一键求助; none when not set. */
  dutyPhone?: string;
  /** Days an owners' vote is announced before voting starts; 15 when absent (docs/affairs.md). */
  voteNoticeDays?: number;
  createdAt: Date;
}

export interface UserDoc {
  _id: string; // openid
  currentCommunityId: string;
  updatedAt: Date;
}

export interface MemberDoc {
  _id: string; // `${communityId}:${openid}`
  communityId: string;
  openid: string;
  name: string;
  building: string;
  room: string;
  phone?: string;
  status: MemberStatus;
  roles: Role[];
  tags: Tag[];
  skills: string[];
  onDuty: boolean;
  gridId?: string;
  inviteCode?: string;
  rejectReason?: string;
  /**
   * Whether this member really lives in `building` + `room` (common/household.ts). Missing means
   * `claimed`: typed in at joining and proven by nobody yet, so data written before the proof
   * existed stays on the safe side.
   */
  household?: HouseholdProof;
  /** How each special-group tag was verified, by whom and when (one entry per tag the member carries). */
  tagProofs?: TagProof[];
  /** 长辈模式 as the member (or a worker, or family) set it; missing: `auto` (cloudfunctions/common/elder-mode.ts). */
  elderMode?: 'on' | 'off' | 'auto';
  /** When the membership ended (left or removed), and the worker's reason for a removal. */
  leftAt?: Date;
  removeReason?: string;
  joinedAt: Date;
  updatedAt: Date;
  version: number;
}

export interface HouseholdProof {
  status: HouseholdStatus;
  /** Who proved (or disputed) it: a worker who saw papers, or a verified member of that household. */
  via?: 'worker' | 'household';
  /** The openid and name of that person. */
  by?: string;
  byName?: string;
  /** How a worker verified it, e.g. 查看房产证 / 租赁合同. */
  note?: string;
  at?: Date;
}

export interface TagProof {
  tag: Tag;
  /** How the worker verified it, e.g. 查看残疾证 (optional). */
  note?: string;
  by: string;
  byName: string;
  at: Date;
}

export interface InviteDoc {
  _id: string; // the code
  communityId: string;
  building?: string;
  autoApprove: boolean;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  uses: number;
}

export const memberId = (communityId: string, openid: string): string => `${communityId}:${openid}`;

/** The grid a building belongs to, if the community lists it. */
export function gridOf(community: CommunityDoc, building: string): string | undefined {
  return community.grids.find((g) => g.buildings.includes(building))?.id;
}

export const buildingsOf = (community: CommunityDoc): string[] => community.grids.flatMap((g) => g.buildings);

// In-app messages (the inbox). A `key` makes a message idempotent: the same key for the same
// person is stored once, which is how the timer's escalations avoid sending anything twice.

export type MessageType =
  | 'member.approved'
  | 'desk.login'
  | 'member.rejected'
  | 'member.household'
  | 'member.household_disputed'
  | 'member.removed'
  | 'family.request'
  | 'family.answered'
  | 'family.ended'
  | 'order.dispatched'
  | 'order.accepted'
  | 'order.completed'
  | 'order.cancelled'
  | 'order.yellow'
  | 'order.red'
  | 'order.returned'
  | 'order.created'
  | 'order.released'
  | 'order.declined'
  | 'order.rework'
  | 'order.followup'
  | 'order.closed'
  | 'order.rated'
  | 'order.help'
  | 'order.voice_rejected'
  | 'parking.booked'
  | 'parking.cancelled'
  | 'parking.verified'
  | 'parking.rejected'
  | 'parking.no_show'
  | 'parking.overstay'
  | 'parking.blocked'
  | 'notice.reminder'
  | 'vote.opened'
  | 'topic.proposed'
  | 'topic.update'
  | 'topic.meeting'
  | 'topic.yellow'
  | 'topic.red'
  | 'ledger.question'
  | 'ledger.answered'
  | 'ledger.yellow'
  | 'ledger.red'
  | 'property.graded'
  | 'property.red'
  | 'system';

export interface MessageInput {
  type: MessageType;
  title: string;
  body?: string;
  /** Mini-program path the message opens, e.g. `/packages/orders/detail/index?id=…`. */
  link?: string;
  /** Idempotency key: one message per key and recipient. */
  key?: string;
}

export interface MessageDoc extends MessageInput {
  _id?: string;
  communityId: string;
  openid: string;
  read: boolean;
  createdAt: Date;
}
