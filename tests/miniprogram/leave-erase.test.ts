// 退出社区 and 注销并删除个人信息 on 我的, and 移出社区 on the worker's member page, against the
// real member function on the local cloud.
import type { LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import { collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';
import { invokeData } from '../helpers/call';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(() => closeCloud(cloud));
afterEach(cleanup);

const join = (openid: string, name: string, room: string, phone?: string) =>
  invokeData(cloud, 'member', 'join', { inviteCode: DEMO_INVITES.autoApprove, name, room, phone }, openid);
const me = (openid: string) => invokeData(cloud, 'member', 'me', {}, openid);

test('退出社区 says what leaving does, asks first, and then the page shows no community', async () => {
  await join('mine-leaver', '潘一', '301');
  const page = await renderPage('pages/mine/index', { openid: 'mine-leaver' });
  expect(page.exists('#leave')).toBe(true);

  wxSpies.showModal.mockResolvedValueOnce({ confirm: false, cancel: true, content: '' });
  await page.tap('#leave');
  expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '退出幸福里社区？' }));
  const asked = wxSpies.showModal.mock.calls[wxSpies.showModal.mock.calls.length - 1][0] as { content: string };
  expect(asked.content).toContain('订单');
  expect(asked.content).toContain('车位预约');
  expect(asked.content).toContain('重新加入');
  expect((await me('mine-leaver'))?.status).toBe('active');

  await page.tap('#leave');
  expect(await me('mine-leaver')).toBeNull();
  expect(page.toast()).toMatchObject({ visible: true, message: '已退出社区' });
  expect(page.text('#guest')).toContain('您还没有加入社区');
});

test('the only worker of a community is told why they cannot leave, and stays', async () => {
  const page = await renderPage('pages/mine/index', { openid: 'other-worker' });
  await page.tap('#leave');
  expect(page.toast()).toMatchObject({ visible: true, message: expect.stringContaining('唯一的社区工作者') });
  expect((await me('other-worker'))?.status).toBe('active');
  expect(page.text('#profile-name')).toBe('何平');
});

test('注销并删除个人信息 says what is removed and kept, and afterwards nothing names the person', async () => {
  await join('mine-eraser', '潘二', '西302', '13966667777');
  const page = await renderPage('pages/mine/index', { openid: 'mine-eraser' });

  wxSpies.showModal.mockResolvedValueOnce({ confirm: false, cancel: true, content: '' });
  await page.tap('#erase');
  const asked = wxSpies.showModal.mock.calls[wxSpies.showModal.mock.calls.length - 1][0] as { title: string; content: string };
  expect(asked.title).toBe('注销并删除个人信息？');
  for (const word of ['姓名', '手机号', '房号', '车牌', '照片', '已注销用户', '不能撤销']) expect(asked.content).toContain(word);
  expect((await me('mine-eraser'))?.name).toBe('潘二');

  await page.tap('#erase');
  expect(page.toast()).toMatchObject({ visible: true, message: '个人信息已删除' });
  expect(page.text('#guest')).toContain('您还没有加入社区');
  expect(await me('mine-eraser')).toBeNull();
  const left = await collection('members').where({ name: '潘二' }).get();
  expect(left.data).toHaveLength(0);
  // A stranger can still erase (someone who left every community may have records left).
  expect(page.exists('#erase')).toBe(true);
});

test('移出社区 on the worker’s member page asks for a reason and marks the row', async () => {
  await join('members-removee', '潘三', '303');
  const page = await renderPage('packages/worker/members/index', { openid: 'demo-worker' });
  await page.tap('.filter', 1);
  const row = page.texts('.member__name').indexOf('潘三');
  expect(row).toBeGreaterThanOrEqual(0);

  wxSpies.showModal.mockResolvedValueOnce({ confirm: false, cancel: true, content: '' });
  await page.tap(`#member-${row} .remove`);
  expect((await me('members-removee'))?.status).toBe('active');

  wxSpies.showModal.mockResolvedValueOnce({ confirm: true, cancel: false, content: ' 已搬走 ' });
  await page.tap(`#member-${row} .remove`);
  expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '将潘三移出社区？', editable: true }));
  expect(page.toast()).toMatchObject({ visible: true, message: '已将潘三移出社区' });
  expect(page.text(`#member-${row}`)).toContain('已移出');
  expect(page.exists(`#member-${row} .remove`)).toBe(false);
  expect((await me('members-removee'))?.status).toBe('removed');
  const told = await collection('messages').where({ openid: 'members-removee', type: 'member.removed' }).get();
  expect(told.data).toEqual([expect.objectContaining({ body: '已搬走' })]);

  // The removed member's 我的 says so.
  const mine = await renderPage('pages/mine/index', { openid: 'members-removee' });
  expect(mine.text('#status-notice')).toContain('您已被移出本社区');
  expect(mine.exists('#leave')).toBe(false);
});
