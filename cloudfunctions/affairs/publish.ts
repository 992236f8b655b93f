// A vote's announcement, extension and result, published as notices (category 议事公示) through the
// notices function's own model: the tally of the audience first, then the notice, both by
// deterministic ids so that a retried open or close publishes once (docs/affairs.md).
import type { MemberCtx } from '../common/router';
import { longDateTime } from '../../miniprogram/shared/clock';
import type { CommunityDoc } from '../common/model';
import { publishPublicNotice } from '../notices/publish';
import type { VoteDoc } from './model-votes';
import { areaText, type Count, type Tally } from './tally';
import { noticeDaysOf, requireCommunity, scopeText } from './vote-store';

export type VoteNoticeKind = 'opened' | 'extended' | 'result';

/** The longest list a result notice carries in full; past it the notice points to the vote's page. */
const LIST_CHARS = 1200;
const BODY_MAX = 2000;

export const MATTER_TEXT = { ordinary: '一般事项（过半数通过）', major: '重大事项（四分之三以上通过）' } as const;

const countText = (c: Count): string => `${c.owners} 人、${areaText(c.area)} 平方米`;

function listText(label: string, items: string[]): string {
  const full = items.join('、');
  if (full.length <= LIST_CHARS) return `${label}（${items.length}）：${full || '无'}`;
  return `${label}（${items.length}）：${full.slice(0, LIST_CHARS)}…（完整名单见“议事与表决”里的表决结果）`;
}

export function resultText(vote: VoteDoc, r: Tally, houses: string[], receipts: string[]): string {
  const verdict = !r.quorumMet
    ? '参与表决的业主人数或专有部分面积未达到三分之二，表决未生效。'
    : r.passed
      ? '表决通过。'
      : '表决未通过。';
  return [
    `事项：${vote.title}（${MATTER_TEXT[vote.matter]}）`,
    `范围：${scopeText(vote.buildings)}`,
    `应参与：${countText(r.eligible)}`,
    `已参与：${countText(r.participated)}`,
    `同意：${countText(r.yes)}；反对：${countText(r.no)}；弃权：${countText(r.abstain)}`,
    `结论：${verdict}（依据《民法典》第二百七十八条）`,
    listText('已投票房屋', houses),
    listText('选票回执', receipts),
  ].join('\n');
}

function textOf(vote: VoteDoc, kind: VoteNoticeKind, noticeDays: number): { title: string; body: string } {
  const window = `投票时间：${longDateTime(vote.opensAt)} 至 ${longDateTime(vote.closesAt)}`;
  if (kind === 'opened') {
    return {
      title: `业主表决公告：${vote.title}`.slice(0, 40),
      body: [
        vote.body,
        '',
        `事项类型：${MATTER_TEXT[vote.matter]}`,
        `范围：${scopeText(vote.buildings)}（共 ${vote.parts} 套房屋、${vote.eligible.owners} 位业主，名册已在发起时确定）`,
        window,
        noticeDays > 0 ? `本公告发布 ${noticeDays} 天后开始投票。` : '',
        '已核实的业主请在“议事与表决”里投票，每位业主一票，提交后不能更改。',
      ]
        .filter((l) => l !== '')
        .join('\n')
        .slice(0, BODY_MAX),
    };
  }
  return {
    title: `业主表决延期：${vote.title}`.slice(0, 40),
    body: `上次截止时参与表决的业主未达到法定人数和面积，表决延期一次。已投的票继续有效，尚未投票的业主请在截止前投票。\n${window}`,
  };
}

/** Publishes the notice now, addressed to the vote's buildings; answers its id. */
export async function postNotice(
  ctx: MemberCtx,
  vote: VoteDoc,
  id: string,
  title: string,
  body: string,
  community?: CommunityDoc,
): Promise<string> {
  await publishPublicNotice(ctx, { _id: id, title, body: body.slice(0, BODY_MAX), buildings: vote.buildings }, community);
  return id;
}

/** The announcement of a vote just opened, or of its extension (`community` when the caller has read it). */
export async function publishVoteNotice(
  ctx: MemberCtx,
  vote: VoteDoc,
  kind: Exclude<VoteNoticeKind, 'result'>,
  community?: CommunityDoc,
): Promise<string> {
  community ??= await requireCommunity(ctx);
  const { title, body } = textOf(vote, kind, noticeDaysOf(community));
  return postNotice(ctx, vote, `n${vote._id}${kind === 'opened' ? 'a' : 'e'}`, title, body, community);
}

/** The result notice's id for the vote's current round (a vote extended once has two results). */
export const resultNoticeId = (vote: VoteDoc): string => `n${vote._id}r${vote.extensions}`;
