import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { DEMO_NOTICES } from '../../local/seed/notices';
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { MessagesApi } from '../../cloudfunctions/messages/api';
import { collection } from '../../cloudfunctions/common/db';
import { subscribeTemplates } from '../../cloudfunctions/common/notify';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';

let cloud: LocalCloud;
let notices: ReturnType<typeof caller<NoticesApi>>;
let member: ReturnType<typeof caller<MemberApi>>;
let messages: ReturnType<typeof caller<MessagesApi>>;

const WORKER = 'demo-worker';
const HOUR = 3600_000;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  notices = caller<NoticesApi>(cloud, 'notices');
  member = caller<MemberApi>(cloud, 'member');
  messages = caller<MessagesApi>(cloud, 'messages');
});
afterAll(() => cloud.close());

type PostInput = NoticesApi['post']['input'];
let seq = 0;
const post = async (extra: Partial<PostInput> = {}) =>
  data(await notices(WORKER, 'post', { title: `测试通知${++seq}`, body: '请各位居民留意。', category: '通知', ...extra }));

const feedIds = async (openid: string, extra: NoticesApi['list']['input'] = {}) =>
  data(await notices(openid, 'list', extra)).items.map((n) => n._id);

/** Only Date is faked, so the local cloud's sockets and timeouts keep running. */
function useClock(at: number): void {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
    now: at,
  });
}
afterEach(() => jest.useRealTimers());

/** Members made through an auto-approving invite for one building, as residents would join. */
async function joinMany(building: string, prefix: string, count: number, room = (i: number) => `${100 + i}`): Promise<string[]> {
  const invite = data(await member(WORKER, 'createInvite', { building, autoApprove: true }));
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  await Promise.all(
    ids.map((openid, i) => member(openid, 'join', { inviteCode: invite.inviteCode, name: `住户${i}`, room: room(i) }).then(data)),
  );
  return ids;
}

// These tests play many callers' worth of actions; limits are proven in limits.test.ts.
beforeEach(forgetLimits);

describe('seeded notices', () => {
  it('1栋 sees the pinned water notice first, 5栋 does not see it, nobody sees the draft', async () => {
    const one = await feedIds('demo-resident-1');
    expect(one[0]).toBe(DEMO_NOTICES.water);
    expect(one).toContain(DEMO_NOTICES.activity);
    expect(one).not.toContain(DEMO_NOTICES.draft);
    const five = await feedIds('demo-resident-5');
    expect(five).toContain(DEMO_NOTICES.activity);
    expect(five).not.toContain(DEMO_NOTICES.water);
    const drafts = data(await notices(WORKER, 'list', { box: 'drafts' })).items.map((n) => n._id);
    expect(drafts).toContain(DEMO_NOTICES.draft);
  });
});

describe('audience', () => {
  it('a notice for 3栋 reaches 3栋 residents, not 5栋 nor another community', async () => {
    const n = await post({ buildings: ['3栋'], title: '3栋电梯维保' });
    expect(n).toMatchObject({ state: 'published', buildings: ['3栋'], audienceText: '3栋', canManage: true, readCount: 0 });
    expect(await feedIds('demo-resident-3')).toContain(n._id);
    expect(await feedIds('demo-volunteer-2')).toContain(n._id);
    expect(await feedIds('demo-resident-5')).not.toContain(n._id);
    expect(await feedIds('other-resident')).not.toContain(n._id);

    const opened = data(await notices('demo-resident-3', 'get', { noticeId: n._id }));
    expect(opened).toMatchObject({ title: '3栋电梯维保', read: true, canManage: false });
    expect(opened.readCount).toBeUndefined();

    const refused = await notices('demo-resident-5', 'get', { noticeId: n._id });
    expect(errorCode(refused)).toBe('E_NOT_FOUND');
    // Not addressed to 5栋: answered exactly as a missing notice (docs/conventions.md, existence).
    expect(!refused.ok && refused.error.message).toBe('这条通知不存在或已被删除');
    expect(errorCode(await notices('other-resident', 'get', { noticeId: n._id }))).toBe('E_NOT_FOUND');
    expect(errorCode(await notices('other-worker', 'get', { noticeId: n._id }))).toBe('E_NOT_FOUND');
  });

  it('a whole-community notice reaches every building', async () => {
    const n = await post({ title: '全体居民消防演练' });
    expect(n.audienceText).toBe('全体居民');
    for (const who of ['demo-resident-1', 'demo-resident-2', 'demo-resident-3', 'demo-resident-4', 'demo-resident-5']) {
      expect(await feedIds(who)).toContain(n._id);
    }
    expect(await feedIds('other-resident')).not.toContain(n._id);
  });

  it('several buildings, in community order, and only buildings of the community', async () => {
    const n = await post({ buildings: ['4栋', '2栋', '4栋'] });
    expect(n.buildings).toEqual(['2栋', '4栋']);
    expect(await feedIds('demo-resident-2')).toContain(n._id);
    expect(await feedIds('demo-resident-4')).toContain(n._id);
    expect(await feedIds('demo-resident-3')).not.toContain(n._id);
    const before = await snapshot();
    const bad = await notices(WORKER, 'post', { title: '甲', body: '乙', category: '通知', buildings: ['9栋'] });
    expect(errorCode(bad)).toBe('E_VALIDATION');
    expect(!bad.ok && bad.error.message).toContain('9栋');
    expect(await snapshot()).toEqual(before);
  });

  it('filters by category', async () => {
    const safety = await post({ category: '安全提示', buildings: ['4栋'] });
    const items = data(await notices('demo-resident-4', 'list', { category: '安全提示' })).items;
    expect(items.map((n) => n._id)).toContain(safety._id);
    expect(items.every((n) => n.category === '安全提示')).toBe(true);
  });
});

describe('order, pages and unread marks', () => {
  it('pinned first, then newest; unread marked until opened', async () => {
    const base = Date.now();
    useClock(base - 3 * HOUR);
    const a = await post({ buildings: ['5栋'], title: '较早' });
    useClock(base - 2 * HOUR);
    const pinned = await post({ buildings: ['5栋'], title: '置顶', pinned: true });
    useClock(base - 1 * HOUR);
    const c = await post({ buildings: ['5栋'], title: '最新' });
    jest.useRealTimers();
    const items = data(await notices('demo-resident-5', 'list', {})).items;
    const ids = items.map((n) => n._id);
    expect(ids.indexOf(pinned._id)).toBe(0);
    expect(ids.indexOf(c._id)).toBeLessThan(ids.indexOf(a._id));
    expect(items.find((n) => n._id === c._id)).toMatchObject({ read: false, pinned: false, excerpt: '请各位居民留意。' });

    data(await notices('demo-resident-5', 'get', { noticeId: c._id }));
    const again = data(await notices('demo-resident-5', 'list', {})).items;
    expect(again.find((n) => n._id === c._id)?.read).toBe(true);
    expect(again.find((n) => n._id === a._id)?.read).toBe(false);
  });

  it('pages by 20', async () => {
    for (let i = 0; i < 22; i++) await post({ buildings: ['4栋'], category: '议事公示', title: `议事${i}` });
    const first = data(await notices('demo-resident-4', 'list', { category: '议事公示' }));
    expect(first.items).toHaveLength(20);
    expect(first.hasMore).toBe(true);
    const second = data(await notices('demo-resident-4', 'list', { category: '议事公示', page: 2 }));
    expect(second.items.length).toBeGreaterThanOrEqual(2);
    expect(new Set([...first.items, ...second.items].map((n) => n._id)).size).toBe(first.items.length + second.items.length);
  });
});

describe('expiry, withdrawal, scheduling, drafts', () => {
  it('an expired notice leaves the feed and cannot be opened by a resident', async () => {
    const now = Date.now();
    const n = await post({ buildings: ['2栋'], expiresAt: new Date(now + HOUR).toISOString() });
    expect(await feedIds('demo-resident-2')).toContain(n._id);
    useClock(now + 2 * HOUR);
    expect(await feedIds('demo-resident-2')).not.toContain(n._id);
    const res = await notices('demo-resident-2', 'get', { noticeId: n._id });
    expect(errorCode(res)).toBe('E_NOT_FOUND');
    expect(!res.ok && res.error.message).toContain('过期');
    // The worker still finds it among the sent ones, marked expired.
    const sent = data(await notices(WORKER, 'list', { box: 'sent' })).items;
    expect(sent.find((x) => x._id === n._id)?.state).toBe('expired');
  });

  it('an expiry before the publishing time is refused', async () => {
    const now = Date.now();
    const res = await notices(WORKER, 'post', {
      title: '甲',
      body: '乙',
      category: '通知',
      publishAt: new Date(now + 2 * HOUR).toISOString(),
      expiresAt: new Date(now + HOUR).toISOString(),
    });
    expect(errorCode(res)).toBe('E_VALIDATION');
    expect(
      errorCode(
        await notices(WORKER, 'post', {
          title: '甲',
          body: '乙',
          category: '通知',
          publishAt: new Date(now + 100 * 24 * HOUR).toISOString(),
        }),
      ),
    ).toBe('E_VALIDATION');
    expect(errorCode(await notices(WORKER, 'post', { title: '甲', body: '乙', category: '其他' as never }))).toBe('E_VALIDATION');
  });

  it('withdrawal removes it from every list but the withdrawn box, once', async () => {
    const n = await post({ buildings: ['1栋'] });
    data(await notices('demo-resident-1', 'get', { noticeId: n._id }));
    const w = data(await notices(WORKER, 'withdraw', { noticeId: n._id, reason: '内容有误' }));
    expect(w.state).toBe('withdrawn');
    expect(await feedIds('demo-resident-1')).not.toContain(n._id);
    const res = await notices('demo-resident-1', 'get', { noticeId: n._id });
    expect(errorCode(res)).toBe('E_NOT_FOUND');
    expect(!res.ok && res.error.message).toContain('撤回');
    expect(errorCode(await notices(WORKER, 'withdraw', { noticeId: n._id }))).toBe('E_CONFLICT');
    expect(await feedIds(WORKER, { box: 'withdrawn' })).toContain(n._id);
    expect(await feedIds(WORKER, { box: 'sent' })).not.toContain(n._id);
    const log = await collection('audit')
      .where({ target: `notice:${n._id}`, what: 'notices.withdraw' })
      .get();
    expect(log.data).toHaveLength(1);
  });

  it('a scheduled notice appears at its time; it can be edited until then, not after', async () => {
    const now = Date.now();
    const at = new Date(now + HOUR).toISOString();
    const n = await post({ buildings: ['3栋'], publishAt: at, title: '定时通知' });
    expect(n.state).toBe('scheduled');
    expect(await feedIds('demo-resident-3')).not.toContain(n._id);
    expect(errorCode(await notices('demo-resident-3', 'get', { noticeId: n._id }))).toBe('E_NOT_FOUND');
    expect(await feedIds(WORKER, { box: 'scheduled' })).toContain(n._id);

    const edited = data(
      await notices(WORKER, 'update', {
        noticeId: n._id,
        title: '定时通知（已修改）',
        body: '新的正文',
        category: '活动',
        buildings: ['3栋', '4栋'],
        publishAt: at,
      }),
    );
    expect(edited).toMatchObject({ state: 'scheduled', title: '定时通知（已修改）', buildings: ['3栋', '4栋'] });

    useClock(now + 2 * HOUR);
    expect(await feedIds('demo-resident-4')).toContain(n._id);
    expect(await feedIds(WORKER, { box: 'scheduled' })).not.toContain(n._id);
    const late = await notices(WORKER, 'update', { noticeId: n._id, title: '再改', body: '正文', category: '活动' });
    expect(errorCode(late)).toBe('E_CONFLICT');
  });

  it('a draft is seen by workers only, until it is published', async () => {
    const d = await post({ draft: true, buildings: ['2栋'], title: '草稿' });
    expect(d.state).toBe('draft');
    expect(await feedIds('demo-resident-2')).not.toContain(d._id);
    expect(await feedIds(WORKER, { box: 'drafts' })).toContain(d._id);
    expect(errorCode(await notices('demo-resident-2', 'get', { noticeId: d._id }))).toBe('E_NOT_FOUND');
    expect(data(await notices(WORKER, 'get', { noticeId: d._id })).read).toBe(false);
    expect(errorCode(await notices('demo-resident-2', 'list', { box: 'drafts' }))).toBe('E_FORBIDDEN');

    const published = data(
      await notices(WORKER, 'update', { noticeId: d._id, title: '正式通知', body: '正文', category: '通知', buildings: ['2栋'] }),
    );
    expect(published.state).toBe('published');
    expect(await feedIds('demo-resident-2')).toContain(d._id);
    expect(await feedIds(WORKER, { box: 'drafts' })).not.toContain(d._id);
  });

  it('a repeated request creates one notice', async () => {
    const input = { title: '重复提交', body: '正文', category: '通知' as const, requestId: 'req-notice-1' };
    const [a, b] = await Promise.all([notices(WORKER, 'post', input), notices(WORKER, 'post', input)]);
    expect(data(a)._id).toBe(data(b)._id);
    const docs = await collection('notices').where({ title: '重复提交' }).get();
    expect(docs.data).toHaveLength(1);
  });
});

describe('content check', () => {
  const cases: [string, Partial<PostInput>, string][] = [
    ['title', { title: '周末赌博活动' }, '标题'],
    ['body', { body: '欢迎参加赌博' }, '正文'],
  ];
  for (const [where, extra, label] of cases) {
    it(`blocks a listed word in the ${where} and writes nothing`, async () => {
      const before = await snapshot();
      const res = await notices(WORKER, 'post', { title: '通知', body: '正文', category: '通知', ...extra });
      expect(errorCode(res)).toBe('E_CONTENT_REJECTED');
      expect(!res.ok && res.error.message).toContain(label);
      expect(await snapshot()).toEqual(before);
    });
  }

  it('blocks it in an update too', async () => {
    const d = await post({ draft: true });
    const before = await snapshot();
    const res = await notices(WORKER, 'update', { noticeId: d._id, title: '赌博', body: '正文', category: '通知', draft: true });
    expect(errorCode(res)).toBe('E_CONTENT_REJECTED');
    expect(await snapshot()).toEqual(before);
  });
});

describe('read receipts, stats and remind', () => {
  it('opening twice counts once', async () => {
    const n = await post({ buildings: ['2栋'] });
    data(await notices('demo-resident-2', 'get', { noticeId: n._id }));
    data(await notices('demo-resident-2', 'get', { noticeId: n._id }));
    const reads = await collection('notice_reads').where({ noticeId: n._id }).get();
    expect(reads.data).toHaveLength(1);
    expect(data(await notices(WORKER, 'get', { noticeId: n._id })).readCount).toBe(1);
    const stats = data(await notices(WORKER, 'stats', { noticeId: n._id }));
    expect(stats.buildings).toEqual([{ building: '2栋', members: 1, read: 1, households: 1, readHouseholds: 1, rate: 1 }]);
  });

  it('per-building rates and the unread households, for several buildings; remind sends once', async () => {
    // 3栋 402 gets a second member: the household counts once and is read when either opens it.
    const [joiner] = await joinMany('3栋', 'household-402', 1, () => '402');
    data(await member(WORKER, 'verifyHousehold', { openid: joiner, note: '查看户口本' }));
    const n = await post({ buildings: ['1栋', '3栋', '5栋'], title: '燃气安全检查' });
    data(await notices('demo-resident-1', 'get', { noticeId: n._id }));
    data(await notices('demo-resident-3', 'get', { noticeId: n._id }));

    const stats = data(await notices(WORKER, 'stats', { noticeId: n._id }));
    expect(stats.audienceText).toBe('1栋、3栋、5栋');
    expect(stats.buildings).toEqual([
      // 李梅 (1栋 101) is the worker: not the audience (docs/notices.md, "Who counts").
      { building: '1栋', members: 2, read: 1, households: 2, readHouseholds: 1, rate: 1 / 2 },
      { building: '3栋', members: 3, read: 1, households: 2, readHouseholds: 1, rate: 0.5 },
      { building: '5栋', members: 2, read: 0, households: 2, readHouseholds: 0, rate: 0 },
    ]);
    expect(stats.totals).toEqual({ members: 7, read: 2, households: 6, readHouseholds: 2, rate: 2 / 6 });
    const unread = stats.unread.items.map((h) => `${h.building}-${h.room}`).sort();
    expect(unread).toEqual(['1栋-302', '3栋-201', '5栋-502', '5栋-601']);
    expect(stats.unread.items.find((h) => h.room === '302')?.members[0]).toMatchObject({ name: '张建国', phone: '13800000011' });

    const five = data(await notices(WORKER, 'stats', { noticeId: n._id, building: '5栋' }));
    expect(five.unread.items.map((h) => h.room).sort()).toEqual(['502', '601']);

    // A subscribe authorisation for one of them: the reminder also goes out as a subscribe message.
    data(await messages('demo-resident-5', 'grantSubscribe', { templateIds: [subscribeTemplates().notice] }));

    const remind = data(await notices(WORKER, 'remind', { noticeId: n._id }));
    expect(remind.sent).toBe(4);
    const again = await notices(WORKER, 'remind', { noticeId: n._id });
    expect(errorCode(again)).toBe('E_CONFLICT');
    expect(!again.ok && again.error.message).toContain('提醒过');

    const sentTo = await collection('messages')
      .where({ type: 'notice.reminder', link: `/pages/notices/detail/index?id=${n._id}` })
      .limit(100)
      .get();
    expect(sentTo.data.map((m: { openid: string }) => m.openid).sort()).toEqual(
      ['demo-volunteer-1', 'demo-volunteer-2', 'demo-volunteer-3', 'demo-resident-5'].sort(),
    );
    const pushes = await collection('subscribe_sends').where({ openid: 'demo-resident-5', type: 'notice.reminder' }).get();
    expect(pushes.data).toHaveLength(1);
    expect(pushes.data[0]).toMatchObject({ status: 'sent', page: `pages/notices/detail/index?id=${n._id}` });

    const after = data(await notices(WORKER, 'stats', { noticeId: n._id }));
    expect(after.remindedCount).toBe(4);
    expect(after.remindedAt).toBeDefined();
  });

  it('someone who only claims an elder’s room does not make her home read (docs/members.md)', async () => {
    const [claimer] = await joinMany('1栋', 'claims-102', 1, () => '102');
    const n = await post({ buildings: ['1栋'], title: '燃气检查' });
    data(await notices(claimer, 'get', { noticeId: n._id }));
    const stats = data(await notices(WORKER, 'stats', { noticeId: n._id }));
    // 赵秀兰's home (独居老人) is still unread and first to call; the claimer read as a household of one.
    expect(stats.unread.items[0]).toMatchObject({ room: '102', verified: true, attention: true, members: [{ name: '赵秀兰' }] });
    expect(stats.unread.items.some((h) => h.members.some((m) => m.name === '住户0'))).toBe(false);
    expect(stats.buildings[0]).toMatchObject({ building: '1栋', readHouseholds: 1, read: 1 });
    // Once a worker verifies the room, they are one household: the list of homes to call is read
    // live, so her home is off it; the counters stay those of publication and first opens
    // (docs/notices.md, "Stats").
    data(await member(WORKER, 'verifyHousehold', { openid: claimer }));
    const after = data(await notices(WORKER, 'stats', { noticeId: n._id }));
    expect(after.unread.items.map((h) => h.room)).not.toContain('102');
    expect(after.buildings[0]).toEqual(stats.buildings[0]);
  });

  it('two workers reminding at once send one reminder', async () => {
    const n = await post({ buildings: ['4栋'], title: '并发提醒' });
    const results = await Promise.all([
      notices(WORKER, 'remind', { noticeId: n._id }),
      notices(WORKER, 'remind', { noticeId: n._id }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const sent = await collection('messages')
      .where({ type: 'notice.reminder', openid: 'demo-resident-4', link: `/pages/notices/detail/index?id=${n._id}` })
      .get();
    expect(sent.data).toHaveLength(1);
  });

  it('a draft or scheduled notice cannot be reminded', async () => {
    const d = await post({ draft: true });
    expect(errorCode(await notices(WORKER, 'remind', { noticeId: d._id }))).toBe('E_CONFLICT');
  });

  it('50 residents opening the same notice at once: read count exactly 50', async () => {
    const residents = await joinMany('4栋', 'race', 50);
    const n = await post({ buildings: ['4栋'], title: '并发阅读' });
    const results = await Promise.all(residents.map((openid) => notices(openid, 'get', { noticeId: n._id })));
    expect(results.every((r) => r.ok)).toBe(true);
    // And each of them opens it once more: still 50.
    await Promise.all(residents.slice(0, 10).map((openid) => notices(openid, 'get', { noticeId: n._id })));
    const reads = await collection('notice_reads').where({ noticeId: n._id }).limit(1000).get();
    expect(reads.data).toHaveLength(50);
    const stored = await collection('notices').doc(n._id).get();
    expect((stored.data[0] as { readCount: number }).readCount).toBe(50);
    const stats = data(await notices(WORKER, 'stats', { noticeId: n._id }));
    expect(stats.buildings[0]).toMatchObject({ building: '4栋', read: 50 });
  });
});

describe('group chats', () => {
  it('a worker binds a group chat to a building; binding it again moves it', async () => {
    // Two cloudIDs of one group (each opening of a card in it gives a new one) name one binding.
    const bound = data(
      await notices(WORKER, 'bindGroup', { building: '3栋', cloudId: cloud.wechat.issueGroupCloudId('group-a') }),
    );
    expect(bound.building).toBe('3栋');
    const moved = data(
      await notices(WORKER, 'bindGroup', { building: '4栋', cloudId: cloud.wechat.issueGroupCloudId('group-a') }),
    );
    expect(moved.groupKey).toBe(bound.groupKey);
    const groups = data(await notices(WORKER, 'groups', {})).items;
    expect(groups.filter((g) => g.groupKey === bound.groupKey)).toEqual([expect.objectContaining({ building: '4栋' })]);
    expect(errorCode(await notices(WORKER, 'bindGroup', { building: '9栋', cloudId: 'x' }))).toBe('E_VALIDATION');
    // A cloudID WeChat has no open data for, or a failing exchange, binds nothing.
    const before = data(await notices(WORKER, 'groups', {})).items.length;
    expect(errorCode(await notices(WORKER, 'bindGroup', { building: '3栋', cloudId: 'not-issued-by-wechat' }))).toBe(
      'E_VALIDATION',
    );
    cloud.wechat.failNext('ApiGetOpenDataByCloudId', { network: true });
    expect(
      errorCode(await notices(WORKER, 'bindGroup', { building: '3栋', cloudId: cloud.wechat.issueGroupCloudId('group-b') })),
    ).toBe('E_VALIDATION');
    expect(data(await notices(WORKER, 'groups', {})).items).toHaveLength(before);
    expect(data(await notices('other-worker', 'groups', {})).items).toEqual([]);
  });
});

describe('authorization table', () => {
  type Act = keyof NoticesApi;
  const callers: [string, string | undefined][] = [
    ['resident', 'demo-resident-5'],
    ['volunteer', 'demo-volunteer-1'],
    ['worker', WORKER],
    ['non-member', 'nobody-at-all'],
    ['no identity', undefined],
    ['worker of another community', 'other-worker'],
    ['resident of another community', 'other-resident'],
  ];
  const workerOnly: Act[] = ['post', 'update', 'withdraw', 'stats', 'remind', 'bindGroup', 'groups'];
  /** Valid payloads; mutating ones get a fresh demo notice each time. */
  const payloads: Record<Act, () => Promise<object>> = {
    post: async () => ({ title: '授权测试', body: '正文', category: '通知' }),
    update: async () => ({
      noticeId: (await post({ draft: true }))._id,
      title: '改',
      body: '正文',
      category: '通知',
      draft: true,
    }),
    withdraw: async () => ({ noticeId: (await post())._id }),
    list: async () => ({}),
    get: async () => ({ noticeId: DEMO_NOTICES.activity }),
    stats: async () => ({ noticeId: DEMO_NOTICES.activity }),
    remind: async () => ({ noticeId: (await post({ buildings: ['5栋'] }))._id }),
    bindGroup: async () => ({ building: '5栋', cloudId: cloud.wechat.issueGroupCloudId('auth-table-group') }),
    groups: async () => ({}),
  };
  // Another community's worker acts in their own community: their own lists and posts work,
  // demo's notices are not found.
  const otherWorkerOk: Act[] = ['post', 'list', 'groups'];

  function expected(act: Act, who: string): string {
    if (who === 'no identity') return 'E_UNAUTHENTICATED';
    if (who === 'non-member') return 'E_NOT_MEMBER';
    if (who === 'worker') return 'OK';
    if (who === 'worker of another community') {
      if (otherWorkerOk.includes(act)) return 'OK';
      return act === 'bindGroup' ? 'E_VALIDATION' : 'E_NOT_FOUND';
    }
    if (workerOnly.includes(act)) return 'E_FORBIDDEN';
    if (who === 'resident of another community') return act === 'get' ? 'E_NOT_FOUND' : 'OK';
    return 'OK';
  }

  for (const act of Object.keys(payloads) as Act[]) {
    for (const [who, openid] of callers) {
      const want = expected(act, who);
      it(`${act} as ${who} → ${want}`, async () => {
        const payload = await payloads[act]();
        const before = want === 'OK' ? undefined : await snapshot();
        const res = await cloud.invoke('notices', { action: act, payload }, openid);
        expect(errorCode(res)).toBe(want);
        if (!res.ok) expect(res.error.message).toMatch(/[\u4e00-\u9fa5]/);
        if (before) expect(await snapshot()).toEqual(before);
      });
    }
  }

  it('an unknown action and operator injection are refused', async () => {
    expect(errorCode(await cloud.invoke('notices', { action: 'dropAll' }, WORKER))).toBe('E_UNKNOWN_ACTION');
    expect(errorCode(await cloud.invoke('notices', { action: 'get', payload: { noticeId: { $gt: '' } } }, WORKER))).toBe(
      'E_VALIDATION',
    );
    expect(errorCode(await cloud.invoke('notices', { action: 'list', payload: { box: 'all' } }, WORKER))).toBe('E_VALIDATION');
  });
});
