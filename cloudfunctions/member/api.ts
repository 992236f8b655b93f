// The member function's contract: payload schemas and answer types. The mini-program imports
// these types with `import type`; zod itself never ships to the client.
import { z } from 'zod';
import { id, optionalText, page, phone, text, type Page } from '../common/schema';

import { MEMBER_STATUSES, ROLES, TAGS, type MemberStatus, type Role, type Tag } from '../common/roles';

export { MEMBER_STATUSES, ROLES, TAGS, type MemberStatus, type Role, type Tag };

const inviteCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{6,12}$/);

export const memberSchemas = {
  me: z.strictObject({}),
  inviteInfo: z.strictObject({ inviteCode }),
  join: z.strictObject({
    inviteCode,
    name: text(20),
    building: optionalText(20),
    room: text(20),
    phone: phone.optional(),
  }),
  createInvite: z.strictObject({
    building: optionalText(20),
    autoApprove: z.boolean().optional(),
    expiresInDays: z.number().int().min(1).max(365).optional(),
  }),
  approve: z.strictObject({ openid: id }),
  reject: z.strictObject({ openid: id, reason: optionalText(100) }),
  setRoles: z.strictObject({ openid: id, roles: z.array(z.enum(ROLES)).max(3) }),
  setTags: z.strictObject({ openid: id, tags: z.array(z.enum(TAGS)).max(TAGS.length) }),
  list: z.strictObject({
    status: z.enum(MEMBER_STATUSES).optional(),
    building: optionalText(20),
    role: z.enum(ROLES).optional(),
    page,
  }),
  switchCommunity: z.strictObject({ communityId: id }),
  /** Workers: who in the community was refused for going too fast (newest first). */
  rateLimited: z.strictObject({ page }),
};

export interface MemberView {
  _id: string;
  communityId: string;
  openid: string;
  name: string;
  building: string;
  room: string;
  /** Whole for the member and workers, masked (138****5678) for anyone else. */
  phone?: string;
  status: MemberStatus;
  roles: Role[];
  tags: Tag[];
  skills: string[];
  onDuty: boolean;
  gridId?: string;
  joinedAt: string;
}

export interface CommunitySummary {
  communityId: string;
  name: string;
  status: MemberStatus;
}

export type { UploadKind } from '../common/files';

export interface MeView extends MemberView {
  communityName: string;
  buildings: string[];
  communities: CommunitySummary[];
  /**
   * Where this member's pictures go in cloud storage (`uploads/<key>/`): upload to
   * `<uploadPrefix><kind>/<random>.<ext>` (kind: order, notice or spot); only such files of one's
   * own can be attached to orders, notices and parking spots.
   */
  uploadPrefix: string;
}

export interface InviteInfo {
  communityName: string;
  building?: string;
  buildings: string[];
  autoApprove: boolean;
}

export interface InviteView {
  inviteCode: string;
  building?: string;
  autoApprove: boolean;
  expiresAt: string;
}

/** One caller refused by a rate limit in one window (docs/limits.md). */
export interface RateLimitedView {
  _id: string;
  /** The member's id in the community (`<communityId>:<openid>`) and current name; `''` if they left. */
  memberId: string;
  name: string;
  /** The kind of action (common/limits.ts LIMITS) and its Chinese name. */
  kind: string;
  kindLabel: string;
  /** Allowed per window, and attempts refused in it. */
  max: number;
  refused: number;
  windowMinutes: number;
  /** First refusal, and when the window ended or ends. */
  limitedAt: string;
  windowEnd: string;
}

type In<K extends keyof typeof memberSchemas> = z.input<(typeof memberSchemas)[K]>;

export interface MemberApi {
  me: { input: In<'me'>; output: MeView | null };
  inviteInfo: { input: In<'inviteInfo'>; output: InviteInfo };
  join: { input: In<'join'>; output: MemberView };
  createInvite: { input: In<'createInvite'>; output: InviteView };
  approve: { input: In<'approve'>; output: MemberView };
  reject: { input: In<'reject'>; output: MemberView };
  setRoles: { input: In<'setRoles'>; output: MemberView };
  setTags: { input: In<'setTags'>; output: MemberView };
  list: { input: In<'list'>; output: Page<MemberView> };
  switchCommunity: { input: In<'switchCommunity'>; output: MeView };
  rateLimited: { input: In<'rateLimited'>; output: Page<RateLimitedView> };
}
