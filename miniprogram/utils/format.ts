// Plain-word labels and formatting shared by pages.
import type { MemberStatus, Role } from '../services/member';
import {
  DAY_MS,
  clockText,
  longDateTime,
  shortDateTime as clockShortDateTime,
  startOfDay,
  wallTime,
  type Instant,
} from '../shared/clock';

export const ROLE_LABELS: Record<Role, string> = {
  resident: '居民',
  volunteer: '党员志愿者',
  worker: '社区工作者',
  property: '物业人员',
};

export const STATUS_LABELS: Record<MemberStatus, string> = {
  pending: '等待社区审核',
  active: '已加入',
  rejected: '未通过审核',
  left: '已退出',
  removed: '已被移出',
};

/** Roles in a fixed order, in Chinese: 居民、党员志愿者. */
export function roleText(roles: readonly Role[]): string {
  const order: Role[] = ['resident', 'volunteer', 'property', 'worker'];
  const labels = order.filter((r) => roles.includes(r)).map((r) => ROLE_LABELS[r]);
  return labels.length ? labels.join('、') : ROLE_LABELS.resident;
}

/** 1栋 + 302 → 1栋 302室; an empty building is left out. */
export function addressText(building: string | undefined, room: string | undefined): string {
  const parts: string[] = [];
  if (building) parts.push(building);
  if (room) parts.push(/^[0-9A-Za-z-]+$/.test(room) ? `${room}室` : room);
  return parts.join(' ');
}

/** Shows at most 3 + 4 digits of a phone number; an already masked one stays as it is. */
export function maskPhone(phone: string | undefined): string {
  if (!phone) return '';
  if (/^\d{11}$/.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return phone;
}

// Times: every time a page shows is on the community's clock (shared/clock.ts), never the phone's
// own zone. These wrappers only add what a page needs on top: no time or a bad one shows as ''.

const known = (iso: string | undefined): iso is string => !!iso && Number.isFinite(Date.parse(iso));

/** ISO time → `11月30日 21:50` on the community's clock, with the year when it is not this year. */
export function shortDateTime(iso: string | undefined, now: Instant = Date.now()): string {
  return known(iso) ? clockShortDateTime(iso, now) : '';
}

/** ISO time → `2024年5月3日 14:05` on the community's clock. */
export function dateTimeText(iso: string | undefined): string {
  return known(iso) ? longDateTime(iso) : '';
}

/** ISO time → 今天 14:05 / 昨天 14:05 / 5月3日 14:05 / 2023年5月3日 (community days), for a list row. */
export function relativeTimeText(iso: string | undefined, now: Instant = Date.now()): string {
  if (!known(iso)) return '';
  const diff = Math.round((startOfDay(now).getTime() - startOfDay(iso).getTime()) / DAY_MS);
  const hm = clockText(iso);
  if (diff === 0) return `今天 ${hm}`;
  if (diff === 1) return `昨天 ${hm}`;
  if (diff === -1) return `明天 ${hm}`;
  const w = wallTime(iso);
  if (w.year === wallTime(now).year) return `${w.month}月${w.day}日 ${hm}`;
  return `${w.year}年${w.month}月${w.day}日`;
}
