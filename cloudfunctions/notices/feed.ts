// Reading notices: a resident's feed and a worker's boxes (drafts, scheduled, sent, withdrawn),
// and one notice, which records the reader's receipt the first time they open it.
import { cmd, collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { insertOnce } from '../common/cas';
import { readPage } from '../common/paging';
import { ANY_MEMBER, action, type MemberCtx } from '../common/router';
import { PAGE_SIZE } from '../common/schema';
import { noticeSchemas as s, type NoticeBox, type NoticeCategory, type NoticeSummary } from './api';
import { WHOLE, readId, type NoticeDoc, type NoticeReadDoc } from './model';
import { countFirstOpen, findTallies, householdTotals } from './counts';
import { requireNotice } from './store';
import { isWorker, toDetail, toSummary, unavailable, visibleTo } from './views';

type Listed = { items: NoticeSummary[]; hasMore: boolean };

/** Records the member's read receipt once; the notice's readCount and tally move only for a new one. */
async function recordRead(n: NoticeDoc, ctx: MemberCtx): Promise<boolean> {
  const doc: NoticeReadDoc = {
    _id: readId(n._id, ctx.openid),
    communityId: ctx.communityId,
    noticeId: n._id,
    openid: ctx.openid,
    building: ctx.member.building,
    room: ctx.member.room,
    readAt: ctx.now,
  };
  const created = await insertOnce('notice_reads', doc);
  if (created) {
    await Promise.all([
      collection('notices')
        .doc(n._id)
        .update({ readCount: cmd().inc(1) }),
      countFirstOpen(n, ctx),
    ]);
  }
  return created;
}

async function feed(ctx: MemberCtx, category: NoticeCategory | undefined, page: number): Promise<Listed> {
  const where: Record<string, unknown> = {
    communityId: ctx.communityId,
    status: 'published',
    audience: cmd().in([WHOLE, ctx.member.building]),
    publishAt: cmd().lte(ctx.now),
    visibleUntil: cmd().gt(ctx.now),
  };
  if (category) where.category = category;
  const { docs, hasMore } = await readPage<NoticeDoc>(
    collection('notices').where(where).orderBy('pinned', 'desc').orderBy('publishAt', 'desc'),
    page,
  );
  const ids = docs.map((n) => readId(n._id, ctx.openid));
  const reads = ids.length
    ? await getAll<NoticeReadDoc>(
        collection('notice_reads')
          .where({ _id: cmd().in(ids) })
          .limit(PAGE_SIZE),
      )
    : [];
  const read = new Set(reads.map((r) => r.noticeId));
  return { items: docs.map((n) => toSummary(n, ctx, read.has(n._id))), hasMore };
}

async function box(
  ctx: MemberCtx,
  which: Exclude<NoticeBox, 'feed'>,
  category: NoticeCategory | undefined,
  page: number,
): Promise<Listed> {
  const where: Record<string, unknown> = { communityId: ctx.communityId };
  let order: [string, 'asc' | 'desc'];
  switch (which) {
    case 'drafts':
      Object.assign(where, { status: 'draft' });
      order = ['updatedAt', 'desc'];
      break;
    case 'scheduled':
      Object.assign(where, { status: 'published', publishAt: cmd().gt(ctx.now) });
      order = ['publishAt', 'asc'];
      break;
    case 'sent':
      Object.assign(where, { status: 'published', publishAt: cmd().lte(ctx.now) });
      order = ['publishAt', 'desc'];
      break;
    case 'withdrawn':
      Object.assign(where, { status: 'withdrawn' });
      order = ['updatedAt', 'desc'];
      break;
    default:
      throw new AppError('E_VALIDATION', '列表不在可选范围内');
  }
  if (category) where.category = category;
  const { docs, hasMore } = await readPage<NoticeDoc>(collection('notices').where(where).orderBy(order[0], order[1]), page);
  // Sent and withdrawn notices carry their household read rate: the page's tallies in one read.
  const counted = which === 'sent' || which === 'withdrawn' ? docs.filter((n) => n.audienceAt).map((n) => n._id) : [];
  const tallies = await findTallies(counted);
  return {
    items: docs.map((n) => {
      const tally = tallies.get(n._id);
      return tally ? { ...toSummary(n, ctx), ...householdTotals(tally) } : toSummary(n, ctx);
    }),
    hasMore,
  };
}

export const feedActions = {
  list: action({
    schema: s.list,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const which = input.box ?? 'feed';
      const page = input.page ?? 1;
      if (which !== 'feed' && !isWorker(ctx)) throw new AppError('E_FORBIDDEN', '只有社区工作者可以查看草稿、定时和已发通知');
      const res = which === 'feed' ? await feed(ctx, input.category, page) : await box(ctx, which, input.category, page);
      return { ...res, page, box: which };
    },
  }),

  get: action({
    schema: s.get,
    roles: ANY_MEMBER,
    handler: async ({ noticeId }, ctx) => {
      const notice = await requireNotice(ctx, noticeId);
      if (visibleTo(notice, ctx.member, ctx.now)) {
        if (await recordRead(notice, ctx)) notice.readCount += 1;
        return toDetail(notice, ctx, true);
      }
      if (!isWorker(ctx)) throw unavailable(notice, ctx.member, ctx.now);
      // A worker managing a notice not addressed to them (or not live): no receipt.
      const receipt = await findById<NoticeReadDoc>('notice_reads', readId(notice._id, ctx.openid));
      return toDetail(notice, ctx, Boolean(receipt));
    },
  }),
};
