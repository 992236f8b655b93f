// Typed client of the `affairs` cloud function (议事与表决). One service object per part, so the
// parts grow apart: topicsService (议题), votesService (register and owners' votes),
// consultService (意见征询).
import type { AffairsApi } from '../../cloudfunctions/affairs/api';
import { client } from './core';

export type { VoteList, VoteState, VoteSummary } from '../../cloudfunctions/affairs/api';

const affairs = client<AffairsApi>('affairs');

/** 议题 (filled by the topics part). */
export const topicsService = {};

/** The register of exclusive parts and owners' votes. */
export const votesService = {
  listVotes: (page?: number) => affairs('listVotes', page ? { page } : {}),
};

/** 意见征询. */
export const consultService = {};

/** A client request id for one form session: a retried or double-tapped create makes one record. */
export function newRequestId(): string {
  return `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
}
