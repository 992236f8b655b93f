// Stored shapes of the orders domain. Every document carries its communityId.
import type { Tag } from '../common/roles';
import type { StepLimits } from './clock';
import type { FollowUpResult, OrderStatus, Server, Step, Tier, TimelineAction } from './labels';

export interface ServiceDoc {
  _id: string; // `${communityId}:${code}`
  communityId: string;
  name: string;
  tier: Tier;
  description: string;
  price: number;
  eligibleTags: Tag[];
  skills: string[];
  enabled: boolean;
  /** Item overrides in minutes; missing steps use the community default. */
  stepLimits: Partial<StepLimits>;
  sort: number;
  /** `property`: served by the property company's staff (docs/property.md); missing: by volunteers. */
  servedBy?: Server;
  /** A complaint (投诉) about the property company: counts to its complaint rate. */
  complaint?: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface TimelineEntry {
  at: Date;
  actor: string; // openid or 'system'
  actorName: string;
  action: TimelineAction;
  note?: string;
}

export interface PassedOver {
  openid: string;
  name: string;
  reason: string;
  timedOut: boolean;
  at: Date;
}

export interface RatingRecord {
  stars: number;
  comment?: string;
  by: string;
  at: Date;
}

export interface OrderDoc {
  _id: string;
  communityId: string;
  serviceId: string;
  serviceName: string;
  tier: Tier;
  price: number;
  skills: string[];
  description: string;
  photos: string[];
  /** Who placed the order. */
  orderedBy: string;
  orderedByName: string;
  /** Who is served (equals orderedBy when ordering for oneself). */
  forOpenid: string;
  /** Both of the above: the people the order belongs to (`listMine` queries this array). */
  parties: string[];
  beneficiary: { name: string; building: string; room: string; phone?: string; gridId?: string };
  /** The beneficiary's building, top-level for the `listAll` filter. */
  building: string;
  status: OrderStatus;
  version: number;
  volunteerOpenid: string | null;
  volunteerName: string | null;
  volunteerPhone: string | null;
  passedOver: PassedOver[];
  /** Limits at creation time (later menu edits do not move running clocks). */
  limits: StepLimits;
  /** The running step's clock; null fields when none runs. */
  step: Step | null;
  /** Increments with every new clock; part of the escalation message keys. */
  stepSeq: number;
  stepStartedAt: Date | null;
  yellowAt: Date | null;
  redAt: Date | null;
  /** Escalations still to send: set with the clock, cleared by the timer once sent. */
  yellowDue: Date | null;
  redDue: Date | null;
  /** Completed and unrated: closes itself at this instant. */
  autoCloseAt: Date | null;
  completion?: { note: string; photos: string[]; at: Date };
  rating?: RatingRecord | null;
  previousRatings?: RatingRecord[];
  review?: { result: 'pass' | 'rework'; note?: string; by: string; at: Date };
  followUp: { needed: boolean; result?: FollowUpResult; note?: string; by?: string; at?: Date };
  /** True while a follow-up call is owed (indexed, for the worker's follow-up list). */
  followUpPending: boolean;
  cancellation?: { reason: string; by: string; byName: string; at: Date };
  reworkCount: number;
  /** Copied from the item: `property` orders go to the property company's staff, not volunteers. */
  servedBy?: Server;
  complaint?: boolean;
  /** Set on `complete`: whether the serve step finished inside its time (the company's on-time rate). */
  completedOnTime?: boolean;
  timeline: TimelineEntry[];
  createdAt: Date;
  updatedAt: Date;
  closedAt?: Date | null;
}

/** A volunteer's running totals, changed only together with a new points-ledger entry. */
export interface VolunteerStatsDoc {
  _id: string; // `${communityId}:${openid}`
  communityId: string;
  openid: string;
  served: number;
  ratedCount: number;
  starsSum: number;
  points: number;
  updatedAt: Date;
}

/** An entry of the points ledger shared with parking (`source` tells them apart). */
export interface PointsEntryDoc {
  _id: string; // `order:${orderId}`: one entry per order, ever
  communityId: string;
  openid: string;
  points: number;
  source: 'orders';
  reason: string;
  /** The order. */
  refId: string;
  /** The rating the points were computed with, if any. */
  stars?: number;
  at: Date;
}

export const ORDERS = 'orders';
export const SERVICES = 'services';
export const VOLUNTEER_STATS = 'volunteer_stats';
export const POINTS_LEDGER = 'points_ledger';
