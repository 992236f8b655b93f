// Stored topics → the answers: labels, the light of the running worker step, the caller's
// buttons. Everyone in the community sees the same topic; residents appear by public name.
import type { MemberCtx } from '../common/router';
import { lightAt } from '../orders/clock';
import type { TopicComment, TopicDetail, TopicSummary } from './api-topics';
import { STEPS_DONE, TOPIC_CLOCK_LABELS, TOPIC_EVENT_LABELS, TOPIC_STATUS_LABELS } from '../../miniprogram/shared/topic-labels';
import type { CommentDoc, TopicDoc } from './topics-model';
import { canComment, canSecond, stepsFor } from './topic-rules';

/** What a missing topic answers; a topic of another community answers exactly the same. */
export const TOPIC_MISSING = '这个议题不存在或已被删除';

const iso = (d: Date | string): string => new Date(d).toISOString();

function excerpt(body: string): string {
  const chars = Array.from(body.replace(/\s+/g, ' ').trim());
  return chars.length <= 60 ? chars.join('') : `${chars.slice(0, 60).join('')}…`;
}

export const listText = (t: Pick<TopicDoc, 'listYear' | 'listNo'>): string | undefined =>
  t.listYear ? `${t.listYear}年议事清单${t.listNo ? `第${t.listNo}项` : ''}` : undefined;

export function toTopicSummary(t: TopicDoc, now: Date): TopicSummary {
  const light = lightAt(t, now);
  return {
    _id: t._id,
    title: t.title,
    excerpt: excerpt(t.body),
    status: t.status,
    statusLabel: TOPIC_STATUS_LABELS[t.status],
    stepsDone: STEPS_DONE[t.status],
    proposerName: t.proposerName,
    secondCount: t.secondCount,
    commentCount: t.commentCount,
    ...(listText(t) ? { listText: listText(t) } : {}),
    ...(t.meeting && t.status === 'scheduled' ? { meetingAt: iso(t.meeting.at) } : {}),
    ...(light ? { light } : {}),
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}

export function toTopicDetail(t: TopicDoc, ctx: MemberCtx, seconded: boolean): TopicDetail {
  const view: TopicDetail = {
    ...toTopicSummary(t, ctx.now),
    body: t.body,
    images: t.images,
    mine: t.proposerOpenid === ctx.openid,
    seconded,
    canSecond: canSecond(ctx, t) && !seconded,
    canComment: canComment(t),
    steps: stepsFor(ctx, t, ctx.now),
    timeline: t.timeline.map((e) => ({
      at: iso(e.at),
      actorName: e.actorName,
      event: e.event,
      label: TOPIC_EVENT_LABELS[e.event],
      ...(e.note ? { note: e.note } : {}),
      ...(e.images?.length ? { images: e.images } : {}),
    })),
  };
  if (t.clock && t.clockStartedAt && t.yellowAt && t.redAt) {
    view.clock = {
      step: t.clock,
      label: TOPIC_CLOCK_LABELS[t.clock],
      startedAt: iso(t.clockStartedAt),
      yellowAt: iso(t.yellowAt),
      redAt: iso(t.redAt),
    };
  }
  if (t.meeting) {
    view.meeting = {
      at: iso(t.meeting.at),
      place: t.meeting.place,
      invited: t.meeting.invited,
      invitedCount: t.meeting.inviteOpenids.length,
    };
  }
  if (t.minutes) view.minutes = { ...t.minutes, at: iso(t.minutes.at) };
  if (t.decision) {
    const d = t.decision;
    view.decision = {
      text: d.text,
      images: d.images,
      at: iso(d.at),
      byName: d.byName,
      ...(d.voteId ? { voteId: d.voteId } : {}),
      noticeId: d.noticeId,
      dueAt: iso(d.dueAt),
    };
  }
  if (t.declineReason) view.declineReason = t.declineReason;
  return view;
}

export const toComment = (c: CommentDoc, ctx: MemberCtx): TopicComment => ({
  _id: c._id,
  name: c.name,
  text: c.text,
  mine: c.openid === ctx.openid,
  createdAt: iso(c.createdAt),
});
