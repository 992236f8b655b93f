// A street's communities side by side (docs/street.md, "Where each figure comes from"). Each figure
// is a count on an index, or one short index walk, per community: the data calls grow with the
// number of communities (≤ 50), never with the number of members or orders. Nothing read here
// leaves the function but counts, rates, a grade and community names.
import { cmd, collection, getAll } from '../common/db';
import type { CommunityDoc } from '../common/model';
import type { LeaderAccess } from '../common/street';
import { instantOf } from '../../miniprogram/shared/clock';
import { addMonths, monthOf } from '../ledger/period';
import type { CommunityFigures, FigureKey, StreetOverview } from './api';

/** Topic states still running: from 征集 to 落实 (done and declined are finished). */
export const OPEN_TOPIC_STATUSES = ['proposed', 'listed', 'scheduled', 'discussed', 'decided'];
/** The month's latest notices whose read rate is summed. */
export const NOTICES_READ = 20;
/** Communities counted at the same time (each runs ~20 counts at once). */
const PARALLEL = 5;

/** Red cells (docs/street.md): a running step past its limit, and rates under these floors. */
export const RED_FLOORS = { onTimeRate: 0.8, ratingAverage: 3.5, noticeReadRate: 0.5, propertyStars: 3 } as const;

const count = async (name: string, where: Record<string, unknown>): Promise<number> =>
  (await collection(name).where(where).count()).total;

interface TallyDoc {
  _id: string;
  buildings: Record<string, { households: number; readHouseholds: number }>;
}

interface GradeDoc {
  month: string;
  stars: number | null;
  light: 'green' | 'yellow' | 'red' | null;
}

/** Households reached / households addressed, over the month's latest published notices. */
async function noticeRead(communityId: string, from: Date, to: Date): Promise<{ rate: number | null; notices: number }> {
  const notices = await getAll<{ _id: string }>(
    collection('notices')
      .where({ communityId, status: 'published', publishAt: cmd().gte(from).and(cmd().lt(to)) })
      .orderBy('publishAt', 'desc')
      .field({ _id: true })
      .limit(NOTICES_READ),
  );
  if (!notices.length) return { rate: null, notices: 0 };
  const tallies = await getAll<TallyDoc>(
    collection('notice_tallies')
      .where({ _id: cmd().in(notices.map((n) => n._id)) })
      .field({ buildings: true })
      .limit(NOTICES_READ),
  );
  let households = 0;
  let read = 0;
  for (const t of tallies)
    for (const b of Object.values(t.buildings ?? {})) {
      households += b.households;
      read += b.readHouseholds;
    }
  return { rate: households ? read / households : null, notices: notices.length };
}

const round = (x: number | null, digits: number): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

export function redFigures(f: Omit<CommunityFigures, 'red'>): FigureKey[] {
  const red: FigureKey[] = [];
  if (f.redNow > 0) red.push('redNow');
  if (f.onTimeRate !== null && f.onTimeRate < RED_FLOORS.onTimeRate) red.push('onTimeRate');
  if (f.ratingAverage !== null && f.ratingAverage < RED_FLOORS.ratingAverage) red.push('ratingAverage');
  if (f.noticeReadRate !== null && f.noticeReadRate < RED_FLOORS.noticeReadRate) red.push('noticeReadRate');
  if (f.propertyLight === 'red' || (f.propertyStars !== null && f.propertyStars < RED_FLOORS.propertyStars)) red.push('propertyStars');
  return red;
}

async function figuresOf(community: CommunityDoc, from: Date, to: Date, now: Date): Promise<CommunityFigures> {
  const communityId = community._id;
  const inMonth = cmd().gte(from).and(cmd().lt(to));
  const monthOrders = (extra: Record<string, unknown>) => count('orders', { communityId, createdAt: inMonth, ...extra });
  const stars = [1, 2, 3, 4, 5];
  const [
    membersActive,
    membersPending,
    volunteersOnDuty,
    ordersCreated,
    ordersClosed,
    onTime,
    late,
    redNow,
    starCounts,
    notices,
    grades,
    openTopics,
    openVotes,
    openQuestions,
  ] = await Promise.all([
    count('members', { communityId, status: 'active' }),
    count('members', { communityId, status: 'pending' }),
    count('members', { communityId, onDuty: true, status: 'active' }),
    monthOrders({}),
    count('orders', { communityId, status: 'closed', createdAt: inMonth }),
    monthOrders({ completedOnTime: true }),
    monthOrders({ completedOnTime: false }),
    count('orders', { communityId, redAt: cmd().lte(now) }),
    Promise.all(stars.map((n) => monthOrders({ 'rating.stars': n }))),
    noticeRead(communityId, from, to),
    getAll<GradeDoc>(
      collection('property_grades')
        .where({ communityId })
        .orderBy('month', 'desc')
        .field({ month: true, stars: true, light: true })
        .limit(1),
    ),
    count('topics', { communityId, status: cmd().in(OPEN_TOPIC_STATUSES) }),
    count('votes', { communityId, status: 'open', opensAt: cmd().lte(now) }),
    count('ledger_questions', { communityId, status: 'open' }),
  ]);
  const ratingCount = starCounts.reduce((a, b) => a + b, 0);
  const starsSum = starCounts.reduce((a, n, i) => a + n * stars[i], 0);
  const grade = grades[0] ?? null;
  const figures: Omit<CommunityFigures, 'red'> = {
    communityId,
    name: community.name,
    membersActive,
    membersPending,
    volunteersOnDuty,
    ordersCreated,
    ordersClosed,
    onTimeRate: round(onTime + late ? onTime / (onTime + late) : null, 3),
    redNow,
    ratingAverage: round(ratingCount ? starsSum / ratingCount : null, 2),
    ratingCount,
    noticeReadRate: round(notices.rate, 3),
    notices: notices.notices,
    propertyMonth: grade?.month ?? null,
    propertyStars: grade?.stars ?? null,
    propertyLight: grade?.light ?? null,
    openTopics,
    openVotes,
    openQuestions,
  };
  return { ...figures, red: redFigures(figures) };
}

export async function overview(leader: LeaderAccess, month: string | undefined, now: Date): Promise<StreetOverview> {
  const m = month ?? monthOf(now);
  const from = instantOf(`${m}-01`);
  const to = instantOf(`${addMonths(m, 1)}-01`);
  const ids = leader.communityIds;
  // One read for the names; a community the operator listed but that does not exist is left out.
  const found = ids.length
    ? await getAll<CommunityDoc>(collection('communities').where({ _id: cmd().in(ids) }).field({ name: true }).limit(ids.length))
    : [];
  const byId = new Map(found.map((c) => [c._id, c]));
  const communities = ids.map((id) => byId.get(id)).filter((c): c is CommunityDoc => !!c);
  const rows: CommunityFigures[] = [];
  for (let i = 0; i < communities.length; i += PARALLEL)
    rows.push(...(await Promise.all(communities.slice(i, i + PARALLEL).map((c) => figuresOf(c, from, to, now)))));
  return { streetId: leader.streetId, streetName: leader.streetName, month: m, asOf: now.toISOString(), communities: rows };
}
