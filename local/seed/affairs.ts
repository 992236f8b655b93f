// The demo register of exclusive parts (专有部分): every demo person owns the room they live in
// (verified), 吴强 also owns the flat next door (one holder number: one owner, areas summed), and
// the developer still holds two unsold flats (one owner together). Ten owners in all, so a
// demo vote can reach the 2/3 quorum with the demo people. Written by fixed `_id`s with put().
import { partId, type PartDoc } from '../../cloudfunctions/affairs/model-votes';
import { parseArea } from '../../cloudfunctions/affairs/tally';
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE, put } from './community';

const AREAS = ['89.56', '76.3', '102.45', '65', '120.8', '88', '95.12', '70.5', '110'];

export function demoParts(now: Date): PartDoc[] {
  const base = { communityId: DEMO_COMMUNITY_ID, updatedAt: now, version: 1 };
  const part = (building: string, room: string, area: string, extra: Partial<PartDoc> = {}): PartDoc => ({
    ...base,
    _id: partId(DEMO_COMMUNITY_ID, building, room),
    building,
    room,
    area: parseArea(area),
    developer: false,
    owners: [],
    ...extra,
  });
  const owned = DEMO_PEOPLE.map((p, i) =>
    part(p.building, p.room, AREAS[i % AREAS.length], {
      owners: [p.openid],
      ...(p.openid === 'demo-resident-4' ? { holder: 'DEMO-H004' } : {}),
    }),
  );
  return [
    ...owned,
    part('4栋', '104', '68.2', { holder: 'DEMO-H004' }),
    part('5栋', '1501', '60', { developer: true }),
    part('5栋', '1502', '60', { developer: true }),
  ];
}

export async function seedAffairs(now: Date): Promise<void> {
  for (const p of demoParts(now)) await put('parts', p);
}
