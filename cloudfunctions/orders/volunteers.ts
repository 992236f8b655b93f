// Volunteers: the worker's ranked picks for dispatching, a volunteer going on or off duty, and
// a volunteer's public record.
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { AppError } from '../common/errors';
import type { CommunityDoc, MemberDoc } from '../common/model';
import { action, ANY_MEMBER } from '../common/router';
import { ordersSchemas as s, type Suggestion } from './api';
import type { OrderDoc, VolunteerStatsDoc } from './model';
import { findMember, loadOrder, openOrderCounts, requireCommunity, serversFor, statsOf } from './store';
import { avgStars } from './view';

/**
 * The points of a suggestion (docs/orders.md, "Suggestions"). A volunteer with at least one of the
 * item's skills gets at least SKILL_ANY + 4 (one of ten skills), more than the most any volunteer
 * without one can get from the rest (building 30 + load 20 + stars 10 = 60): a matching skill
 * always outranks a neighbour without it. Within the same skill match, distance, load and stars
 * trade off by their points.
 */
export const SCORE = {
  /** Matching at least one of the item's skills … */
  skillAny: 60,
  /** … plus this times the share of the item's skills matched. */
  skillShare: 40,
  sameBuilding: 30,
  sameGrid: 15,
  /** No open order; minus `perOpenOrder` for each, never below 0. */
  idle: 20,
  perOpenOrder: 5,
  /** Average stars times this (1 star 2 … 5 stars 10); not rated yet counts as 3 stars. */
  perStar: 2,
  unratedStars: 3,
} as const;

/**
 * One candidate for the order: the points, the reasons in Chinese and the sort key. Passed over
 * before (declined or timed out on this order) ranks last; then more points; then fewer open
 * orders; then the openid, so equal volunteers always come in the same order.
 */
function rank(
  v: MemberDoc,
  order: OrderDoc,
  community: CommunityDoc,
  open: number,
  stats: VolunteerStatsDoc | undefined,
): { suggestion: Suggestion; key: number[] } {
  const gridName = (id?: string) => community.grids.find((g) => g.id === id)?.name ?? '';
  const sameBuilding = v.building === order.building;
  const sameGrid = !sameBuilding && Boolean(v.gridId) && v.gridId === order.beneficiary.gridId;
  const required = [...new Set(order.skills)];
  const matched = required.filter((k) => (v.skills ?? []).includes(k));
  const missing = required.filter((k) => !matched.includes(k));
  const avg = avgStars(stats);
  const passed = order.passedOver.some((p) => p.openid === v.openid);
  const score =
    (matched.length > 0 ? SCORE.skillAny + Math.round((SCORE.skillShare * matched.length) / required.length) : 0) +
    (sameBuilding ? SCORE.sameBuilding : sameGrid ? SCORE.sameGrid : 0) +
    Math.max(0, SCORE.idle - SCORE.perOpenOrder * open) +
    Math.round(SCORE.perStar * (avg ?? SCORE.unratedStars));
  const skillText =
    required.length === 0
      ? ''
      : matched.length === 0
        ? `不具备所需技能（${required.join('、')}）`
        : `擅长${matched.join('、')}${missing.length ? `（缺${missing.join('、')}）` : ''}`;
  const parts = [
    skillText,
    sameBuilding ? `同楼栋（${v.building}）` : sameGrid ? `同网格（${gridName(v.gridId)}）` : `${v.building}，不同网格`,
    open === 0 ? '当前无在办订单' : `当前在办 ${open} 单`,
    avg === null ? '暂无评分' : `平均 ${avg.toFixed(1)} 星`,
    passed ? '此前拒单或超时未接，排在最后' : '',
  ].filter(Boolean);
  return {
    suggestion: {
      openid: v.openid,
      name: v.name,
      building: v.building,
      gridId: v.gridId,
      skills: v.skills ?? [],
      openOrders: open,
      avgStars: avg,
      served: stats?.served ?? 0,
      score,
      reason: `${parts.join('，')}；综合 ${score} 分`,
      passedOverBefore: passed,
    },
    key: [passed ? 1 : 0, -score, open],
  };
}

export const volunteerActions = {
  suggestVolunteers: action({
    schema: s.suggestVolunteers,
    roles: ['worker'],
    handler: async ({ orderId }, ctx) => {
      const order = await loadOrder(ctx.communityId, orderId);
      if (order.status !== 'pending' && order.status !== 'open') {
        throw new AppError('E_CONFLICT', '该订单已不在待派单状态，请刷新');
      }
      const community = await requireCommunity(ctx.communityId);
      // Property orders: the property company's staff, ranked the same way (docs/property.md).
      const volunteers = (await serversFor(order)).filter((v) => !order.parties.includes(v.openid));
      const ids = volunteers.map((v) => v.openid);
      const [counts, stats] = await Promise.all([openOrderCounts(ctx.communityId, ids), statsOf(ctx.communityId, ids)]);
      const rows = volunteers.map((v) => rank(v, order, community, counts.get(v.openid) ?? 0, stats.get(v.openid)));
      rows.sort((a, b) => {
        for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
        return a.suggestion.openid < b.suggestion.openid ? -1 : 1;
      });
      return { items: rows.map((r) => r.suggestion) };
    },
  }),

  setDuty: action({
    schema: s.setDuty,
    roles: ['volunteer'],
    handler: async ({ onDuty }, ctx) => {
      const m = ctx.member;
      if (m.onDuty === onDuty) return { onDuty };
      await compareAndSet(
        'members',
        { _id: m._id, version: m.version },
        { onDuty, updatedAt: ctx.now },
        '状态已变化，请刷新后重试',
      );
      await audit(ctx, { target: `member:${m._id}`, before: { onDuty: m.onDuty }, after: { onDuty } });
      return { onDuty };
    },
  }),

  volunteerRecord: action({
    schema: s.volunteerRecord,
    roles: ANY_MEMBER,
    handler: async ({ openid }, ctx) => {
      const v = await findMember(ctx.communityId, openid);
      if (!v || v.status !== 'active' || !v.roles.includes('volunteer')) throw new AppError('E_NOT_FOUND', '该志愿者不存在');
      const stats = (await statsOf(ctx.communityId, [openid])).get(openid);
      return {
        openid,
        name: v.name,
        building: v.building,
        served: stats?.served ?? 0,
        avgStars: avgStars(stats),
        ratedCount: stats?.ratedCount ?? 0,
        points: stats?.points ?? 0,
        onDuty: v.onDuty,
      };
    },
  }),
};
