// The orders function's contract: payload schemas, answer types and the Chinese labels the pages
// show. The mini-program imports the types with `import type`; the label maps live once in
// `miniprogram/shared/order-labels.ts`, which both sides import (`orders/labels.ts` re-exports it).
import { z } from 'zod';
import { id, optionalChoice, requestId, optionalText, page, picture, text, voiceFile, type Page } from '../common/schema';
import { VOICE_MAX_SECONDS } from '../common/voice-limits';
import { TAGS, type Tag } from '../common/roles';
import {
  FOLLOW_UP_RESULTS,
  LIGHTS,
  ORDER_STATUSES,
  SERVERS,
  TIERS,
  type FollowUpResult,
  type Server,
  type Light,
  type OrderAction,
  type OrderStatus,
  type Step,
  type Tier,
  type TimelineAction,
} from './labels';

export * from './labels';

/**
 * Pictures the caller uploaded to cloud storage (`cloud://env.bucket/uploads/…` file ids), at most 9;
 * common/files.ts checkAttachments decides whose and whether they exist.
 */
const photos = z.array(picture('图片需要先上传，请重新选择图片')).max(9).optional();

/** One step limit in minutes: 5 minutes to 30 days. */
const minutes = z
  .number()
  .int()
  .min(5)
  .max(30 * 24 * 60);

export const ordersSchemas = {
  /** The community's menu; `forOpenid` answers eligibility for that member (ordering for someone). */
  menu: z.strictObject({ forOpenid: id.optional() }),
  /** A description, a voice message, or both (docs/orders.md, "Voice orders"). */
  create: z
    .strictObject({
      serviceId: id,
      description: optionalText(500, { label: '需求描述', multiline: true }),
      requestId,
      forOpenid: id.optional(),
      photos,
      voice: z
        .strictObject({
          fileId: voiceFile('语音需要先上传，请重新录音'),
          seconds: z.number().int().min(1).max(VOICE_MAX_SECONDS),
        })
        .optional(),
      /** What the caller wrote down of the voice message; optional, only with one. */
      transcript: optionalText(500, { label: '语音文字', multiline: true }),
    })
    .refine((o) => Boolean(o.description || o.voice), { message: '请填写需求描述，或按住按钮录一段语音', path: ['description'] })
    .refine((o) => !o.transcript || o.voice, { message: '语音文字只能和语音一起提交', path: ['transcript'] }),
  /** 一键求助: an urgent order for the caller (an elder), once per request id. */
  help: z.strictObject({ requestId }),
  get: z.strictObject({ orderId: id }),
  /** `as: 'volunteer'` lists the orders the caller serves (assigned to them); default: ordered by or for them. */
  listMine: z.strictObject({
    status: z.enum(ORDER_STATUSES).optional(),
    as: z.enum(['resident', 'volunteer']).optional(),
    page,
  }),
  listHall: z.strictObject({ page }),
  listAll: z.strictObject({
    status: z.enum(ORDER_STATUSES).optional(),
    light: z.enum(LIGHTS).optional(),
    building: optionalChoice(20),
    tier: z.enum(TIERS).optional(),
    /** Only orders owing a follow-up call (回访). */
    needsFollowUp: z.boolean().optional(),
    /** `property`: only the orders the property company serves (物业); `volunteer`: only the others. */
    servedBy: z.enum(SERVERS).optional(),
    page,
  }),
  suggestVolunteers: z.strictObject({ orderId: id }),
  dispatch: z.strictObject({ orderId: id, volunteerOpenid: id }),
  release: z.strictObject({ orderId: id }),
  accept: z.strictObject({ orderId: id }),
  decline: z.strictObject({ orderId: id, reason: text(200, { label: '拒单原因', multiline: true }) }),
  start: z.strictObject({ orderId: id }),
  complete: z.strictObject({ orderId: id, note: text(500, { label: '服务说明', multiline: true }), photos }),
  rate: z.strictObject({
    orderId: id,
    stars: z.number().int().min(1).max(5),
    comment: optionalText(300, { label: '评价', multiline: true }),
  }),
  /** `note` is required for `rework` (it tells the volunteer what to fix). */
  review: z.strictObject({
    orderId: id,
    result: z.enum(['pass', 'rework']),
    note: optionalText(300, { label: '评单意见', multiline: true }),
  }),
  followUp: z.strictObject({
    orderId: id,
    result: z.enum(FOLLOW_UP_RESULTS),
    note: optionalText(300, { label: '回访记录', multiline: true }),
  }),
  cancel: z.strictObject({ orderId: id, reason: text(200, { label: '取消原因', multiline: true }) }),
  /** Without `serviceId`: a new item. With it: edit that item (all fields replaced). */
  saveService: z.strictObject({
    serviceId: id.optional(),
    serviceName: text(20, { label: '服务名称' }),
    tier: z.enum(TIERS),
    description: text(200, { label: '服务说明', multiline: true }),
    /** Fen (1/100 yuan), integer; 0 = free. Basic items must be free. */
    price: z.number().int().min(0).max(10_000_000),
    /** 特惠 only: members carrying one of these tags may order it. */
    eligibleTags: z.array(z.enum(TAGS)).max(TAGS.length).optional(),
    skills: z
      .array(text(20, { label: '所需技能' }))
      .max(10)
      .optional(),
    enabled: z.boolean(),
    /** Minutes per step; a missing step falls back to the community default. */
    stepLimits: z
      .strictObject({
        dispatch: minutes.optional(),
        accept: minutes.optional(),
        serve: minutes.optional(),
        review: minutes.optional(),
      })
      .optional(),
    sort: z.number().int().min(0).max(9999).optional(),
    /** `property`: served by the property company's staff (docs/property.md); default volunteers. */
    servedBy: z.enum(SERVERS).optional(),
    /** A complaint item (投诉): its orders count to the property company's complaint rate. */
    complaint: z.boolean().optional(),
  }),
  setDuty: z.strictObject({ onDuty: z.boolean() }),
  volunteerRecord: z.strictObject({ openid: id }),
  // 亲情代办 (docs/family.md): a relative linked to an elder acts for that elder only.
  /** The menu as it answers for the linked elder. */
  familyMenu: z.strictObject({ linkId: id }),
  /** An order for the linked elder; the relative is recorded as `orderedBy`. */
  familyCreate: z.strictObject({
    linkId: id,
    serviceId: id,
    description: text(500, { label: '需求描述', multiline: true }),
    requestId,
  }),
  /** The linked elder's orders (every order for them, whoever placed it), newest first. */
  familyOrders: z.strictObject({ linkId: id, page }),
  familyGet: z.strictObject({ orderId: id }),
  /** Only an order the relative placed, while nobody has been dispatched yet. */
  familyCancel: z.strictObject({ orderId: id, reason: text(200, { label: '取消原因', multiline: true }) }),
  familyRate: z.strictObject({
    orderId: id,
    stars: z.number().int().min(1).max(5),
    comment: optionalText(300, { label: '评价', multiline: true }),
  }),
};

export type StepLimits = Record<Step, number>;

export interface ServiceView {
  _id: string;
  name: string;
  tier: Tier;
  tierLabel: string;
  description: string;
  /** Fen; 0 = free. */
  price: number;
  eligibleTags: Tag[];
  skills: string[];
  enabled: boolean;
  /** Effective limits in minutes (item override, else community default). */
  stepLimits: StepLimits;
  sort: number;
  servedBy: Server;
  complaint: boolean;
  /** Whether the caller (or `forOpenid`) may order it now; when not, `reason` says why. */
  orderable: boolean;
  reason?: string;
}

export interface MenuView {
  tiers: { tier: Tier; label: string; items: ServiceView[] }[];
}

/** A person on an order. `phone` and `room` are masked for viewers who need not see them. */
export interface PersonView {
  openid: string;
  name: string;
  building?: string;
  room?: string;
  phone?: string;
}

export interface TimelineEntryView {
  at: string;
  actor: string; // openid, or 'system' for the timer
  actorName: string;
  action: TimelineAction;
  actionLabel: string;
  note?: string;
}

export interface OrderSummary {
  _id: string;
  serviceId: string;
  serviceName: string;
  tier: Tier;
  tierLabel: string;
  price: number;
  description: string;
  /** Seconds of the order's voice message; absent when it has none. */
  voiceSeconds?: number;
  /** 一键求助. */
  urgent: boolean;
  status: OrderStatus;
  statusLabel: string;
  /** Light of the running step; null when no step clock runs (completed, closed, cancelled). */
  light: Light | null;
  step: Step | null;
  /** ISO instants at which the running step turns yellow / red. */
  yellowAt?: string;
  redAt?: string;
  /** The person served (whose building and room). */
  beneficiary: PersonView;
  /** Who placed the order, when someone ordered for the beneficiary (代点单). */
  orderedBy: PersonView;
  forSomeoneElse: boolean;
  /** Who serves it: `property` orders go to the property company's staff (物业人员). */
  servedBy: Server;
  /** 志愿者 or 物业人员: what the pages call the person serving it. */
  serverLabel: string;
  complaint: boolean;
  volunteer?: PersonView;
  stars?: number;
  needsFollowUp: boolean;
  createdAt: string;
  updatedAt: string;
}

/** An order's voice message as a viewer gets it. */
export interface VoiceView {
  seconds: number;
  transcript?: string;
  check: 'checking' | 'pass' | 'rejected';
  checkLabel: string;
  /** A temporary address to play it (getTempFileURL, valid 2 hours), for viewers who may hear it now. */
  url?: string;
}

export interface OrderDetail extends OrderSummary {
  photos: string[];
  voice?: VoiceView;
  completion?: { note: string; photos: string[]; at: string };
  rating?: { stars: number; comment?: string; at: string };
  review?: { result: 'pass' | 'rework'; note?: string; at: string };
  followUp?: { needed: boolean; result?: FollowUpResult; resultLabel?: string; note?: string; at?: string };
  cancellation?: { reason: string; byName: string; at: string };
  /** Volunteers this order went to who declined or let it time out (workers and the parties see it). */
  passedOver: { openid: string; name: string; reason: string; timedOut: boolean; at: string }[];
  reworkCount: number;
  /** The order's own step limits in minutes, fixed when it was placed (the printed 派工单 shows them). */
  stepLimits: StepLimits;
  timeline: TimelineEntryView[];
  /** Exactly the transitions this viewer may perform now — the buttons to show. */
  allowedActions: OrderAction[];
}

export interface Suggestion {
  openid: string;
  name: string;
  building: string;
  gridId?: string;
  skills: string[];
  /** Orders currently dispatched to, accepted by or being served by this volunteer. */
  openOrders: number;
  avgStars: number | null;
  served: number;
  /** Points of skill, distance, load and stars (docs/orders.md, "Suggestions"); higher ranks first. */
  score: number;
  /** Skills, same building / grid, open orders, stars and the points, in Chinese, for the picker. */
  reason: string;
  /** Declined or timed out on this order before; ranked last. */
  passedOverBefore: boolean;
}

export interface HallPage extends Page<OrderSummary> {
  onDuty: boolean;
  /** The caller is staff of the property company (物业人员): always on duty, no duty switch. */
  staff: boolean;
}

export interface VolunteerRecord {
  openid: string;
  name: string;
  building: string;
  /** Closed orders this volunteer served. */
  served: number;
  avgStars: number | null;
  ratedCount: number;
  points: number;
  onDuty: boolean;
}

/** 一键求助's answer: the urgent order, who was told, and the community's duty phone to call. */
export interface HelpAnswer {
  order: OrderDetail;
  /** How many workers and volunteers got the message. */
  notified: number;
  /** 社区值班电话; absent when the community has not set one. */
  dutyPhone?: string;
}

type In<K extends keyof typeof ordersSchemas> = z.input<(typeof ordersSchemas)[K]>;

export interface OrdersApi {
  menu: { input: In<'menu'>; output: MenuView };
  create: { input: In<'create'>; output: OrderDetail };
  get: { input: In<'get'>; output: OrderDetail };
  listMine: { input: In<'listMine'>; output: Page<OrderSummary> };
  listHall: { input: In<'listHall'>; output: HallPage };
  listAll: { input: In<'listAll'>; output: Page<OrderSummary> };
  suggestVolunteers: { input: In<'suggestVolunteers'>; output: { items: Suggestion[] } };
  dispatch: { input: In<'dispatch'>; output: OrderDetail };
  release: { input: In<'release'>; output: OrderDetail };
  accept: { input: In<'accept'>; output: OrderDetail };
  decline: { input: In<'decline'>; output: OrderDetail };
  start: { input: In<'start'>; output: OrderDetail };
  complete: { input: In<'complete'>; output: OrderDetail };
  rate: { input: In<'rate'>; output: OrderDetail };
  review: { input: In<'review'>; output: OrderDetail };
  followUp: { input: In<'followUp'>; output: OrderDetail };
  cancel: { input: In<'cancel'>; output: OrderDetail };
  saveService: { input: In<'saveService'>; output: ServiceView };
  setDuty: { input: In<'setDuty'>; output: { onDuty: boolean } };
  volunteerRecord: { input: In<'volunteerRecord'>; output: VolunteerRecord };
  familyMenu: { input: In<'familyMenu'>; output: MenuView };
  familyCreate: { input: In<'familyCreate'>; output: OrderDetail };
  familyOrders: { input: In<'familyOrders'>; output: Page<OrderSummary> };
  familyGet: { input: In<'familyGet'>; output: OrderDetail };
  familyCancel: { input: In<'familyCancel'>; output: OrderDetail };
  familyRate: { input: In<'familyRate'>; output: OrderDetail };
  help: { input: In<'help'>; output: HelpAnswer };
}
