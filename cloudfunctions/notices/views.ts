// What callers see of notices: the state derived from the times, summaries and details (the
// read count and reminder only for workers), and why a resident cannot open one.
import { AppError } from '../common/errors';
import type { MemberDoc } from '../common/model';
import type { MemberCtx } from '../common/router';
import type { NoticeDetail, NoticeState, NoticeSummary } from './api';
import { WHOLE, type NoticeDoc } from './model';

export function stateOf(n: NoticeDoc, now: Date): NoticeState {
  if (n.status === 'draft' || n.status === 'withdrawn') return n.status;
  if (n.publishAt && new Date(n.publishAt) > now) return 'scheduled';
  if (new Date(n.visibleUntil) <= now) return 'expired';
  return 'published';
}

export const isWorker = (ctx: MemberCtx): boolean => ctx.member.roles.includes('worker');

/** The notice is live and addressed to the member's building. */
export function visibleTo(n: NoticeDoc, member: MemberDoc, now: Date): boolean {
  return stateOf(n, now) === 'published' && (n.audience.includes(WHOLE) || n.audience.includes(member.building));
}

export const iso = (d: Date | null | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);
export const audienceText = (buildings: string[]): string => (buildings.length ? buildings.join('、') : '全体居民');

function excerpt(body: string): string {
  const chars = Array.from(body.replace(/\s+/g, ' ').trim());
  return chars.length <= 60 ? chars.join('') : `${chars.slice(0, 60).join('')}…`;
}

export function toSummary(n: NoticeDoc, ctx: MemberCtx, read?: boolean): NoticeSummary {
  const view: NoticeSummary = {
    _id: n._id,
    title: n.title,
    excerpt: excerpt(n.body),
    category: n.category,
    buildings: n.buildings,
    audienceText: audienceText(n.buildings),
    pinned: n.pinned,
    hasImages: n.images.length > 0,
    state: stateOf(n, ctx.now),
    publishAt: iso(n.publishAt),
    expiresAt: iso(n.expiresAt),
    updatedAt: iso(n.updatedAt)!,
  };
  if (read !== undefined) view.read = read;
  if (isWorker(ctx)) view.readCount = n.readCount;
  return view;
}

export function toDetail(n: NoticeDoc, ctx: MemberCtx, read: boolean): NoticeDetail {
  const manage = isWorker(ctx);
  return {
    ...toSummary(n, ctx, read),
    body: n.body,
    images: n.images,
    authorName: n.authorName,
    canManage: manage,
    remindedAt: manage ? iso(n.remindedAt) : undefined,
    withdrawReason: n.status === 'withdrawn' ? n.withdrawReason : undefined,
  };
}

/** What a missing notice answers; a notice the caller may not see answers exactly the same. */
export const NOTICE_MISSING = '这条通知不存在或已被删除';

/**
 * Why a resident cannot open a notice of their community. Addressed to their building: what
 * became of it, in words they can act on. A draft, or a notice for other buildings, they may not
 * see at all: the answer of a missing one (docs/conventions.md, existence).
 */
export function unavailable(n: NoticeDoc, member: MemberDoc, now: Date): AppError {
  const state = stateOf(n, now);
  const addressed = n.audience.includes(WHOLE) || n.audience.includes(member.building);
  const message: Record<NoticeState, string> = {
    withdrawn: '这条通知已被社区撤回',
    expired: '这条通知已过期',
    scheduled: '这条通知还没有发布，请稍后再看',
    draft: NOTICE_MISSING,
    published: NOTICE_MISSING,
  };
  return new AppError('E_NOT_FOUND', addressed ? message[state] : NOTICE_MISSING);
}
