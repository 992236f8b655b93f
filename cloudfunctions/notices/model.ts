// Stored documents of notices: the notices, one read receipt per member and notice, and the
// binding of WeChat group chats to buildings.
import type { NoticeCategory } from './api';

/** Stored status; `scheduled` and `expired` are derived from the times (views.ts, stateOf). */
export type StoredStatus = 'draft' | 'published' | 'withdrawn';

export interface NoticeDoc {
  _id: string;
  communityId: string;
  title: string;
  body: string;
  category: NoticeCategory;
  /** Chosen buildings, in community order; empty for the whole community. */
  buildings: string[];
  /** What the feed query matches: `['*']` for the whole community, else the buildings. */
  audience: string[];
  pinned: boolean;
  images: string[];
  status: StoredStatus;
  /** When it becomes visible; null for a draft without a time. */
  publishAt: Date | null;
  expiresAt: Date | null;
  /** expiresAt, or far in the future: the feed filters on it with one range condition. */
  visibleUntil: Date;
  readCount: number;
  remindedAt?: Date | null;
  remindedCount?: number;
  withdrawReason?: string;
  authorOpenid: string;
  authorName: string;
  /** Posted with a request id: the fingerprint of what was asked (common/request.ts). */
  requestDigest?: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface NoticeReadDoc {
  _id: string; // `${noticeId}:${openid}`
  communityId: string;
  noticeId: string;
  openid: string;
  building: string;
  room: string;
  readAt: Date;
}

export interface GroupBindingDoc {
  _id: string; // `${communityId}:${groupKey}`
  communityId: string;
  groupKey: string;
  openGId: string;
  building: string;
  boundBy: string;
  boundAt: Date;
}

/** The audience entry of a notice for the whole community. */
export const WHOLE = '*';
/** visibleUntil of a notice without an expiry. */
export const FAR_FUTURE = new Date('9999-12-31T00:00:00.000Z');

export const readId = (noticeId: string, openid: string): string => `${noticeId}:${openid}`;
