// The member function's contract: payload schemas and answer types. The mini-program imports
// these types with `import type`; zod itself never ships to the client.
import { z } from 'zod';
import { dateText, id, mark, optionalChoice, optionalText, page, pattern, phone, text, type Page } from '../common/schema';

import { MEMBER_STATUSES, ROLES, TAGS, type MemberStatus, type Role, type Tag } from '../common/roles';

export { MEMBER_STATUSES, ROLES, TAGS, type MemberStatus, type Role, type Tag };

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
  setRoles: z.strictObject({ openid: id, roles: z.array(z.enum(ROLES)).max(3) }),
  setTags: z.strictObject({ openid: id, tags: z.array(z.enum(TAGS)).max(TAGS.length) }),
  list: z.strictObject({
    status: z.enum(MEMBER_STATUSES).optional(),
    building: optionalChoice(20),
    role: z.enum(ROLES).optional(),
    page,
  }),
  switchCommunity: z.strictObject({ communityId: id }),
  /** Workers: the community's audit log, newest first, by person, object and day (docs/audit.md). */
  auditLog: z.strictObject({ actor: id.optional(), target: auditTarget.optional(), day: day.optional(), page }),
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
  auditLog: { input: In<'auditLog'>; output: Page<AuditRow> };
}
