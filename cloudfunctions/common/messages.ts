// In-app messages (the inbox). Every event that needs someone's attention writes one here.
// A `key` makes a message idempotent: the same key for the same person is stored once, which is
// how the timer's escalations avoid sending anything twice.
import { notify } from './notify';
import type { MessageInput } from './model';

export type { MessageDoc, MessageInput, MessageType } from './model';

/**
 * Writes one message to each recipient; answers how many were new. Goes through `notify`
 * (common/notify.ts), which also sends the WeChat subscribe message where the person has quota.
 */
export async function sendMessages(communityId: string, to: string[], msg: MessageInput, now: Date): Promise<number> {
  return notify(communityId, to, msg, now);
}
