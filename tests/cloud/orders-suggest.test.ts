// Dispatch suggestions (issue #14.4) through the real `orders` function: a community of 22 on-duty
// volunteers where the only one with the item's skill lives in another grid (it came 22nd of 22),
// ties, open orders, stars and a partial skill match. The scoring is docs/orders.md "Suggestions".
import type { LocalCloud } from '../../local/cloud';
import { put } from '../../local/seed/community';
import { seedIfEmpty } from '../../local/seed';
import type { OrdersApi, Suggestion } from '../../cloudfunctions/orders/api';
import { gridOf, memberId, type CommunityDoc, type MemberDoc } from '../../cloudfunctions/common/model';
import type { Tag } from '../../cloudfunctions/common/roles';
import { VOLUNTEER_STATS, type VolunteerStatsDoc } from '../../cloudfunctions/orders/model';
import { startTestCloud } from '../helpers/local';
import { caller, data } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<OrdersApi>>;

const C = 'fair';
const WORKER = 'fair-worker';
const RESIDENT = 'fair-resident'; // A1, grid g1
const NEIGHBOURS = Array.from({ length: 20 }, (_, i) => `fair-v${String(i + 1).padStart(2, '0')}`); // A1, 代买代办
const SAME_GRID = 'fair-v21'; // A2, grid g1, no skills
const PLUMBER = 'fair-v22'; // B1, grid g2, 水电小修 — sorts last by openid, as in the issue
const community: CommunityDoc = {
  _id: C,
  name: '公平里社区',
  grids: [
    { id: 'g1', name: '第一网格', buildings: ['A1', 'A2'] },
    { id: 'g2', name: '第二网格', buildings: ['B1'] },
  ],
  stepLimits: { dispatch: 30, accept: 30, serve: 24 * 60, review: 3 * 24 * 60 },
  createdAt: new Date(),
};

async function person(openid: string, building: string, roles: MemberDoc['roles'], skills: string[] = [], tags: Tag[] = []) {
  const now = new Date();
  const volunteer = roles.includes('volunteer');
  const m: MemberDoc = {
    _id: memberId(C, openid),
    communityId: C,
    openid,
    name: `居民${openid.slice(-3)}`,
    building,
    room: '101',
    status: 'active',
    roles,
    tags,
    skills,
    onDuty: volunteer,
    gridId: gridOf(community, building),
    joinedAt: now,
    updatedAt: now,
    version: 1,
  };
  await put('members', m);
  await put('users', { _id: openid, currentCommunityId: C, updatedAt: now } as { _id: string });
}

/** A volunteer's running totals as `review` leaves them after `rated` ratings averaging `avg`. */
async function rated(openid: string, avg: number, count = 4) {
  const doc: VolunteerStatsDoc = {
    _id: `${C}:${openid}`,
    communityId: C,
    openid,
    served: count,
    ratedCount: count,
    starsSum: avg * count,
    points: 0,
    updatedAt: new Date(),
  };
  await put(VOLUNTEER_STATS, doc);
}

let seq = 0;
const order = async (code = 'repair') =>
  data(await call(RESIDENT, 'create', { serviceId: `${C}:${code}`, description: '需要帮助', requestId: `fair-${++seq}-0000` }))
    ._id;
const suggest = async (orderId: string): Promise<Suggestion[]> =>
  data(await call(WORKER, 'suggestVolunteers', { orderId })).items;
const ids = (items: Suggestion[]) => items.map((s) => s.openid);
/** Gives `openid` `n` open orders: the worker dispatches n new orders to them. */
async function load(openid: string, n: number) {
  for (let i = 0; i < n; i++) data(await call(WORKER, 'dispatch', { orderId: await order('errand'), volunteerOpenid: openid }));
}

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<OrdersApi>(cloud, 'orders');
  await put('communities', community);
  await person(WORKER, 'A1', ['resident', 'worker']);
  await person(RESIDENT, 'A1', ['resident'], [], ['残疾']);
  for (const v of NEIGHBOURS) await person(v, 'A1', ['resident', 'volunteer'], ['代买代办']);
  await person(SAME_GRID, 'A2', ['resident', 'volunteer']);
  await person(PLUMBER, 'B1', ['resident', 'volunteer'], ['水电小修']);
});
afterAll(() => cloud.close());
beforeEach(() => forgetLimits());

describe('suggestVolunteers', () => {
  it('puts the only volunteer with the skill first, ahead of 20 neighbours of the same building without it', async () => {
    const items = await suggest(await order('repair'));
    expect(items).toHaveLength(22);
    expect(items[0]).toMatchObject({ openid: PLUMBER, score: 60 + 40 + 20 + 6, openOrders: 0, avgStars: null });
    expect(items[0].reason).toBe('擅长水电小修，B1，不同网格，当前无在办订单，暂无评分；综合 126 分');
    // Then the building, then the grid; equal neighbours in a fixed order (by openid).
    expect(ids(items.slice(1, 21))).toEqual(NEIGHBOURS);
    expect(items[1].score).toBe(30 + 20 + 6);
    expect(items[1].reason).toBe('不具备所需技能（水电小修），同楼栋（A1），当前无在办订单，暂无评分；综合 56 分');
    expect(items[21]).toMatchObject({ openid: SAME_GRID, score: 15 + 20 + 6 });
    expect(items[21].reason).toContain('同网格（第一网格）');
  });

  it('is deterministic: the same answer every time', async () => {
    const id = await order('repair');
    const first = await suggest(id);
    for (let i = 0; i < 3; i++) expect(await suggest(id)).toEqual(first);
  });

  it('without required skills, distance, load and stars decide', async () => {
    const items = await suggest(await order('sanitation'));
    expect(ids(items)).toEqual([...NEIGHBOURS, SAME_GRID, PLUMBER]);
    expect(items[0].reason).toBe('同楼栋（A1），当前无在办订单，暂无评分；综合 56 分');
  });

  it('weighs stars among equals, and load against distance', async () => {
    await rated(NEIGHBOURS[19], 5); // 10 points for stars instead of 6
    await rated(NEIGHBOURS[0], 1); // 2 points
    await load(NEIGHBOURS[1], 2); // 20 - 10 = 10 points for load: still above the same grid
    await load(NEIGHBOURS[2], 4); // 0 points for load: below the idle volunteer of the same grid
    const items = await suggest(await order('repair'));
    const at = (openid: string) => ids(items).indexOf(openid);
    const of = (openid: string) => items[at(openid)];
    expect(at(PLUMBER)).toBe(0);
    expect(at(NEIGHBOURS[19])).toBe(1);
    expect(of(NEIGHBOURS[19])).toMatchObject({ score: 30 + 20 + 10, avgStars: 5 });
    expect(of(NEIGHBOURS[19]).reason).toContain('平均 5.0 星');
    // The untouched 16 neighbours (56), then 1 star (52), 2 open orders (46), the same grid (41), 4 open (36).
    expect(ids(items.slice(2, 18))).toEqual(NEIGHBOURS.slice(3, 19));
    expect(ids(items.slice(18))).toEqual([NEIGHBOURS[0], NEIGHBOURS[1], SAME_GRID, NEIGHBOURS[2]]);
    expect(items.slice(18).map((s) => s.score)).toEqual([52, 46, 41, 36]);
    expect(of(NEIGHBOURS[1]).reason).toContain('当前在办 2 单');
    expect(of(NEIGHBOURS[2])).toMatchObject({ openOrders: 4 });
  });

  it('ties on points go to fewer open orders, then the openid', async () => {
    // NEIGHBOURS[3]: 1 open order (15) and 5 stars (10) = 55; NEIGHBOURS[4]: idle (20) and 3 stars (6) = 56;
    // NEIGHBOURS[5]: idle and 2.5 stars (5) = 55 — ties NEIGHBOURS[3] with fewer open orders.
    await load(NEIGHBOURS[3], 1);
    await rated(NEIGHBOURS[3], 5);
    await rated(NEIGHBOURS[5], 2.5);
    const items = await suggest(await order('repair'));
    const fiftyFive = items.filter((s) => s.score === 55);
    expect(ids(fiftyFive)).toEqual([NEIGHBOURS[5], NEIGHBOURS[3]]);
    expect(fiftyFive.map((s) => s.openOrders)).toEqual([0, 1]);
  });

  it('a matching skill outranks any neighbour without it, however loaded and rated', async () => {
    await load(PLUMBER, 5);
    await rated(PLUMBER, 1);
    const items = await suggest(await order('repair'));
    expect(items[0]).toMatchObject({ openid: PLUMBER, openOrders: 5, score: 60 + 40 + 0 + 2 });
    expect(items[0].reason).toContain('当前在办 5 单');
    expect(items[0].reason).toContain('平均 1.0 星');
    expect(Math.max(...items.slice(1).map((s) => s.score))).toBeLessThan(items[0].score);
  });

  it('more of the item’s skills rank higher; a partial match says what is missing', async () => {
    await person('fair-v23', 'B1', ['resident', 'volunteer'], ['陪同就医']);
    await person('fair-v24', 'B1', ['resident', 'volunteer'], ['陪同就医', '居家养老护理']);
    const items = await suggest(await order('disability-care'));
    expect(ids(items.slice(0, 2))).toEqual(['fair-v24', 'fair-v23']);
    expect(items[0]).toMatchObject({ score: 60 + 40 + 20 + 6 });
    expect(items[1]).toMatchObject({ score: 60 + 20 + 20 + 6 });
    expect(items[1].reason).toContain('擅长陪同就医（缺居家养老护理）');
  });
});
