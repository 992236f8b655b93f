// Stored documents → the answers: an order as a viewer may see it (labels, the light at `now`,
// masked phone and room for viewers who need not see them, the buttons), menu items, pages and
// volunteers' totals.
import { maskPhone, maskRoom } from '../common/mask';
import type { CommunityDoc, MemberDoc } from '../common/model';
import type { Page } from '../common/schema';
import type { OrderDetail, OrderSummary, PersonView, ServiceView } from './api';
import { effectiveLimits, lightAt } from './clock';
import { FOLLOW_UP_LABELS, SERVER_LABELS, STATUS_LABELS, TIER_LABELS, TIMELINE_LABELS } from './labels';
import type { OrderDoc, ServiceDoc, VolunteerStatsDoc } from './model';
import { allowedActions, ineligibility, seesDetails, type Viewer } from './rules';
import { voiceView } from './voice';

export { maskRoom };

const iso = (d: Date | string | null | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

export function toSummary(order: OrderDoc, viewer: Viewer, now: Date): OrderSummary {
  const whole = seesDetails(order, viewer);
  const b = order.beneficiary;
  const beneficiary: PersonView = {
    openid: order.forOpenid,
    name: b.name,
    building: b.building,
    room: whole ? b.room : maskRoom(b.room),
    phone: whole ? b.phone : maskPhone(b.phone),
  };
  const orderedBy: PersonView =
    order.orderedBy === order.forOpenid ? beneficiary : { openid: order.orderedBy, name: order.orderedByName };
  const light = lightAt(order, now);
  return {
    _id: order._id,
    serviceId: order.serviceId,
    serviceName: order.serviceName,
    tier: order.tier,
    tierLabel: TIER_LABELS[order.tier],
    price: order.price,
    description: order.description,
    voiceSeconds: order.voice?.seconds,
    urgent: order.urgent === true,
    status: order.status,
    statusLabel: STATUS_LABELS[order.status],
    light,
    step: light ? order.step : null,
    yellowAt: light ? iso(order.yellowAt) : undefined,
    redAt: light ? iso(order.redAt) : undefined,
    beneficiary,
    orderedBy,
    forSomeoneElse: order.orderedBy !== order.forOpenid,
    servedBy: order.servedBy ?? 'volunteer',
    serverLabel: SERVER_LABELS[order.servedBy ?? 'volunteer'],
    complaint: order.complaint === true,
    volunteer: order.volunteerOpenid
      ? {
          openid: order.volunteerOpenid,
          name: order.volunteerName ?? '',
          phone: whole ? (order.volunteerPhone ?? undefined) : maskPhone(order.volunteerPhone ?? undefined),
        }
      : undefined,
    stars: order.rating?.stars,
    needsFollowUp: order.followUpPending,
    createdAt: iso(order.createdAt)!,
    updatedAt: iso(order.updatedAt)!,
  };
}

export function toDetail(order: OrderDoc, viewer: Viewer, now: Date): OrderDetail {
  const summary = toSummary(order, viewer, now);
  const insider = viewer.isWorker || order.parties.includes(viewer.openid);
  return {
    ...summary,
    photos: order.photos ?? [],
    voice: voiceView(order, viewer),
    completion: order.completion
      ? { note: order.completion.note, photos: order.completion.photos ?? [], at: iso(order.completion.at)! }
      : undefined,
    rating: order.rating ? { stars: order.rating.stars, comment: order.rating.comment, at: iso(order.rating.at)! } : undefined,
    review: order.review ? { result: order.review.result, note: order.review.note, at: iso(order.review.at)! } : undefined,
    followUp:
      insider && viewer.isWorker && order.followUp.needed
        ? {
            needed: true,
            result: order.followUp.result,
            resultLabel: order.followUp.result ? FOLLOW_UP_LABELS[order.followUp.result] : undefined,
            note: order.followUp.note,
            at: iso(order.followUp.at),
          }
        : undefined,
    cancellation: order.cancellation
      ? { reason: order.cancellation.reason, byName: order.cancellation.byName, at: iso(order.cancellation.at)! }
      : undefined,
    passedOver: insider
      ? order.passedOver.map((p) => ({ openid: p.openid, name: p.name, reason: p.reason, timedOut: p.timedOut, at: iso(p.at)! }))
      : [],
    reworkCount: order.reworkCount ?? 0,
    stepLimits: { ...order.limits },
    timeline: order.timeline.map((t) => ({
      at: iso(t.at)!,
      actor: t.actor,
      actorName: t.actorName,
      action: t.action,
      actionLabel: TIMELINE_LABELS[t.action],
      note: t.note,
    })),
    allowedActions: allowedActions(order, viewer),
  };
}

export function toPage(docs: OrderDoc[], viewer: Viewer, now: Date, pageNo: number, hasMore: boolean): Page<OrderSummary> {
  return { items: docs.map((o) => toSummary(o, viewer, now)), page: pageNo, hasMore };
}

/** A menu item with the limits that apply and whether `member` may order it. */
export function toServiceView(
  service: ServiceDoc,
  community: CommunityDoc,
  member: MemberDoc,
  forSomeoneElse: boolean,
): ServiceView {
  const reason = ineligibility(service, member, forSomeoneElse);
  return {
    _id: service._id,
    name: service.name,
    tier: service.tier,
    tierLabel: TIER_LABELS[service.tier],
    description: service.description,
    price: service.price,
    eligibleTags: service.eligibleTags,
    skills: service.skills,
    enabled: service.enabled,
    stepLimits: effectiveLimits(community.stepLimits, service.stepLimits),
    sort: service.sort,
    servedBy: service.servedBy ?? 'volunteer',
    complaint: service.complaint === true,
    orderable: reason === null,
    reason: reason ?? undefined,
  };
}

/** Average stars to one decimal; null before the first rating. */
export const avgStars = (s: VolunteerStatsDoc | undefined): number | null =>
  s && s.ratedCount > 0 ? Math.round((s.starsSum / s.ratedCount) * 10) / 10 : null;
