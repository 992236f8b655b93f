// The messages function's contract: the caller's inbox and their subscribe-message consent.
import { z } from 'zod';
import { page, pattern, type Page } from '../common/schema';
import type { MessageType } from '../common/model';
import type { TemplateKind } from '../common/notify';

export type { MessageType, TemplateKind };

/** A message id: generated, or `${key}:${openid}` for keyed messages (keys hold dots). */
const messageId = pattern(/^[A-Za-z0-9_:.\-]{1,200}$/, '系统给出的消息编号');

/** A WeChat subscribe-message template id (letters, digits, - and _). */
const templateId = pattern(/^[A-Za-z0-9_-]{1,64}$/, '订阅消息模板编号');

/** `family: true` — the caller's family inbox (亲情代办, docs/family.md) instead of their community's. */
const family = z.boolean().optional();

export const messageSchemas = {
  list: z.strictObject({ page, unreadOnly: z.boolean().optional(), family }),
  unreadCount: z.strictObject({ family }),
  /** One message, or every unread one when `messageId` is absent. */
  markRead: z.strictObject({ messageId: messageId.optional(), family }),
  /** The template ids the person accepted in wx.requestSubscribeMessage (one send each). */
  grantSubscribe: z.strictObject({ templateIds: z.array(templateId).min(1).max(5) }),
  /** Which template ids the mini-program should ask consent for, by kind. */
  subscribeTemplates: z.strictObject({}),
};

export interface MessageView {
  _id: string;
  type: MessageType;
  title: string;
  body?: string;
  link?: string;
  read: boolean;
  createdAt: string;
}

type In<K extends keyof typeof messageSchemas> = z.input<(typeof messageSchemas)[K]>;

export interface MessagesApi {
  list: { input: In<'list'>; output: Page<MessageView> };
  unreadCount: { input: In<'unreadCount'>; output: { count: number } };
  markRead: { input: In<'markRead'>; output: { updated: number } };
  /** Answers the remaining sends per accepted template id; unknown ids are ignored. */
  grantSubscribe: { input: In<'grantSubscribe'>; output: { remaining: Record<string, number> } };
  subscribeTemplates: { input: In<'subscribeTemplates'>; output: { templates: Record<TemplateKind, string> } };
}
