// 我的 against the real member function on the local cloud: a worker, a resident, a pending
// applicant and someone who never joined.
import type { LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';

const KB = 1024;
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(() => closeCloud(cloud));
afterEach(cleanup);

test('a worker sees their profile in Chinese and the way into member approval', async () => {
  const page = await renderPage('pages/mine/index', { openid: 'demo-worker' });

  expect(page.text('#profile-name')).toBe('李梅');
  expect(page.text('#community-name')).toBe('幸福里社区');
  const text = page.text();
  expect(text).toContain('1栋 101室');
  expect(text).toContain('138****0000');
  expect(text).not.toContain('13800000000');
  expect(text).toContain('居民、社区工作者');
  expect(text).toContain('已加入');
  expect(page.exists('#status-notice')).toBe(false);

  await page.tap('#open-members');
  expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: '/packages/worker/members/index' });
  await page.tap('#open-invite');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/invite/index' });
  await page.tap('#open-audit');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/audit/index' });
  expect(page.maxSetDataBytes()).toBeGreaterThan(0);
  expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
});

test('a resident sees their own details and no worker console', async () => {
  const page = await renderPage('pages/mine/index', { openid: 'demo-resident-1' });

  expect(page.text('#profile-name')).toBe('赵秀兰');
  const text = page.text();
  expect(text).toContain('1栋 102室');
  expect(text).toContain('138****0021');
  expect(text).toContain('身份居民');
  expect(text).not.toContain('社区工作者');
  expect(page.exists('#open-members')).toBe(false);
  expect(page.exists('#open-invite')).toBe(false);
  expect(page.exists('#open-audit')).toBe(false);
  expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
});

test('a volunteer reads 党员志愿者; a member without a phone reads 未填写', async () => {
  const volunteer = await renderPage('pages/mine/index', { openid: 'demo-volunteer-2' });
  expect(volunteer.text()).toContain('居民、党员志愿者');
  volunteer.detach();

  const noPhone = await renderPage('pages/mine/index', { openid: 'demo-resident-3' });
  expect(noPhone.text()).toContain('手机号未填写');
});

test('an applicant waiting for review is told so', async () => {
  const res = await cloud.invoke(
    'member',
    { action: 'join', payload: { inviteCode: DEMO_INVITES.pending, name: '钱阿姨', building: '4栋', room: '302' } },
    'mine-pending-1',
  );
  expect(res.ok).toBe(true);
  const page = await renderPage('pages/mine/index', { openid: 'mine-pending-1' });

  expect(page.text('#status-notice')).toContain('等待社区审核');
  expect(page.text()).toContain('4栋 302室');
  expect(page.exists('#open-members')).toBe(false);
});

test('someone who never joined learns how to join and goes to the join page with their code', async () => {
  const page = await renderPage('pages/mine/index', { openid: 'mine-stranger-1' });

  expect(page.text('#guest')).toContain('您还没有加入社区');
  expect(page.text('#guest')).toContain('邀请卡片');
  expect(page.exists('#profile')).toBe(false);

  await page.tap('#join');
  expect(page.text('#code-error')).toBe('请输入邀请码');
  expect(wxSpies.navigateTo).not.toHaveBeenCalled();

  await page.input('#code-input', ' demo join ');
  await page.tap('#join');
  expect(page.exists('#code-error')).toBe(false);
  expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: '/pages/join/index?code=DEMOJOIN' });
  expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
});

test('coming back to the tab after joining shows the new membership', async () => {
  const page = await renderPage('pages/mine/index', { openid: 'mine-stranger-2' });
  expect(page.exists('#guest')).toBe(true);

  const res = await cloud.invoke(
    'member',
    { action: 'join', payload: { inviteCode: DEMO_INVITES.autoApprove, name: '孙大爷', room: '601' } },
    'mine-stranger-2',
  );
  expect(res.ok).toBe(true);
  await page.show();

  expect(page.exists('#guest')).toBe(false);
  expect(page.text('#profile-name')).toBe('孙大爷');
  expect(page.text()).toContain('2栋 601室');
});

test('someone in two communities sees both and switches the current one', async () => {
  const res = await cloud.invoke(
    'member',
    { action: 'join', payload: { inviteCode: DEMO_INVITES.autoApprove, name: '马丽', room: '202' } },
    'other-resident',
  );
  expect(res.ok).toBe(true);
  const page = await renderPage('pages/mine/index', { openid: 'other-resident' });
  expect(page.text('#community-name')).toBe('幸福里社区');
  expect(page.texts('.community__name').sort()).toEqual(['和平里社区', '幸福里社区']);

  const other = page.texts('.community__name').indexOf('和平里社区');
  await page.tap('.community', other);

  expect(page.text('#community-name')).toBe('和平里社区');
  expect(page.text()).toContain('A座 202室');
  const me = await cloud.invoke('member', { action: 'me' }, 'other-resident');
  expect(me).toMatchObject({ ok: true, data: { communityId: 'heping' } });
  expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
});

test('the room reads 已核实 or 待核实, and 我的家人 opens the household page', async () => {
  const verified = await renderPage('pages/mine/index', { openid: 'demo-resident-2' });
  expect(verified.text()).toContain('房号已核实');
  await verified.tap('#open-family');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/household/confirm/index' });
  verified.detach();

  const res = await cloud.invoke(
    'member',
    { action: 'join', payload: { inviteCode: DEMO_INVITES.autoApprove, name: '新邻居', room: '808' } },
    'mine-claimer',
  );
  expect(res.ok).toBe(true);
  const claimed = await renderPage('pages/mine/index', { openid: 'mine-claimer' });
  expect(claimed.text()).toContain('房号待核实（请社区工作人员核实，或请已核实的家人确认）');
});
