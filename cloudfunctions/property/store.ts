// Reads of the property domain: the company, the month's facts (ratings and the company's orders,
// each query indexed in database.json), grades, warnings, and month arithmetic on the community's clock.
import { instantOf } from '../../miniprogram/shared/clock';
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { addMonths } from '../ledger/period';
import type { OrderDoc } from '../orders/model';
import { DIMENSIONS, emptySums, type MonthFacts } from './formula';
import { COMPANIES, RATINGS, type CompanyDoc, type RatingDoc } from './model';

export { addMonths, monthLabel, monthOf } from '../ledger/period';

export const COMPANY_MISSING = '本社区尚未登记物业公司，请联系社区工作人员';

export const findCompany = (communityId: string): Promise<CompanyDoc | null> => findById<CompanyDoc>(COMPANIES, communityId);

/** The community's company; a community without one answers as if the thing asked for does not exist. */
export async function requireCompany(communityId: string): Promise<CompanyDoc> {
  const company = await findCompany(communityId);
  if (!company) throw new AppError('E_NOT_FOUND', COMPANY_MISSING);
  return company;
}

/** Active staff (物业人员) of the community. */
export async function staffCount(communityId: string): Promise<number> {
  const res = await collection('members').where({ communityId, status: 'active', roles: 'property' }).count();
  return res.total ?? 0;
}

/** Ratings and orders can be many: at most this many of each are read for one month's grade. */
export const MONTH_READ_MAX = 1000;

/** The month's ratings and the company's orders placed in it, as counts (docs/property.md). */
export async function monthFacts(communityId: string, month: string): Promise<MonthFacts> {
  const from = instantOf(`${month}-01`);
  const to = instantOf(`${addMonths(month, 1)}-01`);
  const [ratings, orders] = await Promise.all([
    getAll<RatingDoc>(collection(RATINGS).where({ communityId, month }).field({ scores: true }).limit(MONTH_READ_MAX)),
    getAll<OrderDoc>(
      collection('orders')
        .where({ communityId, servedBy: 'property', createdAt: cmd().gte(from).and(cmd().lt(to)) })
        .field({ status: true, complaint: true, completion: true, completedOnTime: true, reworkCount: true })
        .limit(MONTH_READ_MAX),
    ),
  ]);
  const sums = emptySums();
  for (const r of ratings) for (const d of DIMENSIONS) sums[d] += r.scores[d];
  const live = orders.filter((o) => o.status !== 'cancelled');
  const completed = live.filter((o) => o.completion);
  return {
    ratingCount: ratings.length,
    sums,
    orders: live.length,
    complaints: live.filter((o) => o.complaint).length,
    completed: completed.length,
    onTime: completed.filter((o) => o.completedOnTime !== false).length,
    reworked: completed.filter((o) => (o.reworkCount ?? 0) > 0).length,
  };
}
