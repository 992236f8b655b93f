// A topic decided by an owners' vote (业主表决): the vote must be this community's, opened on this
// topic (openVote's `topicId`), closed and passed under 民法典 第278条 (the votes part counts it).
import { findById } from '../common/db';
import { AppError } from '../common/errors';
import type { MemberCtx } from '../common/router';
import { VOTES, type VoteDoc } from './model-votes';
import type { TopicDoc } from './topics-model';

const VOTE_MISSING = '这次表决不存在，请重新选择';

/** The sentence the decision's notice gives for how it was reached; refuses a vote that cannot decide. */
export async function voteBasis(ctx: MemberCtx, t: TopicDoc, voteId: string): Promise<string> {
  const v = await findById<VoteDoc>(VOTES, voteId);
  if (!v || v.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', VOTE_MISSING);
  if (v.topicId !== t._id) throw new AppError('E_VALIDATION', '这次表决不是就这个议题发起的，请选择这个议题的表决');
  if (v.status !== 'closed' || !v.result) throw new AppError('E_CONFLICT', '这次表决还没有结束计票，结束计票后再形成决议');
  if (!v.result.passed) throw new AppError('E_CONFLICT', '这次表决没有通过，不能据此形成决议；可以不予采纳并说明原因');
  return `经业主表决通过（表决：${v.title}），依照《民法典》第二百七十八条计票。`;
}
