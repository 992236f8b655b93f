// 亲情代办's part of the member function's contract (docs/family.md): family codes and links.
// Merged into memberSchemas / MemberApi by api.ts; the mini-program imports the types only.
import { z } from 'zod';
import { FAMILY_STATUSES, RELATIONS, type FamilyStatus, type Relation } from '../common/family';
import { id, mark, page, phone, text, type Page } from '../common/schema';

export { FAMILY_STATUSES, RELATIONS, type FamilyStatus, type Relation };
export { FAMILY_STATUS_LABELS } from '../../miniprogram/shared/family-labels';

/** A family code: 8 letters or digits, as the elder's page shows it (typed in upper or lower case). */
const familyCode = mark(
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{8}$/),
  { kind: 'closed', allowed: '8 位字母或数字，例如 K7M2Q9XA' },
);

export const familySchemas = {
  /** A code the relative enters: for the caller, or (a worker) for `elderOpenid`. */
  familyCode: z.strictObject({ elderOpenid: id.optional() }),
  /** What a code opens (the community, the elder's name masked), before asking. */
  familyCodeInfo: z.strictObject({ familyCode }),
  /** A relative asks to be linked to the elder of `code`. */
  familyRequest: z.strictObject({
    familyCode,
    name: text(20, { label: '您的姓名', scene: 1 }),
    relation: z.enum(RELATIONS),
    phone: phone.optional(),
  }),
  /** The elder or a worker answers a request. */
  familyAnswer: z.strictObject({ linkId: id, confirm: z.boolean() }),
  /** The elder, the relative or a worker ends a link (or withdraws a request). */
  familyEnd: z.strictObject({ linkId: id }),
  /** The caller's links as the elder; a worker: one elder's (`elderOpenid`) or the community's. */
  familyLinks: z.strictObject({
    elderOpenid: id.optional(),
    status: z.enum(FAMILY_STATUSES).optional(),
    page,
  }),
  /** The caller's links as a relative, in every community. */
  familyMine: z.strictObject({ page }),
};

export interface FamilyCodeView {
  code: string;
  expiresAt: string;
}

export interface FamilyCodeInfo {
  communityName: string;
  /** Masked (赵**): the code's holder knows whose it is. */
  elderName: string;
  expiresAt: string;
}

export interface FamilyLinkView {
  _id: string;
  communityId: string;
  communityName: string;
  /** Whole once the link is active (or to the elder and workers); masked before. */
  elderName: string;
  relativeName: string;
  relation: Relation;
  /** Whole for the relative, the elder and workers. */
  relativePhone?: string;
  status: FamilyStatus;
  statusLabel: string;
  requestedAt: string;
  answeredByName?: string;
  answeredAt?: string;
  endedAt?: string;
  /** Whether the caller may confirm or decline it now / end it now. */
  mayAnswer: boolean;
  mayEnd: boolean;
}

type In<K extends keyof typeof familySchemas> = z.input<(typeof familySchemas)[K]>;

export interface FamilyMemberApi {
  familyCode: { input: In<'familyCode'>; output: FamilyCodeView };
  familyCodeInfo: { input: In<'familyCodeInfo'>; output: FamilyCodeInfo };
  familyRequest: { input: In<'familyRequest'>; output: FamilyLinkView };
  familyAnswer: { input: In<'familyAnswer'>; output: FamilyLinkView };
  familyEnd: { input: In<'familyEnd'>; output: FamilyLinkView };
  familyLinks: { input: In<'familyLinks'>; output: Page<FamilyLinkView> };
  familyMine: { input: In<'familyMine'>; output: Page<FamilyLinkView> };
}
