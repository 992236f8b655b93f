// The street function's contract (街道, docs/street.md): a street leader's read-only view comparing
// the communities of their street — counts and rates only, never a person's name, room, phone, an
// order's text or a vote. The console imports these types with `import type` only.
import { z } from 'zod';
import { pattern } from '../common/schema';

/** `2026-03`, years 2000–2099: a month of the community clock. */
export const month = pattern(/^20\d{2}-(0[1-9]|1[0-2])$/, '年-月，例如 2026-03');

export const streetSchemas = {
  /** The leader: who they are and which street they see. */
  me: z.strictObject({}),
  /** The leader: each community's figures for a month (default: the current one). */
  overview: z.strictObject({ month: month.optional() }),
};

export interface StreetMe {
  streetId: string;
  streetName: string;
  /** The leader's name as the operator appointed them. */
  name: string;
  communityCount: number;
}

/** Figures a red cell marks (docs/street.md, "Red figures"). */
export type FigureKey = 'redNow' | 'onTimeRate' | 'ratingAverage' | 'noticeReadRate' | 'propertyStars' | 'openQuestions';

/** One community's figures: counts and rates, nothing about a person. Rates are 0–1, null without data. */
export interface CommunityFigures {
  communityId: string;
  name: string;
  membersActive: number;
  membersPending: number;
  volunteersOnDuty: number;
  /** Orders placed in the month, and of those how many are closed (已办结) now. */
  ordersCreated: number;
  ordersClosed: number;
  /** Of the month's orders served so far, the share finished inside the serve step's time. */
  onTimeRate: number | null;
  /** Orders whose running step is past its time limit, now. */
  redNow: number;
  /** Stars of the month's rated orders. */
  ratingAverage: number | null;
  ratingCount: number;
  /** Households that opened the month's notices / households they were sent to (the latest 20 notices). */
  noticeReadRate: number | null;
  notices: number;
  /** The latest published property grade (评星定级); null when none is published. */
  propertyMonth: string | null;
  propertyStars: number | null;
  propertyLight: 'green' | 'yellow' | 'red' | null;
  /** Topics not yet done or declined (征集 to 落实), and owners' votes open now. */
  openTopics: number;
  openVotes: number;
  /** Residents' questions on the community's accounts (玻璃口袋) not answered yet. */
  openQuestions: number;
  /** Which figures are red (docs/street.md). */
  red: FigureKey[];
}

export interface StreetOverview {
  streetId: string;
  streetName: string;
  month: string;
  /** When the figures were counted (ISO). */
  asOf: string;
  communities: CommunityFigures[];
}

type In<K extends keyof typeof streetSchemas> = z.input<(typeof streetSchemas)[K]>;

export interface StreetApi {
  me: { input: In<'me'>; output: StreetMe };
  overview: { input: In<'overview'>; output: StreetOverview };
}
