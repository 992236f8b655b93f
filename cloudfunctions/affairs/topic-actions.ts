// Topics (议题), the residents' part: propose (征集议题), second (附议, once each, not one's
// own), comment, and the reads — the list by status or the year's 议事清单, one topic with its
// timeline, its comments. Any active member; what a worker does next is in topic-steps.ts.
import { audit } from '../common/audit';
import { insertOnce } from '../common/cas';
import { cmd, collection, findById } from '../common/db';
import { AppError } from '../common/errors';
import { checkAttachments } from '../common/files';
import { readPage } from '../common/paging';
import { assertSameRequest } from '../common/request';
import { action, ANY_MEMBER } from '../common/router';
import { notify } from '../common/notify';
import { TOPIC_TAB_STATUSES } from '../../miniprogram/shared/topic-labels';
import { topicSchemas as s } from './api-topics';
import {
  clockOf,
  commentIdOf,
  secondId,
  topicIdOf,
  TOPIC_COMMENTS,
  TOPIC_SECONDS,
  TOPICS,
  type CommentDoc,
  type SecondDoc,
  type TopicDoc,
} from './topics-model';
import { canComment, canSecond, nameOf } from './topic-rules';
import { hasSeconded, requireTopic, topicLink, workersOf } from './topics-store';
import { toComment, toTopicDetail, toTopicSummary } from './topic-views';

const OTHER_TOPIC = '这个请求编号已用于另一个内容不同的议题。请先到“我提出的”里查看上一个是否已提交；确需再提，请重新提交';
const OTHER_COMMENT = '这个请求编号已用于另一条不同的意见，请刷新后查看；确需再发，请重新提交';

/** A repeat of a propose is the same when it asked for the same title, body and pictures. */
const proposeBody = (input: { title: string; body: string; images?: string[] }) => ({
  title: input.title,
  body: input.body,
  images: [...new Set(input.images ?? [])],
});

export const residentTopicActions = {
  propose: action({
    schema: s.propose,
    roles: ANY_MEMBER,
    limit: 'text',
    handler: async (input, ctx) => {
      const _id = topicIdOf(ctx.communityId, ctx.openid, input.requestId);
      const body = proposeBody(input);
      const answer = async () => {
        const first = await requireTopic(ctx, _id);
        assertSameRequest(proposeBody(first), body, OTHER_TOPIC);
        return toTopicDetail(first, ctx, false);
      };
      if (await findById<TopicDoc>(TOPICS, _id)) return answer();
      await checkAttachments(body.images, ctx.openid);
      const doc: TopicDoc = {
        _id,
        communityId: ctx.communityId,
        ...body,
        proposerOpenid: ctx.openid,
        proposerName: nameOf(ctx),
        proposerBuilding: ctx.member.building,
        status: 'proposed',
        version: 1,
        listYear: null,
        listNo: null,
        secondCount: 0,
        commentCount: 0,
        meeting: null,
        minutes: null,
        decision: null,
        declineReason: null,
        progressCount: 0,
        ...clockOf('confirm', ctx.now),
        timeline: [{ at: ctx.now, actor: ctx.openid, actorName: nameOf(ctx), event: 'propose' }],
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      if (!(await insertOnce(TOPICS, doc))) return answer(); // a racing repeat stored it first
      await audit(ctx, { target: `topic:${_id}`, after: { status: 'proposed', title: doc.title } });
      // 确定议题 is the workers' next step: each is told once.
      const workers = (await workersOf(ctx.communityId)).filter((o) => o !== ctx.openid);
      if (workers.length) {
        await notify(
          ctx.communityId,
          workers,
          {
            type: 'topic.proposed',
            title: '居民提出了新议题',
            body: doc.title,
            link: topicLink(_id),
            key: `topic:${_id}:proposed`,
          },
          ctx.now,
        );
      }
      return toTopicDetail(doc, ctx, false);
    },
  }),

  second: action({
    schema: s.second,
    roles: ANY_MEMBER,
    limit: 'text',
    handler: async ({ topicId }, ctx) => {
      const t = await requireTopic(ctx, topicId);
      if (t.proposerOpenid === ctx.openid) throw new AppError('E_FORBIDDEN', '不能附议自己提出的议题');
      if (!canSecond(ctx, t)) throw new AppError('E_CONFLICT', '这个议题已形成决议或未被采纳，不能再附议');
      const doc: SecondDoc = {
        _id: secondId(topicId, ctx.openid),
        communityId: ctx.communityId,
        topicId,
        openid: ctx.openid,
        at: ctx.now,
      };
      // The deterministic _id lets one second in, however many taps race; only its winner counts.
      if (!(await insertOnce(TOPIC_SECONDS, doc))) throw new AppError('E_CONFLICT', '你已经附议过这个议题了');
      await collection(TOPICS)
        .where({ _id: topicId })
        .update({ secondCount: cmd().inc(1) });
      await audit(ctx, { target: `topic:${topicId}`, note: '附议' });
      const now = await findById<TopicDoc>(TOPICS, topicId);
      return { topicId, secondCount: now?.secondCount ?? t.secondCount + 1, seconded: true as const };
    },
  }),

  comment: action({
    schema: s.comment,
    roles: ANY_MEMBER,
    limit: 'text',
    handler: async (input, ctx) => {
      const t = await requireTopic(ctx, input.topicId);
      if (!canComment(t)) throw new AppError('E_CONFLICT', '这个议题未被采纳，已不再收集意见');
      const doc: CommentDoc = {
        _id: commentIdOf(t._id, ctx.openid, input.requestId),
        communityId: ctx.communityId,
        topicId: t._id,
        openid: ctx.openid,
        name: nameOf(ctx),
        text: input.text,
        createdAt: ctx.now,
      };
      if (!(await insertOnce(TOPIC_COMMENTS, doc))) {
        const [first] = (await collection(TOPIC_COMMENTS).where({ _id: doc._id }).limit(1).get()).data as CommentDoc[];
        assertSameRequest({ text: first.text }, { text: doc.text }, OTHER_COMMENT);
        return toComment(first, ctx);
      }
      await collection(TOPICS)
        .where({ _id: t._id })
        .update({ commentCount: cmd().inc(1) });
      await audit(ctx, { target: `topic:${t._id}`, after: { comment: doc._id } });
      return toComment(doc, ctx);
    },
  }),

  listTopics: action({
    schema: s.listTopics,
    roles: ANY_MEMBER,
    handler: async ({ tab, year, mine, page = 1 }, ctx) => {
      const where: Record<string, unknown> = { communityId: ctx.communityId };
      let order: [string, 'asc' | 'desc'] = ['updatedAt', 'desc'];
      if (year !== undefined) {
        where.listYear = year;
        order = ['listNo', 'asc'];
      } else if (mine) {
        where.proposerOpenid = ctx.openid;
        order = ['createdAt', 'desc'];
      } else if (tab && tab !== 'all') {
        const statuses = TOPIC_TAB_STATUSES[tab];
        where.status = statuses.length === 1 ? statuses[0] : cmd().in([...statuses]);
      }
      const { docs, hasMore } = await readPage<TopicDoc>(collection(TOPICS).where(where).orderBy(order[0], order[1]), page);
      return { items: docs.map((t) => toTopicSummary(t, ctx.now)), page, hasMore };
    },
  }),

  getTopic: action({
    schema: s.getTopic,
    roles: ANY_MEMBER,
    handler: async ({ topicId }, ctx) => {
      const t = await requireTopic(ctx, topicId);
      const seconded = t.proposerOpenid !== ctx.openid && (await hasSeconded(topicId, ctx.openid));
      return toTopicDetail(t, ctx, seconded);
    },
  }),

  listComments: action({
    schema: s.listComments,
    roles: ANY_MEMBER,
    handler: async ({ topicId, page = 1 }, ctx) => {
      await requireTopic(ctx, topicId);
      const { docs, hasMore } = await readPage<CommentDoc>(
        collection(TOPIC_COMMENTS).where({ topicId }).orderBy('createdAt', 'desc'),
        page,
      );
      return { items: docs.map((c) => toComment(c, ctx)), page, hasMore };
    },
  }),
};
