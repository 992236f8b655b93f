// Stored shapes of topics (议题, 线上议事): the topic with its timeline and step clock, one
// document per second (附议) and per comment, and the year's list counter (议事清单).
import crypto from 'crypto';
import { DAY_MS, MINUTE_MS } from '../../miniprogram/shared/clock';
import type { TopicClock, TopicEvent, TopicStatus } from '../../miniprogram/shared/topic-labels';

export const TOPICS = 'topics';
export const TOPIC_SECONDS = 'topic_seconds';
export const TOPIC_COMMENTS = 'topic_comments';
export const TOPIC_LISTS = 'topic_lists';

export interface TopicEntry {
  at: Date;
  actor: string;
  /** As others see the actor: a worker's name, a resident's public name (publicName). */
  actorName: string;
  event: TopicEvent;
  note?: string;
  images?: string[];
}

export interface Meeting {
  at: Date;
  place: string;
  /** Who is invited, in words (楼组长、业委会代表、物业经理…). */
  invited: string;
  /** Members invited by name: each is told. */
  inviteOpenids: string[];
}

export interface TopicDoc {
  _id: string;
  communityId: string;
  title: string;
  body: string;
  images: string[];
  proposerOpenid: string;
  proposerName: string;
  proposerBuilding: string;
  status: TopicStatus;
  version: number;
  /** The year of the list (议事清单) it was put on, and its number there. */
  listYear: number | null;
  listNo: number | null;
  secondCount: number;
  commentCount: number;
  meeting: Meeting | null;
  minutes: { text: string; images: string[]; at: Date; byName: string } | null;
  decision: {
    text: string;
    images: string[];
    at: Date;
    byName: string;
    /** The owners' vote that decided it (the votes of this function), if any. */
    voteId: string | null;
    /** The 议事公示 notice that publishes it. */
    noticeId: string;
    dueAt: Date;
  } | null;
  declineReason: string | null;
  progressCount: number;
  /** The running worker step's clock; nulls when none runs. */
  clock: TopicClock | null;
  clockStartedAt: Date | null;
  yellowAt: Date | null;
  redAt: Date | null;
  /** The timer's markers (topic-sweep.ts): yellowAt / redAt until it has told the workers. */
  yellowDue: Date | null;
  redDue: Date | null;
  timeline: TopicEntry[];
  createdAt: Date;
  updatedAt: Date;
}

export interface SecondDoc {
  _id: string; // secondId(topicId, openid)
  communityId: string;
  topicId: string;
  openid: string;
  at: Date;
}

export interface CommentDoc {
  _id: string;
  communityId: string;
  topicId: string;
  openid: string;
  name: string;
  text: string;
  createdAt: Date;
}

export interface TopicListDoc {
  _id: string; // `${communityId}:${year}`
  communityId: string;
  year: number;
  count: number;
}

/** Minutes per clocked step (docs/affairs.md). `minutes` runs from the meeting's time. */
export const TOPIC_LIMITS: Record<TopicClock, number> = {
  confirm: 7 * 24 * 60,
  schedule: 14 * 24 * 60,
  minutes: 3 * 24 * 60,
  decide: 7 * 24 * 60,
  implement: 30 * 24 * 60,
};

/** Longest a worker may give a decision to be carried out. */
export const MAX_IMPLEMENT_DAYS = 366;
export const MAX_MEETING_DAYS = 90;
/** Progress notes a topic keeps (its timeline lives in the document). */
export const MAX_PROGRESS = 30;

export const YELLOW_RATIO = 0.8;

/** A clock from `from` to `until` (or the step's limit); yellow at 80 % of the span. */
export function clockOf(step: TopicClock, from: Date, until?: Date) {
  const end = until ?? new Date(from.getTime() + TOPIC_LIMITS[step] * MINUTE_MS);
  const span = Math.max(0, end.getTime() - from.getTime());
  return {
    clock: step,
    clockStartedAt: from,
    yellowAt: new Date(from.getTime() + Math.round(span * YELLOW_RATIO)),
    redAt: end,
    yellowDue: new Date(from.getTime() + Math.round(span * YELLOW_RATIO)),
    redDue: end,
  };
}

export const NO_CLOCK = { clock: null, clockStartedAt: null, yellowAt: null, redAt: null, yellowDue: null, redDue: null };

export const implementDue = (now: Date): Date => new Date(now.getTime() + TOPIC_LIMITS.implement * MINUTE_MS);
export const daysFrom = (now: Date, days: number): Date => new Date(now.getTime() + days * DAY_MS);

const sha = (text: string, n: number) => crypto.createHash('sha1').update(text).digest('hex').slice(0, n);

export const topicIdOf = (communityId: string, openid: string, requestId: string): string =>
  `t${sha(`${communityId}\n${openid}\n${requestId}`, 20)}`;
export const secondId = (topicId: string, openid: string): string => `${topicId}:${sha(openid, 16)}`;
export const commentIdOf = (topicId: string, openid: string, requestId: string): string =>
  `c${sha(`${topicId}\n${openid}\n${requestId}`, 20)}`;
/** The decision's notice: one per topic, so a retried decision publishes it once. */
export const decisionNoticeId = (topicId: string): string => `n${sha(`topic-decision\n${topicId}`, 20)}`;

/** How a resident appears to the community: building and surname (赵**), never the full name. */
export function publicName(name: string, building: string): string {
  const chars = Array.from(name.trim());
  const masked = chars.length ? `${chars[0]}${'*'.repeat(Math.min(2, Math.max(1, chars.length - 1)))}` : '居民';
  return building ? `${building} ${masked}` : masked;
}
