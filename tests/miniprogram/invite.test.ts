// The worker's invite page against the real member function: the card it shares lets a stranger join.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, wireCloud } from '../helpers/miniprogram';

const KB = 1024;
const ROUTE = 'packages/worker/invite/index';
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(() => closeCloud(cloud));
afterEach(cleanup);

test('a worker creates an invite for one building and shares a card that lands on the join page', async () => {
  const page = await renderPage(ROUTE, { openid: 'demo-worker' });
  expect(page.texts('#buildings .chip')).toEqual(['全部楼栋', '1栋', '2栋', '3栋', '4栋', '5栋']);
  expect(page.text('#approval .chip--on')).toBe('需要我审核（推荐）');

  await page.tap('#buildings .chip', 2);
  expect(page.text('#buildings .chip--on')).toBe('2栋');
  await page.tap('#create');

  const code = page.text('#invite-code');
  expect(code).toMatch(/^[A-Z0-9]{8}$/);
  expect(page.text('#invite')).toContain('适用：2栋');

  const card = page.instance.onShareAppMessage() as { title: string; path: string };
  expect(card).toEqual({ title: '邀请您加入幸福里社区（2栋）', path: `/pages/join/index?code=${code}` });

  // The invite really exists, for 2栋, and needs review.
  const info = await cloud.invoke('member', { action: 'inviteInfo', payload: { inviteCode: code } }, 'invite-stranger-1');
  expect(info).toMatchObject({ ok: true, data: { communityName: '幸福里社区', building: '2栋', autoApprove: false } });

  // A stranger taps the card.
  const query = Object.fromEntries(new URLSearchParams(card.path.split('?')[1]));
  const join = await renderPage('pages/join/index', { query, openid: 'invite-stranger-1' });
  expect(join.text('#building-fixed')).toContain('2栋');
  expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
});

test('an auto-approving invite for every building', async () => {
  const page = await renderPage(ROUTE, { openid: 'demo-worker' });
  await page.tap('#approval .chip', 1);
  await page.tap('#create');
  const code = page.text('#invite-code');
  expect(page.text('#invite')).toContain('适用：全部楼栋');
  const info = await cloud.invoke('member', { action: 'inviteInfo', payload: { inviteCode: code } }, 'invite-stranger-2');
  expect(info).toMatchObject({ ok: true, data: { autoApprove: true, buildings: ['1栋', '2栋', '3栋', '4栋', '5栋'] } });
});

test('a resident cannot create invites', async () => {
  const page = await renderPage(ROUTE, { openid: 'demo-resident-4' });
  expect(page.text('#load-error')).toBe('只有社区工作者可以邀请居民');
  expect(page.exists('#create')).toBe(false);
});
