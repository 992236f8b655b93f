// Stored documents of the register and of owners' votes (docs/affairs.md, "Owners' votes").
import crypto from 'crypto';
import type { Choice, Count, Matter, Tally } from './tally';

export const PARTS = 'parts';
export const VOTES = 'votes';
export const VOTE_GROUPS = 'vote_groups';
export const VOTE_VOTERS = 'vote_voters';
export const BALLOTS = 'ballots';
export const PROXY_SLOTS = 'proxy_slots';

const sha = (text: string, n: number): string => crypto.createHash('sha256').update(text).digest('hex').slice(0, n);

/** One exclusive part (专有部分) of the register. */
export interface PartDoc {
  _id: string; // partId(communityId, building, room)
  communityId: string;
  building: string;
  room: string;
  /** Registered area in 0.01 m². */
  area: number;
  /** The register's title-holder number (产权人编号): parts with the same one are one buyer. */
  holder?: string;
  /** Unsold, held by the developer. */
  developer: boolean;
  /** Openids of the members a worker verified as owners of this part. */
  owners: string[];
  updatedAt: Date;
  version: number;
}

export const partId = (communityId: string, building: string, room: string): string =>
  `p${sha(`${communityId}\u0000${building}\u0000${room.trim()}`, 20)}`;

/**
 * What a vote stores of a person: a key that links their frozen roll entry and their ballot to
 * each other and to no openid (an erased member leaves nothing here to find).
 */
export const voterKey = (communityId: string, openid: string): string =>
  `v${sha(`${communityId}\u0000voter\u0000${openid}`, 24)}`;

export type VoteStatus = 'open' | 'closed';

export interface VoteDoc {
  _id: string;
  communityId: string;
  title: string;
  body: string;
  matter: Matter;
  /** Chosen buildings in community order; empty for the whole community. */
  buildings: string[];
  opensAt: Date;
  closesAt: Date;
  /** The frozen register's fingerprint: the roll documents' ids carry it. */
  snap: string;
  eligible: Count;
  /** Parts in scope (houses), for the page. */
  parts: number;
  topicId?: string;
  status: VoteStatus;
  /** Set when closed: the counted result, final. */
  result?: Tally;
  /** Times a vote without quorum at close was reopened (at most once). */
  extensions: number;
  /** The notice that published the result. */
  noticeId?: string;
  requestDigest: string;
  authorOpenid: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** One owner of the frozen roll: their parts, summed area and verified owners (voter keys). */
export interface VoteGroupDoc {
  _id: string; // `${voteId}:${snap}:${key}`
  voteId: string;
  communityId: string;
  key: string;
  partIds: string[];
  /** 1栋 101 … : what the published result lists for a ballot. */
  houses: string[];
  area: number;
  developer: boolean;
  voters: string[];
}

/** A verified owner's entry in the frozen roll: the one lookup `cast` makes. */
export interface VoteVoterDoc {
  _id: string; // `${voteId}:${snap}:${voterKey}`
  voteId: string;
  communityId: string;
  group: string;
}

/** One per owner (group) and vote: its _id makes concurrent casts one. Final. */
export interface BallotDoc {
  _id: string; // ballotId(voteId, group)
  voteId: string;
  communityId: string;
  group: string;
  choice: Choice;
  area: number;
  houses: string[];
  /** Random, shown to the owner and published in a sorted list: no link to a choice or a house. */
  receipt: string;
  proxy: boolean;
  /** The voter key of who cast it (the owner, or the proxy). */
  castBy: string;
  /** The signed authorisation of a proxy ballot. */
  authorization?: string;
  castAt: Date;
}

export const ballotId = (voteId: string, group: string): string => `${voteId}:${group}`;
export const groupDocId = (vote: Pick<VoteDoc, '_id' | 'snap'>, key: string): string => `${vote._id}:${vote.snap}:${key}`;
export const voterDocId = (vote: Pick<VoteDoc, '_id' | 'snap'>, key: string): string => `${vote._id}:${vote.snap}:${key}`;

/** A proxy's numbered places in a vote (at most MAX_PROXY_BALLOTS), claimed one each. */
export interface ProxySlotDoc {
  _id: string; // `${voteId}:${proxyKey}:${n}`
  voteId: string;
  communityId: string;
  /** The proxy's voter key. */
  proxy: string;
  ballotId: string;
  at: Date;
}

/** How many owners one person may cast for in one vote (docs/affairs.md). */
export const MAX_PROXY_BALLOTS = 3;
/** The notice period when the community sets none (docs/affairs.md). */
export const DEFAULT_NOTICE_DAYS = 15;
/** The longest voting window. */
export const MAX_WINDOW_DAYS = 90;
/** The shortest voting window. */
export const MIN_WINDOW_HOURS = 1;
