// ledger (玻璃口袋): the community's money in the open. Workers record entries into the community's
// accounts, a second worker approves them, mistakes are reversed (never edited or deleted), and a
// closed month is published as a notice; every member reads the statements, questions any entry
// and rates each closed month. The action table; handlers by group. Rules: docs/ledger.md.
import { createFunction } from '../common/router';
import type { LedgerApi } from './api';
import { accountActions } from './accounts';
import { entryActions } from './entries';
import { projectActions } from './projects';
import { questionActions } from './questions';
import { statementActions } from './statements';

export const main = createFunction<LedgerApi>('ledger', {
  ...accountActions,
  ...entryActions,
  ...statementActions,
  ...questionActions,
  ...projectActions,
});
