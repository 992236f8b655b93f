// Typed client of the `member` cloud function. Types come from the function's contract.
import type { MemberApi, Role, Tag } from '../../cloudfunctions/member/api';
import { syncElder } from '../utils/elder';
import { client } from './core';

export type {
  HouseholdAnswer,
  HouseholdMemberView,
  HouseholdStatus,
  HouseholdView,
  InviteInfo,
  InviteView,
  MeView,
  MemberStatus,
  MemberView,
  RateLimitedView,
  Role,
  Tag,
  TagProofView,
} from '../../cloudfunctions/member/api';
export type MemberPage = MemberApi['list']['output'];
export type FamilyRequestInput = MemberApi['familyRequest']['input'];
export type { FamilyLinkView, Relation } from '../../cloudfunctions/member/api';
export type JoinInput = MemberApi['join']['input'];

/** Whether `me` is an active worker of the community (the pages' worker entries and tools). */
export const isActiveWorker = (me: MemberApi['me']['output'] | null | undefined): boolean =>
  !!me && me.status === 'active' && me.roles.includes('worker');
export type ElderMode = NonNullable<MemberApi['setElderMode']['input']['mode']>;
export type ListInput = MemberApi['list']['input'];
export type CreateInviteInput = MemberApi['createInvite']['input'];
export type AuditLogInput = MemberApi['auditLog']['input'];
export type { AuditRow } from '../../cloudfunctions/member/api';

const member = client<MemberApi>('member');

export const memberService = {
  /** The caller's membership in their current community, or null when they have none. */
  me: () =>
    member('me', {}).then((me) => {
      // The phone follows the member's 长辈模式 (utils/elder.ts): every open page restyles itself.
      syncElder(me);
      return me;
    }),
  /** What an invite card leads to: community name, buildings, whether joining is automatic. */
  inviteInfo: (inviteCode: string) => member('inviteInfo', { inviteCode }),
  join: (input: JoinInput) => member('join', input),
  createInvite: (input: CreateInviteInput = {}) => member('createInvite', input),
  list: (input: ListInput = {}) => member('list', input),
  approve: (openid: string) => member('approve', { openid }),
  reject: (openid: string, reason?: string) => member('reject', reason ? { openid, reason } : { openid }),
  /** `version`: the member as the page showed them (a newer change makes it a conflict). */
  setRoles: (openid: string, roles: Role[], version?: number) =>
    member('setRoles', version ? { openid, roles, version } : { openid, roles }),
  /** `note`: how the tags added now were verified (kept per tag with who and when); `version` as for setRoles. */
  setTags: (openid: string, tags: Tag[], options: { note?: string; version?: number } = {}) =>
    member('setTags', {
      openid,
      tags,
      ...(options.note ? { note: options.note } : {}),
      ...(options.version ? { version: options.version } : {}),
    }),
  /** The caller's verified household (whom they may order for) and the unanswered claims to it. */
  household: () => member('household', {}),
  /** Answers a claim to the caller's household: is `openid` one of the family? */
  confirmHousehold: (openid: string, confirm: boolean) => member('confirmHousehold', { openid, confirm }),
  /** Workers: `openid`'s building and room are verified; `note` says how. */
  verifyHousehold: (openid: string, note?: string) => member('verifyHousehold', note ? { openid, note } : { openid }),
  switchCommunity: (communityId: string) =>
    member('switchCommunity', { communityId }).then((me) => {
      syncElder(me);
      return me;
    }),
  /**
   * 长辈模式: `on`, `off` or `auto` (the tags 高龄 / 独居老人 decide). Without `openid` one's own
   * (the phone follows at once); a worker's for a member, family's for each other, with `version`.
   */
  setElderMode: (mode: ElderMode, target?: { openid: string; version?: number }) =>
    member('setElderMode', target ? { mode, ...target } : { mode }).then((view) => {
      if (!target) syncElder(view);
      return view;
    }),
  /** Leaves the current community (its open orders and bookings are settled; docs/privacy.md). */
  leave: () => member('leave', {}),
  /** Erases the caller's personal data in every community, and leaves them all. */
  erase: () => member('erase', {}),
  /** Workers: removes a member of their community. */
  remove: (openid: string, reason?: string) => member('remove', reason ? { openid, reason } : { openid }),
  /** Workers: the community's audit log, newest first, 20 a page, by person, object and day. */
  auditLog: (input: AuditLogInput = {}) => member('auditLog', input),
  /** Workers: who was refused for going too fast, newest first (docs/limits.md). */
  rateLimited: (page = 1) => member('rateLimited', { page }),
};

/** 亲情代办 (docs/family.md): family codes and links. */
export const familyService = {
  /** A code for the caller's relatives; a worker passes the elder's openid. */
  code: (elderOpenid?: string) => member('familyCode', elderOpenid ? { elderOpenid } : {}),
  codeInfo: (familyCode: string) => member('familyCodeInfo', { familyCode }),
  request: (input: FamilyRequestInput) => member('familyRequest', input),
  answer: (linkId: string, confirm: boolean) => member('familyAnswer', { linkId, confirm }),
  end: (linkId: string) => member('familyEnd', { linkId }),
  /** The elder's links (a worker: `elderOpenid`'s), 20 a page. */
  links: (elderOpenid?: string, page = 1) => member('familyLinks', elderOpenid ? { elderOpenid, page } : { page }),
  /** The caller's links as a relative. */
  mine: (page = 1) => member('familyMine', { page }),
};
