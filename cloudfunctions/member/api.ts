// The member function's contract: payload schemas and answer types. The mini-program imports
// these types with `import type`; zod itself never ships to the client.
import { z } from 'zod';
import { dateText, id, mark, optionalChoice, optionalText, page, pattern, phone, text, type Page } from '../common/schema';

import { familySchemas, type FamilyMemberApi } from './family-api';
import {
  HOUSEHOLD_STATUSES,
  MEMBER_STATUSES,
  ROLES,
  TAGS,
  type HouseholdStatus,
  type MemberStatus,
  type Role,
  type Tag,
} from '../common/roles';
import { ELDER_MODES, type ElderMode } from '../common/elder-mode';

export { ELDER_MODES, type ElderMode };
export { HOUSEHOLD_STATUSES, MEMBER_STATUSES, ROLES, TAGS, type HouseholdStatus, type MemberStatus, type Role, type Tag };

/** What a member card says about the room (房号). */
export const HOUSEHOLD_LABELS: Record<HouseholdStatus, string> = {
  claimed: '房号待核实',
  verified: '房号已核实',
  disputed: '房号有异议',
};

const inviteCode = mark(
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{6,12}$/),
  {
    kind: 'closed',
    allowed: '6–12 位字母或数字，例如 ABCD2345',
  },
);

/** 批量审核: at most this many applicants per call (a page of the pending list). */
export const BATCH_MAX = 20;

/** A membership's version as last read (MemberView.version), for changes that must not overwrite a newer one. */
const version = z.number().int().min(1).max(1_000_000_000).optional();
/** A day on the community's clock, `YYYY-MM-DD`, that the calendar has (no 2月31日). */
const day = dateText('日期不存在，请选择一个真实的日期，例如 2031-06-02');

/** What an audit entry is about: `<kind>:<id>` (order:…, member:<community>:<openid>, …). */
const auditTarget = pattern(/^[a-z_]{1,20}:[A-Za-z0-9_:\-]{1,100}$/, '记录对象的编号，例如 order:…');

export const memberSchemas = {
  me: z.strictObject({}),
  inviteInfo: z.strictObject({ inviteCode }),
  join: z.strictObject({
    inviteCode,
    name: text(20, { label: '姓名', scene: 1 }),
    building: optionalChoice(20),
    room: text(20, { label: '房号', scene: 1 }),
    phone: phone.optional(),
  }),
  createInvite: z.strictObject({
    building: optionalChoice(20),
    autoApprove: z.boolean().optional(),
    expiresInDays: z.number().int().min(1).max(365).optional(),
  }),
  approve: z.strictObject({ openid: id }),
  reject: z.strictObject({ openid: id, reason: optionalText(100, { label: '不通过的原因', multiline: true }) }),
  /** 批量审核: up to BATCH_MAX applicants at once; each answered on its own (BatchReview). */
  approveMany: z.strictObject({ openids: z.array(id).min(1).max(BATCH_MAX) }),
  rejectMany: z.strictObject({
    openids: z.array(id).min(1).max(BATCH_MAX),
    reason: optionalText(100, { label: '不通过的原因', multiline: true }),
  }),
  /** `version`: the member as the page showed it; a member changed since then is a conflict, not overwritten. */
  setRoles: z.strictObject({ openid: id, roles: z.array(z.enum(ROLES)).max(ROLES.length), version }),
  /** `note`: how the tags added by this call were verified (e.g. 查看残疾证), kept per tag with who and when. */
  setTags: z.strictObject({
    openid: id,
    tags: z.array(z.enum(TAGS)).max(TAGS.length),
    note: optionalText(50, { label: '核实方式' }),
    version,
  }),
  list: z.strictObject({
    status: z.enum(MEMBER_STATUSES).optional(),
    building: optionalChoice(20),
    role: z.enum(ROLES).optional(),
    /** Whose room is claimed (no proof yet, older data too), verified or disputed. */
    household: z.enum(HOUSEHOLD_STATUSES).optional(),
    page,
  }),
  switchCommunity: z.strictObject({ communityId: id }),
  /** A verified member answers whether `openid`, who gave the same building and room, lives with them. */
  confirmHousehold: z.strictObject({ openid: id, confirm: z.boolean() }),
  /** A worker verified `openid`'s building and room; `note` says how (查看房产证 / 租赁合同 …). */
  verifyHousehold: z.strictObject({ openid: id, note: optionalText(50, { label: '核实方式' }) }),
  /** The caller's verified household, and the claims to it still unanswered. */
  household: z.strictObject({}),
  leave: z.strictObject({}),
  remove: z.strictObject({ openid: id, reason: optionalText(100, { label: '移出原因', multiline: true }) }),
  erase: z.strictObject({}),
  /** Workers: the community's audit log, newest first, by person, object and day (docs/audit.md). */
  auditLog: z.strictObject({ actor: id.optional(), target: auditTarget.optional(), day: day.optional(), page }),
  /** Workers: who in the community was refused for going too fast (newest first). */
  rateLimited: z.strictObject({ page }),
  /**
   * 长辈模式: `on`, `off`, or `auto` (the tags decide). Without `openid` the caller's own; with it a
   * worker sets a member's, a verified member of the household their family's.
   */
  setElderMode: z.strictObject({ openid: id.optional(), mode: z.enum(ELDER_MODES), version }),
  ...familySchemas,
};

/** A member's room proof as shown: the status to everyone, how and by whom to workers only. */
export interface HouseholdView {
  status: HouseholdStatus;
  statusLabel: string;
  via?: 'worker' | 'household';
  byName?: string;
  note?: string;
  at?: string;
}

/** How a special-group tag was verified (workers and the member only). */
export interface TagProofView {
  tag: Tag;
  note?: string;
  byName: string;
  at: string;
}

/** A person of the caller's household, or one who says they are. The phone is masked. */
export interface HouseholdMemberView {
  openid: string;
  name: string;
  building: string;
  room: string;
  phone?: string;
  joinedAt: string;
}

export interface HouseholdAnswer {
  /** Whether the caller's own room is verified; when not, both lists are empty. */
  verified: boolean;
  /** Verified active members of the same building and room (not the caller): whom one may order for. */
  items: HouseholdMemberView[];
  /** Members who gave this building and room and are not verified yet: the caller may confirm or deny them. */
  claims: HouseholdMemberView[];
}

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
  /** Bumped by every change: send it back with setTags / setRoles so a stale page cannot overwrite. */
  version: number;
  household: HouseholdView;
  /** How each tag was verified: for workers and the member themself. */
  tagProofs?: TagProofView[];
  /** 长辈模式 as set (`auto`: never set), for workers and the member themself. */
  elderMode?: ElderMode;
  /** Whether 长辈模式 is on: the setting, or for `auto` the tags 高龄 / 独居老人 (docs/elder-mode.md). */
  elder?: boolean;
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
   * `<uploadPrefix><kind>/<random>.<ext>` (kind: order, notice, spot …, or voice for recordings); only such files of one's
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

/** What leaving (or a removal) did in the community it ended. */
export interface DepartureView {
  communityId: string;
  status: 'left' | 'removed';
  /** Orders for the member that had not started, cancelled. */
  cancelledOrders: number;
  /** Orders the member served as a volunteer, back in the dispatch queue. */
  returnedOrders: number;
  /** Upcoming parking bookings (theirs, and on their spots), cancelled. */
  cancelledBookings: number;
  /** Their spots whose open windows were withdrawn. */
  withdrawnSpots: number;
}

export interface LeaveView extends DepartureView {
  /** The community that is current now, or null when the person has no other membership. */
  currentCommunityId: string | null;
}

export interface EraseView {
  /** Communities the person was a member of (each one left). */
  communities: number;
  /** Orders kept for the statistics, without anything personal. */
  orders: number;
  /** Parking bookings kept for the statistics, without anything personal. */
  bookings: number;
  /** Pictures deleted from storage. */
  files: number;
}

/** One audit entry as the audit page shows it. */
export interface AuditRow {
  _id: string;
  /** An openid, or `system:timer`. */
  actor: string;
  /** The member's name, 系统 for the timer, 已不在本社区的成员 for someone gone. */
  actorName: string;
  /** `fn.action` or `timer.<step>`. */
  what: string;
  /** The Chinese name of `what` (派单, 取消订单, 爽约处理 …). */
  label: string;
  /** `<kind>:<id>`: tap to see everything that happened to it. */
  target: string;
  /** 订单「代买药」, 成员 张三, 车位 B2-017 … */
  targetLabel: string;
  /** Field by field: 状态 已派单 → 待派单. */
  changes: { field: string; before: string; after: string }[];
  note?: string;
  /** ISO 8601 instant. */
  at: string;
}

/** One applicant of a batch: decided now, already decided by someone (handled), or not an applicant here. */
export interface BatchOutcome {
  openid: string;
  outcome: 'approved' | 'rejected' | 'handled' | 'notFound';
  /** The member's name (absent for notFound). */
  name?: string;
}

export interface BatchReview {
  items: BatchOutcome[];
  approved: number;
  rejected: number;
  handled: number;
  notFound: number;
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

export {
  FAMILY_STATUSES,
  FAMILY_STATUS_LABELS,
  RELATIONS,
  type FamilyCodeInfo,
  type FamilyCodeView,
  type FamilyLinkView,
  type FamilyStatus,
  type Relation,
} from './family-api';

export interface MemberApi extends FamilyMemberApi {
  me: { input: In<'me'>; output: MeView | null };
  inviteInfo: { input: In<'inviteInfo'>; output: InviteInfo };
  join: { input: In<'join'>; output: MemberView };
  createInvite: { input: In<'createInvite'>; output: InviteView };
  approve: { input: In<'approve'>; output: MemberView };
  reject: { input: In<'reject'>; output: MemberView };
  approveMany: { input: In<'approveMany'>; output: BatchReview };
  rejectMany: { input: In<'rejectMany'>; output: BatchReview };
  setRoles: { input: In<'setRoles'>; output: MemberView };
  setTags: { input: In<'setTags'>; output: MemberView };
  list: { input: In<'list'>; output: Page<MemberView> };
  switchCommunity: { input: In<'switchCommunity'>; output: MeView };
  confirmHousehold: { input: In<'confirmHousehold'>; output: MemberView };
  verifyHousehold: { input: In<'verifyHousehold'>; output: MemberView };
  household: { input: In<'household'>; output: HouseholdAnswer };
  leave: { input: In<'leave'>; output: LeaveView };
  remove: { input: In<'remove'>; output: MemberView };
  erase: { input: In<'erase'>; output: EraseView };
  auditLog: { input: In<'auditLog'>; output: Page<AuditRow> };
  rateLimited: { input: In<'rateLimited'>; output: Page<RateLimitedView> };
  setElderMode: { input: In<'setElderMode'>; output: MemberView };
}
