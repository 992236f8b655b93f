// The stats function's contract (统计, docs/console.md): a worker's figures for the 街道 over a
// range of months — orders by month, the on-time rate, volunteer hours and the top volunteers,
// the property company's grade, votes, the ledger's statements and notice read rates. Every
// figure is read from counters kept on write or from per-month documents: never every order.
import { z } from 'zod';
import { pattern } from '../common/schema';
import type { GradeLight } from '../property/formula';

/** `2026-03`, years 2000–2099. */
const month = pattern(/^20\d{2}-(0[1-9]|1[0-2])$/, '年-月，例如 2026-03');

/** At most this many months in one answer (two years). */
export const MAX_MONTHS = 24;

export const statsSchemas = {
  /** Workers: the community's figures for the months fromMonth … toMonth (both included, ≤ 24). */
  community: z.strictObject({ fromMonth: month, toMonth: month }),
};

export interface OrderMonth {
  month: string;
  created: number;
  closed: number;
  cancelled: number;
  closedOnTime: number;
  /** closedOnTime / closed, 0–1; null without closed orders. */
  onTimeRate: number | null;
  servedMinutes: number;
  /** servedMinutes in hours, one decimal. */
  servedHours: number;
}

export interface TopVolunteer {
  rank: number;
  /** The member's name; 已注销用户 or 已离开的志愿者 when they are no member any more. */
  name: string;
  building: string;
  orders: number;
  minutes: number;
  hours: number;
}

export interface PropertyMonth {
  month: string;
  score: number | null;
  stars: number | null;
  light: GradeLight | null;
  ratingCount: number;
  onTimeRate: number | null;
  complaintRate: number | null;
  reworkRate: number | null;
}

export interface VoteRow {
  title: string;
  /** The day voting ended (YYYY-MM-DD, community clock). */
  closedOn: string;
  month: string;
  eligibleOwners: number;
  participatedOwners: number;
  /** Participating owners / eligible owners, 0–1. */
  turnout: number;
  /** Participating area / eligible area, 0–1. */
  areaTurnout: number;
  quorumMet: boolean;
  passed: boolean;
}

export interface LedgerMonth {
  month: string;
  /** Fen. */
  opening: number;
  income: number;
  expense: number;
  closing: number;
  ratingCount: number;
  /** Average of residents' ratings of the statement (1–5); null without ratings. */
  rating: number | null;
}

export interface NoticeMonth {
  month: string;
  notices: number;
  households: number;
  readHouseholds: number;
  /** readHouseholds / households, 0–1; null without an audience. */
  readRate: number | null;
}

export interface CommunityStats {
  communityName: string;
  fromMonth: string;
  toMonth: string;
  months: string[];
  orders: OrderMonth[];
  totals: { created: number; closed: number; cancelled: number; onTimeRate: number | null; servedHours: number };
  topVolunteers: TopVolunteer[];
  property: PropertyMonth[];
  votes: { held: number; passed: number; averageTurnout: number | null; items: VoteRow[]; truncated: boolean };
  ledger: LedgerMonth[];
  notices: { items: NoticeMonth[]; truncated: boolean };
}

type In<K extends keyof typeof statsSchemas> = z.input<(typeof statsSchemas)[K]>;

export interface StatsApi {
  community: { input: In<'community'>; output: CommunityStats };
}
