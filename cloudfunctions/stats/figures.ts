// The reads behind `stats.community`: one indexed query per source, each bounded by the number of
// months asked (≤ 24) or by a fixed cap — never by the number of orders (docs/console.md, "统计").
import { dateText } from '../../miniprogram/shared/clock';
import { cmd, collection, getAll } from '../common/db';
import { memberId, type MemberDoc } from '../common/model';
import type { VoteDoc } from '../affairs/model-votes';
import type { NoticeTallyDoc } from '../notices/model';
import { ORDER_STATS, VOLUNTEER_BOARDS, type OrderStatsDoc, type VolunteerBoardDoc } from '../orders/counters';
import { PERIODS, type PeriodDoc } from '../ledger/model';
import { GRADES, type GradeDoc } from '../property/model';
import type { LedgerMonth, NoticeMonth, OrderMonth, PropertyMonth, TopVolunteer, VoteRow } from './api';
import { rangeOf } from './months';

/** Votes and notices listed at most (newest first); `truncated` says when more ended in the range. */
export const VOTE_CAP = 100;
export const NOTICE_CAP = 500;
export const TOP_VOLUNTEERS = 10;

const ratio = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);
const hours = (minutes: number): number => Math.round(minutes / 6) / 10;
/** A collection's documents of `months` (one per community and month, month ascending): one call. */
const monthDocs = <T>(name: string, communityId: string, months: string[]): Promise<T[]> =>
  getAll<T>(
    collection(name)
      .where({
        communityId,
        month: cmd()
          .gte(months[0])
          .and(cmd().lte(months[months.length - 1])),
      })
      .orderBy('month', 'asc')
      .limit(months.length),
  );

export async function orderMonths(communityId: string, months: string[]): Promise<OrderMonth[]> {
  const docs = await monthDocs<OrderStatsDoc>(ORDER_STATS, communityId, months);
  const byMonth = new Map(docs.map((d) => [d.month, d]));
  return months.map((month) => {
    const d = byMonth.get(month);
    const closed = d?.closed ?? 0;
    const closedOnTime = d?.closedOnTime ?? 0;
    const servedMinutes = d?.servedMinutes ?? 0;
    return {
      month,
      created: d?.created ?? 0,
      closed,
      cancelled: d?.cancelled ?? 0,
      closedOnTime,
      onTimeRate: ratio(closedOnTime, closed),
      servedMinutes,
      servedHours: hours(servedMinutes),
    };
  });
}

/**
 * The volunteers who served the most minutes in the range (ties: more orders, then openid). Reads
 * the range's boards (one document per month, every volunteer on it: one call whatever the number
 * of volunteers) and the top ten's memberships by id.
 */
export async function topVolunteers(communityId: string, months: string[]): Promise<TopVolunteer[]> {
  const boards = await monthDocs<VolunteerBoardDoc>(VOLUNTEER_BOARDS, communityId, months);
  const sums = new Map<string, { minutes: number; orders: number }>();
  for (const b of boards)
    for (const [openid, e] of Object.entries(b.volunteers ?? {})) {
      const s = sums.get(openid) ?? { minutes: 0, orders: 0 };
      s.minutes += e.minutes ?? 0;
      s.orders += e.orders ?? 0;
      sums.set(openid, s);
    }
  const top = [...sums.entries()]
    .sort((a, b) => b[1].minutes - a[1].minutes || b[1].orders - a[1].orders || a[0].localeCompare(b[0]))
    .slice(0, TOP_VOLUNTEERS);
  if (top.length === 0) return [];
  const members = await getAll<MemberDoc>(
    collection('members')
      .where({ _id: cmd().in(top.map(([openid]) => memberId(communityId, openid))) })
      .field({ openid: true, name: true, building: true, status: true })
      .limit(TOP_VOLUNTEERS),
  );
  const byOpenid = new Map(members.map((m) => [m.openid, m]));
  return top.map(([openid, s], i) => {
    const m = byOpenid.get(openid);
    return {
      rank: i + 1,
      name: m?.name ?? '已注销用户',
      building: m?.building ?? '',
      orders: s.orders,
      minutes: s.minutes,
      hours: hours(s.minutes),
    };
  });
}

export async function propertyMonths(communityId: string, months: string[]): Promise<PropertyMonth[]> {
  const docs = await monthDocs<GradeDoc>(GRADES, communityId, months);
  return docs
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((g) => ({
      month: g.month,
      score: g.score,
      stars: g.stars,
      light: g.light,
      ratingCount: g.ratingCount,
      onTimeRate: g.onTimeRate,
      complaintRate: g.complaintRate,
      reworkRate: g.reworkRate,
    }));
}

export async function ledgerMonths(communityId: string, months: string[]): Promise<LedgerMonth[]> {
  const docs = await monthDocs<PeriodDoc>(PERIODS, communityId, months);
  return docs
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((p) => ({
      month: p.month,
      opening: p.opening,
      income: p.income,
      expense: p.expense,
      closing: p.closing,
      ratingCount: p.ratingCount,
      rating: p.ratingCount > 0 ? Math.round((p.ratingSum / p.ratingCount) * 10) / 10 : null,
    }));
}

/** Votes whose voting ended in the range and that were counted (closed), newest first. */
export async function votesIn(communityId: string, from: string, to: string): Promise<{ items: VoteRow[]; truncated: boolean }> {
  const { start, end } = rangeOf(from, to);
  const docs = await getAll<VoteDoc>(
    collection('votes')
      .where({ communityId, closesAt: cmd().gte(start).and(cmd().lt(end)), status: 'closed' })
      .orderBy('closesAt', 'desc')
      .field({ title: true, closesAt: true, result: true })
      .limit(VOTE_CAP + 1),
  );
  const items = docs.slice(0, VOTE_CAP).flatMap((v): VoteRow[] => {
    const r = v.result;
    if (!r) return [];
    const closedOn = dateText(v.closesAt);
    return [
      {
        title: v.title,
        closedOn,
        month: closedOn.slice(0, 7),
        eligibleOwners: r.eligible.owners,
        participatedOwners: r.participated.owners,
        turnout: ratio(r.participated.owners, r.eligible.owners) ?? 0,
        areaTurnout: ratio(r.participated.area, r.eligible.area) ?? 0,
        quorumMet: r.quorumMet,
        passed: r.passed,
      },
    ];
  });
  return { items, truncated: docs.length > VOTE_CAP };
}

/** Read rates of the notices published in the range (their tallies), by month. */
export async function noticeMonths(communityId: string, months: string[]): Promise<{ items: NoticeMonth[]; truncated: boolean }> {
  const { start, end } = rangeOf(months[0], months[months.length - 1]);
  const docs = await getAll<NoticeTallyDoc>(
    collection('notice_tallies')
      .where({ communityId, audienceAt: cmd().gte(start).and(cmd().lt(end)) })
      .orderBy('audienceAt', 'desc')
      .limit(NOTICE_CAP + 1),
  );
  const byMonth = new Map<string, NoticeMonth>();
  for (const t of docs.slice(0, NOTICE_CAP)) {
    const month = dateText(t.audienceAt).slice(0, 7);
    const m = byMonth.get(month) ?? { month, notices: 0, households: 0, readHouseholds: 0, readRate: null };
    m.notices += 1;
    for (const b of Object.values(t.buildings)) {
      m.households += b.households;
      m.readHouseholds += b.readHouseholds;
    }
    byMonth.set(month, m);
  }
  const items = months.flatMap((month) => {
    const m = byMonth.get(month);
    return m ? [{ ...m, readRate: ratio(m.readHouseholds, m.households) }] : [];
  });
  return { items, truncated: docs.length > NOTICE_CAP };
}
