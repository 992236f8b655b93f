// The demo community of architecture.md: one worker, three volunteers, five residents, plus a
// second, small community so that isolation between communities can be tried by hand.
import { collection } from '../../cloudfunctions/common/db';
import { gridOf, memberId, type CommunityDoc, type InviteDoc, type MemberDoc } from '../../cloudfunctions/common/model';
import type { Role, Tag } from '../../cloudfunctions/common/roles';

export const DEMO_COMMUNITY_ID = 'demo';
export const OTHER_COMMUNITY_ID = 'heping';

export const DEFAULT_STEP_LIMITS = { dispatch: 30, accept: 30, serve: 24 * 60, review: 3 * 24 * 60 };

export interface SeedPerson {
  openid: string;
  label: string;
  name: string;
  building: string;
  room: string;
  phone?: string;
  roles: Role[];
  tags?: Tag[];
  skills?: string[];
  onDuty?: boolean;
}

export const DEMO_PEOPLE: SeedPerson[] = [
  {
    openid: 'demo-worker',
    label: '社区工作者',
    name: '李梅',
    building: '1栋',
    room: '101',
    phone: '13800000000',
    roles: ['resident', 'worker'],
  },
  {
    openid: 'demo-volunteer-1',
    label: '党员志愿者（1栋，在岗）',
    name: '张建国',
    building: '1栋',
    room: '302',
    phone: '13800000011',
    roles: ['resident', 'volunteer'],
    skills: ['代买代办', '水电小修'],
    onDuty: true,
  },
  {
    openid: 'demo-volunteer-2',
    label: '党员志愿者（3栋，在岗）',
    name: '刘芳',
    building: '3栋',
    room: '201',
    phone: '13800000012',
    roles: ['resident', 'volunteer'],
    skills: ['陪同就医', '上门理发', '居家养老护理'],
    onDuty: true,
  },
  {
    openid: 'demo-volunteer-3',
    label: '党员志愿者（5栋，离岗）',
    name: '陈志强',
    building: '5栋',
    room: '502',
    phone: '13800000013',
    roles: ['resident', 'volunteer'],
    skills: ['家电清洗', '水电小修'],
    onDuty: false,
  },
  {
    openid: 'demo-resident-1',
    label: '居民（1栋，独居老人）',
    name: '赵秀兰',
    building: '1栋',
    room: '102',
    phone: '13800000021',
    roles: ['resident'],
    tags: ['独居老人', '高龄'],
  },
  {
    openid: 'demo-resident-2',
    label: '居民（2栋）',
    name: '孙伟',
    building: '2栋',
    room: '301',
    phone: '13800000022',
    roles: ['resident'],
  },
  { openid: 'demo-resident-3', label: '居民（3栋）', name: '周敏', building: '3栋', room: '402', roles: ['resident'] },
  {
    openid: 'demo-resident-4',
    label: '居民（4栋）',
    name: '吴强',
    building: '4栋',
    room: '103',
    phone: '13800000024',
    roles: ['resident'],
  },
  { openid: 'demo-resident-5', label: '居民（5栋）', name: '郑丽', building: '5栋', room: '601', roles: ['resident'] },
];

export const OTHER_PEOPLE: SeedPerson[] = [
  {
    openid: 'other-worker',
    label: '另一社区的工作者',
    name: '何平',
    building: 'A座',
    room: '101',
    roles: ['resident', 'worker'],
  },
  { openid: 'other-resident', label: '另一社区的居民', name: '马丽', building: 'A座', room: '202', roles: ['resident'] },
];

export const DEMO_INVITES = { pending: 'DEMOJOIN', autoApprove: 'DEMOAUTO' };

export function communities(now: Date): CommunityDoc[] {
  return [
    {
      _id: DEMO_COMMUNITY_ID,
      name: '幸福里社区',
      grids: [
        { id: 'g1', name: '第一网格', buildings: ['1栋', '2栋'] },
        { id: 'g2', name: '第二网格', buildings: ['3栋', '4栋'] },
        { id: 'g3', name: '第三网格', buildings: ['5栋'] },
      ],
      stepLimits: DEFAULT_STEP_LIMITS,
      // The demo lets a vote be tried at once (a real community announces 15 days ahead).
      voteNoticeDays: 0,
      // 社区值班电话, offered after 一键求助 (a demo number).
      dutyPhone: '02888886666',
      createdAt: now,
    },
    {
      _id: OTHER_COMMUNITY_ID,
      name: '和平里社区',
      grids: [{ id: 'g1', name: '第一网格', buildings: ['A座', 'B座'] }],
      stepLimits: DEFAULT_STEP_LIMITS,
      createdAt: now,
    },
  ];
}

/** Writes a document by its `_id`, replacing any copy: re-running an interrupted seed is safe. */
export async function put(name: string, doc: { _id: string }): Promise<void> {
  const { _id, ...data } = doc;
  await collection(name).doc(_id).set(data);
}

/** Members, their current community, and two demo invites. */
/** The people of a seeded community as active members (their rooms verified by its worker) and users. */
export async function seedPeople(community: CommunityDoc, people: Omit<SeedPerson, 'label'>[], now: Date): Promise<void> {
  const worker = people.find((p) => p.roles.includes('worker'))!;
  for (const p of people) {
    const member: MemberDoc = {
      _id: memberId(community._id, p.openid),
      communityId: community._id,
      openid: p.openid,
      name: p.name,
      building: p.building,
      room: p.room,
      phone: p.phone,
      status: 'active',
      roles: p.roles,
      tags: p.tags ?? [],
      skills: p.skills ?? [],
      onDuty: p.onDuty ?? false,
      gridId: gridOf(community, p.building),
      // The demo's people were all seen by their community worker: their rooms are verified.
      household: { status: 'verified', via: 'worker', by: worker.openid, byName: worker.name, note: '入户核实', at: now },
      joinedAt: now,
      updatedAt: now,
      version: 1,
    };
    await put('members', member);
    await put('users', { _id: p.openid, currentCommunityId: community._id, updatedAt: now } as { _id: string });
  }
}

export async function seedMembers(now: Date): Promise<void> {
  const all = communities(now);
  const groups: [CommunityDoc, SeedPerson[]][] = [
    [all[0], DEMO_PEOPLE],
    [all[1], OTHER_PEOPLE],
  ];
  for (const [community, people] of groups) {
    await seedPeople(community, people, now);
  }
  const far = new Date(now.getTime() + 3650 * 86400_000);
  const invites: InviteDoc[] = [
    {
      _id: DEMO_INVITES.pending,
      communityId: DEMO_COMMUNITY_ID,
      autoApprove: false,
      createdBy: 'demo-worker',
      createdAt: now,
      expiresAt: far,
      uses: 0,
    },
    {
      _id: DEMO_INVITES.autoApprove,
      communityId: DEMO_COMMUNITY_ID,
      building: '2栋',
      autoApprove: true,
      createdBy: 'demo-worker',
      createdAt: now,
      expiresAt: far,
      uses: 0,
    },
  ];
  for (const invite of invites) await put('invites', invite);
}

export async function seedCommunityRecords(now: Date): Promise<void> {
  for (const community of communities(now)) await put('communities', community);
}
