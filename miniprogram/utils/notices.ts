// Plain-word formatting and paths shared by the notice pages (the tab, the detail and the worker
// pages). A notice row's time is relativeTimeText (./format, on the community's clock).
import type { NoticeState } from '../services/notices';

export const STATE_LABELS: Record<NoticeState, string> = {
  draft: '草稿',
  scheduled: '定时发布',
  published: '已发布',
  expired: '已过期',
  withdrawn: '已撤回',
};

/** 0.3333 → 33% */
export const percent = (rate: number): string => `${Math.round(rate * 100)}%`;

export const NOTICE_DETAIL = '/pages/notices/detail/index';
export const NOTICE_PAGES = {
  tab: '/pages/notices/index',
  detail: NOTICE_DETAIL,
  compose: '/packages/notices/compose/index',
  manage: '/packages/notices/manage/index',
  stats: '/packages/notices/stats/index',
  inbox: '/packages/notices/inbox/index',
  groups: '/packages/notices/groups/index',
} as const;
