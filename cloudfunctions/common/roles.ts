// Who a member is: roles, special-group tags and membership states (product.md §1). They belong
// to the floor every function stands on; the member function's contract re-exports them.

/** `property`: staff of the community's property company (物业人员, docs/property.md); they serve the
 * menu items marked `servedBy: 'property'` as volunteers serve the others. */
export const ROLES = ['resident', 'volunteer', 'worker', 'property'] as const;
export type Role = (typeof ROLES)[number];

/** Special-group tags; only workers set them; they gate 特惠 services. */
export const TAGS = ['独居老人', '高龄', '残疾', '低保', '优抚'] as const;
export type Tag = (typeof TAGS)[number];

/**
 * pending → active | rejected; active → left (the member left, or erased their data) | removed (by a
 * worker). Left and removed members may join again by invite (docs/privacy.md).
 */
export const MEMBER_STATUSES = ['pending', 'active', 'rejected', 'left', 'removed'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * A member's building + room: `claimed` (typed in, proven by nobody), `verified` (by a worker, or
 * confirmed by a verified member of that household), `disputed` (a verified member said no).
 */
export const HOUSEHOLD_STATUSES = ['claimed', 'verified', 'disputed'] as const;
export type HouseholdStatus = (typeof HOUSEHOLD_STATUSES)[number];
