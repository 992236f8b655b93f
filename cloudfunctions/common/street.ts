// 街道 (sub-district): a set of communities, and its leaders, who see aggregate, comparable figures of
// those communities and nothing of any person (docs/street.md). Streets and leaders are written only
// by the platform operator (`npm run street`, scripts/street.ts), never by a function: no action
// creates, changes or lists them. A leader needs no community membership.
import { findById } from './db';

export const STREETS = 'streets';
export const STREET_LEADERS = 'street_leaders';
/** A street compares at most this many communities (each costs a fixed number of counts). */
export const MAX_STREET_COMMUNITIES = 50;

export interface StreetDoc {
  _id: string; // [a-z0-9-], chosen by the operator
  name: string;
  communityIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** One appointment per person: `_id` is the leader's openid (appointing them elsewhere moves them). */
export interface StreetLeaderDoc {
  _id: string; // openid
  streetId: string;
  /** How the console greets them (the operator types it; it is no resident's data). */
  name: string;
  appointedAt: Date;
}

/** What the router hands a leader's action (common/router.ts LeaderCtx). */
export interface LeaderAccess {
  streetId: string;
  streetName: string;
  name: string;
  communityIds: string[];
}

/** The caller's appointment with its street, or null (no appointment, or its street is gone). */
export async function leaderAccess(openid: string): Promise<LeaderAccess | null> {
  const leader = await findById<StreetLeaderDoc>(STREET_LEADERS, openid);
  if (!leader) return null;
  const street = await findById<StreetDoc>(STREETS, leader.streetId);
  if (!street) return null;
  return {
    streetId: street._id,
    streetName: street.name,
    name: leader.name,
    communityIds: street.communityIds.slice(0, MAX_STREET_COMMUNITIES),
  };
}
