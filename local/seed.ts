// Seeds the demo community on first start. Each domain contributes its part under seed/.
import type { LocalCloud } from './cloud';
import { findById } from '../cloudfunctions/common/db';
import { DEMO_COMMUNITY_ID, DEMO_INVITES, DEMO_PEOPLE, OTHER_PEOPLE, seedCommunities } from './seed/community';

export const DEMO_IDENTITIES: { openid: string; label: string }[] = [...DEMO_PEOPLE, ...OTHER_PEOPLE].map((p) => ({
  openid: p.openid,
  label: p.label,
}));

export { DEMO_INVITES };

/** Runs after the local cloud is up, through the same SDK the functions use. */
export async function seedIfEmpty(_cloud: LocalCloud, now = new Date()): Promise<{ seeded: boolean }> {
  if (await findById('communities', DEMO_COMMUNITY_ID)) return { seeded: false };
  await seedCommunities(now);
  return { seeded: true };
}
