// Typed client of the `member` cloud function. Types come from the function's contract.
import type { MemberApi, Role, Tag } from '../../cloudfunctions/member/api';
import { client } from './core';

export type {
  InviteInfo,
  InviteView,
  MeView,
  MemberStatus,
  MemberView,
  RateLimitedView,
  Role,
  Tag,
} from '../../cloudfunctions/member/api';
export type MemberPage = MemberApi['list']['output'];
export type JoinInput = MemberApi['join']['input'];
export type ListInput = MemberApi['list']['input'];
export type CreateInviteInput = MemberApi['createInvite']['input'];

const member = client<MemberApi>('member');

export const memberService = {
  /** The caller's membership in their current community, or null when they have none. */
  me: () => member('me', {}),
  /** What an invite card leads to: community name, buildings, whether joining is automatic. */
  inviteInfo: (inviteCode: string) => member('inviteInfo', { inviteCode }),
  join: (input: JoinInput) => member('join', input),
  createInvite: (input: CreateInviteInput = {}) => member('createInvite', input),
  list: (input: ListInput = {}) => member('list', input),
  approve: (openid: string) => member('approve', { openid }),
  reject: (openid: string, reason?: string) => member('reject', reason ? { openid, reason } : { openid }),
  setRoles: (openid: string, roles: Role[]) => member('setRoles', { openid, roles }),
  setTags: (openid: string, tags: Tag[]) => member('setTags', { openid, tags }),
  switchCommunity: (communityId: string) => member('switchCommunity', { communityId }),
  /** Workers: who was refused for going too fast, newest first (docs/limits.md). */
  rateLimited: (page = 1) => member('rateLimited', { page }),
};
