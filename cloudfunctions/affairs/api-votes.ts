// The register of exclusive parts (专有部分) and owners' votes (业主表决, 民法典 第278条).
import { z } from 'zod';
import { choice, id, instantText, optionalChoice, page, pattern, picture, requestId, text, type Page } from '../common/schema';
import type { Count, Tally } from './tally';

export const MATTERS = ['ordinary', 'major'] as const;
export type VoteMatter = (typeof MATTERS)[number];
export const CHOICES = ['yes', 'no', 'abstain'] as const;
export type VoteChoice = (typeof CHOICES)[number];

/** Derived from the stored status and the clock. */
export type VoteState = 'announced' | 'open' | 'ended' | 'closed';

export type { Count, Tally };

/** Rows one import call takes. */
export const IMPORT_MAX = 200;
export const VOTE_TITLE_MAX = 40;
export const VOTE_BODY_MAX = 2000;

const area = pattern(/^\d{1,6}(\.\d{1,2})?$/, '建筑面积（平方米），最多两位小数，例如 89.56');
const holder = pattern(/^[A-Za-z0-9\-]{1,32}$/, '产权人编号：字母、数字或连字符，最多 32 位');
const openid = pattern(/^[A-Za-z0-9_\-]{1,64}$/, '系统给出的成员编号');

/** As the housing register writes it: not free text, so an import is not content-checked row by row. */
const room = pattern(/^[A-Za-z0-9\u4e00-\u9fa5\-]{1,20}$/, '房号：汉字、字母、数字或连字符，最多 20 个字，例如 1201');

const partRow = z.strictObject({
  building: choice(20),
  room,
  area,
  holder: holder.optional(),
  developer: z.boolean().optional(),
});

export const voteSchemas = {
  /** Adds parts or updates their area, holder and developer flag (by building + room). */
  importParts: z.strictObject({ rows: z.array(partRow).min(1).max(IMPORT_MAX) }),
  listParts: z.strictObject({ building: optionalChoice(20), page }),
  verifyOwner: z.strictObject({ partId: id, openid }),
  removeOwner: z.strictObject({ partId: id, openid }),
  myParts: z.strictObject({}),

  openVote: z.strictObject({
    title: text(VOTE_TITLE_MAX, { label: '标题', scene: 3 }),
    body: text(VOTE_BODY_MAX, { label: '正文', scene: 3, multiline: true }),
    matter: z.enum(MATTERS),
    buildings: z.array(choice(20)).max(100).optional(),
    opensAt: instantText('开始投票时间').optional(),
    closesAt: instantText('截止时间'),
    requestId,
    topicId: id.optional(),
  }),
  listVotes: z.strictObject({ page }),
  getVote: z.strictObject({ voteId: id }),
  cast: z.strictObject({ voteId: id, choice: z.enum(CHOICES) }),
  /** For an owner who signed an authorisation: the picture of it is kept with the ballot. */
  castProxy: z.strictObject({
    voteId: id,
    partId: id,
    choice: z.enum(CHOICES),
    authorization: picture('授权委托书照片需要先上传，请重新选择照片'),
  }),
  tally: z.strictObject({ voteId: id }),
  closeVote: z.strictObject({ voteId: id }),
  /** A vote closed without quorum reopens once, until the new closesAt. */
  extendVote: z.strictObject({ voteId: id, closesAt: instantText('截止时间') }),
  /** The published lists of a closed vote: houses that voted and receipts, never names or choices. */
  voteResult: z.strictObject({ voteId: id }),
};

type In<A extends keyof typeof voteSchemas> = z.input<(typeof voteSchemas)[A]>;

export interface PartOwnerView {
  openid: string;
  name: string;
}

export interface PartView {
  _id: string;
  building: string;
  room: string;
  /** m², as registered ("89.56"). */
  area: string;
  holder?: string;
  developer: boolean;
  /** Workers only: the verified owners. */
  owners?: PartOwnerView[];
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

export interface VoteSummary {
  _id: string;
  title: string;
  matter: VoteMatter;
  state: VoteState;
  opensAt: string;
  closesAt: string;
  /** 全体业主, or 1栋、2栋 */
  scopeText: string;
}

export type VoteList = Page<VoteSummary>;

/** The caller's place in a vote. */
export interface MyVoteView {
  /** On the frozen roll of this vote. */
  eligible: boolean;
  /** Why not, in a sentence (a tenant, not verified, outside the scope). */
  reason?: string;
  /** Houses the caller's ballot counts for. */
  houses: string[];
  /** The caller's owner group has voted (by them, a co-owner or a proxy). */
  voted: boolean;
  /** The receipt, when the caller cast it (or as proxy). */
  receipt?: string;
  /** The choice, only to whoever cast it. */
  choice?: VoteChoice;
  proxy?: boolean;
  /** Ballots the caller cast as proxy in this vote. */
  proxyCount: number;
}

export interface VoteDetail extends VoteSummary {
  body: string;
  buildings: string[];
  eligible: Count;
  parts: number;
  extensions: number;
  canExtend: boolean;
  topicId?: string;
  noticeId?: string;
  /** Set once closed. */
  result?: Tally;
  my: MyVoteView;
  maxProxy: number;
  /** The caller is a worker of the community: may close, extend and see the running tally. */
  canManage: boolean;
}

export interface VoteResultView {
  result: Tally;
  /** Houses whose owners voted, sorted. */
  houses: string[];
  /** Every ballot's receipt, sorted: an owner finds theirs. */
  receipts: string[];
  noticeId?: string;
}

export interface VotesApi {
  importParts: { input: In<'importParts'>; output: ImportResult };
  listParts: { input: In<'listParts'>; output: Page<PartView> };
  verifyOwner: { input: In<'verifyOwner'>; output: PartView };
  removeOwner: { input: In<'removeOwner'>; output: PartView };
  myParts: { input: In<'myParts'>; output: { items: PartView[] } };
  openVote: { input: In<'openVote'>; output: VoteDetail };
  listVotes: { input: In<'listVotes'>; output: VoteList };
  getVote: { input: In<'getVote'>; output: VoteDetail };
  cast: { input: In<'cast'>; output: { receipt: string } };
  castProxy: { input: In<'castProxy'>; output: { receipt: string } };
  tally: { input: In<'tally'>; output: Tally };
  closeVote: { input: In<'closeVote'>; output: VoteDetail };
  extendVote: { input: In<'extendVote'>; output: VoteDetail };
  voteResult: { input: In<'voteResult'>; output: VoteResultView };
}
