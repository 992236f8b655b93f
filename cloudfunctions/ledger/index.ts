// ledger (玻璃口袋): the community's money in the open. Workers record entries into the community's
// accounts, a second worker approves them, mistakes are reversed (never edited or deleted), and a
// closed month is published as a notice; every member reads the statements, questions any entry
// and rates each closed month. The action table; handlers by group. Rules: docs/ledger.md.
import { action, ANY_MEMBER, createFunction } from '../common/router';
import { ledgerSchemas as s, type LedgerApi } from './api';
import { entryActions } from './entries';
import { projectActions } from './projects';
import { questionActions } from './questions';
import { statementActions } from './statements';
import { loadAccounts } from './store';

export const main = createFunction<LedgerApi>('ledger', {
  accounts: action({
    schema: s.accounts,
    roles: ANY_MEMBER,
    handler: async (_input, ctx) => ({
      items: (await loadAccounts(ctx.communityId, ctx.now)).map((a) => ({ _id: a._id, name: a.name })),
    }),
  }),
  ...entryActions,
  ...statementActions,
  ...questionActions,
  ...projectActions,
});
