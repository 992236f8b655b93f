// Ballots: one per owner (group of parts) and vote, final. The ballot's _id is the vote and the
// owner group, so concurrent casts by one owner, by co-owners or by a proxy make one ballot; the
// loser reads the winner. Each ballot gets a random receipt; the audit says that someone voted,
// never how (docs/affairs.md, "Ballots").
import crypto from 'crypto';
import { audit } from '../common/audit';
import { insertOnce } from '../common/cas';
import { collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { checkAttachments } from '../common/files';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { voteSchemas as s, type VoteChoice } from './api-votes';
import {
  BALLOTS,
  MAX_PROXY_BALLOTS,
  PROXY_SLOTS,
  VOTE_GROUPS,
  ballotId,
  voterKey,
  type BallotDoc,
  type ProxySlotDoc,
  type VoteDoc,
  type VoteGroupDoc,
} from './model-votes';
import { myGroup, notEligibleReason } from './votes';
import { requireVote, stateOf } from './vote-store';
import { shortDateTime } from '../../miniprogram/shared/clock';

const RECEIPT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 8 random characters as XXXX-XXXX, without look-alikes (0/O, 1/I). */
export function newReceipt(): string {
  const bytes = crypto.randomBytes(8);
  const chars = Array.from(bytes, (b) => RECEIPT_ALPHABET[b % RECEIPT_ALPHABET.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

function requireOpen(vote: VoteDoc, now: Date): void {
  const state = stateOf(vote, now);
  if (state === 'announced') throw new AppError('E_CONFLICT', `投票还没开始，${shortDateTime(vote.opensAt, now)} 开始投票`);
  if (state !== 'open') throw new AppError('E_CONFLICT', '投票已经截止，不能再投票了');
}

const ALREADY = '这户业主已经投过票了，选票提交后不能更改';

/**
 * Inserts the ballot once; a repeat of the same cast (same person, same choice: a retry after a
 * lost answer) answers the first receipt, anything else is refused.
 */
async function insertBallot(ballot: BallotDoc): Promise<{ receipt: string }> {
  if (await insertOnce(BALLOTS, ballot)) return { receipt: ballot.receipt };
  const first = await findById<BallotDoc>(BALLOTS, ballot._id);
  if (first && first.castBy === ballot.castBy && first.choice === ballot.choice && first.proxy === ballot.proxy) {
    return { receipt: first.receipt };
  }
  throw new AppError('E_CONFLICT', first?.proxy && !ballot.proxy ? '您家已由代理人投票，选票提交后不能更改' : ALREADY);
}

function ballotOf(ctx: MemberCtx, vote: VoteDoc, group: VoteGroupDoc, choice: VoteChoice): BallotDoc {
  return {
    _id: ballotId(vote._id, group.key),
    voteId: vote._id,
    communityId: ctx.communityId,
    group: group.key,
    choice,
    area: group.area,
    houses: group.houses,
    receipt: newReceipt(),
    proxy: false,
    castBy: voterKey(ctx.communityId, ctx.openid),
    castAt: ctx.now,
  };
}

/** Claims one of the proxy's numbered places; false when all are taken. */
async function claimSlot(ctx: MemberCtx, vote: VoteDoc, proxy: string, forBallot: string): Promise<string | null> {
  const taken = await getAll<ProxySlotDoc>(collection(PROXY_SLOTS).where({ voteId: vote._id, proxy }).limit(MAX_PROXY_BALLOTS));
  const used = new Set(taken.map((t) => t._id));
  for (let n = 1; n <= MAX_PROXY_BALLOTS; n++) {
    const id = `${vote._id}:${proxy}:${n}`;
    if (used.has(id)) continue;
    const slot: ProxySlotDoc = {
      _id: id,
      voteId: vote._id,
      communityId: ctx.communityId,
      proxy,
      ballotId: forBallot,
      at: ctx.now,
    };
    if (await insertOnce(PROXY_SLOTS, slot)) return id;
  }
  return null;
}

export const ballotActions = {
  cast: action({
    schema: s.cast,
    roles: ANY_MEMBER,
    handler: async ({ voteId, choice }, ctx) => {
      const vote = await requireVote(ctx, voteId);
      requireOpen(vote, ctx.now);
      const group = await myGroup(ctx, vote);
      if (!group) throw new AppError('E_FORBIDDEN', await notEligibleReason(ctx, vote));
      const answer = await insertBallot(ballotOf(ctx, vote, group, choice));
      await audit(ctx, { target: `vote:${vote._id}`, after: { voted: true } });
      return answer;
    },
  }),

  castProxy: action({
    schema: s.castProxy,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const vote = await requireVote(ctx, input.voteId);
      requireOpen(vote, ctx.now);
      const found = await getAll<VoteGroupDoc>(
        collection(VOTE_GROUPS).where({ voteId: vote._id, partIds: input.partId }).limit(1),
      );
      const group = found.find((g) => g._id.startsWith(`${vote._id}:${vote.snap}:`));
      if (!group) throw new AppError('E_VALIDATION', '这套房屋不在本次表决的业主名册里，请核对房号');
      const me = voterKey(ctx.communityId, ctx.openid);
      if (group.voters.includes(me)) throw new AppError('E_CONFLICT', '这是您自己名下的房屋，请直接投票，不需要代理');
      const id = ballotId(vote._id, group.key);
      if (await findById<BallotDoc>(BALLOTS, id)) {
        const first = (await findById<BallotDoc>(BALLOTS, id))!;
        if (first.castBy === me && first.proxy && first.choice === input.choice) return { receipt: first.receipt };
        throw new AppError('E_CONFLICT', ALREADY);
      }
      await checkAttachments([input.authorization], ctx.openid);
      const slot = await claimSlot(ctx, vote, me, id);
      if (!slot) {
        throw new AppError('E_CONFLICT', `每人在一项表决中最多代理 ${MAX_PROXY_BALLOTS} 户业主投票，您已代理满了`);
      }
      const ballot: BallotDoc = { ...ballotOf(ctx, vote, group, input.choice), proxy: true, authorization: input.authorization };
      try {
        const answer = await insertBallot(ballot);
        await audit(ctx, { target: `vote:${vote._id}`, after: { voted: true, proxy: true, houses: group.houses } });
        return answer;
      } catch (err) {
        // The owner (or another proxy) was first: the place is free again.
        const first = await findById<BallotDoc>(BALLOTS, id);
        if (!first || first.castBy !== me) await collection(PROXY_SLOTS).doc(slot).remove();
        throw err;
      }
    },
  }),
};
