// The notices function's contract: payload schemas and answer types. The mini-program imports
// these types with `import type`; zod itself never ships to the client.
import { z } from 'zod';
import { choice, id, instantText, mark, optionalChoice, optionalText, page, picture, text, type Page } from '../common/schema';

import { BODY_MAX, IMAGES_MAX, NOTICE_CATEGORIES, TITLE_MAX, type NoticeCategory } from './constants';

export { BODY_MAX, IMAGES_MAX, NOTICE_CATEGORIES, TITLE_MAX, type NoticeCategory };

/** What a worker's list shows: the feed residents see, or one of the worker's boxes. */
export const NOTICE_BOXES = ['feed', 'drafts', 'scheduled', 'sent', 'withdrawn'] as const;
export type NoticeBox = (typeof NOTICE_BOXES)[number];

/** Derived from the stored status and the clock: a published notice is scheduled until publishAt. */
export type NoticeState = 'draft' | 'scheduled' | 'published' | 'expired' | 'withdrawn';

/** What wx.getGroupEnterInfo answered: WeChat's opaque token, read only by the open API. */
const cloudId = mark(z.string().trim().min(1).max(1024), { kind: 'closed' });

const imageRef = picture('图片需要先上传，请重新选择图片');

const noticeFields = {
  title: text(TITLE_MAX, { label: '标题', scene: 3 }),
  body: text(BODY_MAX, { label: '正文', scene: 3, multiline: true }),
  category: z.enum(NOTICE_CATEGORIES),
  /** Chosen buildings; absent or empty means the whole community. */
  buildings: z.array(choice(20)).max(100).optional(),
  pinned: z.boolean().optional(),
  /** After this time the notice leaves residents' lists. */
  expiresAt: instantText('有效期').optional(),
  images: z.array(imageRef).max(IMAGES_MAX).optional(),
  /** A future time schedules the notice; absent or past publishes it now. */
  publishAt: instantText('发布时间').optional(),
  /** Save without publishing. */
  draft: z.boolean().optional(),
};

export const noticeSchemas = {
  post: z.strictObject({ ...noticeFields, requestId: id.optional() }),
  /** Replaces every editable field of a draft or a scheduled notice. */
  update: z.strictObject({ noticeId: id, ...noticeFields }),
  withdraw: z.strictObject({ noticeId: id, reason: optionalText(100, { label: '撤回原因', multiline: true }) }),
  list: z.strictObject({
    box: z.enum(NOTICE_BOXES).optional(),
    category: z.enum(NOTICE_CATEGORIES).optional(),
    page,
  }),
  get: z.strictObject({ noticeId: id }),
  stats: z.strictObject({ noticeId: id, building: optionalChoice(20), page }),
  remind: z.strictObject({ noticeId: id }),
  /** `cloudId`: what wx.getGroupEnterInfo / wx.getShareInfo answered in the group chat. */
  bindGroup: z.strictObject({ building: choice(20), cloudId }),
  groups: z.strictObject({}),
};

export interface NoticeSummary {
  _id: string;
  title: string;
  /** The first characters of the body, for the list. */
  excerpt: string;
  category: NoticeCategory;
  /** Empty: the whole community. */
  buildings: string[];
  /** 全体居民, or 1栋、2栋 */
  audienceText: string;
  pinned: boolean;
  hasImages: boolean;
  state: NoticeState;
  /** When it was (or will be) published; absent for a draft without a time. */
  publishAt?: string;
  expiresAt?: string;
  updatedAt: string;
  /** Whether the caller has opened it (feed only). */
  read?: boolean;
  /** Members who opened it (workers only). */
  readCount?: number;
  /** Sent and withdrawn boxes: households in the audience and those where someone opened it (from the tally). */
  households?: number;
  readHouseholds?: number;
}

export interface NoticeDetail extends NoticeSummary {
  body: string;
  images: string[];
  authorName: string;
  /** The caller is a worker of the community: may edit (draft / scheduled), withdraw, see stats. */
  canManage: boolean;
  remindedAt?: string;
  withdrawReason?: string;
}

export interface NoticeList extends Page<NoticeSummary> {
  box: NoticeBox;
}

export interface BuildingStats {
  building: string;
  /** Active members living in the building (the audience). */
  members: number;
  /** Of them, how many opened the notice. */
  read: number;
  /** Households (building + room) in the audience, and those where someone opened it. */
  households: number;
  readHouseholds: number;
  /** readHouseholds / households, 0 when there is nobody. */
  rate: number;
}

export interface UnreadHousehold {
  building: string;
  room: string;
  /** False for a member whose room is only claimed: listed on their own, not as that room's household. */
  verified: boolean;
  /** `phone`: whole for a worker's phone, masked (138****5678) for a console (社区工作台). */
  members: { name: string; phone?: string; tags: string[] }[];
  /** Someone in it is tagged 独居老人, 高龄 or 残疾: call them first. */
  attention: boolean;
}

export interface NoticeStats {
  noticeId: string;
  title: string;
  state: NoticeState;
  audienceText: string;
  totals: Omit<BuildingStats, 'building'>;
  buildings: BuildingStats[];
  /** Households where nobody has opened it, paginated by 20 (filtered by `building` if given). */
  unread: Page<UnreadHousehold>;
  remindedAt?: string;
  remindedCount?: number;
  /** A reminder going out in batches: households' members still to be told (0 once done). */
  remindPending?: number;
  /** Whether the reminder has gone out to everyone it was for. */
  remindDone?: boolean;
}

/** `sent`: in-app reminders written so far; the rest (`pending`) go out with the timer, every 5 minutes. */
export interface RemindResult {
  sent: number;
  pending: number;
  done: boolean;
}

export interface GroupBinding {
  groupKey: string;
  building: string;
  boundAt: string;
}

type In<K extends keyof typeof noticeSchemas> = z.input<(typeof noticeSchemas)[K]>;

export interface NoticesApi {
  post: { input: In<'post'>; output: NoticeDetail };
  update: { input: In<'update'>; output: NoticeDetail };
  withdraw: { input: In<'withdraw'>; output: NoticeDetail };
  list: { input: In<'list'>; output: NoticeList };
  get: { input: In<'get'>; output: NoticeDetail };
  stats: { input: In<'stats'>; output: NoticeStats };
  remind: { input: In<'remind'>; output: RemindResult };
  bindGroup: { input: In<'bindGroup'>; output: GroupBinding };
  groups: { input: In<'groups'>; output: { items: GroupBinding[] } };
}
