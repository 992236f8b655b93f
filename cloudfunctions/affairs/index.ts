// affairs (议事): residents' topics from proposal to decision, the register of exclusive parts,
// owners' votes counted as 民法典 第278条 says, and residents' consultations. The action table;
// the handlers live by action group (docs/affairs.md).
import { createFunction } from '../common/router';
import type { AffairsApi } from './api';
import { ballotActions } from './ballots';
import { consultActions } from './consult';
import { registerActions } from './register';
import { importActions } from './register-import';
import { resultActions } from './results';
import { topicActions } from './topics';
import { voteActions } from './votes';

export const main = createFunction<AffairsApi>('affairs', {
  ...topicActions,
  ...registerActions,
  ...importActions,
  ...voteActions,
  ...ballotActions,
  ...resultActions,
  ...consultActions,
});
