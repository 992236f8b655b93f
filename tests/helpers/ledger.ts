// Ledger tests' helpers: a second worker (approval needs two people), typed callers, and a
// recorder that records and approves in one step.
import { collection } from '../../cloudfunctions/common/db';
import type { LedgerApi } from '../../cloudfunctions/ledger/api';
import type { LocalCloud } from '../../local/cloud';
import { DEMO_COMMUNITY_ID } from '../../local/seed/community';
import { DEMO_ACCOUNTS } from '../../local/seed/ledger';
import { caller, data, type Input } from './call';

export { DEMO_ACCOUNTS };
export const WORKER = 'demo-worker';
/** Promoted to worker by `addSecondWorker`: the approver of the demo community's entries. */
export const WORKER2 = 'demo-volunteer-3';
export const VOLUNTEER = 'demo-volunteer-1';
export const RESIDENT = 'demo-resident-2';
export const OTHER_WORKER = 'other-worker';
export const OTHER_RESIDENT = 'other-resident';
export const STRANGER = 'ledger-stranger';

/** Makes WORKER2 a worker too (as member.setRoles would). */
export async function addSecondWorker(): Promise<void> {
  await collection('members')
    .where({ _id: `${DEMO_COMMUNITY_ID}:${WORKER2}` })
    .update({ roles: ['resident', 'volunteer', 'worker'] });
}

export function ledgerOf(cloud: LocalCloud) {
  const call = caller<LedgerApi>(cloud, 'ledger');
  let seq = 0;
  const rid = (tag = 'r') => `${tag}-${Date.now().toString(36)}-${(seq++).toString(36)}`.slice(0, 64).padEnd(8, '0');
  /** Records as WORKER and approves as WORKER2; answers the approved entry. */
  async function booked(input: Omit<Input<LedgerApi, 'record'>, 'requestId'> & { requestId?: string }) {
    const entry = data(await call(WORKER, 'record', { requestId: rid(), ...input }));
    return data(await call(WORKER2, 'approve', { entryId: entry._id }));
  }
  return { call, rid, booked };
}
