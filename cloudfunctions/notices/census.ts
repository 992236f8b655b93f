// The full count of a notice's readers: every active member of the audience now, against every
// receipt. Remind uses it (once per notice) to freeze whom to tell; stats uses it only for a notice
// without a tally (drafts, notices published before tallies existed). Tests compare the tally with it.
import { isVerifiedHousehold } from '../common/household';
import type { CommunityDoc, MemberDoc } from '../common/model';
import type { BuildingStats } from './api';
import { buildingOrder, householdKey } from './counts';
import type { NoticeDoc } from './model';
import { audienceMembers, readersOf } from './store';

export const ATTENTION_TAGS = ['独居老人', '高龄', '残疾'];

export interface Household {
  building: string;
  room: string;
  verified: boolean;
  members: MemberDoc[];
  read: boolean;
}

export type UnreadRow = Household & { attention: boolean };

/**
 * Rooms in natural order ("2栋 302" before "2栋 1101"). One collator for the module: `localeCompare`
 * with a locale builds a collator on every call (~1 ms each on a busy machine), which made sorting
 * one building's unread households most of `notices.stats`' time (docs/performance.md).
 */
const ROOMS = new Intl.Collator('zh-Hans-CN', { numeric: true });
export const roomOrder = (a: string, b: string): number => ROOMS.compare(a, b);

/** Members grouped into households; `read` when any of them has a receipt. */
export function householdsOf(members: MemberDoc[], readers: Set<string>): Household[] {
  const households = new Map<string, Household>();
  for (const m of members) {
    const key = householdKey(m);
    const h = households.get(key) ?? {
      building: m.building,
      room: m.room.trim(),
      verified: isVerifiedHousehold(m),
      members: [],
      read: false,
    };
    h.members.push(m);
    if (readers.has(m.openid)) h.read = true;
    households.set(key, h);
  }
  return [...households.values()];
}

export const withAttention = (h: Household): UnreadRow => ({
  ...h,
  attention: h.members.some((m) => m.tags.some((t) => ATTENTION_TAGS.includes(t))),
});

export function totalsOf(buildings: BuildingStats[]): Omit<BuildingStats, 'building'> {
  const sum = (k: 'members' | 'read' | 'households' | 'readHouseholds') => buildings.reduce((acc, b) => acc + b[k], 0);
  const totals = {
    members: sum('members'),
    read: sum('read'),
    households: sum('households'),
    readHouseholds: sum('readHouseholds'),
    rate: 0,
  };
  totals.rate = totals.households ? totals.readHouseholds / totals.households : 0;
  return totals;
}

/** Everything counted from the members and receipts as they are now. */
export async function census(n: NoticeDoc, community: CommunityDoc) {
  const [members, readers] = await Promise.all([audienceMembers(n), readersOf(n)]);
  const households = householdsOf(members, readers);
  const order = buildingOrder(n, community, members);
  const buildings: BuildingStats[] = order.map((building) => {
    const inB = members.filter((m) => m.building === building);
    const hs = households.filter((h) => h.building === building);
    const readHouseholds = hs.filter((h) => h.read).length;
    return {
      building,
      members: inB.length,
      read: inB.filter((m) => readers.has(m.openid)).length,
      households: hs.length,
      readHouseholds,
      rate: hs.length ? readHouseholds / hs.length : 0,
    };
  });
  const position = new Map(order.map((b, i) => [b, i]));
  const unread = households
    .filter((h) => !h.read)
    .map(withAttention)
    .sort(
      (a, b) =>
        Number(b.attention) - Number(a.attention) ||
        (position.get(a.building) ?? 0) - (position.get(b.building) ?? 0) ||
        roomOrder(a.room, b.room),
    );
  return { buildings, totals: totalsOf(buildings), unread };
}
