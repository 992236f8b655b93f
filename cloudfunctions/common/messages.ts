// In-app messages (the inbox). Every event that needs someone's attention writes one here.
// A `key` makes a message idempotent: the same key for the same person is stored once, which is
// how the timer's escalations avoid sending anything twice.
import { notify } from './notify';

export type MessageType =
  | 'member.approved'
  | 'member.rejected'
  | 'order.dispatched'
  | 'order.accepted'
  | 'order.completed'
  | 'order.cancelled'
  | 'order.yellow'
  | 'order.red'
  | 'order.returned'
  | 'order.created'
  | 'order.released'
  | 'order.declined'
  | 'order.rework'
  | 'order.followup'
  | 'order.closed'
  | 'order.rated'
  | 'parking.booked'
  | 'parking.cancelled'
  | 'parking.verified'
  | 'parking.rejected'
  | 'parking.no_show'
  | 'parking.overstay'
  | 'parking.blocked'
  | 'notice.reminder'
  | 'system';

export interface MessageInput {
  type: MessageType;
  title: string;
  body?: string;
  /** Mini-program path the message opens, e.g. `/packages/orders/detail/index?id=…`. */
  link?: string;
  /** Idempotency key: one message per key and recipient. */
  key?: string;
}

export interface MessageDoc extends MessageInput {
  _id?: string;
  communityId: string;
  openid: string;
  read: boolean;
  createdAt: Date;
}

/**
 * Writes one message to each recipient; answers how many were new. Goes through `notify`
 * (common/notify.ts), which also sends the WeChat subscribe message where the person has quota.
 */
export async function sendMessages(communityId: string, to: string[], msg: MessageInput, now: Date): Promise<number> {
  return notify(communityId, to, msg, now);
}
