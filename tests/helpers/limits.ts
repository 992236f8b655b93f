// The rate limiter's counters (docs/limits.md) in tests that are not about limits: a test that
// plays a whole community's worth of actions as one caller (30 notices by one worker, 25 orders
// by one resident, 10 joins at once) forgets the counters first, as if each test ran in its own
// hour. tests/cloud/limits.test.ts proves the limits themselves.
import { cmd, collection } from '../../cloudfunctions/common/db';
import { RATE_LIMITS } from '../../cloudfunctions/common/limits';

/** Removes every rate-limit counter: every caller starts a fresh window. */
export async function forgetLimits(): Promise<void> {
  await collection(RATE_LIMITS)
    .where({ _id: cmd().exists(true) })
    .remove();
}
