// In-app messages: what the order loop and the parking bookings wrote to inboxes.
import { orderLink } from '../../../cloudfunctions/orders/lifecycle';
import type { OrderDoc } from '../../../cloudfunctions/orders/model';
import type { MessageDoc } from '../../../cloudfunctions/common/model';
import { DAY_MS, HOUR_MS } from '../../../miniprogram/shared/clock';
import { generateId } from '../../../local/store';
import type { Gen } from './gen';
import type { Community } from './members';

/** One message; older than two days (or by chance) it has been read an hour after it came. */
export function addMessage(
  g: Gen,
  communityId: string,
  openid: string,
  msg: Omit<MessageDoc, 'communityId' | 'openid' | 'read' | 'createdAt'>,
  at: Date,
): void {
  const read = g.now.getTime() - at.getTime() > 2 * DAY_MS || g.rand() < 0.3;
  const doc = {
    _id: generateId(),
    ...msg,
    communityId,
    openid,
    read,
    createdAt: at,
    ...(read ? { readAt: new Date(at.getTime() + HOUR_MS) } : {}),
  };
  g.add('messages', doc);
}

/** What the order loop wrote to inboxes: every worker hears of a new order, the volunteer of a dispatch, the resident of a completion. */
export function addOrderMessages(g: Gen, c: Community, o: OrderDoc): void {
  const link = orderLink(o._id);
  for (const w of c.workers) {
    addMessage(
      g,
      c.doc._id,
      w.openid,
      {
        type: 'order.created',
        title: `新订单待派单：${o.serviceName}`,
        body: `${o.building} ${o.beneficiary.name}，请在 30 分钟内派单`,
        link,
      },
      o.createdAt,
    );
  }
  const dispatch = o.timeline.find((e) => e.action === 'dispatch');
  if (dispatch && o.volunteerOpenid) {
    addMessage(
      g,
      c.doc._id,
      o.volunteerOpenid,
      { type: 'order.dispatched', title: `社区派单：${o.serviceName}`, body: `${o.building} ${o.beneficiary.name}`, link },
      dispatch.at,
    );
  }
  if (o.completion) {
    addMessage(
      g,
      c.doc._id,
      o.forOpenid,
      { type: 'order.completed', title: `服务已完成：${o.serviceName}`, body: '请为本次服务评价', link },
      o.completion.at,
    );
  }
}
