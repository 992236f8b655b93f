// The topics (议题, 线上议事) part of the affairs function's contract: payload schemas and answer
// types. The mini-program imports the types with `import type`.
import { z } from 'zod';
import { id, instantText, optionalText, page, picture, requestId, text, type Page } from '../common/schema';
import {
  TOPIC_TABS,
  type TopicClock,
  type TopicEvent,
  type TopicStatus,
  type TopicStep,
} from '../../miniprogram/shared/topic-labels';
import type { Light } from '../../miniprogram/shared/order-labels';

export * from '../../miniprogram/shared/topic-labels';

export const TOPIC_TITLE_MAX = 40;
export const TOPIC_BODY_MAX = 1000;
export const COMMENT_MAX = 300;
export const TOPIC_PICTURES_MAX = 9;

const pictures = z.array(picture('图片需要先上传，请重新选择图片')).max(TOPIC_PICTURES_MAX).optional();
const topicId = id;

export const topicSchemas = {
  propose: z.strictObject({
    title: text(TOPIC_TITLE_MAX, { label: '议题标题', scene: 3 }),
    body: text(TOPIC_BODY_MAX, { label: '议题内容', scene: 3, multiline: true }),
    images: pictures,
    requestId,
  }),
  second: z.strictObject({ topicId }),
  comment: z.strictObject({
    topicId,
    text: text(COMMENT_MAX, { label: '意见', scene: 2, multiline: true }),
    requestId,
  }),
  /** `tab`: by status (default all); `year`: that year's 议事清单 in list order; `mine`: topics the caller proposed. */
  listTopics: z.strictObject({
    tab: z.enum(TOPIC_TABS).optional(),
    year: z.number().int().min(2000).max(2099).optional(),
    mine: z.boolean().optional(),
    page,
  }),
  getTopic: z.strictObject({ topicId }),
  listComments: z.strictObject({ topicId, page }),
  /** 确定议题: onto this year's 议事清单. */
  acceptTopic: z.strictObject({ topicId, note: optionalText(200, { label: '说明', multiline: true }) }),
  /** 协商讨论: the meeting (again, to move it). */
  scheduleMeeting: z.strictObject({
    topicId,
    at: instantText('议事会时间'),
    place: text(60, { label: '议事会地点', scene: 1 }),
    invited: text(200, { label: '参会人员', scene: 1, multiline: true }),
    inviteOpenids: z.array(id).max(50).optional(),
  }),
  postMinutes: z.strictObject({
    topicId,
    minutes: text(3000, { label: '会议纪要', scene: 3, multiline: true }),
    images: pictures,
  }),
  /** 形成决议, published as a 议事公示 notice; `voteId`: the owners' vote that decided it. */
  decideTopic: z.strictObject({
    topicId,
    decision: text(1500, { label: '决议内容', scene: 3, multiline: true }),
    voteId: id.optional(),
    dueAt: instantText('落实期限').optional(),
    images: pictures,
  }),
  declineTopic: z.strictObject({ topicId, reason: text(300, { label: '不予采纳的原因', multiline: true }) }),
  reportProgress: z.strictObject({
    topicId,
    note: text(500, { label: '落实进展', multiline: true }),
    images: pictures,
  }),
  finishTopic: z.strictObject({
    topicId,
    note: text(500, { label: '落实情况', multiline: true }),
    images: pictures,
  }),
};

export interface TopicSummary {
  _id: string;
  title: string;
  excerpt: string;
  status: TopicStatus;
  statusLabel: string;
  /** Of 民主协商五步工作法, how many steps are done. */
  stepsDone: number;
  proposerName: string;
  secondCount: number;
  commentCount: number;
  /** 2026年议事清单第3项 */
  listText?: string;
  meetingAt?: string;
  light?: Light;
  createdAt: string;
  updatedAt: string;
}

export interface TopicTimelineEntry {
  at: string;
  actorName: string;
  event: TopicEvent;
  label: string;
  note?: string;
  images?: string[];
}

export interface TopicDetail extends TopicSummary {
  body: string;
  images: string[];
  /** The caller proposed it. */
  mine: boolean;
  /** The caller has seconded it. */
  seconded: boolean;
  canSecond: boolean;
  canComment: boolean;
  /** What the caller (a worker) may do next. */
  steps: TopicStep[];
  clock?: { step: TopicClock; label: string; startedAt: string; yellowAt: string; redAt: string };
  meeting?: { at: string; place: string; invited: string; invitedCount: number };
  minutes?: { text: string; images: string[]; at: string; byName: string };
  decision?: { text: string; images: string[]; at: string; byName: string; voteId?: string; noticeId: string; dueAt: string };
  declineReason?: string;
  timeline: TopicTimelineEntry[];
}

export interface TopicComment {
  _id: string;
  name: string;
  text: string;
  mine: boolean;
  createdAt: string;
}

export interface SecondResult {
  topicId: string;
  secondCount: number;
  seconded: true;
}

type In<K extends keyof typeof topicSchemas> = z.input<(typeof topicSchemas)[K]>;

export interface TopicsApi {
  propose: { input: In<'propose'>; output: TopicDetail };
  second: { input: In<'second'>; output: SecondResult };
  comment: { input: In<'comment'>; output: TopicComment };
  listTopics: { input: In<'listTopics'>; output: Page<TopicSummary> };
  getTopic: { input: In<'getTopic'>; output: TopicDetail };
  listComments: { input: In<'listComments'>; output: Page<TopicComment> };
  acceptTopic: { input: In<'acceptTopic'>; output: TopicDetail };
  scheduleMeeting: { input: In<'scheduleMeeting'>; output: TopicDetail };
  postMinutes: { input: In<'postMinutes'>; output: TopicDetail };
  decideTopic: { input: In<'decideTopic'>; output: TopicDetail };
  declineTopic: { input: In<'declineTopic'>; output: TopicDetail };
  reportProgress: { input: In<'reportProgress'>; output: TopicDetail };
  finishTopic: { input: In<'finishTopic'>; output: TopicDetail };
}
