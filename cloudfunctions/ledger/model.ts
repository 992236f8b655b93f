// Stored documents of the ledger and their ids. Entries are inserted once and their money fields
// (account, direction, amountFen, date, summary, counterparty, pictures, basis, recorder) are never
// updated: only the approval (status pending → approved | rejected) and the one-time `reversedBy`
// mark change, each by compare-and-set (docs/ledger.md, "Never edited").
import { createHash } from 'crypto';
import type { CounterpartyKind, Direction, EntryStatus } from './api';

export const ACCOUNTS = 'ledger_accounts';
export const ENTRIES = 'ledger_entries';
export const BOOKS = 'ledger_books';
export const PERIODS = 'ledger_periods';
export const QUESTIONS = 'ledger_questions';
export const RATINGS = 'ledger_ratings';
export const PROJECTS = 'ledger_projects';

export interface AccountDoc {
  _id: string; // `${communityId}:${key}`
  communityId: string;
  name: string;
  /** Position in the community's list. */
  order: number;
  /** A disabled account takes no new entries but keeps its statements (never deleted). */
  disabled?: boolean;
  /** Added by a worker (`addAccount`): the fingerprint of what it asked (a repeat finds it). */
  requestDigest?: string;
  createdAt: Date;
  /** Bumped by every rename, disable or enable (compare-and-set); absent on the default four until edited. */
  version?: number;
}

export const accountIdFor = (communityId: string, requestId: string): string =>
  `${communityId}:a${hash(`${communityId}\n${requestId}`, 16)}`;

export interface EntryDoc {
  _id: string; // entryIdFor(communityId, requestId)
  communityId: string;
  accountId: string;
  direction: Direction;
  amountFen: number;
  /** The business day on the community's clock, and its month (what statements select on). */
  date: string;
  month: string;
  summary: string;
  counterparty?: string;
  counterpartyKind?: CounterpartyKind;
  receipts: string[];
  contracts: string[];
  basis?: string;
  projectId?: string;
  recordedBy: string;
  recordedByName: string;
  status: EntryStatus;
  approvedBy?: string;
  approvedByName?: string;
  approvedAt?: Date;
  rejectReason?: string;
  /** A reversing entry: the one it reverses, and why. */
  reverses?: string;
  reason?: string;
  /** Set once, when a reversing entry is made for this one. */
  reversedBy: string | null;
  /** Fingerprint of what the request asked (common/request.ts). */
  requestDigest: string;
  createdAt: Date;
  version: number;
}

/** One per community: the last closed month; every month up to it takes no entries. */
export interface BookDoc {
  _id: string; // communityId
  communityId: string;
  closedThrough: string | null;
  version: number;
}

/** A closed month: its statement's totals (all accounts) as published, and its ratings. */
export interface PeriodDoc {
  _id: string; // `${communityId}:${month}`
  communityId: string;
  month: string;
  opening: number;
  income: number;
  expense: number;
  closing: number;
  noticeId: string;
  closedBy: string;
  closedAt: Date;
  ratingCount: number;
  ratingSum: number;
  /**
   * Each account's balance at the end of the month (every approved entry up to it). A closed month
   * never changes, so a statement starts from the latest stored balances before its first month
   * instead of recounting the whole book. Absent on periods closed before balances were kept.
   */
  balances?: { account: string; closing: number }[];
}

export interface QuestionDoc {
  _id: string;
  communityId: string;
  entryId: string;
  askedBy: string;
  question: string;
  status: 'open' | 'answered';
  askedAt: Date;
  dueAt: Date;
  answer?: string;
  answeredBy?: string;
  answeredByName?: string;
  answeredAt?: Date;
  /** The timer's markers (sweep.ts): when the question turns yellow and red; cleared once told or answered. */
  yellowDue?: Date | null;
  redDue?: Date | null;
  version: number;
}

export interface RatingDoc {
  _id: string; // `${communityId}:${month}:${openid}`
  communityId: string;
  month: string;
  openid: string;
  stars: number;
  at: Date;
}

const hash = (text: string, n: number) => createHash('sha256').update(text).digest('hex').slice(0, n);

export interface ProgressNote {
  id: string; // from the request id: a repeat finds it
  note: string;
  pictures: string[];
  by: string;
  byName: string;
  at: Date;
}

export interface ProjectDoc {
  _id: string; // `lp_` + hash(community, request id)
  communityId: string;
  name: string;
  plan?: string;
  basis?: string;
  budgetFen: number;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  /** Appended, oldest first; at most PROGRESS_MAX. */
  progress: ProgressNote[];
  requestDigest: string;
  version: number;
}

export const PROGRESS_MAX = 100;
export const projectIdFor = (communityId: string, requestId: string): string => `lp_${hash(`${communityId}\n${requestId}`, 32)}`;
export const noteIdFor = (requestId: string): string => hash(requestId, 16);

/** Deterministic from the community and the request id: a repeat lands on the same entry, whoever sends it. */
export const entryIdFor = (communityId: string, requestId: string): string => `le_${hash(`${communityId}\n${requestId}`, 32)}`;
export const periodId = (communityId: string, month: string): string => `${communityId}:${month}`;
export const ratingId = (communityId: string, month: string, openid: string): string => `${communityId}:${month}:${openid}`;
/** The notice a closed month publishes: one per community and month. */
export const statementNoticeId = (communityId: string, month: string): string =>
  `n${hash(`ledger\n${communityId}\n${month}`, 20)}`;

/** The default accounts every community starts with (seeded for the demo; created on first read elsewhere). */
export const DEFAULT_ACCOUNTS: { key: string; name: string }[] = [
  { key: 'public', name: '公共收益' },
  { key: 'repair', name: '维修资金' },
  { key: 'grant', name: '专项补助' },
  { key: 'donation', name: '捐赠' },
];

export const accountDocs = (communityId: string, now: Date): AccountDoc[] =>
  DEFAULT_ACCOUNTS.map((a, order) => ({ _id: `${communityId}:${a.key}`, communityId, name: a.name, order, createdAt: now }));

/** How long a question may wait for its answer (docs/ledger.md): 3 days; yellow from 80 %. */
export const ANSWER_LIMIT_MS = 3 * 24 * 3600_000;
export const YELLOW_AT = 0.8;
