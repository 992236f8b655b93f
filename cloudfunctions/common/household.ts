// Households (docs/members.md): a household is a building + room of one community. Typing a room
// in proves nothing, so every rule that lets one member act for or see another because they share
// a household asks for a *verified* household on both sides — never the room alone.
import type { HouseholdStatus } from './roles';
import type { MemberDoc } from './model';

/** A member's household proof; a member without one (older data) is `claimed`. */
export const householdStatus = (m: Pick<MemberDoc, 'household'>): HouseholdStatus => m.household?.status ?? 'claimed';

export const isVerifiedHousehold = (m: Pick<MemberDoc, 'household'>): boolean => householdStatus(m) === 'verified';

/** The same building and room (rooms compared trimmed). Says nothing about proof: see verifiedHousehold. */
export const sameRoom = (a: Pick<MemberDoc, 'building' | 'room'>, b: Pick<MemberDoc, 'building' | 'room'>): boolean =>
  a.building === b.building && a.room.trim() === b.room.trim();

/**
 * Whether `a` and `b` are proven to live together: two different active members of one community,
 * both verified, in the same building and room. The only household test any rule may use.
 */
export function verifiedHousehold(a: MemberDoc, b: MemberDoc): boolean {
  return (
    a.openid !== b.openid &&
    a.communityId === b.communityId &&
    a.status === 'active' &&
    b.status === 'active' &&
    isVerifiedHousehold(a) &&
    isVerifiedHousehold(b) &&
    sameRoom(a, b)
  );
}
