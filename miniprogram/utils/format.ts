// Plain-word labels and formatting shared by pages.
import type { MemberStatus, Role } from '../services/member';

export const ROLE_LABELS: Record<Role, string> = {
  resident: '居民',
  volunteer: '党员志愿者',
  worker: '社区工作者',
};

export const STATUS_LABELS: Record<MemberStatus, string> = {
  pending: '等待社区审核',
  active: '已加入',
  rejected: '未通过审核',
};

/** Roles in a fixed order, in Chinese: 居民、党员志愿者. */
export function roleText(roles: readonly Role[]): string {
  const order: Role[] = ['resident', 'volunteer', 'worker'];
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

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** ISO time → 2024年5月3日 14:05 (local time). */
export function dateTimeText(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
