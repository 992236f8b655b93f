// Group chats as the way in, against the real functions: what each page shares, a stranger who
// opens a notice card or a building's invite card, and binding a group chat to a building.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { DEMO_NOTICES } from '../../local/seed/notices';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';
import { invokeData, type Apis } from '../helpers/call';

let cloud: LocalCloud;
const wxg = () => (globalThis as unknown as { wx: Record<string, unknown> }).wx;
const storage = new Map<string, unknown>();

function installExtraSpies() {
  const spies = {
    showShareMenu: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    setTabBarBadge: jest.fn(),
    removeTabBarBadge: jest.fn(),
    getStorageSync: jest.fn((key: string) => (storage.has(key) ? storage.get(key) : '')),
    setStorageSync: jest.fn((key: string, value: unknown) => storage.set(key, value)),
    getGroupEnterInfo: jest.fn((o: { success?: (r: unknown) => void; fail?: (e: unknown) => void }) =>
      o.fail?.({ errMsg: 'getGroupEnterInfo:fail 40097' }),
    ),
  };
  Object.assign(wxg(), spies);
  return spies;
}
let extra: ReturnType<typeof installExtraSpies>;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(() => closeCloud(cloud));
beforeEach(() => {
  extra = installExtraSpies();
});
afterEach(cleanup);

function invoke<F extends keyof Apis, A extends keyof Apis[F] & string>(fn: F, action: A, payload: unknown, openid: string) {
  return invokeData(cloud, fn, action, payload, openid);
}

/** A card's or a redirect's path → route and query, values as WeChat hands them to onLoad (not decoded). */
function open(url: string): { route: string; query: Record<string, string> } {
  const [path, search = ''] = url.split('?');
  const query: Record<string, string> = {};
  for (const pair of search.split('&').filter(Boolean)) {
    const at = pair.indexOf('=');
    query[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { route: path.replace(/^\//, ''), query };
}

const lastUrl = (spy: jest.Mock) => (spy.mock.calls[spy.mock.calls.length - 1][0] as { url: string }).url;

describe('share payloads', () => {
  test('a resident shares a notice as a card that lands on it; share tickets on', async () => {
    const page = await renderPage('pages/notices/detail/index', { openid: 'demo-resident-1', query: { id: DEMO_NOTICES.water } });
    expect(extra.showShareMenu).toHaveBeenCalledWith(expect.objectContaining({ withShareTicket: true }));
    expect(page.instance.onShareAppMessage()).toEqual({
      title: '【停水停电】1栋、2栋明日停水通知',
      path: `/pages/notices/detail/index?id=${DEMO_NOTICES.water}`,
    });
    expect(page.instance.onShareTimeline()).toEqual({ title: '1栋、2栋明日停水通知', query: `id=${DEMO_NOTICES.water}` });
  });

  test("a worker's notice card carries an invite for the notice's building, reused on the next share", async () => {
    const n = await invoke(
      'notices',
      'post',
      { title: '3栋电梯停运', body: '周三电梯年检。', category: '通知', buildings: ['3栋'] },
      'demo-worker',
    );
    const page = await renderPage('pages/notices/detail/index', { openid: 'demo-worker', query: { id: n._id } });
    const card = page.instance.onShareAppMessage();
    const { route, query } = open(card.path);
    expect(route).toBe('pages/notices/detail/index');
    expect(query.id).toBe(n._id);
    expect(query.code).toMatch(/^[A-Z2-9]{8}$/);
    const info = await invoke('member', 'inviteInfo', { inviteCode: query.code }, 'someone');
    expect(info).toMatchObject({ building: '3栋', autoApprove: false });
    page.detach();

    const again = await renderPage('pages/notices/detail/index', { openid: 'demo-worker', query: { id: n._id } });
    expect(open(again.instance.onShareAppMessage().path).query.code).toBe(query.code);
  });

  test('the groups page shares a binding card per building, and the notices otherwise', async () => {
    const page = await renderPage('packages/notices/groups/index', { openid: 'demo-worker' });
    expect(page.texts('.row__name')).toEqual(['1栋', '2栋', '3栋', '4栋', '5栋']);
    expect(page.instance.onShareAppMessage({ from: 'button', target: { dataset: { building: '3栋' } } })).toEqual({
      title: '【工作人员】点此绑定3栋楼栋群',
      path: `/packages/notices/groups/index?bind=${encodeURIComponent('3栋')}`,
    });
    expect(page.instance.onShareAppMessage({ from: 'menu' })).toEqual({ title: '幸福里社区通知', path: '/pages/notices/index' });
  });
});

describe('a stranger opens a card', () => {
  test('a notice card: join first (pending), then, once approved, the same card opens the notice', async () => {
    const share = await renderPage('pages/notices/detail/index', { openid: 'demo-worker', query: { id: DEMO_NOTICES.activity } });
    const card = open(share.instance.onShareAppMessage().path);
    share.detach();

    const landing = await renderPage(card.route, { openid: 'card-stranger-1', query: card.query });
    const toJoin = open(lastUrl(wxSpies.redirectTo));
    expect(toJoin.route).toBe('pages/join/index');
    expect(toJoin.query.code).toBe(card.query.code);
    expect(decodeURIComponent(toJoin.query.redirect)).toBe(`/pages/notices/detail/index?id=${DEMO_NOTICES.activity}`);
    landing.detach();

    const join = await renderPage(toJoin.route, { openid: 'card-stranger-1', query: toJoin.query });
    await join.input('#name-input', '孙阿姨');
    await join.tap('.chip', join.texts('.chip').indexOf('4栋'));
    await join.input('#room-input', '702');
    await join.tap('#submit');
    expect(join.text('#result')).toContain('等待社区审核');
    join.detach();

    // Still pending: the card says so instead of bouncing to the join page again.
    wxSpies.redirectTo.mockClear();
    const waiting = await renderPage(card.route, { openid: 'card-stranger-1', query: card.query });
    expect(waiting.text('#message')).toContain('等待社区审核');
    expect(wxSpies.redirectTo).not.toHaveBeenCalled();
    waiting.detach();

    await invoke('member', 'approve', { openid: 'card-stranger-1' }, 'demo-worker');
    const opened = await renderPage(card.route, { openid: 'card-stranger-1', query: card.query });
    expect(opened.text('#title')).toBe('周六上午社区义诊和理发活动');
    const me = await invoke('member', 'me', {}, 'card-stranger-1');
    expect(me).toMatchObject({ building: '4栋', room: '702', status: 'active' });
  });

  test("a building's invite card from the worker's invite page: joins 3栋 and sees 3栋's notices", async () => {
    const n = await invoke(
      'notices',
      'post',
      { title: '3栋楼道灯更换', body: '本周更换楼道灯。', category: '通知', buildings: ['3栋'] },
      'demo-worker',
    );
    const invite = await renderPage('packages/worker/invite/index', { openid: 'demo-worker' });
    await invite.tap('.chip', invite.texts('.chip').indexOf('3栋'));
    await invite.tap('.chip', invite.texts('.chip').indexOf('直接加入'));
    await invite.tap('#create');
    const card = open(invite.instance.onShareAppMessage().path);
    expect(card.route).toBe('pages/join/index');
    invite.detach();

    const join = await renderPage(card.route, { openid: 'card-stranger-2', query: card.query });
    expect(join.text('#building-fixed')).toContain('3栋');
    await join.input('#name-input', '周大爷');
    await join.input('#room-input', '601');
    await join.tap('#submit');
    expect(join.text('#result')).toContain('已加入');
    join.detach();

    const me = await invoke('member', 'me', {}, 'card-stranger-2');
    expect(me).toMatchObject({ building: '3栋', status: 'active' });
    const tab = await renderPage('pages/notices/index', { openid: 'card-stranger-2' });
    expect(tab.texts('.row__title')).toContain('3栋楼道灯更换');
    expect(tab.texts('.row__title')).not.toContain('1栋、2栋明日停水通知');
    // Before opening it they are on the live list of homes to call; joined after publication, they
    // enter the counted audience with their first open (docs/notices.md, "Stats").
    const before = await invoke('notices', 'stats', { noticeId: n._id, building: '3栋' }, 'demo-worker');
    expect(before.unread.items.map((h) => h.room)).toContain('601');
    await invoke('notices', 'get', { noticeId: n._id }, 'card-stranger-2');
    const stats = await invoke('notices', 'stats', { noticeId: n._id }, 'demo-worker');
    expect(stats.buildings[0]).toMatchObject({ building: '3栋', members: 3, read: 1 });
  });

  test('an auto-approving card that points at a notice lands on it right after joining', async () => {
    const n = await invoke(
      'notices',
      'post',
      { title: '5栋自来水管检修', body: '周五检修。', category: '停水停电', buildings: ['5栋'] },
      'demo-worker',
    );
    const { inviteCode } = await invoke('member', 'createInvite', { building: '5栋', autoApprove: true }, 'demo-worker');
    const landing = await renderPage('pages/notices/detail/index', {
      openid: 'card-stranger-3',
      query: { id: n._id, code: inviteCode },
    });
    const toJoin = open(lastUrl(wxSpies.redirectTo));
    landing.detach();

    const join = await renderPage(toJoin.route, { openid: 'card-stranger-3', query: toJoin.query });
    await join.input('#name-input', '吴阿姨');
    await join.input('#room-input', '303');
    await join.tap('#submit');
    const back = open(lastUrl(wxSpies.redirectTo));
    expect(back).toEqual({ route: 'pages/notices/detail/index', query: { id: n._id } });
    join.detach();

    const notice = await renderPage(back.route, { openid: 'card-stranger-3', query: back.query });
    expect(notice.text('#title')).toBe('5栋自来水管检修');
    const stats = await invoke('notices', 'stats', { noticeId: n._id }, 'demo-worker');
    expect(stats.buildings[0]).toMatchObject({ building: '5栋', read: 1, members: 3 });
  });
});

describe('binding a group chat', () => {
  test('a worker taps the binding card inside the group: the group is bound to the building', async () => {
    // WeChat hands a member of the group a cloudID; the stand-in WeChat issued it for this group.
    const cloudID = cloud.wechat.issueGroupCloudId('building-3-group');
    extra.getGroupEnterInfo.mockImplementation((o: { success?: (r: unknown) => void }) =>
      o.success?.({ errMsg: 'getGroupEnterInfo:ok', cloudID, encryptedData: '', iv: '' }),
    );
    const page = await renderPage('packages/notices/groups/index', {
      openid: 'demo-worker',
      query: { bind: encodeURIComponent('3栋') },
    });
    expect(page.text('#bound')).toBe('已把这个群绑定为3栋楼栋群');
    page.detach();

    const list = await renderPage('packages/notices/groups/index', { openid: 'demo-worker' });
    expect(list.texts('.row__state')[2]).toBe('已绑定 1 个群');
    expect(list.texts('.row__state')[0]).toBe('还没有绑定群');
  });

  test('outside a group, or as a resident, nothing is bound and the page says why', async () => {
    const outside = await renderPage('packages/notices/groups/index', { openid: 'demo-worker', query: { bind: '4栋' } });
    expect(outside.text('#message')).toContain('在群里点开这张卡片');
    outside.detach();

    extra.getGroupEnterInfo.mockClear();
    const resident = await renderPage('packages/notices/groups/index', { openid: 'demo-resident-4', query: { bind: '4栋' } });
    expect(resident.text('#message')).toContain('社区工作者绑定楼栋群用的');
    expect(extra.getGroupEnterInfo).not.toHaveBeenCalled();
    const groups = await invoke('notices', 'groups', {}, 'demo-worker');
    expect(groups.items.map((g: { building: string }) => g.building)).not.toContain('4栋');
  });
});
