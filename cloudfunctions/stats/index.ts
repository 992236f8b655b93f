// stats: the worker's figures for the 街道 (统计, docs/console.md). A function of its own: it reads
// the counters and monthly documents of several domains (orders, property, affairs, ledger,
// notices) and changes nothing; none of those functions owns the whole answer.
import { AppError } from '../common/errors';
import { findById } from '../common/db';
import type { CommunityDoc } from '../common/model';
import { action, createFunction } from '../common/router';
import { MAX_MONTHS, statsSchemas as s, type StatsApi } from './api';
import { ledgerMonths, noticeMonths, orderMonths, propertyMonths, topVolunteers, votesIn } from './figures';
import { monthIndex, monthsBetween } from './months';

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export const main = createFunction<StatsApi>('stats', {
  community: action({
    schema: s.community,
    roles: ['worker'],
    handler: async ({ fromMonth, toMonth }, ctx) => {
      if (monthIndex(fromMonth) > monthIndex(toMonth)) throw new AppError('E_VALIDATION', '起始月份不能晚于截止月份');
      if (monthIndex(toMonth) - monthIndex(fromMonth) + 1 > MAX_MONTHS)
        throw new AppError('E_VALIDATION', `一次最多统计 ${MAX_MONTHS} 个月，请缩短月份范围`);
      const c = ctx.communityId;
      const months = monthsBetween(fromMonth, toMonth);
      const [community, orders, top, property, votes, ledger, notices] = await Promise.all([
        findById<CommunityDoc>('communities', c),
        orderMonths(c, months),
        topVolunteers(c, months),
        propertyMonths(c, months),
        votesIn(c, fromMonth, toMonth),
        ledgerMonths(c, months),
        noticeMonths(c, months),
      ]);
      const sum = (k: 'created' | 'closed' | 'cancelled' | 'closedOnTime' | 'servedMinutes') =>
        orders.reduce((n, m) => n + m[k], 0);
      const closed = sum('closed');
      const turnouts = votes.items.map((v) => v.turnout);
      return {
        communityName: community?.name ?? '',
        fromMonth,
        toMonth,
        months,
        orders,
        totals: {
          created: sum('created'),
          closed,
          cancelled: sum('cancelled'),
          onTimeRate: closed > 0 ? round3(sum('closedOnTime') / closed) : null,
          servedHours: Math.round(sum('servedMinutes') / 6) / 10,
        },
        topVolunteers: top,
        property,
        votes: {
          held: votes.items.length,
          passed: votes.items.filter((v) => v.passed).length,
          averageTurnout: turnouts.length ? round3(turnouts.reduce((a, b) => a + b, 0) / turnouts.length) : null,
          items: votes.items,
          truncated: votes.truncated,
        },
        ledger,
        notices,
      };
    },
  }),
});
