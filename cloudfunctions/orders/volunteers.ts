// Volunteers: the worker's ranked picks for dispatching, a volunteer going on or off duty, and
// a volunteer's public record.
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { AppError } from '../common/errors';
import type { CommunityDoc, MemberDoc } from '../common/model';
import { action, ANY_MEMBER } from '../common/router';
import { ordersSchemas as s, type Suggestion } from './api';
import type { OrderDoc, VolunteerStatsDoc } from './model';
import { findMember, loadOrder, onDutyVolunteers, openOrderCounts, requireCommunity, statsOf } from './store';
import { avgStars } from './view';

/**
 * One candidate for the order, with the reasons in Chinese and a sort key: not passed over
 * before, same building, same grid, more matching skills, less open work, better stars.
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
  const matched = order.skills.filter((k) => (v.skills ?? []).includes(k));
  const avg = avgStars(stats);
  const passed = order.passedOver.some((p) => p.openid === v.openid);
  const parts = [
    sameBuilding ? `同楼栋（${v.building}）` : sameGrid ? `同网格（${gridName(v.gridId)}）` : `${v.building}，不同网格`,
    matched.length > 0 ? `擅长${matched.join('、')}` : order.skills.length > 0 ? '技能不完全匹配' : '',
    open === 0 ? '当前无在办订单' : `当前在办 ${open} 单`,
    avg === null ? '暂无评分' : `平均 ${avg.toFixed(1)} 星`,
    passed ? '此前拒单或超时未接' : '',
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
      reason: parts.join('，'),
      passedOverBefore: passed,
    },
    key: [passed ? 1 : 0, sameBuilding ? 0 : 1, sameBuilding || sameGrid ? 0 : 1, -matched.length, open, -(avg ?? 0)],
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
      const volunteers = (await onDutyVolunteers(ctx.communityId)).filter((v) => !order.parties.includes(v.openid));
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
