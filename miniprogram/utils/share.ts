// Group-chat sharing shared by every page that can be sent as a card (notices, orders, parking):
//
//   onLoad(query) { enableShareMenu(); … }
//   onShareAppMessage() { return shareCard(title, '/pages/notices/detail/index', { id }) }
//   catch (err) { if (await sendStrangerToJoin(err, here, query.code)) return; … }
//
// A card lands on its item. Someone who is not a member yet is sent to the join page first
// (with the invite code the card carries, if any) and from there back to the item.
import { isServiceError } from '../services/core';
import { memberService } from '../services/member';
import { PAGES } from './nav';

/** Share menu with share tickets, so a card opened in a group can tell which group it is. */
export function enableShareMenu(): void {
  try {
    wx.showShareMenu({ withShareTicket: true, menus: ['shareAppMessage', 'shareTimeline'] });
  } catch {
    // Older base libraries: the default menu still shares.
  }
}

/** `/pages/x/index` + `{ id: 'a', code: undefined }` → `/pages/x/index?id=a` (values encoded). */
export function pathWith(path: string, query: Record<string, string | undefined>): string {
  const parts = Object.keys(query)
    .filter((k) => query[k])
    .map((k) => `${k}=${encodeURIComponent(query[k] as string)}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

export interface ShareCard {
  title: string;
  path: string;
  imageUrl?: string;
}

export function shareCard(
  title: string,
  path: string,
  query: Record<string, string | undefined> = {},
  imageUrl?: string,
): ShareCard {
  const card: ShareCard = { title, path: pathWith(path, query) };
  if (imageUrl) card.imageUrl = imageUrl;
  return card;
}

/** The join page that goes on to `target` once the visitor is a member. */
export function joinThenGo(target: string, code?: string): string {
  return pathWith(PAGES.join, { code: code || undefined, redirect: target });
}

/**
 * When a call failed with E_NOT_MEMBER and the caller has no membership at all, sends them to
 * the join page (then on to `target`) and answers true. A pending applicant stays (false): the
 * page says they are waiting for review.
 */
export async function sendStrangerToJoin(err: unknown, target: string, code?: string): Promise<boolean> {
  if (!isServiceError(err) || err.code !== 'E_NOT_MEMBER') return false;
  let me;
  try {
    me = await memberService.me();
  } catch {
    return false;
  }
  // Waiting for review, or in: not a stranger. Rejected, removed (or no membership): join first.
  if (me && (me.status === 'active' || me.status === 'pending')) return false;
  wx.redirectTo({ url: joinThenGo(target, code) });
  return true;
}

/**
 * The opaque cloudID of the group chat the page was opened from, or undefined (not opened from
 * a group card, old base library, or not in CloudBase). Needs the card shared with share tickets.
 */
export function groupCloudId(): Promise<string | undefined> {
  return new Promise((resolve) => {
    if (typeof wx.getGroupEnterInfo !== 'function') {
      resolve(undefined);
      return;
    }
    wx.getGroupEnterInfo({
      success: (res) => resolve((res as { cloudID?: string }).cloudID || undefined),
      fail: () => resolve(undefined),
    });
  });
}
