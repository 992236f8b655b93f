// Owners' votes: open (freezing the register of the scope), list, get (with the caller's place in
// the vote) and extend a vote closed without quorum (民法典 第278条; docs/affairs.md).
import crypto from 'crypto';
import type { z } from 'zod';
import { audit } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { readPage } from '../common/paging';
import { assertSameDigest, requestDigest, type RequestBody } from '../common/request';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { notify } from '../common/notify';
import { DAY_MS, longDateTime } from '../../miniprogram/shared/clock';
import { voteSchemas as s, type MyVoteView, type VoteDetail } from './api-votes';
import {
  BALLOTS,
  MAX_PROXY_BALLOTS,
  MAX_WINDOW_DAYS,
  MIN_WINDOW_HOURS,
  PARTS,
  PROXY_SLOTS,
  VOTES,
  VOTE_GROUPS,
  VOTE_VOTERS,
  ballotId,
  groupDocId,
  voterDocId,
  voterKey,
  type BallotDoc,
  type PartDoc,
  type VoteDoc,
  type VoteGroupDoc,
  type VoteVoterDoc,
} from './model-votes';
import { freeze, partsInScope, writeRoll } from './roll';
import { noticeDaysOf, requireCommunity, requireVote, scopeOf, toSummary } from './vote-store';
import { publishVoteNotice } from './publish';

const HOUR_MS = 3600_000;
/** A time a person picked may lag the clock by this much and still mean "now". */
const SLACK_MS = 5 * 60_000;

const OTHER_VOTE = '这个请求编号已用于另一项内容不同的表决。请先到“议事与表决”里查看上一项是否已发起；确需再发起，请重新提交';

const openBody = (input: z.output<typeof s.openVote>): RequestBody => ({
  title: input.title,
  body: input.body,
  matter: input.matter,
  buildings: [...new Set(input.buildings ?? [])].sort(),
  opensAt: input.opensAt ? new Date(input.opensAt) : null,
  closesAt: new Date(input.closesAt),
  topicId: input.topicId ?? null,
});

const newVoteId = (ctx: MemberCtx, requestId: string): string =>
  `v${crypto.createHash('sha1').update(`${ctx.communityId}\n${ctx.openid}\n${requestId}`).digest('hex').slice(0, 20)}`;

/** The voting window, checked against the clock and the community's notice period. */
export function windowOf(opensAtText: string | undefined, closesAtText: string, noticeDays: number, now: Date) {
  const requested = opensAtText ? new Date(opensAtText) : now;
  const earliest = now.getTime() + noticeDays * DAY_MS;
  if (requested.getTime() < earliest - SLACK_MS) {
    throw new AppError(
      'E_VALIDATION',
      noticeDays > 0
        ? `本社区的业主表决需提前 ${noticeDays} 天公告，开始投票时间最早为公告 ${noticeDays} 天后，请重新选择`
        : '开始投票时间不能早于现在，请重新选择',
    );
  }
  const opensAt = requested.getTime() < now.getTime() ? now : requested;
  const closesAt = new Date(closesAtText);
  return { opensAt, closesAt: checkCloses(opensAt, closesAt) };
}

function checkCloses(opensAt: Date, closesAt: Date): Date {
  if (closesAt.getTime() < opensAt.getTime() + MIN_WINDOW_HOURS * HOUR_MS) {
    throw new AppError('E_VALIDATION', `截止时间至少要在开始投票 ${MIN_WINDOW_HOURS} 小时之后，请重新选择`);
  }
  if (closesAt.getTime() > opensAt.getTime() + MAX_WINDOW_DAYS * DAY_MS) {
    throw new AppError('E_VALIDATION', `投票时间最长 ${MAX_WINDOW_DAYS} 天，请重新选择截止时间`);
  }
  return closesAt;
}

const NOT_OWNER =
  '您还不是已核实的业主，不能参加业主表决：按民法典第二百七十八条，表决由专有部分的业主进行，租户和同住的家人不能投票。如您是业主，请带房产证到社区核实';
const OUT_OF_SCOPE = '您名下已核实的房屋不在本次表决的范围内，不能参加这项表决';
const JOINED_LATE = '本次表决的业主名册在发起时已确定，您的业主身份是之后核实的，所以不能参加这项表决';

/** Why the caller is not on the roll, in a sentence they can act on. */
export async function notEligibleReason(ctx: MemberCtx, vote: VoteDoc): Promise<string> {
  const mine = await getAll<PartDoc>(collection(PARTS).where({ communityId: ctx.communityId, owners: ctx.openid }).limit(100));
  if (mine.length === 0) return NOT_OWNER;
  const inScope = vote.buildings.length === 0 || mine.some((p) => vote.buildings.includes(p.building));
  return inScope ? JOINED_LATE : OUT_OF_SCOPE;
}

/** The caller's group in the frozen roll, if any. */
export async function myGroup(ctx: MemberCtx, vote: VoteDoc): Promise<VoteGroupDoc | null> {
  const voter = await findById<VoteVoterDoc>(VOTE_VOTERS, voterDocId(vote, voterKey(ctx.communityId, ctx.openid)));
  if (!voter) return null;
  return findById<VoteGroupDoc>(VOTE_GROUPS, groupDocId(vote, voter.group));
}

async function myView(ctx: MemberCtx, vote: VoteDoc): Promise<MyVoteView> {
  const me = voterKey(ctx.communityId, ctx.openid);
  const proxyCount = (await collection(PROXY_SLOTS).where({ voteId: vote._id, proxy: me }).count()).total;
  const group = await myGroup(ctx, vote);
  if (!group) return { eligible: false, reason: await notEligibleReason(ctx, vote), houses: [], voted: false, proxyCount };
  const ballot = await findById<BallotDoc>(BALLOTS, ballotId(vote._id, group.key));
  const own = ballot && ballot.castBy === me;
  return {
    eligible: true,
    houses: group.houses,
    voted: !!ballot,
    ...(ballot ? { proxy: ballot.proxy } : {}),
    ...(own ? { receipt: ballot.receipt, choice: ballot.choice } : {}),
    proxyCount,
  };
}

export async function toDetail(ctx: MemberCtx, vote: VoteDoc): Promise<VoteDetail> {
  const summary = toSummary(vote, ctx.now);
  return {
    ...summary,
    body: vote.body,
    buildings: vote.buildings,
    eligible: vote.eligible,
    parts: vote.parts,
    extensions: vote.extensions,
    canExtend: vote.status === 'closed' && !!vote.result && !vote.result.quorumMet && vote.extensions === 0,
    ...(vote.topicId ? { topicId: vote.topicId } : {}),
    ...(vote.noticeId ? { noticeId: vote.noticeId } : {}),
    ...(vote.result ? { result: vote.result } : {}),
    my: await myView(ctx, vote),
    maxProxy: MAX_PROXY_BALLOTS,
    canManage: ctx.member.roles.includes('worker'),
  };
}

async function checkTopic(ctx: MemberCtx, topicId: string | undefined): Promise<void> {
  if (!topicId) return;
  const topic = await findById<{ communityId: string }>('topics', topicId);
  if (!topic || topic.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', '关联的议题不存在或已被删除');
}

export const voteActions = {
  openVote: action({
    schema: s.openVote,
    roles: ['worker'],
    limit: 'notice',
    handler: async (input, ctx) => {
      const voteId = newVoteId(ctx, input.requestId);
      const first = await findById<VoteDoc>(VOTES, voteId);
      if (first && first.communityId === ctx.communityId) {
        assertSameDigest(first.requestDigest, openBody(input), OTHER_VOTE);
        return toDetail(ctx, first);
      }
      const community = await requireCommunity(ctx);
      const buildings = scopeOf(input.buildings, community);
      const { opensAt, closesAt } = windowOf(input.opensAt, input.closesAt, noticeDaysOf(community), ctx.now);
      await checkTopic(ctx, input.topicId);
      const parts = await partsInScope(ctx.communityId, buildings);
      const frozen = freeze(ctx.communityId, parts);
      const vote: VoteDoc = {
        _id: voteId,
        communityId: ctx.communityId,
        title: input.title,
        body: input.body,
        matter: input.matter,
        buildings,
        opensAt,
        closesAt,
        snap: frozen.snap,
        eligible: frozen.eligible,
        parts: frozen.parts,
        ...(input.topicId ? { topicId: input.topicId } : {}),
        status: 'open',
        extensions: 0,
        requestDigest: requestDigest(openBody(input)),
        authorOpenid: ctx.openid,
        createdAt: ctx.now,
        updatedAt: ctx.now,
        version: 1,
      };
      await writeRoll(vote, frozen);
      if (!(await insertOnce(VOTES, vote))) {
        const stored = await requireVote(ctx, voteId);
        assertSameDigest(stored.requestDigest, openBody(input), OTHER_VOTE);
        return toDetail(ctx, stored);
      }
      await audit(ctx, {
        target: `vote:${vote._id}`,
        after: { title: vote.title, matter: vote.matter, buildings: vote.buildings, opensAt, closesAt, eligible: vote.eligible },
      });
      await publishVoteNotice(ctx, vote, 'opened', community);
      // The owners on the roll hear of it in their inbox (keyed: a retried open tells them once).
      await notify(
        ctx.communityId,
        [...new Set(parts.flatMap((p) => p.owners))],
        {
          type: 'vote.opened',
          title: `业主表决：${vote.title}`.slice(0, 40),
          body: `${longDateTime(opensAt)} 开始投票，${longDateTime(closesAt)} 截止。每户一票，提交后不能更改。`,
          link: `/packages/affairs/vote/index?id=${vote._id}`,
          key: `vote-open:${vote._id}`,
        },
        ctx.now,
      );
      return toDetail(ctx, vote);
    },
  }),

  listVotes: action({
    schema: s.listVotes,
    roles: ANY_MEMBER,
    handler: async (input, ctx) => {
      const page = input.page ?? 1;
      const { docs, hasMore } = await readPage<VoteDoc>(
        collection(VOTES).where({ communityId: ctx.communityId }).orderBy('opensAt', 'desc'),
        page,
      );
      return { items: docs.map((v) => toSummary(v, ctx.now)), page, hasMore };
    },
  }),

  getVote: action({
    schema: s.getVote,
    roles: ANY_MEMBER,
    handler: async ({ voteId }, ctx) => toDetail(ctx, await requireVote(ctx, voteId)),
  }),

  extendVote: action({
    schema: s.extendVote,
    roles: ['worker'],
    limit: 'notice',
    handler: async (input, ctx) => {
      const vote = await requireVote(ctx, input.voteId);
      if (vote.status !== 'closed' || !vote.result) throw new AppError('E_CONFLICT', '表决还没有结束计票，结束后才能延期');
      if (vote.result.quorumMet) throw new AppError('E_CONFLICT', '这项表决已达到法定参与人数和面积，结果已确定，不能延期');
      if (vote.extensions > 0) throw new AppError('E_CONFLICT', '这项表决已经延期过一次，不能再延期；如需再表决，请重新发起');
      const closesAt = checkCloses(ctx.now, new Date(input.closesAt));
      const patch = { status: 'open' as const, closesAt, extensions: 1, result: null, updatedAt: ctx.now };
      await compareAndSet(VOTES, { _id: vote._id, version: vote.version, status: 'closed' }, patch, '表决刚被修改，请刷新后重试');
      await audit(ctx, {
        target: `vote:${vote._id}`,
        before: { status: 'closed', closesAt: vote.closesAt },
        after: { status: 'open', closesAt, extensions: 1 },
      });
      const next: VoteDoc = { ...vote, status: 'open', closesAt, extensions: 1, result: undefined, version: vote.version + 1 };
      await publishVoteNotice(ctx, next, 'extended');
      return toDetail(ctx, next);
    },
  }),
};
