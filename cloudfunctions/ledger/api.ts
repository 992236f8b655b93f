// The ledger function's contract (玻璃口袋, docs/ledger.md): the community's accounts, entries that
// are never edited or deleted (a mistake is reversed), statements by month and quarter, closing a
// period, and residents' questions and ratings. Amounts are integer fen. The mini-program imports
// these types with `import type`; zod never ships to the client.
import { z } from 'zod';
import { dateText, id, mark, optionalText, page, pattern, picture, requestId, text, type Page } from '../common/schema';

export const DIRECTIONS = ['in', 'out'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Whether the other side is a person (masked for residents) or an organisation (shown). */
export const COUNTERPARTY_KINDS = ['person', 'org'] as const;
export type CounterpartyKind = (typeof COUNTERPARTY_KINDS)[number];

/** 1 亿元: no single entry of a community's account is larger; sums stay far below 2^53. */
export const MAX_AMOUNT_FEN = 10_000_000_000;
export const PICTURES_MAX = 9;
/** At most this many accounts in a community (disabled ones count: they are never deleted). */
export const ACCOUNTS_MAX = 20;

/** `2026-03`, years 2000–2099. */
export const month = pattern(/^20\d{2}-(0[1-9]|1[0-2])$/, '年-月，例如 2026-03');
/** `2026-Q1`. */
export const quarter = pattern(/^20\d{2}-Q[1-4]$/, '年-季度，例如 2026-Q1');

const amountFen = mark(z.number().int().positive().max(MAX_AMOUNT_FEN), {
  kind: 'closed',
  allowed: `1 到 ${MAX_AMOUNT_FEN} 之间的整数（单位：分）`,
});
const pictures = z.array(picture('图片需要先上传，请重新选择图片')).max(PICTURES_MAX).optional();

export const ledgerSchemas = {
  accounts: z.strictObject({}),
  /** Workers: a new account at the end of the list (repeatable by request id). */
  addAccount: z.strictObject({ name: text(20, { label: '账户名称' }), requestId }),
  /** Workers: rename, disable (no new entries; statements stay) or enable again. Never delete. */
  editAccount: z.strictObject({
    accountId: id,
    name: text(20, { label: '账户名称' }).optional(),
    disabled: z.boolean().optional(),
  }),
  /** Workers: every account of the community, in the new order. */
  orderAccounts: z.strictObject({ accounts: z.array(id).min(1).max(ACCOUNTS_MAX) }),
  /** Workers: one entry, pending until a second worker approves it. */
  record: z.strictObject({
    account: id,
    direction: z.enum(DIRECTIONS),
    amountFen,
    date: dateText('日期格式不对，应为真实的日期，例如 2026-03-05'),
    summary: text(100, { label: '摘要' }),
    counterparty: optionalText(50, { label: '收付款方', scene: 1 }),
    counterpartyKind: z.enum(COUNTERPARTY_KINDS).optional(),
    receipts: pictures,
    contracts: pictures,
    /** The decision or vote that allowed it: free text, or a vote's id. */
    basis: optionalText(200, { label: '依据' }),
    /** The project (方案) the entry is charged to. */
    project: id.optional(),
    requestId,
  }),
  /** Workers other than the entry's recorder. */
  approve: z.strictObject({ entryId: id }),
  /** Workers: a pending entry that should not count (never approved); it stays in the book. */
  reject: z.strictObject({ entryId: id, reason: text(100, { label: '退回原因' }) }),
  /** Workers: a reversing entry, dated today, pointing at an approved one. */
  reverse: z.strictObject({ entryId: id, reason: text(100, { label: '冲销原因' }), requestId }),
  entry: z.strictObject({ entryId: id }),
  /** Workers: entries awaiting approval, oldest first. */
  pending: z.strictObject({ page }),
  statement: z.strictObject({ month, account: id.optional(), page }),
  quarter: z.strictObject({ quarter, account: id.optional(), page }),
  /** Workers: closes the month (and every earlier one) and publishes its statement as a notice. */
  close: z.strictObject({ month }),
  periods: z.strictObject({ page }),
  ask: z.strictObject({ entryId: id, question: text(200, { label: '问题', multiline: true }) }),
  answer: z.strictObject({ questionId: id, answer: text(500, { label: '回复', multiline: true }) }),
  questions: z.strictObject({ entryId: id.optional(), open: z.boolean().optional(), page }),
  /** Members: once per member and closed month. */
  rate: z.strictObject({ month, stars: z.number().int().min(1).max(5) }),
  /** Workers: a project (方案) with its budget; entries are charged to it by `record {project}`. */
  createProject: z.strictObject({
    name: text(40, { label: '项目名称' }),
    budgetFen: amountFen,
    plan: optionalText(1000, { label: '方案说明', multiline: true }),
    basis: optionalText(200, { label: '依据' }),
    requestId,
  }),
  projects: z.strictObject({ page }),
  project: z.strictObject({ projectId: id, page }),
  /** Workers: a progress note with pictures (进度公开), appended; notes are never edited. */
  progress: z.strictObject({
    projectId: id,
    note: text(500, { label: '进度说明', multiline: true }),
    pictures,
    requestId,
  }),
};

export type EntryStatus = 'pending' | 'approved' | 'rejected';
export type Light = 'green' | 'yellow' | 'red';

export interface AccountView {
  _id: string;
  name: string;
  /** Takes no new entries; its statements stay. */
  disabled?: boolean;
  /** `accounts` only: the balance of every approved entry so far, in fen. */
  balanceFen?: number;
}

export interface EntryView {
  _id: string;
  account: string;
  accountName: string;
  direction: Direction;
  amountFen: number;
  date: string;
  summary: string;
  /** For residents a person shows as 个人; organisations by name. */
  counterparty?: string;
  counterpartyKind?: CounterpartyKind;
  /** Residents see receipts and contracts only of organisations; the count always. */
  receipts: string[];
  contracts: string[];
  pictureCount: number;
  basis?: string;
  status: EntryStatus;
  recordedByName: string;
  approvedByName?: string;
  /** This entry reverses that one. */
  reverses?: string;
  /** This entry was reversed by that one. */
  reversedBy?: string;
  reason?: string;
  project?: string;
  createdAt: string;
}

export interface StatementView {
  /** `2026-03` or `2026-Q1`. */
  period: string;
  from: string;
  to: string;
  account: string | null;
  opening: number;
  income: number;
  expense: number;
  closing: number;
  /** The period's approved entries, 20 a page, by date. */
  items: EntryView[];
  page: number;
  hasMore: boolean;
  /** Closed: no new entries, published as a notice. */
  closed: boolean;
  noticeId?: string;
  rating?: { count: number; average: number; mine?: number };
}

export interface PeriodView {
  month: string;
  closedAt: string;
  noticeId: string;
  opening: number;
  income: number;
  expense: number;
  closing: number;
  rating: { count: number; average: number };
}

export interface QuestionView {
  _id: string;
  entryId: string;
  question: string;
  /** The asker is never named to others; `mine` marks the caller's own. */
  mine: boolean;
  status: 'open' | 'answered';
  answer?: string;
  answeredByName?: string;
  askedAt: string;
  dueAt: string;
  answeredAt?: string;
  /** While open: how close to the answer's time limit. */
  light?: Light;
}

export interface ProgressView {
  id: string;
  note: string;
  pictures: string[];
  byName: string;
  at: string;
}

export interface ProjectView {
  _id: string;
  name: string;
  plan?: string;
  basis?: string;
  budgetFen: number;
  /** Approved spending charged to it, net of reversals and refunds. */
  spentFen: number;
  /** spent / budget, in whole per cent. */
  percent: number;
  createdByName: string;
  createdAt: string;
  progress: ProgressView[];
}

type In<K extends keyof typeof ledgerSchemas> = z.input<(typeof ledgerSchemas)[K]>;

export interface LedgerApi {
  /** Every account with its balance; `closedThrough`: the last closed month (null: none yet). */
  accounts: { input: In<'accounts'>; output: { items: AccountView[]; closedThrough: string | null } };
  addAccount: { input: In<'addAccount'>; output: AccountView };
  editAccount: { input: In<'editAccount'>; output: AccountView };
  orderAccounts: { input: In<'orderAccounts'>; output: { items: AccountView[] } };
  record: { input: In<'record'>; output: EntryView };
  approve: { input: In<'approve'>; output: EntryView };
  reject: { input: In<'reject'>; output: EntryView };
  reverse: { input: In<'reverse'>; output: EntryView };
  entry: { input: In<'entry'>; output: EntryView };
  pending: { input: In<'pending'>; output: Page<EntryView> };
  statement: { input: In<'statement'>; output: StatementView };
  quarter: { input: In<'quarter'>; output: StatementView };
  close: { input: In<'close'>; output: PeriodView };
  periods: { input: In<'periods'>; output: Page<PeriodView> };
  ask: { input: In<'ask'>; output: QuestionView };
  answer: { input: In<'answer'>; output: QuestionView };
  questions: { input: In<'questions'>; output: Page<QuestionView> };
  rate: { input: In<'rate'>; output: { month: string; stars: number; count: number; average: number } };
  createProject: { input: In<'createProject'>; output: ProjectView };
  projects: { input: In<'projects'>; output: Page<ProjectView> };
  /** The project and a page of the approved entries charged to it. */
  project: { input: In<'project'>; output: ProjectView & { items: EntryView[]; page: number; hasMore: boolean } };
  progress: { input: In<'progress'>; output: ProjectView };
}
