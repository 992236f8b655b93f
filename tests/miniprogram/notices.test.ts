// The notice pages against the real notices, messages and member functions on the local cloud:
// the 通知 tab, the detail, the worker's compose / manage / stats pages, the inbox and the 我的 badge.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { DEMO_NOTICES } from '../../local/seed/notices';
import { dateText, isoText, longDateTime, wallTime } from '../../miniprogram/shared/clock';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, installPhoneSpies, renderPage, wireCloud, wxSpies, type CloudCall } from '../helpers/miniprogram';
import { invokeData, refusal, type Apis } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';

const KB = 1024;
let cloud: LocalCloud;
let calls: CloudCall[];

let extra: ReturnType<typeof installPhoneSpies>;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  calls = wireCloud(cloud).calls;
});
afterAll(() => closeCloud(cloud));
beforeEach(() => {
  extra = installPhoneSpies();
});
afterEach(cleanup);

function invoke<F extends keyof Apis, A extends keyof Apis[F] & string>(fn: F, action: A, payload: unknown, openid: string) {
  return invokeData(cloud, fn, action, payload, openid);
}

/** A notice by demo-worker; these tests post dozens, each in a fresh rate-limit window (limits.test.ts proves the limits). */
const post = async (payload: Record<string, unknown>) => {
  await forgetLimits();
  return invoke('notices', 'post', { body: '请各位居民留意。', category: '通知', ...payload }, 'demo-worker');
};

const actionsCalled = (from: number) => calls.slice(from).map((c) => `${c.name}.${c.action}`);

describe('通知 tab', () => {
  test('a 1栋 resident sees the pinned water notice first, unread marked; opening it marks it read', async () => {
    const page = await renderPage('pages/notices/index', { openid: 'demo-resident-1' });
    const titles = page.texts('.row__title');
    expect(titles[0]).toBe('1栋、2栋明日停水通知');
    expect(titles).toContain('周六上午社区义诊和理发活动');
    expect(page.text('.row')).toContain('置顶');
    expect(page.text('.row')).toContain('停水停电');
    expect(page.text('.row')).toContain('未读');
    expect(page.text()).not.toContain('关于加装电梯意见征集');
    expect(extra.showTabBarRedDot).toHaveBeenCalledWith(expect.objectContaining({ index: 2 }));
    expect(page.exists('#worker-bar')).toBe(false);
    // Consent is never asked on load.
    expect(extra.requestSubscribeMessage).not.toHaveBeenCalled();

    await page.tap('.row', 0);
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: `/pages/notices/detail/index?id=${DEMO_NOTICES.water}` });
    expect(page.data.items[0].read).toBe(true);
    expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
  });

  test('a 5栋 resident does not see the 1栋–2栋 notice; the category filter narrows the list', async () => {
    const page = await renderPage('pages/notices/index', { openid: 'demo-resident-5' });
    expect(page.texts('.row__title')).not.toContain('1栋、2栋明日停水通知');
    const activity = page.texts('.filter').indexOf('活动');
    await page.tap('.filter', activity);
    expect(page.text('.filter--on')).toBe('活动');
    const categories = page.data.items.map((r: { category: string }) => r.category);
    expect(categories.length).toBeGreaterThan(0);
    expect(categories.every((c: string) => c === '活动')).toBe(true);
    await page.tap('.filter', page.texts('.filter').indexOf('议事公示'));
    expect(page.text('#empty')).toContain('暂时没有“议事公示”类的通知');
  });

  test('pages of 20 append by path', async () => {
    for (let i = 0; i < 23; i++) await post({ title: `4栋通知${i}`, buildings: ['4栋'] });
    const page = await renderPage('pages/notices/index', { openid: 'demo-resident-4' });
    expect(page.count('.row')).toBe(20);
    const firstSize = page.setDataSizes[page.setDataSizes.length - 1];
    await page.reachBottom();
    expect(page.count('.row')).toBeGreaterThanOrEqual(24);
    expect(page.text('#no-more')).toBe('没有更多了');
    const appended = page.setDataSizes[page.setDataSizes.length - 1];
    expect(appended).toBeLessThan(firstSize);
    expect(new Set(page.data.items.map((r: { id: string }) => r.id)).size).toBe(page.count('.row'));
  });

  test('a worker gets compose and manage; the consent bar asks on tap and grants one send', async () => {
    const page = await renderPage('pages/notices/index', { openid: 'demo-worker' });
    expect(page.exists('#worker-bar')).toBe(true);
    await page.tap('#compose');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/notices/compose/index' });
    await page.tap('#manage');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/notices/manage/index' });

    await page.tap('#subscribe');
    expect(extra.requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['local-notice-reminder'] }));
    const quota = await invokeData(
      cloud,
      'messages',
      'grantSubscribe',
      { templateIds: ['local-notice-reminder'] },
      'demo-worker',
    );
    expect(quota.remaining['local-notice-reminder']).toBe(2);
  });

  test('someone who never joined is pointed to joining', async () => {
    const page = await renderPage('pages/notices/index', { openid: 'tab-stranger' });
    expect(page.text('#guest')).toContain('加入社区后');
    await page.tap('#go-join');
    expect(wxSpies.switchTab).toHaveBeenCalledWith({ url: '/pages/mine/index' });
  });
});

describe('notice detail', () => {
  test('a resident reads it once, however often it is opened; no management buttons', async () => {
    const n = (await post({ title: '3栋电梯检修', buildings: ['3栋'] })) as { _id: string; publishAt: string };
    for (let i = 0; i < 2; i++) {
      const page = await renderPage('pages/notices/detail/index', { openid: 'demo-resident-3', query: { id: n._id } });
      expect(page.text('#title')).toBe('3栋电梯检修');
      expect(page.text('#meta')).toContain('发给3栋');
      // The time on the community's clock, not the machine's (Vancouver).
      expect(page.text('#meta')).toContain(` · ${longDateTime(n.publishAt)} · `);
      expect(page.text('#body')).toBe('请各位居民留意。');
      expect(page.exists('#manage')).toBe(false);
      page.detach();
    }
    const stats = await invoke('notices', 'stats', { noticeId: n._id }, 'demo-worker');
    expect(stats.buildings[0]).toMatchObject({ building: '3栋', read: 1 });
  });

  test('a resident of another building sees it as missing (it does not exist for them)', async () => {
    const n = await post({ title: '只发3栋', buildings: ['3栋'] });
    const page = await renderPage('pages/notices/detail/index', { openid: 'demo-resident-5', query: { id: n._id } });
    expect(page.text('#message')).toBe('这条通知不存在或已被删除');
  });

  test('a worker withdraws it after confirming', async () => {
    const n = await post({ title: '要撤回的通知' });
    const page = await renderPage('pages/notices/detail/index', { openid: 'demo-worker', query: { id: n._id } });
    expect(page.exists('#edit')).toBe(false);
    await page.tap('#withdraw');
    expect(wxSpies.showModal).toHaveBeenCalled();
    expect(page.text()).toContain('已撤回');
    const res = await cloud.invoke('notices', { action: 'get', payload: { noticeId: n._id } }, 'demo-resident-2');
    expect(refusal(res).message).toContain('撤回');
  });
});

describe('compose', () => {
  test('a worker writes a notice for 3栋 and 4栋, previews it and publishes; 3栋 sees it, 5栋 does not', async () => {
    const page = await renderPage('packages/notices/compose/index', { openid: 'demo-worker' });
    expect(page.texts('.building')).toEqual(['1栋', '2栋', '3栋', '4栋', '5栋']);
    await page.input('#title-input', '3、4栋周日停电');
    await page.input('#body-input', '周日 8:00–12:00 线路改造停电，请提前做好准备。');
    await page.tap('.chip', page.texts('#categories .chip').indexOf('停水停电'));
    await page.tap('.building', 2);
    await page.tap('.building', 3);
    expect(page.data.whole).toBe(false);
    await page.tap('#pinned');

    await page.tap('#preview');
    expect(page.text('#preview-title')).toBe('3、4栋周日停电');
    expect(page.text('#preview-audience')).toBe('发给3栋、4栋');
    expect(page.text('#preview-view')).toContain('置顶');
    const before = calls.length;
    await page.tap('#confirm');
    expect(actionsCalled(before)).toEqual(['notices.post']);
    const posted = calls[calls.length - 1].result as {
      data: { _id: string; buildings: string[]; pinned: boolean; category: string };
    };
    expect(posted.data).toMatchObject({ buildings: ['3栋', '4栋'], pinned: true, category: '停水停电' });
    expect(wxSpies.redirectTo).toHaveBeenCalledWith({ url: `/pages/notices/detail/index?id=${posted.data._id}` });

    const feed3 = await invoke('notices', 'list', {}, 'demo-resident-3');
    expect(feed3.items[0]).toMatchObject({ _id: posted.data._id, pinned: true });
    const feed5 = await invoke('notices', 'list', {}, 'demo-resident-5');
    expect(feed5.items.map((x: { _id: string }) => x._id)).not.toContain(posted.data._id);
    expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
  });

  test('says what is missing before calling, and shows a rejected word on the field', async () => {
    const page = await renderPage('packages/notices/compose/index', { openid: 'demo-worker' });
    const before = calls.length;
    await page.tap('#submit');
    expect(page.text('#title-error')).toBe('请填写标题');
    expect(page.text('#body-error')).toBe('请填写通知内容');
    expect(actionsCalled(before)).toEqual([]);

    await page.input('#title-input', '周末赌博活动');
    await page.input('#body-input', '正文');
    await page.tap('#submit');
    expect(page.text('#form-error')).toContain('标题');
    expect(page.text('#title-error')).toContain('不当内容');
    expect(wxSpies.redirectTo).not.toHaveBeenCalled();
  });

  test('a draft is saved, then opened from manage, edited and published', async () => {
    const page = await renderPage('packages/notices/compose/index', { openid: 'demo-worker' });
    await page.input('#title-input', '草稿：楼道清理');
    await page.input('#body-input', '本周六清理楼道杂物。');
    await page.tap('#mode-draft');
    await page.tap('#submit');
    const draft = (calls[calls.length - 1].result as { data: { _id: string; state: string } }).data;
    expect(draft.state).toBe('draft');
    page.detach();

    const manage = await renderPage('packages/notices/manage/index', { openid: 'demo-worker' });
    await manage.tap('.box', manage.texts('.box').indexOf('草稿'));
    const index = manage.texts('.row__title').findIndex((t) => t.includes('草稿：楼道清理'));
    expect(index).toBeGreaterThanOrEqual(0);
    await manage.tap('.row', index);
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: `/packages/notices/compose/index?id=${draft._id}` });
    manage.detach();

    const edit = await renderPage('packages/notices/compose/index', { openid: 'demo-worker', query: { id: draft._id } });
    expect(edit.data.editing).toBe(true);
    expect(edit.data.mode).toBe('draft');
    expect(edit.data.initialTitle).toBe('草稿：楼道清理');
    await edit.tap('#mode-now');
    const before = calls.length;
    await edit.tap('#submit');
    expect(actionsCalled(before)).toEqual(['notices.update']);
    const feed = await invoke('notices', 'list', {}, 'demo-resident-2');
    expect(feed.items.map((x: { _id: string }) => x._id)).toContain(draft._id);
  });

  test('a scheduled notice waits for its time', async () => {
    const page = await renderPage('packages/notices/compose/index', { openid: 'demo-worker' });
    await page.input('#title-input', '明早定时通知');
    await page.input('#body-input', '内容');
    await page.tap('#mode-schedule');
    // The pickers are on the community's clock (the machine runs in Vancouver).
    const day = dateText(Date.now() + 2 * 86400_000);
    page.instance.onScheduleDate({ detail: { value: day } });
    page.instance.onScheduleTime({ detail: { value: '07:30' } });
    await page.tap('#submit');
    const notice = (calls[calls.length - 1].result as { data: { state: string; publishAt: string } }).data;
    expect(notice.state).toBe('scheduled');
    expect(wallTime(notice.publishAt).hour).toBe(7);
    expect(isoText(notice.publishAt)).toBe(`${day}T07:30:00+08:00`);
  });

  test('a resident cannot compose', async () => {
    const page = await renderPage('packages/notices/compose/index', { openid: 'demo-resident-1' });
    expect(page.text('#load-error')).toBe('只有社区工作者可以发布通知');
  });
});

describe('stats and remind', () => {
  test('per-building rates, the unread households with phones, and one reminder', async () => {
    const n = await post({ title: '燃气检查', buildings: ['1栋', '5栋'] });
    await invoke('notices', 'get', { noticeId: n._id }, 'demo-resident-1');
    const page = await renderPage('packages/notices/stats/index', { openid: 'demo-worker', query: { id: n._id } });
    expect(page.text('#title')).toBe('燃气检查');
    // The worker who posted (李梅, 1栋 101) is not the audience: not counted, not listed, no call button.
    expect(page.text('#total')).toContain('1/4 户已读');
    expect(page.texts('.building__name')).toEqual(['1栋', '5栋']);
    expect(page.texts('.building__rate')).toEqual(['50%', '0%']);
    const households = page.texts('.household__where');
    expect(households).toHaveLength(3);
    expect(households).toContain('5栋 601');
    expect(households).not.toContain('1栋 101');
    expect(page.texts('.household__names').join()).not.toContain('李梅');
    expect(page.text()).toContain('打电话 13800000011');
    expect(page.text()).not.toContain('13800000000');

    await page.tap('.household__phone', 0);
    expect(extra.makePhoneCall).toHaveBeenCalled();

    await page.tap('.filter', page.texts('.filter').indexOf('5栋'));
    expect(page.texts('.household__where').sort()).toEqual(['5栋 502', '5栋 601']);

    await page.tap('#remind');
    expect(wxSpies.showModal).toHaveBeenCalled();
    expect(page.text('#reminded')).toContain('提醒 3 人');
    expect(page.exists('#remind')).toBe(false);
    const inbox = await invoke('messages', 'list', {}, 'demo-resident-5');
    expect(inbox.items[0]).toMatchObject({ type: 'notice.reminder', link: `/pages/notices/detail/index?id=${n._id}` });
  });
});

describe('inbox and the 我的 badge', () => {
  test('我的 shows the unread count and sets the tab badge; the inbox opens a message and marks all read', async () => {
    const who = 'inbox-resident';
    await invoke('member', 'join', { inviteCode: 'DEMOAUTO', name: '钱多多', room: '1501' }, who);
    const n = await post({ title: '2栋消防通道清理', buildings: ['2栋'] });
    await invoke('notices', 'remind', { noticeId: n._id }, 'demo-worker');
    const other = await post({ title: '2栋第二条', buildings: ['2栋'] });
    await invoke('notices', 'remind', { noticeId: other._id }, 'demo-worker');

    const mine = await renderPage('pages/mine/index', { openid: who });
    expect(mine.text('#unread-count')).toBe('2 条未读');
    expect(extra.setTabBarBadge).toHaveBeenLastCalledWith(expect.objectContaining({ index: 3, text: '2' }));
    await mine.tap('#open-inbox');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/notices/inbox/index' });
    mine.detach();

    const inbox = await renderPage('packages/notices/inbox/index', { openid: who });
    expect(inbox.texts('.row__title')).toEqual(['请查看社区通知：2栋第二条', '请查看社区通知：2栋消防通道清理']);
    expect(inbox.text('#unread-count')).toBe('2 条未读');
    await inbox.tap('.row', 0);
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: `/pages/notices/detail/index?id=${other._id}` });
    expect(await invoke('messages', 'unreadCount', {}, who)).toEqual({ count: 1 });
    await inbox.tap('#read-all');
    expect(await invoke('messages', 'unreadCount', {}, who)).toEqual({ count: 0 });
    expect(inbox.text('#unread-count')).toBe('没有未读消息');
    expect(extra.removeTabBarBadge).toHaveBeenCalledWith(expect.objectContaining({ index: 3 }));
  });

  test('a worker finds 通知管理 in 我的', async () => {
    const mine = await renderPage('pages/mine/index', { openid: 'demo-worker' });
    await mine.tap('#open-notices');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/notices/manage/index' });
  });
});
