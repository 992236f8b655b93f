// The register of exclusive parts (专有部分) and owners' votes (业主表决, 民法典 第278条).
import { z } from 'zod';
import { page, type Page } from '../common/schema';

export const VOTE_STATES = ['announced', 'open', 'closed'] as const;
export type VoteState = (typeof VOTE_STATES)[number];

export const voteSchemas = {
  listVotes: z.strictObject({ page }),
};

type In<A extends keyof typeof voteSchemas> = z.input<(typeof voteSchemas)[A]>;

export interface VoteSummary {
  _id: string;
  title: string;
  matter: 'ordinary' | 'major';
  state: VoteState;
  opensAt: string;
  closesAt: string;
}

export type VoteList = Page<VoteSummary>;

export interface VotesApi {
  listVotes: { input: In<'listVotes'>; output: VoteList };
}
