// Writing notices: post, update (drafts and scheduled ones) and withdraw. Workers only; every
// change is audited.
import crypto from 'crypto';
import type { z } from 'zod';
import { audit } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { cmd, findById } from '../common/db';
import { AppError } from '../common/errors';
import { checkAttachments } from '../common/files';
import { buildingsOf, type CommunityDoc } from '../common/model';
import { assertSameDigest, requestDigest, type RequestBody } from '../common/request';
import { action, type MemberCtx } from '../common/router';
import { shortList } from '../common/validation';
import { DAY_MS } from '../../miniprogram/shared/clock';
import { noticeSchemas as s } from './api';
import { FAR_FUTURE, WHOLE, type NoticeDoc, type StoredStatus } from './model';
import { requireCommunity, requireNotice } from './store';
import { stateOf, toDetail } from './views';

const MAX_SCHEDULE_DAYS = 90;

type NoticeInput = z.output<typeof s.post> | z.output<typeof s.update>;

function audienceOf(input: NoticeInput, community: CommunityDoc): string[] {
  const all = buildingsOf(community);
  const chosen = [...new Set(input.buildings ?? [])];
  const unknown = chosen.filter((b) => !all.includes(b));
  if (unknown.length) throw new AppError('E_VALIDATION', `楼栋「${shortList(unknown)}」不在本社区，请重新选择`);
  return all.filter((b) => chosen.includes(b));
}

/** The stored fields an input describes, checked against the clock and the community. */
function fieldsOf(input: NoticeInput, community: CommunityDoc, now: Date) {
  const buildings = audienceOf(input, community);
  const requested = input.publishAt ? new Date(input.publishAt) : null;
  if (requested && requested.getTime() > now.getTime() + MAX_SCHEDULE_DAYS * DAY_MS) {
    throw new AppError('E_VALIDATION', `定时发布最多提前 ${MAX_SCHEDULE_DAYS} 天，请重新选择发布时间`);
  }
  const status: StoredStatus = input.draft ? 'draft' : 'published';
  // A past or absent time publishes now; a draft keeps the time it was given, if any.
  const publishAt = status === 'draft' ? requested : requested && requested > now ? requested : now;
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= (publishAt && publishAt > now ? publishAt : now)) {
    throw new AppError('E_VALIDATION', '有效期必须晚于发布时间，请重新选择');
  }
  return {
    title: input.title,
    body: input.body,
    category: input.category,
    buildings,
    audience: buildings.length ? buildings : [WHOLE],
    pinned: input.pinned ?? false,
    images: [...new Set(input.images ?? [])],
    status,
    publishAt,
    expiresAt,
    visibleUntil: expiresAt ?? FAR_FUTURE,
  };
}

/**
 * What makes two posts the same request: every field the form sent, as the caller chose them
 * (buildings as a set, images without repeats, times as instants, absent flags as false). The
 * digest is kept on the notice, because an edit of the draft changes its stored fields.
 */
const postBody = (input: z.output<typeof s.post>): RequestBody => ({
  title: input.title,
  body: input.body,
  category: input.category,
  buildings: [...new Set(input.buildings ?? [])].sort(),
  pinned: input.pinned ?? false,
  images: [...new Set(input.images ?? [])],
  publishAt: input.publishAt ? new Date(input.publishAt) : null,
  expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
  draft: input.draft ?? false,
});
const OTHER_NOTICE =
  '这个请求编号已用于另一条内容不同的通知。请先到“已发送”“草稿”或“定时”里查看上一条是否已保存；确需再发，请重新提交';

/** The notice an earlier post with this request id made, if it asked for the same thing. */
async function repeatedPost(ctx: MemberCtx, noticeId: string, input: z.output<typeof s.post>) {
  const first = await findById<NoticeDoc>('notices', noticeId);
  if (!first || first.communityId !== ctx.communityId) return null;
  assertSameDigest(first.requestDigest, postBody(input), OTHER_NOTICE);
  return toDetail(first, ctx, false);
}

function newNoticeId(ctx: MemberCtx, requestId: string | undefined): string {
  if (!requestId) return `n${crypto.randomBytes(10).toString('hex')}`;
  const digest = crypto.createHash('sha1').update(`${ctx.communityId}\n${ctx.openid}\n${requestId}`).digest('hex');
  return `n${digest.slice(0, 20)}`;
}

export const composeActions = {
  post: action({
    schema: s.post,
    roles: ['worker'],
    limit: 'notice',
    handler: async (input, ctx) => {
      const noticeId = newNoticeId(ctx, input.requestId);
      const repeated = input.requestId ? await repeatedPost(ctx, noticeId, input) : null;
      if (repeated) return repeated;
      const community = await requireCommunity(ctx);
      const fields = fieldsOf(input, community, ctx.now);
      await checkAttachments(fields.images, ctx.openid);
      const doc: NoticeDoc = {
        _id: noticeId,
        communityId: ctx.communityId,
        ...fields,
        ...(input.requestId ? { requestDigest: requestDigest(postBody(input)) } : {}),
        readCount: 0,
        remindedAt: null,
        authorOpenid: ctx.openid,
        authorName: ctx.member.name,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        version: 1,
      };
      if (!(await insertOnce('notices', doc))) {
        // The same request again (a double tap, a retry): answer what the first one stored.
        const first = await requireNotice(ctx, doc._id);
        assertSameDigest(first.requestDigest, postBody(input), OTHER_NOTICE);
        return toDetail(first, ctx, false);
      }
      await audit(ctx, {
        target: `notice:${doc._id}`,
        after: { title: doc.title, status: doc.status, audience: doc.audience, publishAt: doc.publishAt, pinned: doc.pinned },
      });
      return toDetail(doc, ctx, false);
    },
  }),

  update: action({
    schema: s.update,
    roles: ['worker'],
    limit: 'notice',
    handler: async (input, ctx) => {
      const notice = await requireNotice(ctx, input.noticeId);
      const state = stateOf(notice, ctx.now);
      if (state !== 'draft' && state !== 'scheduled') {
        throw new AppError('E_CONFLICT', '只有草稿和定时发布的通知可以修改；已发布的通知请先撤回，再重新发布');
      }
      const community = await requireCommunity(ctx);
      const fields = fieldsOf(input, community, ctx.now);
      await checkAttachments(fields.images, ctx.openid, { keep: notice.images });
      const expect: { _id: string; version: number } & Record<string, unknown> = {
        _id: notice._id,
        version: notice.version,
        status: notice.status,
      };
      // A scheduled notice must still be in the future when the edit lands.
      if (state === 'scheduled') expect.publishAt = cmd().gt(ctx.now);
      const patch = { ...fields, updatedAt: ctx.now };
      await compareAndSet('notices', expect, patch, '通知已被修改或已发布，请刷新后重试');
      await audit(ctx, {
        target: `notice:${notice._id}`,
        before: { title: notice.title, status: notice.status, audience: notice.audience, publishAt: notice.publishAt },
        after: { title: fields.title, status: fields.status, audience: fields.audience, publishAt: fields.publishAt },
      });
      return toDetail({ ...notice, ...patch, version: notice.version + 1 }, ctx, false);
    },
  }),

  withdraw: action({
    schema: s.withdraw,
    roles: ['worker'],
    limit: 'notice',
    handler: async ({ noticeId, reason }, ctx) => {
      const notice = await requireNotice(ctx, noticeId);
      if (notice.status === 'withdrawn') throw new AppError('E_CONFLICT', '这条通知已经撤回了');
      const patch = { status: 'withdrawn' as const, withdrawReason: reason ?? '', updatedAt: ctx.now };
      await compareAndSet(
        'notices',
        { _id: notice._id, version: notice.version, status: notice.status },
        patch,
        '通知已被修改，请刷新后重试',
      );
      await audit(ctx, {
        target: `notice:${notice._id}`,
        before: { status: notice.status },
        after: { status: 'withdrawn', reason },
      });
      return toDetail({ ...notice, ...patch, version: notice.version + 1 }, ctx, false);
    },
  }),
};
