// Communities, their members and users, and the default menu of services.
import { catalogueService, DEFAULT_CATALOGUE } from '../../../cloudfunctions/orders/catalogue';
import type { ServiceDoc } from '../../../cloudfunctions/orders/model';
import { memberId, type CommunityDoc, type MemberDoc, type UserDoc } from '../../../cloudfunctions/common/model';
import { DAY_MS } from '../../../miniprogram/shared/clock';
import { DEFAULT_STEP_LIMITS } from '../../../local/seed/community';
import type { Gen } from './gen';

export const BENCH_COMMUNITY = 'bench';
// Eight workers (a 3 000-member community's staff), so the worker pages are measured with distinct callers.
export const WORKERS = ['bw-1', 'bw-2', 'bw-3', 'bw-4', 'bw-5', 'bw-6', 'bw-7', 'bw-8'];
export const VOLUNTEER_COUNT = 60;
export const volunteerId = (i: number) => `bv-${i + 1}`;
export const residentId = (i: number) => `br-${i + 1}`;

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英';

export interface Person {
  openid: string;
  name: string;
  building: string;
  room: string;
  phone?: string;
  gridId: string;
}

export interface Community {
  doc: CommunityDoc;
  buildings: string[];
  workers: Person[];
  volunteers: Person[];
  residents: Person[];
}

function personName(g: Gen): string {
  return g.pick([...SURNAMES]) + g.pick([...GIVEN]) + (g.rand() < 0.5 ? g.pick([...GIVEN]) : '');
}

export function addCommunity(
  g: Gen,
  id: string,
  label: string,
  buildingCount: number,
  members: number,
  volunteers: number,
  workers: number,
): Community {
  const buildings = Array.from({ length: buildingCount }, (_, i) => `${i + 1}栋`);
  const grids = [];
  for (let n = 0; n * 4 < buildings.length; n++) {
    grids.push({ id: `g${n + 1}`, name: `第${n + 1}网格`, buildings: buildings.slice(n * 4, n * 4 + 4) });
  }
  const doc: CommunityDoc = {
    _id: id,
    name: label,
    grids,
    stepLimits: DEFAULT_STEP_LIMITS,
    createdAt: g.ago(3 * 365 * DAY_MS),
  };
  g.add('communities', doc);
  const prefix = id === BENCH_COMMUNITY ? '' : `${id}-`;
  const c: Community = { doc, buildings, workers: [], volunteers: [], residents: [] };
  for (let i = 0; i < members; i++) {
    const building = buildings[i % buildings.length];
    const openid =
      i < workers
        ? `${prefix}${WORKERS[i] ?? `bw-${i + 1}`}`
        : i < workers + volunteers
          ? `${prefix}${volunteerId(i - workers)}`
          : `${prefix}${residentId(i - workers - volunteers)}`;
    const person: Person = {
      openid,
      name: personName(g),
      building,
      room: `${g.int(1, 30)}0${g.int(1, 4)}`,
      phone: g.rand() < 0.8 ? `138${String(10_000_000 + i).padStart(8, '0')}` : undefined,
      gridId: grids[Math.floor((i % buildings.length) / 4)].id,
    };
    const isWorker = i < workers;
    const isVolunteer = !isWorker && i < workers + volunteers;
    (isWorker ? c.workers : isVolunteer ? c.volunteers : c.residents).push(person);
    const tags: MemberDoc['tags'] = [];
    if (!isWorker && !isVolunteer) {
      if (g.rand() < 0.05) tags.push('独居老人');
      if (g.rand() < 0.1) tags.push('高龄');
    }
    const member: MemberDoc = {
      _id: memberId(id, openid),
      communityId: id,
      openid,
      name: person.name,
      building,
      room: person.room,
      phone: person.phone,
      status: 'active',
      roles: isWorker ? ['resident', 'worker'] : isVolunteer ? ['resident', 'volunteer'] : ['resident'],
      tags,
      skills: isVolunteer ? [g.pick(['代买代办', '水电小修', '陪同就医', '上门理发', '家电清洗'])] : [],
      onDuty: isVolunteer && (i - workers) % 3 !== 2,
      gridId: person.gridId,
      joinedAt: g.ago(g.int(30, 900) * DAY_MS),
      updatedAt: g.ago(g.int(1, 30) * DAY_MS),
      version: 1,
    };
    g.add('members', member);
    const user: UserDoc = { _id: openid, currentCommunityId: id, updatedAt: member.joinedAt };
    g.add('users', user);
  }
  for (const item of DEFAULT_CATALOGUE) g.add('services', catalogueService(id, item, doc.createdAt) as ServiceDoc);
  return c;
}

/**
 * More workers of the bench community, added to a running cloud (the bench's `orders.review` callers:
 * remote.ts `seedCallers`). The built data keeps its eight; these carry no history.
 */
export function extraWorkers(openids: string[], now: Date): { members: MemberDoc[]; users: UserDoc[] } {
  const members = openids.map((openid, k): MemberDoc => ({
    _id: memberId(BENCH_COMMUNITY, openid),
    communityId: BENCH_COMMUNITY,
    openid,
    name: `值班${k + 1}`,
    building: '1栋',
    room: '101',
    status: 'active',
    roles: ['resident', 'worker'],
    tags: [],
    skills: [],
    onDuty: false,
    gridId: 'g1',
    joinedAt: now,
    updatedAt: now,
    version: 1,
  }));
  const users = openids.map((openid): UserDoc => ({ _id: openid, currentCommunityId: BENCH_COMMUNITY, updatedAt: now }));
  return { members, users };
}
