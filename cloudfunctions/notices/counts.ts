// A notice's counters, kept on write so that stats read one document instead of every member and
// every receipt (docs/notices.md, "Stats"). The audience is counted once, when the notice is
// published (or scheduled); each member's first open then adds to its building's counters.
import { insertOnce } from '../common/cas';
import { cmd, collection } from '../common/db';
import { isVerifiedHousehold } from '../common/household';
import { buildingsOf, type CommunityDoc, type MemberDoc } from '../common/model';
import type { MemberCtx } from '../common/router';
import {
  householdReadId,
  tallyKey,
  type BuildingTally,
  type HouseholdReadDoc,
  type NoticeDoc,
  type NoticeTallyDoc,
} from './model';
import { audienceMembers, inAudience } from './store';

const TALLIES = 'notice_tallies';
const HOUSEHOLD_READS = 'notice_households';

/**
 * A household is a verified building + room (docs/members.md). A member whose room is only claimed
 * counts as a household of their own: someone who typed in an elder's room and opened the notice
 * must not make the elder's home read, nor take it off the list to call.
 */
export const householdKey = (m: MemberDoc): string =>
  `${m.building}\u0000${m.room.trim()}${isVerifiedHousehold(m) ? '' : `\u0000${m.openid}`}`;

/** The buildings of the audience in community order, then any other building members live in. */
export function buildingOrder(n: Pick<NoticeDoc, 'buildings'>, community: CommunityDoc, members: MemberDoc[]): string[] {
  const order = n.buildings.length ? n.buildings : buildingsOf(community);
  const extra = [...new Set(members.map((m) => m.building))].filter((b) => !order.includes(b));
  return [...order, ...extra];
}

/** Counts the audience now (every active member it is addressed to): the tally's starting point. */
export async function countAudience(
  n: Pick<NoticeDoc, '_id' | 'communityId' | 'audience' | 'buildings'>,
  community: CommunityDoc,
  now: Date,
): Promise<NoticeTallyDoc> {
  const members = await audienceMembers(n);
  const buildings: Record<string, BuildingTally> = {};
  buildingOrder(n, community, members).forEach((building, pos) => {
    const inB = members.filter((m) => m.building === building);
    const households = new Set(inB.map(householdKey)).size;
    buildings[tallyKey(building)] = { building, pos, members: inB.length, households, read: 0, readHouseholds: 0 };
  });
  return { _id: n._id, communityId: n.communityId, noticeId: n._id, audienceAt: now, buildings };
}

/** A new notice's tally: written once, before the notice, so no open can miss it (a retried post keeps the first). */
export async function insertTally(tally: NoticeTallyDoc): Promise<void> {
  await insertOnce(TALLIES, tally);
}

/** A draft or scheduled notice being (re)published: nobody has opened it yet, so the counts start over. */
export async function replaceTally(tally: NoticeTallyDoc): Promise<void> {
  const { _id, ...rest } = tally;
  await collection(TALLIES).doc(_id).set(rest);
}

/** The tallies of a page of notices, in one read (the sent box's read rates). */
export async function findTallies(noticeIds: string[]): Promise<Map<string, NoticeTallyDoc>> {
  if (!noticeIds.length) return new Map();
  const res = await collection(TALLIES)
    .where({ _id: cmd().in(noticeIds) })
    .limit(noticeIds.length)
    .get();
  return new Map((res.data as NoticeTallyDoc[]).map((t) => [t._id, t]));
}

/** Households and read households of a whole tally (never more read than there are, as stats shows). */
export function householdTotals(tally: NoticeTallyDoc): { households: number; readHouseholds: number } {
  let households = 0;
  let readHouseholds = 0;
  for (const b of Object.values(tally.buildings)) {
    households += Math.max(b.households ?? 0, b.readHouseholds ?? 0);
    readHouseholds += b.readHouseholds ?? 0;
  }
  return { households, readHouseholds };
}

export async function findTally(noticeId: string): Promise<NoticeTallyDoc | null> {
  const res = await collection(TALLIES).where({ _id: noticeId }).limit(1).get();
  return ((res.data as NoticeTallyDoc[])[0] ?? null) as NoticeTallyDoc | null;
}

/**
 * A member's first open of the notice (their receipt was just inserted): counts them, and their
 * household if this is its first open — a verified room through a receipt per household inserted
 * once (two members of one home opening together count it once), a claimed member on their own.
 * A member who joined after the audience was counted joins it here, so `read ≤ members` holds.
 * A worker's open counts nothing: workers are not the audience.
 */
export async function countFirstOpen(n: NoticeDoc, ctx: MemberCtx): Promise<void> {
  if (!n.audienceAt) return; // counted the old way (docs/notices.md)
  const m = ctx.member;
  if (!inAudience(m)) return; // a worker's open is not a household's read

  const verified = isVerifiedHousehold(m);
  let newHousehold = true;
  if (verified) {
    const doc: HouseholdReadDoc = {
      _id: householdReadId(n._id, m.building, m.room),
      communityId: n.communityId,
      noticeId: n._id,
      building: m.building,
      room: m.room.trim(),
      readAt: ctx.now,
    };
    newHousehold = await insertOnce(HOUSEHOLD_READS, doc);
  }
  const late = new Date(m.joinedAt).getTime() > new Date(n.audienceAt).getTime();
  const at = `buildings.${tallyKey(m.building)}`;
  const patch: Record<string, unknown> = {
    [`${at}.building`]: m.building,
    [`${at}.read`]: cmd().inc(1),
  };
  if (newHousehold) patch[`${at}.readHouseholds`] = cmd().inc(1);
  if (late) patch[`${at}.members`] = cmd().inc(1);
  // A late verified member's room may well have been counted already; a claimed one is a new household.
  if (late && !verified) patch[`${at}.households`] = cmd().inc(1);
  await collection(TALLIES).doc(n._id).update(patch);
}
