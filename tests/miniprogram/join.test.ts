// The join page (landing page of an invite card) against the real member function on the local cloud.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { MemberView } from '../../cloudfunctions/member/api';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, wireCloud, wxSpies, type CloudCall, type PageHandle } from '../helpers/miniprogram';
import { invokeData } from '../helpers/call';

const KB = 1024;
let cloud: LocalCloud;
let calls: CloudCall[];

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  calls = wireCloud(cloud).calls;
});
afterAll(() => closeCloud(cloud));
afterEach(cleanup);

async function createInvite(payload: { building?: string; autoApprove?: boolean } = {}): Promise<string> {
  return (await invokeData(cloud, 'member', 'createInvite', payload, 'demo-worker')).inviteCode;
}

/** Every member of the demo community with the given status, as the worker's list answers. */
async function membersWith(status: 'pending' | 'active' | 'rejected'): Promise<MemberView[]> {
  const all: MemberView[] = [];
  for (let page = 1; ; page++) {
    const res = await invokeData(cloud, 'member', 'list', { status, page }, 'demo-worker');
    all.push(...res.items);
    if (!res.hasMore) return all;
  }
}

async function fill(page: PageHandle, form: { name?: string; room?: string; phone?: string; building?: string }) {
  if (form.name !== undefined) await page.input('#name-input', form.name);
  if (form.building !== undefined) {
    const index = page.texts('.chip').indexOf(form.building);
    expect(index).toBeGreaterThanOrEqual(0);
    await page.tap('.chip', index);
  }
  if (form.room !== undefined) await page.input('#room-input', form.room);
  if (form.phone !== undefined) await page.input('#phone-input', form.phone);
}

test('a stranger opens an invite card, fills the form and waits for review in the chosen building', async () => {
  const code = await createInvite();
  const page = await renderPage('pages/join/index', { query: { code }, openid: 'stranger-join-1' });

  expect(page.text('#community-name')).toBe('加入幸福里社区');
  expect(page.texts('.chip')).toEqual(['1栋', '2栋', '3栋', '4栋', '5栋']);
  expect(page.text()).toContain('手机号（选填）');
  expect(page.text()).toContain('志愿者上门前可以先给您打电话');

  await fill(page, { name: '王秀英', building: '3栋', room: '502', phone: '13912345678' });
  expect(page.text('.chip--on')).toBe('3栋');
  await page.tap('#submit');

  expect(page.text('#result')).toContain('已提交，等待社区审核');
  expect(wxSpies.redirectTo).not.toHaveBeenCalled();

  const pending = await membersWith('pending');
  const me = pending.find((m) => m.openid === 'stranger-join-1');
  expect(me).toMatchObject({ name: '王秀英', building: '3栋', room: '502', phone: '13912345678', status: 'pending' });
  expect(page.maxSetDataBytes()).toBeGreaterThan(0);
  expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
});

test("an auto-approving invite for one building joins at once and goes on to the card's item", async () => {
  const code = await createInvite({ building: '2栋', autoApprove: true });
  const redirect = encodeURIComponent('/packages/notices/detail/index?id=n1');
  const page = await renderPage('pages/join/index', { query: { code, redirect }, openid: 'stranger-join-2' });

  expect(page.text('#building-fixed')).toContain('2栋');
  expect(page.count('.chip')).toBe(0);
  await fill(page, { name: '李建华', room: '1203' });
  await page.tap('#submit');

  expect(page.text('#result')).toContain('已加入幸福里社区');
  expect(page.text('#result')).toContain('房号核实前只能为自己预约');
  expect(wxSpies.redirectTo).toHaveBeenCalledWith({ url: '/packages/notices/detail/index?id=n1' });

  const active = await membersWith('active');
  expect(active.find((m) => m.openid === 'stranger-join-2')).toMatchObject({ building: '2栋', room: '1203', status: 'active' });
  expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
});

test('bad input shows what to fix next to each field and writes nothing', async () => {
  const code = await createInvite();
  const before = (await membersWith('pending')).length;
  const page = await renderPage('pages/join/index', { query: { code }, openid: 'stranger-join-3' });

  await page.tap('#submit');
  expect(page.text('#name-error')).toBe('请填写姓名');
  expect(page.text('#building-error')).toBe('请选择您住的楼栋');
  expect(page.text('#room-error')).toBe('请填写房号，例如 302');
  expect(page.exists('#phone-error')).toBe(false);

  await fill(page, { name: '赵大爷', building: '1栋', room: '201', phone: '12345' });
  expect(page.exists('#name-error')).toBe(false);
  await page.tap('#submit');
  expect(page.text('#phone-error')).toContain('11 位数字');
  expect(page.text('#form-error')).toContain('请按红字提示修改');

  expect(calls.filter((c) => c.openid === 'stranger-join-3' && c.action === 'join')).toHaveLength(0);
  expect((await membersWith('pending')).length).toBe(before);
  expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
});

test('text the server refuses (content check) shows its message and writes nothing', async () => {
  const code = await createInvite();
  const page = await renderPage('pages/join/index', { query: { code }, openid: 'stranger-join-4' });
  await fill(page, { name: '办证刘', building: '4栋', room: '101' });
  await page.tap('#submit');

  expect(page.text('#form-error')).toMatch(/姓名/);
  expect(page.toast()).toMatchObject({ visible: true, message: page.text('#form-error') });
  expect(page.data.phase).toBe('form');
  const everyone = [...(await membersWith('pending')), ...(await membersWith('active'))];
  expect(everyone.some((m) => m.openid === 'stranger-join-4')).toBe(false);
});

test('an unknown invite code says so and lets the person type another one', async () => {
  const page = await renderPage('pages/join/index', { query: { code: 'NOSUCH99' }, openid: 'stranger-join-5' });
  expect(page.text('#invite-error')).toContain('邀请码无效或已过期');
  expect(page.exists('#code-input')).toBe(true);

  await page.input('#code-input', 'ab1');
  await page.tap('#code-submit');
  expect(page.text('#code-error')).toContain('6 到 12 位');

  const code = await createInvite();
  await page.input('#code-input', code.toLowerCase());
  await page.tap('#code-submit');
  expect(page.text('#community-name')).toBe('加入幸福里社区');
});
