// Stored document shapes shared by several functions. Every record carries its communityId.
import type { MemberStatus, Role, Tag } from '../member/api';

export interface CommunityDoc {
  _id: string;
  name: string;
  grids: { id: string; name: string; buildings: string[] }[];
  /** Step time limits in minutes, community defaults (orders may override per item). */
  stepLimits: { dispatch: number; accept: number; serve: number; review: number };
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
  joinedAt: Date;
  updatedAt: Date;
  version: number;
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
