// Typed client of the `ledger` cloud function (玻璃口袋, docs/ledger.md): accounts, statements,
// questions and ratings as residents use them.
import type { LedgerApi } from '../../cloudfunctions/ledger/api';
import { client } from './core';

export type { AccountView, EntryView, StatementView } from '../../cloudfunctions/ledger/api';

const ledger = client<LedgerApi>('ledger');

export const ledgerService = {
  accounts: async () => (await ledger('accounts', {})).items,
  statement: (month: string, account?: string, page = 1) =>
    ledger('statement', { month, ...(account ? { account } : {}), ...(page > 1 ? { page } : {}) }),
  rate: (month: string, stars: number) => ledger('rate', { month, stars }),
  ask: (entryId: string, question: string) => ledger('ask', { entryId, question }),
};
