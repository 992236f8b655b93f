// Owners' votes through the real affairs function: opening (notice period, window, scope, request
// ids), who may cast (owners of the frozen roll only, with a sentence for everyone else), final
// ballots and receipts, proxies, closing, the published result and the one extension.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { AffairsApi } from '../../cloudfunctions/affairs/api';
import { collection } from '../../cloudfunctions/common/db';
import { put } from '../../local/seed/community';
import type { NoticeDoc } from '../../cloudfunctions/notices/model';
import { fixturePicture, startTestCloud, uploadAs } from '../helpers/local';
import { caller, data, errorCode, refusal, type Caller } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';
import { CLOCK } from '../helpers/clock';
import { equalParts, inAWeek, stageCommunity } from '../helpers/affairs';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<AffairsApi>>;
beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<AffairsApi>(cloud, 'affairs');
}, 30_000);
afterAll(() => cloud.close());
beforeEach(forgetLimits);

const W = 'demo-worker';
const DAY = 86400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const count = async (name: string) => (await collection(name).count()).total;
let seq = 0;
const open = (who: Caller, extra: Partial<Parameters<typeof call<'openVote'>>[2]> = {}) =>
  call(who, 'openVote', {
    title: '加装电梯',
    body: '使用维修资金为 1 栋加装电梯，请业主表决。',
    matter: 'major',
    closesAt: inAWeek(),
    requestId: `votes-test-${++seq}`,
    ...extra,
  });

describe('opening a vote', () => {
  test('the community notice period: 15 days unless it sets one; the demo sets 0', async () => {
    const stage = await stageCommunity('notice15', equalParts('n15', 3), { noticeDays: null });
    const now = Date.now();
    const refused = refusal(await open(stage.worker));
    expect(refused.code).toBe('E_VALIDATION');
    expect(refused.message).toContain('15 天');
    expect(errorCode(await open(stage.worker, { opensAt: iso(now + 14 * DAY), closesAt: iso(now + 20 * DAY) }))).toBe(
      'E_VALIDATION',
    );
    const later = data(await open(stage.worker, { opensAt: iso(now + 15 * DAY + 60_000), closesAt: iso(now + 20 * DAY) }));
    expect(later.state).toBe('announced');
    expect(refusal(await call('n15-1', 'cast', { voteId: later._id, choice: 'yes' }))).toMatchObject({ code: 'E_CONFLICT' });
    const demo = data(await open(W));
    expect(demo.state).toBe('open');
    expect(demo.eligible).toEqual({ owners: 10, area: expect.any(Number) });
  });

  test('refusals say why and write nothing', async () => {
    const now = Date.now();
    const before = await count('votes');
    const cases: [Caller, object, string, string][] = [
      [W, { closesAt: iso(now + 30 * 60_000) }, 'E_VALIDATION', '截止时间至少要在开始投票 1 小时之后'],
      [W, { closesAt: iso(now + 91 * DAY) }, 'E_VALIDATION', '投票时间最长 90 天'],
      [W, { opensAt: iso(now - DAY) }, 'E_VALIDATION', '开始投票时间不能早于现在'],
      [W, { buildings: ['9栋'] }, 'E_VALIDATION', '楼栋「9栋」不在本社区'],
      [W, { matter: 'huge' }, 'E_VALIDATION', '事项类型'],
      ['demo-resident-2', {}, 'E_FORBIDDEN', ''],
      [
        'other-worker',
        { buildings: ['A座'], opensAt: iso(now + 16 * DAY), closesAt: iso(now + 20 * DAY) },
        'E_CONFLICT',
        '还没有登记房屋',
      ],
    ];
    for (const [who, extra, code, text] of cases) {
      const r = refusal(await open(who, extra as never));
      expect({ extra, code: r.code, has: r.message.includes(text) }).toEqual({ extra, code, has: true });
    }
    expect(await count('votes')).toBe(before);
  });

  test('a repeated request answers the same vote; the same id with another body is refused', async () => {
    const body = {
      title: '更换门禁',
      body: '更换小区门禁系统',
      matter: 'ordinary' as const,
      closesAt: inAWeek(),
      requestId: 'repeat-vote-01',
    };
    const first = data(await call(W, 'openVote', body));
    const again = data(await call(W, 'openVote', body));
    expect(again._id).toBe(first._id);
    expect(refusal(await call(W, 'openVote', { ...body, title: '另一件事' }))).toMatchObject({ code: 'E_CONFLICT' });
    expect((await collection('votes').where({ _id: first._id }).count()).total).toBe(1);
  });

  test('the announcement is published as a notice to the scope', async () => {
    const vote = data(await open(W, { buildings: ['1栋'] }));
    const notice = (
      await collection('notices')
        .where({ _id: `n${vote._id}a` })
        .get()
    ).data[0] as NoticeDoc;
    expect(notice).toMatchObject({ category: '议事公示', audience: ['1栋'], status: 'published' });
    expect(notice.title).toContain('业主表决公告');
    // The owners of the scope's parts hear of it in their inbox; others do not.
    const told = (
      await collection('messages')
        .where({ key: `vote-open:${vote._id}` })
        .get()
    ).data as { openid: string }[];
    expect(told.map((m) => m.openid).sort()).toEqual(['demo-resident-1', 'demo-volunteer-1', 'demo-worker']);
  });
});

describe('casting', () => {
  test('tenants, owners outside the scope and owners verified after opening get a sentence; owners vote once', async () => {
    const stage = await stageCommunity(
      'cast1',
      [...equalParts('c1', 3), { room: '201', area: '80', building: '2栋', owner: 'c1-b2' }],
      {
        tenants: 1,
      },
    );
    const vote = data(await open(stage.worker, { buildings: ['1栋'] }));
    const tenant = refusal(await call(stage.tenants[0], 'cast', { voteId: vote._id, choice: 'yes' }));
    expect(tenant.code).toBe('E_FORBIDDEN');
    expect(tenant.message).toContain('租户');
    const outside = refusal(await call('c1-b2', 'cast', { voteId: vote._id, choice: 'yes' }));
    expect(outside).toMatchObject({ code: 'E_FORBIDDEN', message: expect.stringContaining('不在本次表决的范围内') });
    // The register is frozen: verifying the tenant as an owner now does not put them on this roll.
    data(await call(stage.worker, 'verifyOwner', { partId: stage.partIds[0], openid: stage.tenants[0] }));
    const late = refusal(await call(stage.tenants[0], 'cast', { voteId: vote._id, choice: 'yes' }));
    expect(late).toMatchObject({ code: 'E_FORBIDDEN', message: expect.stringContaining('发起时已确定') });

    const { receipt } = data(await call('c1-1', 'cast', { voteId: vote._id, choice: 'no' }));
    expect(receipt).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // A retry of the same cast answers the same receipt; a change of mind is refused.
    expect(data(await call('c1-1', 'cast', { voteId: vote._id, choice: 'no' }))).toEqual({ receipt });
    expect(refusal(await call('c1-1', 'cast', { voteId: vote._id, choice: 'yes' }))).toMatchObject({ code: 'E_CONFLICT' });
    const mine = data(await call('c1-1', 'getVote', { voteId: vote._id }));
    expect(mine.my).toMatchObject({ eligible: true, voted: true, receipt, choice: 'no', houses: ['1栋 101'] });
    const ballots = (await collection('ballots').where({ voteId: vote._id }).get()).data as Record<string, unknown>[];
    expect(ballots).toHaveLength(1);
    // A ballot holds no openid, and the audit says that someone voted, never how.
    expect(JSON.stringify(ballots)).not.toContain('c1-1');
    const log = (
      await collection('audit')
        .where({ what: 'affairs.cast', target: `vote:${vote._id}` })
        .get()
    ).data;
    expect(JSON.stringify(log)).not.toMatch(/"(yes|no|abstain)"/);
  });

  test('a co-owner of the same part shares the one ballot', async () => {
    const stage = await stageCommunity('coown', equalParts('co', 2), { tenants: 1 });
    data(await call(stage.worker, 'verifyOwner', { partId: stage.partIds[0], openid: stage.tenants[0] }));
    const vote = data(await open(stage.worker));
    expect(vote.eligible.owners).toBe(2);
    data(await call('co-1', 'cast', { voteId: vote._id, choice: 'yes' }));
    const spouse = data(await call(stage.tenants[0], 'getVote', { voteId: vote._id }));
    expect(spouse.my).toMatchObject({ eligible: true, voted: true });
    expect(spouse.my.receipt).toBeUndefined();
    expect(spouse.my.choice).toBeUndefined();
    expect(refusal(await call(stage.tenants[0], 'cast', { voteId: vote._id, choice: 'no' })).code).toBe('E_CONFLICT');
  });

  test('proxy ballots: marked, with the authorisation picture, at most 3 per proxy, never for one’s own house', async () => {
    const stage = await stageCommunity('proxy1', equalParts('px', 6));
    const vote = data(await open(stage.worker));
    const pic = await uploadAs(cloud, 'px-1', 'affairs', fixturePicture('done.png'));
    const proxyFor = (i: number) =>
      call('px-1', 'castProxy', { voteId: vote._id, partId: stage.partIds[i], choice: 'yes', authorization: pic });
    expect(refusal(await proxyFor(0))).toMatchObject({ code: 'E_CONFLICT', message: expect.stringContaining('请直接投票') });
    for (const i of [1, 2, 3]) expect(data(await proxyFor(i)).receipt).toBeTruthy();
    expect(refusal(await proxyFor(4))).toMatchObject({ code: 'E_CONFLICT', message: expect.stringContaining('最多代理 3 户') });
    const other = await uploadAs(cloud, 'px-6', 'affairs', fixturePicture('done.png'));
    expect(
      refusal(await call('px-6', 'castProxy', { voteId: vote._id, partId: stage.partIds[4], choice: 'no', authorization: pic }))
        .code,
    ).toBe('E_FORBIDDEN'); // another person's upload
    data(await call('px-6', 'castProxy', { voteId: vote._id, partId: stage.partIds[4], choice: 'no', authorization: other }));
    const owner = refusal(await call('px-2', 'cast', { voteId: vote._id, choice: 'no' }));
    expect(owner).toMatchObject({ code: 'E_CONFLICT', message: expect.stringContaining('代理人') });
    const ballots = (await collection('ballots').where({ voteId: vote._id, proxy: true }).get()).data as {
      authorization: string;
    }[];
    expect(ballots).toHaveLength(4);
    expect(ballots.every((b) => b.authorization.startsWith('cloud://'))).toBe(true);
    expect(data(await call('px-1', 'getVote', { voteId: vote._id })).my.proxyCount).toBe(3);
  });
});

describe('closing, the published result, the extension', () => {
  afterEach(() => jest.useRealTimers());

  test('close, publish, extend once when there is no quorum', async () => {
    const stage = await stageCommunity('close1', equalParts('cl', 6));
    const vote = data(await open(stage.worker, { matter: 'ordinary' }));
    data(await call('cl-1', 'cast', { voteId: vote._id, choice: 'yes' }));
    data(await call('cl-2', 'cast', { voteId: vote._id, choice: 'no' }));
    expect(refusal(await call('cl-3', 'tally', { voteId: vote._id }))).toMatchObject({ code: 'E_FORBIDDEN' });
    expect(refusal(await call(stage.worker, 'closeVote', { voteId: vote._id }))).toMatchObject({ code: 'E_CONFLICT' });
    expect(refusal(await call('cl-3', 'voteResult', { voteId: vote._id })).code).toBe('E_FORBIDDEN');

    jest.useFakeTimers(CLOCK);
    jest.setSystemTime(new Date(vote.closesAt).getTime() + 61_000);
    expect(refusal(await call('cl-3', 'cast', { voteId: vote._id, choice: 'yes' }))).toMatchObject({ code: 'E_CONFLICT' });
    const closed = data(await call(stage.worker, 'closeVote', { voteId: vote._id }));
    expect(closed.result).toMatchObject({ participated: { owners: 2, area: 20000 }, quorumMet: false, passed: false });
    expect(closed.canExtend).toBe(true);
    expect(data(await call('cl-3', 'tally', { voteId: vote._id }))).toEqual(closed.result);
    const published = data(await call('cl-3', 'voteResult', { voteId: vote._id }));
    expect(published.houses).toEqual(['1栋 101', '1栋 102']);
    expect(published.receipts).toHaveLength(2);
    const notice = (await collection('notices').where({ _id: closed.noticeId! }).get()).data[0] as NoticeDoc;
    expect(notice.body).toContain('1栋 101、1栋 102');
    expect(notice.body).toContain(published.receipts[0]);
    expect(notice.body).toContain('未达到三分之二');
    // Never names, never choices next to houses.
    const names = (await collection('members').where({ communityId: 'close1' }).get()).data.map(
      (m) => (m as { name: string }).name,
    );
    for (const name of names) expect(notice.body).not.toContain(name);

    const extended = data(await call(stage.worker, 'extendVote', { voteId: vote._id, closesAt: iso(Date.now() + 3 * DAY) }));
    expect(extended).toMatchObject({ state: 'open', extensions: 1 });
    for (const o of ['cl-3', 'cl-4']) data(await call(o, 'cast', { voteId: vote._id, choice: 'yes' }));
    jest.setSystemTime(new Date(extended.closesAt).getTime() + 61_000);
    const final = data(await call(stage.worker, 'closeVote', { voteId: vote._id }));
    expect(final.result).toMatchObject({ participated: { owners: 4 }, yes: { owners: 3 }, quorumMet: true, passed: true });
    expect(final.noticeId).not.toBe(closed.noticeId);
    expect(refusal(await call(stage.worker, 'extendVote', { voteId: vote._id, closesAt: iso(Date.now() + DAY) })).code).toBe(
      'E_CONFLICT',
    );
  });

  test('a vote every owner has voted in may be closed early; a second extension is refused', async () => {
    const stage = await stageCommunity('close2', equalParts('ce', 3));
    const vote = data(await open(stage.worker, { matter: 'major' }));
    for (const o of stage.owners) data(await call(o, 'cast', { voteId: vote._id, choice: 'yes' }));
    const closed = data(await call(stage.worker, 'closeVote', { voteId: vote._id }));
    expect(closed.result).toMatchObject({ quorumMet: true, passed: true });
    expect(closed.canExtend).toBe(false);
    expect(refusal(await call(stage.worker, 'extendVote', { voteId: vote._id, closesAt: inAWeek() })).message).toContain(
      '结果已确定',
    );
    expect(refusal(await call(stage.worker, 'closeVote', { voteId: vote._id })).code).toBe('E_CONFLICT');
  });
});

describe('the register', () => {
  test('import, verify, list; bad rows change nothing', async () => {
    const stage = await stageCommunity('reg1', []);
    const r = data(
      await call(stage.worker, 'importParts', {
        rows: [
          { building: '1栋', room: '101', area: '89.56' },
          { building: '1栋', room: '102', area: '76.3', holder: 'H-1' },
          { building: '2栋', room: '201', area: '120', developer: true },
        ],
      }),
    );
    expect(r).toEqual({ created: 3, updated: 0, unchanged: 0 });
    const again = data(
      await call(stage.worker, 'importParts', {
        rows: [
          { building: '1栋', room: '101', area: '89.56' },
          { building: '1栋', room: '102', area: '76.35', holder: 'H-1' },
        ],
      }),
    );
    expect(again).toEqual({ created: 0, updated: 1, unchanged: 1 });
    const before = await count('parts');
    expect(refusal(await call(stage.worker, 'importParts', { rows: [{ building: '9栋', room: '1', area: '10' }] })).code).toBe(
      'E_VALIDATION',
    );
    expect(
      refusal(await call(stage.worker, 'importParts', { rows: [{ building: '1栋', room: '1', area: '10.123' }] })).message,
    ).toContain('面积');
    expect(
      refusal(await call(stage.worker, 'importParts', { rows: [{ building: '1栋', room: '1', area: '0' }] })).message,
    ).toContain('不能为 0');
    expect(await count('parts')).toBe(before);
    const list = data(await call(stage.worker, 'listParts', {}));
    expect(list.items.map((p) => [p.building, p.room, p.area])).toEqual([
      ['1栋', '101', '89.56'],
      ['1栋', '102', '76.35'],
      ['2栋', '201', '120'],
    ]);
    const owner = 'reg1-owner';
    await put('members', {
      _id: `reg1:${owner}`,
      communityId: 'reg1',
      openid: owner,
      name: '业主甲',
      building: '1栋',
      room: '101',
      status: 'active',
      roles: ['resident'],
      tags: [],
      skills: [],
      onDuty: false,
      joinedAt: new Date(),
      updatedAt: new Date(),
      version: 1,
    } as never);
    await put('users', { _id: owner, currentCommunityId: 'reg1', updatedAt: new Date() } as never);
    const v = data(await call(stage.worker, 'verifyOwner', { partId: list.items[0]._id, openid: owner }));
    expect(v.owners).toEqual([{ openid: owner, name: '业主甲' }]);
    expect(refusal(await call(stage.worker, 'verifyOwner', { partId: list.items[0]._id, openid: owner })).code).toBe(
      'E_CONFLICT',
    );
    expect(data(await call(owner, 'myParts', {})).items.map((p) => p.room)).toEqual(['101']);
    expect(errorCode(await call(owner, 'listParts', {}))).toBe('E_FORBIDDEN');
    data(await call(stage.worker, 'removeOwner', { partId: list.items[0]._id, openid: owner }));
    expect(data(await call(owner, 'myParts', {})).items).toEqual([]);
  });
});
