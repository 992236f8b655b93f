// The demo street (docs/street.md): 幸福街道 with the demo community and a second small one, 安乐里社区
// (a worker, a volunteer, three residents, four orders), so the street view compares two rows; its
// leader `demo-leader` is no member of either. 和平里社区 stays outside the street.
import type { CommunityDoc } from '../../cloudfunctions/common/model';
import type { Role } from '../../cloudfunctions/common/roles';
import { DEFAULT_CATALOGUE, serviceId } from '../../cloudfunctions/orders/catalogue';
import { effectiveLimits } from '../../cloudfunctions/orders/clock';
import { newOrderDoc } from '../../cloudfunctions/orders/lifecycle';
import { ORDERS, type OrderDoc } from '../../cloudfunctions/orders/model';
import { STREET_LEADERS, STREETS, type StreetDoc, type StreetLeaderDoc } from '../../cloudfunctions/common/street';
import { instantOf } from '../../miniprogram/shared/clock';
import { monthOf } from '../../cloudfunctions/ledger/period';
import { DEFAULT_STEP_LIMITS, DEMO_COMMUNITY_ID, put, seedPeople } from './community';

export const DEMO_STREET_ID = 'xingfu';
export const SECOND_COMMUNITY_ID = 'anle';
export const DEMO_LEADER = { openid: 'demo-leader', label: '街道负责人（幸福街道，不属于任何社区）', name: '欧阳华' };

const MIN = 60_000;

const PEOPLE: { openid: string; name: string; building: string; room: string; roles: Role[]; onDuty?: boolean }[] = [
  { openid: 'anle-worker', name: '孙红', building: '1号楼', room: '101', roles: ['resident', 'worker'] },
  { openid: 'anle-volunteer', name: '吴刚', building: '1号楼', room: '202', roles: ['resident', 'volunteer'], onDuty: true },
  { openid: 'anle-resident-1', name: '钱淑芬', building: '1号楼', room: '301', roles: ['resident'] },
  { openid: 'anle-resident-2', name: '冯国强', building: '2号楼', room: '102', roles: ['resident'] },
  { openid: 'anle-resident-3', name: '褚丽', building: '2号楼', room: '401', roles: ['resident'] },
];

export function secondCommunity(now: Date): CommunityDoc {
  return {
    _id: SECOND_COMMUNITY_ID,
    name: '安乐里社区',
    grids: [{ id: 'g1', name: '第一网格', buildings: ['1号楼', '2号楼'] }],
    stepLimits: DEFAULT_STEP_LIMITS,
    createdAt: now,
  };
}

/** Four orders of this month: one closed (4 stars, on time), one late and red now, one pending, one rated 2. */
function orders(now: Date): OrderDoc[] {
  const item = DEFAULT_CATALOGUE.find((i) => i.code === 'errand')!;
  const service = { ...item, _id: serviceId(SECOND_COMMUNITY_ID, item.code) };
  const limits = effectiveLimits(DEFAULT_STEP_LIMITS, item.stepLimits);
  // Inside the current month whatever the hour: never before its first minute.
  const monthStart = instantOf(`${monthOf(now)}-01`).getTime();
  const at = (minutesAgo: number) => new Date(Math.max(now.getTime() - minutesAgo * MIN, monthStart + (60 - minutesAgo) * 1000));
  const make = (id: string, forIdx: number, status: OrderDoc['status'], ago: number): OrderDoc => {
    const p = PEOPLE[forIdx];
    const doc = newOrderDoc({
      _id: id,
      communityId: SECOND_COMMUNITY_ID,
      service,
      description: '帮忙买菜',
      photos: [],
      orderedBy: p,
      beneficiary: { openid: p.openid, name: p.name, building: p.building, room: p.room, gridId: 'g1' },
      limits,
      timeline: [{ at: at(ago), actor: p.openid, actorName: p.name, action: 'create' }],
      now: at(ago),
    });
    // Escalations count as sent: the timer's sweeps leave the demo's second community alone.
    return { ...doc, status, yellowDue: null, redDue: null, updatedAt: at(ago) };
  };
  const vol = PEOPLE[1];
  const served = (o: OrderDoc, onTime: boolean, stars: number, status: OrderDoc['status']): OrderDoc => ({
    ...o,
    status,
    volunteerOpenid: vol.openid,
    volunteerName: vol.name,
    volunteerPhone: null,
    step: null,
    stepStartedAt: null,
    yellowAt: null,
    redAt: null,
    yellowDue: null,
    redDue: null,
    completion: { note: '已送到', photos: [], at: at(30) },
    completedOnTime: onTime,
    rating: { stars, by: o.forOpenid, at: at(20) },
    ...(status === 'closed' ? { closedAt: at(10), review: { result: 'pass' as const, by: 'anle-worker', at: at(10) } } : {}),
  });
  const late = make('anle-order-late', 3, 'accepted', 50);
  return [
    served(make('anle-order-closed', 2, 'closed', 45), true, 4, 'closed'),
    served(make('anle-order-rated', 4, 'rated', 40), false, 2, 'rated'),
    // Accepted, its serve step past the limit: red now. Its escalations count as sent, so the timer leaves it be.
    {
      ...late,
      volunteerOpenid: vol.openid,
      volunteerName: vol.name,
      volunteerPhone: null,
      step: 'serve',
      stepStartedAt: at(50),
      yellowAt: at(45),
      redAt: at(40),
      yellowDue: null,
      redDue: null,
    },
    make('anle-order-pending', 2, 'pending', 5),
  ];
}

export async function seedStreet(now: Date): Promise<void> {
  const community = secondCommunity(now);
  await seedPeople(community, PEOPLE, now);
  for (const o of orders(now)) await put(ORDERS, o);
  await put('communities', community);
  // Written as the operator's script writes them (scripts/street/ops.ts); the demo community's own
  // record comes last in the seed, so the script's existence checks cannot run here.
  const street: StreetDoc = {
    _id: DEMO_STREET_ID,
    name: '幸福街道',
    communityIds: [DEMO_COMMUNITY_ID, SECOND_COMMUNITY_ID],
    createdAt: now,
    updatedAt: now,
  };
  await put(STREETS, street);
  const leader: StreetLeaderDoc = { _id: DEMO_LEADER.openid, streetId: DEMO_STREET_ID, name: DEMO_LEADER.name, appointedAt: now };
  await put(STREET_LEADERS, leader);
}
