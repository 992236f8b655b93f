// Counting: the live tally (workers while voting; everyone once closed), closing a vote with its
// final result published as a notice, and the published lists — houses that voted and receipts,
// never names or choices (民法典 第278条; docs/affairs.md, "Counting").
import { audit } from '../common/audit';
import { compareAndSet } from '../common/cas';
import { AppError } from '../common/errors';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { voteSchemas as s } from './api-votes';
import { VOTES, type BallotDoc, type VoteDoc } from './model-votes';
import { postNotice, resultNoticeId, resultText } from './publish';
import { tallyOf, type Tally } from './tally';
import { toDetail } from './votes';
import { allBallots, requireVote } from './vote-store';

/**
 * How long after closesAt a vote may be closed: longer than a cast can run (the function's
 * timeout), so every ballot that passed the deadline check has landed before the count.
 */
export const CLOSE_GRACE_MS = 60_000;

const isWorker = (ctx: MemberCtx) => ctx.member.roles.includes('worker');

/** Ballots cast before the deadline (every one the cast check let through). */
const counted = (vote: VoteDoc, ballots: BallotDoc[]) => ballots.filter((b) => new Date(b.castAt) < new Date(vote.closesAt));

export const currentTally = async (vote: VoteDoc): Promise<Tally> =>
  tallyOf(vote.matter, vote.eligible, counted(vote, await allBallots(vote._id)));

const sortedLists = (ballots: BallotDoc[]) => ({
  houses: ballots.flatMap((b) => b.houses).sort(),
  receipts: ballots.map((b) => b.receipt).sort(),
});

export const resultActions = {
  tally: action({
    schema: s.tally,
    roles: ANY_MEMBER,
    handler: async ({ voteId }, ctx) => {
      const vote = await requireVote(ctx, voteId);
      if (vote.status === 'closed' && vote.result) return vote.result;
      if (!isWorker(ctx)) throw new AppError('E_FORBIDDEN', '投票结束、计票完成后才公布表决结果，请到时再来查看');
      return currentTally(vote);
    },
  }),

  closeVote: action({
    schema: s.closeVote,
    roles: ['worker'],
    limit: 'notice',
    handler: async ({ voteId }, ctx) => {
      const vote = await requireVote(ctx, voteId);
      if (vote.status === 'closed') throw new AppError('E_CONFLICT', '这项表决已经结束计票了');
      const ballots = counted(vote, await allBallots(vote._id));
      const everyone = ballots.length >= vote.eligible.owners;
      if (!everyone && ctx.now.getTime() < vote.closesAt.getTime() + CLOSE_GRACE_MS) {
        throw new AppError('E_CONFLICT', '投票还没有截止，截止 1 分钟后才能结束计票（全体业主都已投票时可以提前结束）');
      }
      const result = tallyOf(vote.matter, vote.eligible, ballots);
      const { houses, receipts } = sortedLists(ballots);
      const noticeId = resultNoticeId(vote);
      // The notice first, by a deterministic id: a close that fails after it publishes once when retried.
      await postNotice(ctx, vote, noticeId, `表决结果：${vote.title}`.slice(0, 40), resultText(vote, result, houses, receipts));
      const patch = { status: 'closed' as const, result, noticeId, closedAt: ctx.now, updatedAt: ctx.now };
      await compareAndSet(VOTES, { _id: vote._id, version: vote.version, status: 'open' }, patch, '表决刚被修改，请刷新后重试');
      await audit(ctx, {
        target: `vote:${vote._id}`,
        before: { status: 'open' },
        after: { status: 'closed', quorumMet: result.quorumMet, passed: result.passed, participated: result.participated },
      });
      return toDetail(ctx, { ...vote, ...patch, version: vote.version + 1 });
    },
  }),

  voteResult: action({
    schema: s.voteResult,
    roles: ANY_MEMBER,
    handler: async ({ voteId }, ctx) => {
      const vote = await requireVote(ctx, voteId);
      if (vote.status !== 'closed' || !vote.result) {
        throw new AppError('E_FORBIDDEN', '投票结束、计票完成后才公布已投票房屋和选票回执，请到时再来查看');
      }
      const { houses, receipts } = sortedLists(counted(vote, await allBallots(vote._id)));
      return { result: vote.result, houses, receipts, ...(vote.noticeId ? { noticeId: vote.noticeId } : {}) };
    },
  }),
};
