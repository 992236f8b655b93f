// Topics (议题), the workers' part — 民主协商五步工作法 after 征集议题: 确定议题 (acceptTopic onto
// the year's 议事清单, or declineTopic with a reason), 协商讨论 (scheduleMeeting, postMinutes),
// 形成决议 (decideTopic, published as a 议事公示 notice; or decided by an owners' vote), 公示落实
// (reportProgress, finishTopic). Each step is one compare-and-set on { _id, version, status } that
// moves the status and the step clock and appends the timeline entry together; then the audit
// entry, then the proposer and every seconder are told.
import { audit, type AuditEntry } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { cmd, collection } from '../common/db';
import { AppError } from '../common/errors';
import { checkAttachments } from '../common/files';
import { notify } from '../common/notify';
import { action, type MemberCtx } from '../common/router';
import { longDateTime } from '../../miniprogram/shared/clock';
import type { TopicEvent, TopicStatus, TopicStep } from '../../miniprogram/shared/topic-labels';
import { topicSchemas as s } from './api-topics';
import {
  clockOf,
  daysFrom,
  decisionNoticeId,
  implementDue,
  MAX_IMPLEMENT_DAYS,
  MAX_MEETING_DAYS,
  NO_CLOCK,
  TOPICS,
  type TopicDoc,
  type TopicEntry,
} from './topics-model';
import { assertStep, nameOf, yearOf } from './topic-rules';
import { activeMembers, nextListNo, requireTopic, tellTopic, topicLink } from './topics-store';
import { publishDecision } from './topic-notice';
import { voteBasis } from './topic-vote';
import { toTopicDetail } from './topic-views';

interface Change {
  step: TopicStep;
  to: TopicStatus;
  event: TopicEvent;
  note?: string;
  images?: string[];
  set?: Partial<TopicDoc>;
  /** What the proposer and seconders are told. */
  tell: string;
  extraAudit?: AuditEntry[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/** One step: the rules, one compare-and-set, the audit, the message. Answers the topic as it now is. */
async function move(ctx: MemberCtx, t: TopicDoc, change: Change): Promise<TopicDoc> {
  assertStep(change.step, t, ctx.now);
  const entry: TopicEntry = {
    at: ctx.now,
    actor: ctx.openid,
    actorName: nameOf(ctx),
    event: change.event,
    ...(change.note ? { note: change.note } : {}),
    ...(change.images?.length ? { images: change.images } : {}),
  };
  const fields: Partial<TopicDoc> = { ...change.set, status: change.to, updatedAt: ctx.now };
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    // A plain object would be merged into the stored one field by field: replace it whole.
    patch[key] = isPlainObject(value) ? cmd().set(value) : value;
  }
  patch.timeline = cmd().push([entry]);
  await compareAndSet(
    TOPICS,
    { _id: t._id, version: t.version, status: t.status },
    patch,
    '议题已被其他工作人员处理，请刷新后查看',
  );
  const next: TopicDoc = { ...t, ...fields, version: t.version + 1, timeline: [...t.timeline, entry] };
  await audit(ctx, [
    { target: `topic:${t._id}`, before: { status: t.status }, after: { status: next.status }, note: change.note },
    ...(change.extraAudit ?? []),
  ]);
  await tellTopic(ctx, next, { title: `议题「${t.title}」${change.tell}`, body: change.note ?? '' });
  return next;
}

/** Pictures the worker attaches to a step: their own uploads, checked before anything is written. */
async function picturesOf(ctx: MemberCtx, images: string[] | undefined): Promise<string[]> {
  const list = [...new Set(images ?? [])];
  await checkAttachments(list, ctx.openid);
  return list;
}

const detail = (ctx: MemberCtx, t: TopicDoc) => toTopicDetail(t, ctx, false);

export const topicStepActions = {
  acceptTopic: action({
    schema: s.acceptTopic,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ topicId, note }, ctx) => {
      const t = await requireTopic(ctx, topicId);
      const year = yearOf(ctx.now);
      const next = await move(ctx, t, {
        step: 'accept',
        to: 'listed',
        event: 'accept',
        note,
        set: { listYear: year, ...clockOf('schedule', ctx.now) },
        tell: `已列入${year}年议事清单`,
      });
      // Numbered after the move, so a lost race takes no number.
      const listNo = await nextListNo(ctx.communityId, year);
      await collection(TOPICS).where({ _id: t._id }).update({ listNo });
      return detail(ctx, { ...next, listNo });
    },
  }),

  scheduleMeeting: action({
    schema: s.scheduleMeeting,
    roles: ['worker'],
    limit: 'text',
    handler: async (input, ctx) => {
      const t = await requireTopic(ctx, input.topicId);
      const at = new Date(input.at);
      if (at <= ctx.now) throw new AppError('E_VALIDATION', '议事会时间要晚于现在，请重新选择');
      if (at > daysFrom(ctx.now, MAX_MEETING_DAYS)) {
        throw new AppError('E_VALIDATION', `议事会最多提前 ${MAX_MEETING_DAYS} 天安排，请重新选择时间`);
      }
      const asked = [...new Set(input.inviteOpenids ?? [])];
      const members = await activeMembers(ctx.communityId, asked);
      if (members.length !== asked.length) throw new AppError('E_VALIDATION', '受邀的人里有不是本社区成员的，请重新选择');
      const again = t.status === 'scheduled';
      const when = `${longDateTime(at)}，${input.place}`;
      const next = await move(ctx, t, {
        step: 'schedule',
        to: 'scheduled',
        event: again ? 'reschedule' : 'schedule',
        note: when,
        set: {
          meeting: { at, place: input.place, invited: input.invited, inviteOpenids: asked },
          ...clockOf('minutes', at),
        },
        tell: again ? '的议事会改期了' : '已安排议事会',
      });
      const guests = asked.filter((o) => o !== ctx.openid);
      if (guests.length) {
        await notify(
          ctx.communityId,
          guests,
          {
            type: 'topic.meeting',
            title: `邀请您参加议事会：${t.title}`,
            body: when,
            link: topicLink(t._id),
            key: `topic:${t._id}:meeting:v${next.version}`,
          },
          ctx.now,
        );
      }
      return detail(ctx, next);
    },
  }),

  postMinutes: action({
    schema: s.postMinutes,
    roles: ['worker'],
    limit: 'text',
    handler: async (input, ctx) => {
      const t = await requireTopic(ctx, input.topicId);
      assertStep('minutes', t, ctx.now);
      const images = await picturesOf(ctx, input.images);
      const next = await move(ctx, t, {
        step: 'minutes',
        to: 'discussed',
        event: 'minutes',
        images,
        set: { minutes: { text: input.minutes, images, at: ctx.now, byName: nameOf(ctx) }, ...clockOf('decide', ctx.now) },
        tell: '的议事会纪要已发布',
      });
      return detail(ctx, next);
    },
  }),

  decideTopic: action({
    schema: s.decideTopic,
    roles: ['worker'],
    limit: 'text',
    handler: async (input, ctx) => {
      const t = await requireTopic(ctx, input.topicId);
      assertStep('decide', t, ctx.now);
      // Without minutes a topic is decided only by an owners' vote on it.
      if (t.status !== 'discussed' && !input.voteId) {
        throw new AppError('E_CONFLICT', '这个议题还没有会议纪要：请先开议事会并发布纪要，或关联一次业主表决');
      }
      const basis = input.voteId ? await voteBasis(ctx, t, input.voteId) : '经议事会协商形成决议。';
      const dueAt = input.dueAt ? new Date(input.dueAt) : implementDue(ctx.now);
      if (dueAt <= ctx.now || dueAt > daysFrom(ctx.now, MAX_IMPLEMENT_DAYS)) {
        throw new AppError('E_VALIDATION', `落实期限要在今后 ${MAX_IMPLEMENT_DAYS} 天之内，请重新选择`);
      }
      const images = await picturesOf(ctx, input.images);
      const noticeId = decisionNoticeId(t._id);
      const next = await move(ctx, t, {
        step: 'decide',
        to: 'decided',
        event: 'decide',
        note: input.decision,
        images,
        set: {
          decision: {
            text: input.decision,
            images,
            at: ctx.now,
            byName: nameOf(ctx),
            voteId: input.voteId ?? null,
            noticeId,
            dueAt,
          },
          ...clockOf('implement', ctx.now, dueAt),
        },
        tell: '已形成决议并公示',
        extraAudit: [{ target: `notice:${noticeId}`, after: { status: 'published', category: '议事公示' } }],
      });
      // After the move: only the winner of a race publishes, with the decision the topic keeps.
      await publishDecision(ctx, next, { text: input.decision, images, dueAt, basis });
      return detail(ctx, next);
    },
  }),

  declineTopic: action({
    schema: s.declineTopic,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ topicId, reason }, ctx) => {
      const t = await requireTopic(ctx, topicId);
      const next = await move(ctx, t, {
        step: 'decline',
        to: 'declined',
        event: 'decline',
        note: reason,
        set: { declineReason: reason, ...NO_CLOCK },
        tell: '未被采纳',
      });
      return detail(ctx, next);
    },
  }),

  reportProgress: action({
    schema: s.reportProgress,
    roles: ['worker'],
    limit: 'text',
    handler: async (input, ctx) => {
      const t = await requireTopic(ctx, input.topicId);
      assertStep('progress', t, ctx.now);
      const images = await picturesOf(ctx, input.images);
      const next = await move(ctx, t, {
        step: 'progress',
        to: 'decided',
        event: 'progress',
        note: input.note,
        images,
        set: { progressCount: t.progressCount + 1 },
        tell: '有新的落实进展',
      });
      return detail(ctx, next);
    },
  }),

  finishTopic: action({
    schema: s.finishTopic,
    roles: ['worker'],
    limit: 'text',
    handler: async (input, ctx) => {
      const t = await requireTopic(ctx, input.topicId);
      assertStep('finish', t, ctx.now);
      const images = await picturesOf(ctx, input.images);
      const next = await move(ctx, t, {
        step: 'finish',
        to: 'done',
        event: 'finish',
        note: input.note,
        images,
        set: { ...NO_CLOCK },
        tell: '的决议已落实完成',
      });
      return detail(ctx, next);
    },
  }),
};
