// Reading votes, their frozen roll and their ballots; the views pages get.
import { collection, findById, getAll } from '../common/db';
import { AppError } from '../common/errors';
import { buildingsOf, type CommunityDoc } from '../common/model';
import type { MemberCtx } from '../common/router';
import { shortList } from '../common/validation';
import type { VoteState, VoteSummary } from './api-votes';
import { BALLOTS, DEFAULT_NOTICE_DAYS, VOTES, type BallotDoc, type VoteDoc } from './model-votes';

export const VOTE_MISSING = '这项表决不存在或已被删除';
export const PART_MISSING = '登记表里没有这套房屋，请刷新后重试';
const READ_BATCH = 1000;

export { requireCommunity } from '../notices/store';

/** Days a vote must be announced before voting starts (民法典 第278条 leaves it to the rules; 15 unless set). */
export const noticeDaysOf = (community: Pick<CommunityDoc, 'voteNoticeDays'>): number =>
  typeof community.voteNoticeDays === 'number' && community.voteNoticeDays >= 0 ? community.voteNoticeDays : DEFAULT_NOTICE_DAYS;

/** Votes of the caller's community; another community's is missing, with the same message. */
export async function requireVote(ctx: MemberCtx, voteId: string): Promise<VoteDoc> {
  const vote = await findById<VoteDoc>(VOTES, voteId);
  if (!vote || vote.communityId !== ctx.communityId) throw new AppError('E_NOT_FOUND', VOTE_MISSING);
  return vote;
}

export function stateOf(vote: VoteDoc, now: Date): VoteState {
  if (vote.status === 'closed') return 'closed';
  if (now < vote.opensAt) return 'announced';
  if (now < vote.closesAt) return 'open';
  return 'ended';
}

/** The buildings chosen, checked against the community, in community order. */
export function scopeOf(chosen: string[] | undefined, community: CommunityDoc): string[] {
  const all = buildingsOf(community);
  const set = [...new Set(chosen ?? [])];
  const unknown = set.filter((b) => !all.includes(b));
  if (unknown.length) throw new AppError('E_VALIDATION', `楼栋「${shortList(unknown)}」不在本社区，请重新选择`);
  return all.filter((b) => set.includes(b));
}

export const scopeText = (buildings: string[]): string => (buildings.length ? `${buildings.join('、')}业主` : '全体业主');

export const toSummary = (v: VoteDoc, now: Date): VoteSummary => ({
  _id: v._id,
  title: v.title,
  matter: v.matter,
  state: stateOf(v, now),
  opensAt: v.opensAt.toISOString(),
  closesAt: v.closesAt.toISOString(),
  scopeText: scopeText(v.buildings),
});

/** Every ballot of a vote, a thousand a call, in owner-group order (one ballot per group). */
export async function allBallots(voteId: string): Promise<BallotDoc[]> {
  const out: BallotDoc[] = [];
  for (let skip = 0; ; skip += READ_BATCH) {
    const docs = await getAll<BallotDoc>(
      collection(BALLOTS).where({ voteId }).orderBy('group', 'asc').skip(skip).limit(READ_BATCH),
    );
    out.push(...docs);
    if (docs.length < READ_BATCH) return out;
  }
}
