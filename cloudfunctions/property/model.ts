// Stored documents of the property domain and their ids (docs/property.md). Every document carries
// its communityId. Ratings and grades have deterministic ids: one rating per household and month,
// one grade per month, one warning per month — whatever the concurrency.
import { createHash } from 'crypto';
import type { Dimension, GradeParts } from './formula';
import type { TalkOutcome } from './api';

export const COMPANIES = 'property_companies';
export const RATINGS = 'property_ratings';
export const GRADES = 'property_grades';
export const WARNINGS = 'property_warnings';

export interface CompanyDoc {
  _id: string; // the communityId: one company per community
  communityId: string;
  name: string;
  manager: string;
  dutyPhone: string;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface RatingDoc {
  _id: string; // ratingId(communityId, month, building, room)
  communityId: string;
  month: string;
  /** The household (building + room), the unit that rates once a month. */
  building: string;
  room: string;
  scores: Record<Dimension, number>;
  comment?: string;
  /** Who of the household rated (erasure turns it into the erasure's token). */
  openid: string;
  at: Date;
}

export interface GradeDoc extends GradeParts {
  _id: string; // gradeId(communityId, month)
  communityId: string;
  month: string;
  ratingCount: number;
  orders: number;
  complaints: number;
  completed: number;
  onTime: number;
  reworked: number;
  noticeId: string;
  warningId?: string;
  publishedBy: string;
  publishedAt: Date;
}

export interface TalkRecord {
  talkDate: string;
  attendees: string;
  summary: string;
  outcome: TalkOutcome;
  by: string;
  byName: string;
  at: Date;
}

export interface WarningDoc {
  _id: string; // warningId(communityId, month)
  communityId: string;
  month: string;
  stars: number | null;
  complaintRate: number | null;
  reasons: string[];
  status: 'open' | 'talked';
  talks: TalkRecord[];
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const short = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 24);

/** One rating per household and month: the id is the household's, not the rater's. */
export const ratingId = (communityId: string, month: string, building: string, room: string): string =>
  `pr_${short(`${communityId}\n${month}\n${building}\n${room.trim()}`)}`;
export const gradeId = (communityId: string, month: string): string => `${communityId}:${month}`;
export const warningId = (communityId: string, month: string): string => `pw_${short(`${communityId}\n${month}`)}`;
export const gradeNoticeId = (communityId: string, month: string): string =>
  `n${short(`property\n${communityId}\n${month}`).slice(0, 20)}`;
