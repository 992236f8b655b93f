// 街道 (docs/street.md): a street leader, appointed by the operator and a member of no community,
// logs into the console by the same scan as a worker and sees only counts of their own street's
// communities. A worker, a resident and a leader of another street are refused; a leader's console
// calls nothing but leader actions; the payload cannot name another street; every read is indexed.
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { DEMO_LEADER, DEMO_STREET_ID, SECOND_COMMUNITY_ID } from '../../local/seed/street';
import { sdkFor, startTestCloud } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';
import { WebClient } from '../helpers/web';
import { addCommunities, appointLeader, createStreet, removeLeader, type DbLike } from '../../scripts/street/ops';
import type { DeskApi } from '../../cloudfunctions/desk/api';
import type { StreetApi } from '../../cloudfunctions/street/api';
import { LEADER_CONSOLE_ONLY } from '../../cloudfunctions/common/router';

let cloud: LocalCloud;
let street: ReturnType<typeof caller<StreetApi>>;
let desk: ReturnType<typeof caller<DeskApi>>;
let db: DbLike;
const LEADER = DEMO_LEADER.openid;
const OTHER_LEADER = 'heping-leader';
const ORIGIN = 'http://127.0.0.1:3998';
const calls: DataCallRecord[] = [];

beforeAll(async () => {
  cloud = await startTestCloud({ allowedOrigins: [ORIGIN], observe: { dataCall: (r) => calls.push(r) } });
  await seedIfEmpty(cloud);
  street = caller<StreetApi>(cloud, 'street');
  desk = caller<DeskApi>(cloud, 'desk');
  db = sdkFor(cloud).database() as unknown as DbLike;
  // A second street, by the operator's own operations: 和平里社区 and its leader.
  await createStreet(db, 'heping-street', '和平街道');
  await addCommunities(db, 'heping-street', ['heping']);
  await appointLeader(db, 'heping-street', OTHER_LEADER, '吴军');
});

afterAll(() => cloud.close());

/** A console signed in by `openid`'s confirmation (worker or leader). */
async function consoleOf(openid: string): Promise<WebClient> {
  const browser = new WebClient(cloud, ORIGIN);
  expect((await browser.signInAnonymously()).status).toBe(200);
  const { sessionId } = data(await browser.call('desk', 'startLogin', {}));
  data(await desk(openid, 'confirmLogin', { sessionId }));
  const poll = data(await browser.call('desk', 'pollLogin', { sessionId }));
  if (poll.status !== 'confirmed') throw new Error(`expected confirmed, got ${poll.status}`);
  const client = new WebClient(cloud, ORIGIN);
  expect((await client.signInWithTicket(poll.ticket)).status).toBe(200);
  return client;
}

describe('the leader sees their street', () => {
  test('only the communities of their street, with counts and no person', async () => {
    const me = data(await street(LEADER, 'me', {}));
    expect(me).toEqual({ streetId: DEMO_STREET_ID, streetName: '幸福街道', name: DEMO_LEADER.name, communityCount: 2 });
    const view = data(await street(LEADER, 'overview', {}));
    expect(view.communities.map((c) => c.communityId)).toEqual(['demo', SECOND_COMMUNITY_ID]);
    expect(view.communities.map((c) => c.name)).toEqual(['幸福里社区', '安乐里社区']);
    const anle = view.communities[1];
    expect(anle).toMatchObject({
      membersActive: 5,
      membersPending: 0,
      volunteersOnDuty: 1,
      ordersCreated: 4,
      ordersClosed: 1,
      onTimeRate: 0.5,
      redNow: 1,
      ratingAverage: 3,
      ratingCount: 2,
    });
    expect(anle.red).toEqual(expect.arrayContaining(['redNow', 'onTimeRate', 'ratingAverage']));
    const demo = view.communities[0];
    expect(demo.membersActive).toBeGreaterThanOrEqual(9);
    // The same orders the community's own board shows red and closed.
    const orders = caller<import('../../cloudfunctions/orders/api').OrdersApi>(cloud, 'orders');
    expect(demo.redNow).toBe(data(await orders('demo-worker', 'listAll', { light: 'red' })).items.length);
    expect(anle.redNow).toBe(data(await orders('anle-worker', 'listAll', { light: 'red' })).items.length);
    // Nothing of a person: no name, room, phone, order text.
    const text = JSON.stringify(view);
    for (const secret of ['赵秀兰', '李梅', '钱淑芬', '13800000000', '帮忙买菜', '厨房水龙头', '301', 'demo-resident'])
      expect(text).not.toContain(secret);
    // Another street's leader sees only 和平里社区.
    const other = data(await street(OTHER_LEADER, 'overview', {}));
    expect(other.communities.map((c) => c.communityId)).toEqual(['heping']);
  });

  test('the figures follow the data: a new member waiting, a month without orders', async () => {
    const member = caller<import('../../cloudfunctions/member/api').MemberApi>(cloud, 'member');
    data(await member('street-newcomer', 'join', { inviteCode: 'DEMOJOIN', name: '新邻居', building: '3栋', room: '902' }));
    const now = data(await street(LEADER, 'overview', {}));
    expect(now.communities[0].membersPending).toBe(1);
    const past = data(await street(LEADER, 'overview', { month: '2020-01' }));
    expect(past.month).toBe('2020-01');
    expect(past.communities.every((c) => c.ordersCreated === 0 && c.onTimeRate === null && c.ratingAverage === null)).toBe(true);
  });

  test('every read is served by an index, and the calls grow with communities, not data', async () => {
    calls.length = 0;
    data(await street(LEADER, 'overview', {}));
    const reads = calls.filter((c) => c.read);
    expect(reads.filter((c) => c.read!.plan === 'scan').map((c) => c.collection)).toEqual([]);
    // The leader, the street, the names; then 20 counts and 3 short reads per community.
    expect(calls.length).toBeLessThanOrEqual(3 + 2 * 23);
  });
});

describe('who is refused', () => {
  test('a worker, a resident, a stranger; the payload cannot name another street', async () => {
    expect(errorCode(await street('demo-worker', 'overview', {}))).toBe('E_FORBIDDEN');
    expect(errorCode(await street('anle-worker', 'overview', {}))).toBe('E_FORBIDDEN');
    expect(errorCode(await street('demo-resident-1', 'me', {}))).toBe('E_FORBIDDEN');
    expect(errorCode(await street('nobody-at-all', 'overview', {}))).toBe('E_NOT_MEMBER');
    expect(errorCode(await street(undefined, 'overview', {}))).toBe('E_UNAUTHENTICATED');
    // Naming a street, a community or a leader in the payload is refused, never followed.
    for (const payload of [{ streetId: 'heping-street' }, { communityId: 'heping' }, { openid: OTHER_LEADER }])
      expect(errorCode(await street(LEADER, 'overview', payload as never))).toBe('E_VALIDATION');
    expect(errorCode(await street(LEADER, 'overview', { month: '2026-13' }))).toBe('E_VALIDATION');
  });

  test('a worker console cannot call leader actions; a leader console cannot call worker actions', async () => {
    const workerConsole = await consoleOf('demo-worker');
    expect(errorCode(await workerConsole.call('street', 'overview', {}))).toBe('E_FORBIDDEN');
    expect(errorCode(await workerConsole.call('orders', 'listAll', {}))).toBe('OK');

    const leaderConsole = await consoleOf(LEADER);
    const view = data(await leaderConsole.call('street', 'overview', {}));
    expect(view.streetId).toBe(DEMO_STREET_ID);
    for (const [fn, action] of [
      ['orders', 'listAll'],
      ['member', 'me'],
      ['member', 'list'],
      ['notices', 'list'],
      ['ledger', 'accounts'],
      ['property', 'grade'],
      ['messages', 'list'],
    ] as const) {
      const res = await (leaderConsole.call as (f: string, a: string, p: object) => ReturnType<WebClient['call']>)(fn, action, {});
      expect([fn, action, errorCode(res)]).toEqual([fn, action, 'E_FORBIDDEN']);
      expect(refusal(res).message).toBe(LEADER_CONSOLE_ONLY);
    }
    // Its own sessions: listed and ended like a worker's; a leader's console confirms no login.
    const sessions = data(await leaderConsole.call('desk', 'listSessions', {}));
    const current = sessions.items.find((s) => s.current);
    expect(current).toBeDefined();
    const browser = new WebClient(cloud, ORIGIN);
    await browser.signInAnonymously();
    const { sessionId } = data(await browser.call('desk', 'startLogin', {}));
    expect(errorCode(await leaderConsole.call('desk', 'confirmLogin', { sessionId }))).toBe('E_FORBIDDEN');
    data(await leaderConsole.call('desk', 'endSession', { sessionId: current!.sessionId }));
    expect(errorCode(await leaderConsole.call('street', 'overview', {}))).toBe('E_UNAUTHENTICATED');
  });

  test('a removed leader’s console is refused at once; the worker login is unchanged', async () => {
    await appointLeader(db, 'heping-street', 'short-leader', '临时');
    const leaderConsole = await consoleOf('short-leader');
    expect(data(await leaderConsole.call('street', 'overview', {})).communities).toHaveLength(1);
    await removeLeader(db, 'short-leader');
    expect(errorCode(await leaderConsole.call('street', 'overview', {}))).toBe('E_FORBIDDEN');
    // Moved to another street: the console confirmed for the first one is refused too.
    await appointLeader(db, 'heping-street', 'moved-leader', '调任');
    const moved = await consoleOf('moved-leader');
    await appointLeader(db, DEMO_STREET_ID, 'moved-leader', '调任');
    expect(errorCode(await moved.call('street', 'overview', {}))).toBe('E_FORBIDDEN');

    // viewLogin tells the leader which street the console will show.
    const browser = new WebClient(cloud, ORIGIN);
    await browser.signInAnonymously();
    const { sessionId } = data(await browser.call('desk', 'startLogin', {}));
    expect(data(await desk(LEADER, 'viewLogin', { sessionId }))).toMatchObject({ communityName: '幸福街道', kind: 'leader' });
    expect(data(await desk('demo-worker', 'viewLogin', { sessionId })).kind).toBeUndefined();
    // Somebody neither worker nor leader still cannot confirm.
    expect(errorCode(await desk('demo-resident-1', 'confirmLogin', { sessionId }))).toBe('E_FORBIDDEN');
    expect(errorCode(await desk('nobody-at-all', 'confirmLogin', { sessionId }))).toBe('E_NOT_MEMBER');
  });
});
