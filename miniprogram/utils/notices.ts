// Plain-word formatting shared by the notice pages (the tab, the detail and the worker pages).
import type { NoticeState } from '../services/notices';

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Today 14:05 / 昨天 14:05 / 5月3日 / 2023年5月3日 — short enough for a list row. */
export function shortTime(iso: string | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const day = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const diff = Math.round((day(now) - day(d)) / 86400_000);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (diff === 0) return `今天 ${hm}`;
  if (diff === 1) return `昨天 ${hm}`;
  if (diff === -1) return `明天 ${hm}`;
  if (d.getFullYear() === now.getFullYear()) return `${d.getMonth() + 1}月${d.getDate()}日 ${hm}`;
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
}

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
