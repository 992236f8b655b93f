// Typed client of the `messages` cloud function: the inbox, its unread count on the 我的 tab,
// and the consent for WeChat subscribe messages.
//
// Consent must be asked on a tap (WeChat refuses wx.requestSubscribeMessage otherwise, and asking
// on page load is what the product forbids). The template ids therefore have to be known before
// the tap: a page that offers consent calls `prepareSubscribe()` when it loads (that asks
// nothing), and its tap handler calls `askSubscribe(kinds)` straight away.
import type { MessagesApi, TemplateKind } from '../../cloudfunctions/messages/api';
import { client } from './core';

export type { MessageType, MessageView, TemplateKind } from '../../cloudfunctions/messages/api';
export type MessagePage = MessagesApi['list']['output'];

const messages = client<MessagesApi>('messages');

/** Index of 我的 in app.json's tabBar list. */
export const MINE_TAB_INDEX = 3;

let templates: Record<TemplateKind, string> | undefined;
let templatesLoading: Promise<Record<TemplateKind, string> | undefined> | undefined;

export const messagesService = {
  list: (page = 1, unreadOnly = false) => messages('list', unreadOnly ? { page, unreadOnly } : { page }),
  unreadCount: async () => (await messages('unreadCount', {})).count,
  markRead: (messageId?: string) => messages('markRead', messageId ? { messageId } : {}),
  /** A relative's family inbox (亲情代办): the messages about the elder's orders. */
  familyList: (page = 1) => messages('list', { page, family: true }),
  familyMarkRead: (messageId: string) => messages('markRead', { messageId, family: true }),

  /** Loads the template ids once (no consent is asked). Never throws. */
  prepareSubscribe(): Promise<Record<TemplateKind, string> | undefined> {
    if (templates) return Promise.resolve(templates);
    if (!templatesLoading) {
      templatesLoading = messages('subscribeTemplates', {})
        .then((res) => {
          templates = res.templates;
          return templates;
        })
        .catch(() => undefined)
        .finally(() => {
          templatesLoading = undefined;
        });
    }
    return templatesLoading;
  },

  /**
   * Call directly inside a tap handler. Asks consent for the kinds' templates and reports each
   * accepted one (one later message each). Answers how many were accepted; never throws, and
   * answers 0 when the ids were not prepared or the person declines.
   */
  askSubscribe(kinds: TemplateKind[]): Promise<number> {
    const ids = templates ? kinds.map((k) => templates![k]).filter(Boolean) : [];
    if (!ids.length || typeof wx.requestSubscribeMessage !== 'function') return Promise.resolve(0);
    return new Promise<number>((resolve) => {
      wx.requestSubscribeMessage({
        tmplIds: ids,
        success: (res) => {
          const accepted = ids.filter((id) => (res as unknown as Record<string, string>)[id] === 'accept');
          if (!accepted.length) {
            resolve(0);
            return;
          }
          messages('grantSubscribe', { templateIds: accepted })
            .then(() => resolve(accepted.length))
            .catch(() => resolve(0));
        },
        fail: () => resolve(0),
      });
    });
  },

  /** Shows the unread count on the 我的 tab (or clears it). Answers the count; never throws. */
  async refreshBadge(): Promise<number> {
    let count = 0;
    try {
      count = await messagesService.unreadCount();
    } catch {
      return 0;
    }
    setMineBadge(count);
    return count;
  },
};

/** Tab badge calls fail outside tab pages and on old base libraries; that is fine to ignore. */
export function setMineBadge(count: number): void {
  try {
    if (count > 0 && typeof wx.setTabBarBadge === 'function') {
      wx.setTabBarBadge({ index: MINE_TAB_INDEX, text: count > 99 ? '99+' : String(count), fail: () => undefined });
    } else if (count <= 0 && typeof wx.removeTabBarBadge === 'function') {
      wx.removeTabBarBadge({ index: MINE_TAB_INDEX, fail: () => undefined });
    }
  } catch {
    // Not a tab page.
  }
}

/** For tests: forget the prepared template ids. */
export function resetSubscribeTemplates(): void {
  templates = undefined;
  templatesLoading = undefined;
}
