// Seeds the demo community on first start. Each domain contributes its part under seed/; the
// communities are written last, so their presence marks a finished seed and an interrupted one
// simply runs again (every part writes documents by fixed `_id`s).
import type { LocalCloud } from './cloud';
import { findById } from '../cloudfunctions/common/db';
import { DEMO_COMMUNITY_ID, DEMO_INVITES, DEMO_PEOPLE, OTHER_PEOPLE, seedCommunityRecords, seedMembers } from './seed/community';
import { seedAffairs } from './seed/affairs';
import { seedNotices } from './seed/notices';
import { seedParking } from './seed/parking';
import { seedServices } from './seed/orders';
import { seedLedger } from './seed/ledger';
import { DEMO_STAFF, seedProperty } from './seed/property';
import { DEMO_LEADER, seedStreet } from './seed/street';

export const DEMO_IDENTITIES: { openid: string; label: string }[] = [...DEMO_PEOPLE, DEMO_STAFF, ...OTHER_PEOPLE, DEMO_LEADER].map((p) => ({
  openid: p.openid,
  label: p.label,
}));

export { DEMO_INVITES };

/** Domain parts, in order. Each writes by fixed `_id`s and may rely on the members existing. */
const PARTS: ((now: Date) => Promise<void>)[] = [
  seedMembers,
  seedServices,
  seedNotices,
  seedParking,
  seedAffairs,
  seedLedger,
  seedProperty,
  seedStreet,
];

export async function seedIfEmpty(_cloud: LocalCloud, now = new Date()): Promise<{ seeded: boolean }> {
  if (await findById('communities', DEMO_COMMUNITY_ID)) return { seeded: false };
  for (const part of PARTS) await part(now);
  await seedCommunityRecords(now);
  return { seeded: true };
}
