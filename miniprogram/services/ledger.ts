// Typed client of the `ledger` cloud function (玻璃口袋, docs/ledger.md): accounts, statements,
// entries, questions, ratings and projects as residents use them, and the workers' bookkeeping.
import type { LedgerApi } from '../../cloudfunctions/ledger/api';
import { client } from './core';

export type {
  AccountView,
  EntryView,
  PeriodView,
  ProjectView,
  QuestionView,
  StatementView,
} from '../../cloudfunctions/ledger/api';

type Input<A extends keyof LedgerApi> = LedgerApi[A]['input'];

const ledger = client<LedgerApi>('ledger');
const paged = (page: number) => (page > 1 ? { page } : {});

export const ledgerService = {
  accounts: async () => (await ledger('accounts', {})).items,
  /** Accounts with balances and the last closed month. */
  overview: () => ledger('accounts', {}),
  statement: (month: string, account?: string, page = 1) =>
    ledger('statement', { month, ...(account ? { account } : {}), ...paged(page) }),
  quarter: (quarter: string, account?: string, page = 1) =>
    ledger('quarter', { quarter, ...(account ? { account } : {}), ...paged(page) }),
  periods: (page = 1) => ledger('periods', paged(page)),
  rate: (month: string, stars: number) => ledger('rate', { month, stars }),
  entry: (entryId: string) => ledger('entry', { entryId }),
  ask: (entryId: string, question: string) => ledger('ask', { entryId, question }),
  questions: (filter: { entryId?: string; open?: boolean }, page = 1) => ledger('questions', { ...filter, ...paged(page) }),
  answer: (questionId: string, answer: string) => ledger('answer', { questionId, answer }),
  projects: (page = 1) => ledger('projects', paged(page)),
  project: (projectId: string, page = 1) => ledger('project', { projectId, ...paged(page) }),
  // Workers.
  record: (input: Input<'record'>) => ledger('record', input),
  pending: (page = 1) => ledger('pending', paged(page)),
  approve: (entryId: string) => ledger('approve', { entryId }),
  reject: (entryId: string, reason: string) => ledger('reject', { entryId, reason }),
  reverse: (entryId: string, reason: string, requestId: string) => ledger('reverse', { entryId, reason, requestId }),
  close: (month: string) => ledger('close', { month }),
  createProject: (input: Input<'createProject'>) => ledger('createProject', input),
  progress: (input: Input<'progress'>) => ledger('progress', input),
  addAccount: (name: string, requestId: string) => ledger('addAccount', { name, requestId }),
  editAccount: (input: Input<'editAccount'>) => ledger('editAccount', input),
  orderAccounts: (accounts: string[]) => ledger('orderAccounts', { accounts }),
};

/** A client request id for one form session: a retried or double-tapped create makes one record. */
export function newRequestId(): string {
  return `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
}
