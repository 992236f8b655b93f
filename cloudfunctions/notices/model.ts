// Stored documents of notices: the notices, one read receipt per member and notice, the counters
// stats read (a tally per notice, one receipt per verified household), and the
// binding of WeChat group chats to buildings.
import crypto from 'crypto';
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
  /** When the audience was counted into its tally (notice_tallies); absent for drafts and older notices. */
  audienceAt?: Date | null;
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

/** One building's counters in a notice's tally. */
export interface BuildingTally {
  building: string;
  /** Position in the community's order at counting time; buildings met later have none (listed last). */
  pos?: number;
  /** Active members and households of the building when the audience was counted, plus later joiners who opened it. */
  members: number;
  households: number;
  /** First opens: members, and households (a verified room once, a claimed member on their own). */
  read: number;
  readHouseholds: number;
}

/** A notice's counters, kept on write (docs/notices.md, "Stats"): stats read this one document. */
export interface NoticeTallyDoc {
  _id: string; // the notice's _id
  communityId: string;
  noticeId: string;
  audienceAt: Date;
  /** Keyed by tallyKey(building): building names are not safe as field names. */
  buildings: Record<string, BuildingTally>;
}

/** The first open in a verified household (building + room): inserted once, it counts the household once. */
export interface HouseholdReadDoc {
  _id: string; // householdReadId(noticeId, building, room)
  communityId: string;
  noticeId: string;
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

const digest = (text: string, n: number): string => crypto.createHash('sha1').update(text).digest('hex').slice(0, n);
export const tallyKey = (building: string): string => `b${digest(building, 12)}`;
export const householdReadId = (noticeId: string, building: string, room: string): string =>
  `${noticeId}:${digest(`${building}\u0000${room.trim()}`, 20)}`;
