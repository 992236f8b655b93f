// The worker's side of the console's login by scan (docs/console.md), against the real desk
// function on the local cloud: the page the code opens (where and when, 确认登录), an old or used
// code, a resident scanning; 电脑登录 listing the consoles signed in and ending one; the entry on 我的.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { collection } from '../../cloudfunctions/common/db';
import { LOGIN_TTL_MS, SESSION_TTL_MS, type DeskSessionDoc } from '../../cloudfunctions/desk/login';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, installPhoneSpies, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';

const LOGIN = 'packages/desk/login/index';
const SESSIONS = 'packages/desk/sessions/index';
const WORKER = 'demo-worker';

let cloud: LocalCloud;
let seq = 0;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(() => closeCloud(cloud));
beforeEach(() => installPhoneSpies());
afterEach(cleanup);

/** A login a browser asked for (what desk.startLogin stores), 22 characters like the real ones. */
async function waitingLogin(): Promise<string> {
  const id = `deskTestLogin${String(++seq).padStart(9, '0')}`;
  const now = Date.now();
  const doc: DeskSessionDoc = {
    _id: id,
    browser: 'anon_test_browser',
    ip: '203.0.113.9',
    status: 'waiting',
    createdAt: new Date(now),
    expiresAt: new Date(now + LOGIN_TTL_MS),
    version: 1,
  };
  await collection('desk_sessions').add(doc);
  return id;
}

const statusOf = async (id: string) => ((await collection('desk_sessions').doc(id).get()).data[0] as DeskSessionDoc).status;

describe('电脑登录确认 (the page the code opens)', () => {
  test('shows where and when, and 确认登录 confirms it and tells the worker', async () => {
    const id = await waitingLogin();
    const page = await renderPage(LOGIN, { openid: WORKER, query: { scene: id } });
    expect(page.text('#title')).toBe('电脑端请求登录社区工作台');
    expect(page.text('#ip')).toBe('203.0.113.9');
    expect(page.text('#community')).toBe('幸福里社区');
    expect(page.text('#asked-at')).not.toBe('');
    await page.tap('#confirm');
    expect(page.toast()).toMatchObject({ visible: true, message: '已确认，电脑上即将登录' });
    expect(page.text('#done')).toBe('已确认，电脑上即将登录');
    expect(await statusOf(id)).toBe('confirmed');
    const told = await collection('messages').where({ openid: WORKER, type: 'desk.login' }).get();
    expect((told.data as { title: string }[]).map((m) => m.title)).toContain('新设备登录');
  });

  test('a used or unknown code says so; a resident is told the console is for workers', async () => {
    const id = await waitingLogin();
    await renderPage(LOGIN, { openid: WORKER, query: { scene: id } }).then((p) => p.tap('#confirm'));
    const again = await renderPage(LOGIN, { openid: WORKER, query: { scene: id } });
    expect(again.exists('#gone')).toBe(true);
    expect(again.exists('#confirm')).toBe(false);
    const unknown = await renderPage(LOGIN, { openid: WORKER, query: { scene: 'A'.repeat(22) } });
    expect(unknown.exists('#gone')).toBe(true);
    const resident = await renderPage(LOGIN, { openid: 'demo-resident-1', query: { scene: await waitingLogin() } });
    expect(resident.exists('#forbidden')).toBe(true);
  });
});

test('a street leader, member of no community, sees the street and confirms a leader’s session (docs/street.md)', async () => {
  const id = await waitingLogin();
  const page = await renderPage(LOGIN, { openid: 'demo-leader', query: { scene: id } });
  expect(page.text('#community')).toBe('幸福街道');
  expect(page.text('.label')).toContain('街道');
  await page.tap('#confirm');
  expect(page.text('#done')).toBe('已确认，电脑上即将登录');
  const doc = (await collection('desk_sessions').doc(id).get()).data[0] as DeskSessionDoc;
  expect(doc).toMatchObject({ status: 'confirmed', kind: 'leader', openid: 'demo-leader', streetId: 'xingfu' });
  expect(doc.communityId).toBeUndefined();
});

describe('电脑登录 (the consoles signed in)', () => {
  test('lists the worker’s consoles and ends one after asking', async () => {
    const id = await waitingLogin();
    const now = Date.now();
    await collection('desk_sessions')
      .doc(id)
      .update({ status: 'active', openid: WORKER, communityId: 'demo', signedInAt: new Date(now), expiresAt: new Date(now + SESSION_TTL_MS), version: 2 });
    const page = await renderPage(SESSIONS, { openid: WORKER });
    expect(page.text('#session-0')).toContain('203.0.113.9');
    await page.tap('#end-0');
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '结束这台电脑的登录？' }));
    expect(page.toast()).toMatchObject({ visible: true, message: '已结束这台电脑的登录' });
    expect(await statusOf(id)).toBe('ended');
    expect(page.exists('#empty')).toBe(true);
  });

  test('我的 shows 电脑登录 to workers only', async () => {
    const worker = await renderPage('pages/mine/index', { openid: WORKER });
    expect(worker.exists('#open-desk-sessions')).toBe(true);
    await worker.tap('#open-desk-sessions');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${SESSIONS}` }));
    const resident = await renderPage('pages/mine/index', { openid: 'demo-resident-1' });
    expect(resident.exists('#open-desk-sessions')).toBe(false);
  });
});
