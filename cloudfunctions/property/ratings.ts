// Households rate the property company once a month on five dimensions (docs/property.md,
// "Rating"). The household (building + room, verified) is the unit: its rating's id is derived
// from the community, the month and the room, so two members of one flat — or one member tapping
// twice — can never leave two ratings, whatever the concurrency. The company's staff do not rate.
import { audit } from '../common/audit';
import { insertOnce } from '../common/cas';
import { findById } from '../common/db';
import { AppError } from '../common/errors';
import { isVerifiedHousehold } from '../common/household';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { propertySchemas as s, type MyRatingView } from './api';
import { RATINGS, ratingId, type RatingDoc } from './model';
import { findCompany, monthLabel, monthOf, requireCompany } from './store';

/** Why the caller may not rate (null when they may). */
function rateRefusal(ctx: MemberCtx): string | null {
  if (ctx.member.roles.includes('property')) return '物业人员不参与对本公司的评价';
  if (!isVerifiedHousehold(ctx.member))
    return '您的房号尚未核实，核实后即可代表本户评价；请联系社区工作人员或同户已核实的家人确认';
  return null;
}

async function myRatingView(ctx: MemberCtx, month: string): Promise<MyRatingView> {
  const doc = await findById<RatingDoc>(RATINGS, ratingId(ctx.communityId, month, ctx.member.building, ctx.member.room));
  const refusal = rateRefusal(ctx);
  if (doc) return { month, rated: true, scores: doc.scores, byMe: doc.openid === ctx.openid, mayRate: false };
  return { month, rated: false, mayRate: refusal === null, ...(refusal ? { reason: refusal } : {}) };
}

export const ratingActions = {
  rate: action({
    schema: s.rate,
    roles: ANY_MEMBER,
    limit: 'text',
    handler: async ({ scores, comment }, ctx) => {
      await requireCompany(ctx.communityId);
      const refusal = rateRefusal(ctx);
      if (refusal) throw new AppError('E_FORBIDDEN', refusal);
      const month = monthOf(ctx.now);
      const doc: RatingDoc = {
        _id: ratingId(ctx.communityId, month, ctx.member.building, ctx.member.room),
        communityId: ctx.communityId,
        month,
        building: ctx.member.building,
        room: ctx.member.room.trim(),
        scores,
        ...(comment ? { comment } : {}),
        openid: ctx.openid,
        at: ctx.now,
      };
      if (!(await insertOnce(RATINGS, doc))) {
        throw new AppError('E_CONFLICT', `您家本月（${monthLabel(month)}）已经评价过物业服务了，每户每月一次，下月再来`);
      }
      await audit(ctx, { target: `property_rating:${doc._id}`, after: { month, ...scores } });
      return { month, rated: true, scores, byMe: true, mayRate: false };
    },
  }),

  myRating: action({
    schema: s.myRating,
    roles: ANY_MEMBER,
    handler: async (_input, ctx) => {
      const month = monthOf(ctx.now);
      if (!(await findCompany(ctx.communityId))) {
        return { month, rated: false, mayRate: false, reason: '本社区尚未登记物业公司' };
      }
      return myRatingView(ctx, month);
    },
  }),
};
