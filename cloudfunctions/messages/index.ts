// messages: the caller's inbox in their current community, and their subscribe-message consent.
//
// The inbox belongs to the membership, whatever its status: a pending or rejected applicant can
// read "您的申请未通过" too. Someone with no membership at all gets E_NOT_MEMBER.
import { AppError } from '../common/errors';
import { FAMILY_INBOX } from '../common/family';
import { collection } from '../common/db';
import { readPage } from '../common/paging';
import type { MessageDoc } from '../common/model';
import { grantSubscribe, subscribeTemplates } from '../common/notify';
import { action, createFunction, type Ctx } from '../common/router';
import { messageSchemas as s, type MessageView, type MessagesApi } from './api';

function inbox(ctx: Ctx, family?: boolean): { communityId: string; openid: string } {
  // A relative's inbox (亲情代办) needs no membership: it holds only what was sent to them there.
  if (family) return { communityId: FAMILY_INBOX, openid: ctx.openid };
  if (!ctx.member) throw new AppError('E_NOT_MEMBER', '您还没有加入社区，暂时没有消息');
  return { communityId: ctx.member.communityId, openid: ctx.openid };
}

function toView(m: MessageDoc & { _id: string }): MessageView {
  return {
    _id: m._id,
    type: m.type,
    title: m.title,
    body: m.body,
    link: m.link,
    read: m.read,
    createdAt: new Date(m.createdAt).toISOString(),
  };
}

export const main = createFunction<MessagesApi>('messages', {
  list: action({
    schema: s.list,
    roles: 'identified',
    handler: async (input, ctx) => {
      const where: Record<string, unknown> = inbox(ctx, input.family);
      if (input.unreadOnly) where.read = false;
      const page = input.page ?? 1;
      const { docs, hasMore } = await readPage<MessageDoc & { _id: string }>(
        collection('messages').where(where).orderBy('createdAt', 'desc'),
        page,
      );
      return { items: docs.map(toView), page, hasMore };
    },
  }),

  unreadCount: action({
    schema: s.unreadCount,
    roles: 'identified',
    handler: async (input, ctx) => {
      const res = await collection('messages')
        .where({ ...inbox(ctx, input.family), read: false })
        .count();
      return { count: res.total };
    },
  }),

  markRead: action({
    schema: s.markRead,
    roles: 'identified',
    handler: async ({ messageId, family }, ctx) => {
      const scope = inbox(ctx, family);
      if (messageId) {
        const found = await collection('messages')
          .where({ _id: messageId, ...scope })
          .limit(1)
          .get();
        if (found.data.length === 0) throw new AppError('E_NOT_FOUND', '这条消息不存在或已被删除');
        if ((found.data[0] as MessageDoc).read) return { updated: 0 };
        const res = await collection('messages')
          .where({ _id: messageId, ...scope, read: false })
          .update({ read: true, readAt: ctx.now });
        return { updated: res.updated ?? 0 };
      }
      const res = await collection('messages')
        .where({ ...scope, read: false })
        .update({ read: true, readAt: ctx.now });
      return { updated: res.updated ?? 0 };
    },
  }),

  grantSubscribe: action({
    schema: s.grantSubscribe,
    roles: 'identified',
    handler: async ({ templateIds }, ctx) => ({ remaining: await grantSubscribe(ctx.openid, templateIds, ctx.now) }),
  }),

  subscribeTemplates: action({
    schema: s.subscribeTemplates,
    roles: 'identified',
    handler: async () => ({ templates: subscribeTemplates() }),
  }),
});
