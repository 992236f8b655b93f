// Typed client of the `affairs` cloud function (议事与表决). One service object per part, so the
// parts grow apart: topicsService (议题), votesService (register and owners' votes),
// consultService (意见征询).
import type { AffairsApi } from '../../cloudfunctions/affairs/api';
import { client } from './core';

export type {
  ConsultDetail,
  ConsultSummary,
  Count,
  ImportResult,
  PartView,
  Tally,
  VoteChoice,
  VoteDetail,
  VoteList,
  VoteMatter,
  VoteResultView,
  VoteState,
  VoteSummary,
  TopicComment,
  TopicDetail,
  TopicStatus,
  TopicStep,
  TopicSummary,
  TopicTab,
  TopicTimelineEntry,
} from '../../cloudfunctions/affairs/api';

const affairs = client<AffairsApi>('affairs');

type TopicIn<A extends keyof AffairsApi> = AffairsApi[A]['input'];

/** 议题 (线上议事): propose, 附议, comment, the lists, and the workers' steps of 民主协商五步工作法. */
export const topicsService = {
  propose: (input: TopicIn<'propose'>) => affairs('propose', input),
  second: (topicId: string) => affairs('second', { topicId }),
  comment: (topicId: string, text: string, requestId: string) => affairs('comment', { topicId, text, requestId }),
  list: (input: TopicIn<'listTopics'> = {}) => affairs('listTopics', input),
  get: (topicId: string) => affairs('getTopic', { topicId }),
  comments: (topicId: string, page?: number) => affairs('listComments', page ? { topicId, page } : { topicId }),
  accept: (input: TopicIn<'acceptTopic'>) => affairs('acceptTopic', input),
  schedule: (input: TopicIn<'scheduleMeeting'>) => affairs('scheduleMeeting', input),
  minutes: (input: TopicIn<'postMinutes'>) => affairs('postMinutes', input),
  decide: (input: TopicIn<'decideTopic'>) => affairs('decideTopic', input),
  decline: (input: TopicIn<'declineTopic'>) => affairs('declineTopic', input),
  progress: (input: TopicIn<'reportProgress'>) => affairs('reportProgress', input),
  finish: (input: TopicIn<'finishTopic'>) => affairs('finishTopic', input),
};

/** The register of exclusive parts and owners' votes. */
export const votesService = {
  listVotes: (page?: number) => affairs('listVotes', page ? { page } : {}),
  get: (voteId: string) => affairs('getVote', { voteId }),
  open: (input: AffairsApi['openVote']['input']) => affairs('openVote', input),
  cast: (voteId: string, choice: 'yes' | 'no' | 'abstain') => affairs('cast', { voteId, choice }),
  castProxy: (input: AffairsApi['castProxy']['input']) => affairs('castProxy', input),
  tally: (voteId: string) => affairs('tally', { voteId }),
  close: (voteId: string) => affairs('closeVote', { voteId }),
  extend: (voteId: string, closesAt: string) => affairs('extendVote', { voteId, closesAt }),
  result: (voteId: string) => affairs('voteResult', { voteId }),
  importParts: (rows: AffairsApi['importParts']['input']['rows']) => affairs('importParts', { rows }),
  listParts: (page?: number, building?: string) =>
    affairs('listParts', { ...(page ? { page } : {}), ...(building ? { building } : {}) }),
  verifyOwner: (partId: string, openid: string) => affairs('verifyOwner', { partId, openid }),
  removeOwner: (partId: string, openid: string) => affairs('removeOwner', { partId, openid }),
  myParts: () => affairs('myParts', {}),
};

/** 意见征询. */
export const consultService = {
  list: (page?: number) => affairs('listConsults', page ? { page } : {}),
  get: (consultId: string) => affairs('getConsult', { consultId }),
  create: (input: AffairsApi['createConsult']['input']) => affairs('createConsult', input),
  answer: (consultId: string, option: number) => affairs('answerConsult', { consultId, option }),
  close: (consultId: string) => affairs('closeConsult', { consultId }),
};

/** A client request id for one form session: a retried or double-tapped create makes one record. */
export function newRequestId(): string {
  return `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
}
