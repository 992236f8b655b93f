// The worker's member approval page against the real member function on the local cloud.
import type { LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import type { MemberView } from '../../cloudfunctions/member/api';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';
import { invokeData } from '../helpers/call';
import { collection } from '../../cloudfunctions/common/db';

const KB = 1024;
const ROUTE = 'packages/worker/members/index';
let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(() => closeCloud(cloud));
afterEach(cleanup);

async function apply(openid: string, name: string, building = '3栋', room = '808'): Promise<void> {
  const res = await cloud.invoke(
    'member',
    { action: 'join', payload: { inviteCode: DEMO_INVITES.pending, name, building, room, phone: '13700001111' } },
    openid,
  );
  expect(res).toMatchObject({ ok: true, data: { status: 'pending' } });
}

async function memberStatus(openid: string): Promise<MemberView['status'] | undefined> {
  for (const status of ['pending', 'active', 'rejected'] as const) {
    for (let page = 1; ; page++) {
      const res = await invokeData(cloud, 'member', 'list', { status, page }, 'demo-worker');
      if (res.items.some((m) => m.openid === openid)) return status;
      if (!res.hasMore) break;
    }
  }
  return undefined;
}

describe('approval', () => {
  beforeAll(async () => {
    await apply('applicant-a', '周大妈', '3栋', '101');
    await apply('applicant-b', '吴师傅', '5栋', '502');
  });

  test('pending applications show first, with what a worker needs to decide', async () => {
    const page = await renderPage(ROUTE, { openid: 'demo-worker' });

    expect(page.text('.filter--on')).toBe('待审核');
    expect(page.texts('.member__name')).toEqual(['吴师傅', '周大妈']);
    expect(page.text('#member-0')).toContain('5栋 502室');
    expect(page.text('#member-0')).toContain('137****1111');
    expect(page.count('.approve')).toBe(2);
    expect(page.text('#end')).toBe('已经到底了');
    expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
  });

  test('approving a pending member makes them active and updates only that row', async () => {
    const page = await renderPage(ROUTE, { openid: 'demo-worker' });
    const row = page.texts('.member__name').indexOf('周大妈');
    expect(row).toBeGreaterThanOrEqual(0);

    await page.tap('.approve', row);

    expect(await memberStatus('applicant-a')).toBe('active');
    expect(page.text(`#member-${row}`)).toContain('已加入');
    expect(page.toast()).toMatchObject({ visible: true, message: '已通过周大妈的申请' });
    // The other application still waits, with its buttons.
    expect(page.count('.approve')).toBe(1);
    expect(await memberStatus('applicant-b')).toBe('pending');
    // Only the changed row's fields travelled.
    expect(page.setDataSizes[page.setDataSizes.length - 1]).toBeLessThan(200);

    // The member now reads 已加入 on their own 我的 page.
    const mine = await renderPage('pages/mine/index', { openid: 'applicant-a' });
    expect(mine.text()).toContain('状态已加入');
  });

  test('rejecting asks for confirmation and an optional reason', async () => {
    const page = await renderPage(ROUTE, { openid: 'demo-worker' });
    const row = page.texts('.member__name').indexOf('吴师傅');

    wxSpies.showModal.mockResolvedValueOnce({ confirm: false, cancel: true, content: '' });
    await page.tap('.reject', row);
    expect(await memberStatus('applicant-b')).toBe('pending');

    wxSpies.showModal.mockResolvedValueOnce({ confirm: true, cancel: false, content: '  不是本小区住户 ' });
    await page.tap('.reject', row);
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: '不通过吴师傅的申请？', editable: true }),
    );
    expect(await memberStatus('applicant-b')).toBe('rejected');
    expect(page.text(`#member-${row}`)).toContain('已拒绝');

    await page.tap('.filter', 2);
    expect(page.text('.filter--on')).toBe('已拒绝');
    expect(page.texts('.member__name')).toEqual(['吴师傅']);
  });

  test('a decision someone else already made is refused with a message and changes nothing', async () => {
    await apply('applicant-c', '郑奶奶', '1栋', '203');
    const page = await renderPage(ROUTE, { openid: 'demo-worker' });
    const row = page.texts('.member__name').indexOf('郑奶奶');
    // Another worker (here: a direct call) approves first.
    const res = await cloud.invoke('member', { action: 'approve', payload: { openid: 'applicant-c' } }, 'demo-worker');
    expect(res.ok).toBe(true);

    await page.tap('.reject', row);
    expect(page.toast()).toMatchObject({ visible: true, message: expect.stringContaining('刷新') });
    expect(await memberStatus('applicant-c')).toBe('active');
    expect(page.text(`#member-${row}`)).toContain('待审核');
  });
});

test('the list loads 20 at a time and appends the next page at the bottom', async () => {
  const ids = Array.from({ length: 23 }, (_, i) => i);
  await Promise.all(ids.map((i) => apply(`bulk-${i}`, `申请人${i}`, '4栋', String(100 + i))));
  const page = await renderPage(ROUTE, { openid: 'demo-worker' });

  expect(page.count('.member')).toBe(20);
  expect(page.exists('#end')).toBe(false);
  const firstPage = page.texts('.member__name');

  await page.reachBottom();
  expect(page.count('.member')).toBe(23);
  expect(page.texts('.member__name').slice(0, 20)).toEqual(firstPage);
  expect(new Set(page.texts('.member__name')).size).toBe(23);
  expect(page.text('#end')).toBe('已经到底了');

  // Nothing more to load: a further scroll makes no call.
  const before = (wx.cloud.callFunction as unknown as jest.Mock).mock.calls.length;
  await page.reachBottom();
  expect((wx.cloud.callFunction as unknown as jest.Mock).mock.calls.length).toBe(before);
  expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
});

test('the 已加入 filter lists active members with their roles', async () => {
  const page = await renderPage(ROUTE, { openid: 'demo-worker' });
  await page.tap('.filter', 1);

  expect(page.text('.filter--on')).toBe('已加入');
  const names = page.texts('.member__name');
  expect(names).toEqual(expect.arrayContaining(['李梅', '张建国', '赵秀兰']));
  const worker = names.indexOf('李梅');
  expect(page.text(`#member-${worker}`)).toContain('居民、社区工作者');
  expect(page.count('.approve')).toBe(0);
});

test('a resident who opens the page is told they may not', async () => {
  const page = await renderPage(ROUTE, { openid: 'demo-resident-2' });
  expect(page.text('#load-error')).toBe('您没有权限进行此操作');
  expect(page.count('.member')).toBe(0);
});

describe('the card editor: tags with how, the volunteer role, the room', () => {
  async function memberView(openid: string): Promise<MemberView> {
    for (let page = 1; ; page++) {
      const res = await invokeData(cloud, 'member', 'list', { status: 'active', page }, 'demo-worker');
      const found = res.items.find((m) => m.openid === openid);
      if (found) return found;
      if (!res.hasMore) throw new Error(`${openid} is not an active member`);
    }
  }

  async function openCard(name: string) {
    const page = await renderPage(ROUTE, { openid: 'demo-worker', query: { status: 'active' } });
    const row = page.texts('.member__name').indexOf(name);
    expect(row).toBeGreaterThanOrEqual(0);
    await page.tap('.manage', row);
    expect(page.count('.editor')).toBe(1);
    return { page, row };
  }

  beforeAll(async () => {
    const res = await cloud.invoke(
      'member',
      { action: 'join', payload: { inviteCode: DEMO_INVITES.autoApprove, name: '新来的', room: '909' } },
      'claimer-1',
    );
    expect(res).toMatchObject({ ok: true, data: { status: 'active', household: { status: 'claimed' } } });
  });

  test('every card says whether the room is verified, and how', async () => {
    const page = await renderPage(ROUTE, { openid: 'demo-worker', query: { status: 'active' } });
    const names = page.texts('.member__name');
    const claimer = page.text(`#member-${names.indexOf('新来的')}`);
    expect(claimer).toContain('房号待核实');
    const seeded = page.text(`#member-${names.indexOf('孙伟')}`);
    expect(seeded).toContain('房号已核实');
    expect(seeded).toContain('入户核实 · 李梅');
  });

  test('the room filters: 房号待核实, and 房号有异议 where the dispute message leads', async () => {
    const claimed = await renderPage(ROUTE, { openid: 'demo-worker', query: { status: 'active', household: 'claimed' } });
    expect(claimed.text('.room-filter--on')).toBe('房号待核实');
    expect(claimed.texts('.member__name')).toContain('新来的');
    expect(claimed.texts('.member__name')).not.toContain('孙伟');
    await claimed.tap('.room-filter', 0);
    expect(claimed.texts('.member__name')).toEqual(expect.arrayContaining(['新来的', '孙伟']));
    claimed.detach();

    await invokeData(
      cloud,
      'member',
      'join',
      { inviteCode: DEMO_INVITES.autoApprove, name: '冒名者', room: '301' },
      'impostor-1',
    );
    await invokeData(cloud, 'member', 'confirmHousehold', { openid: 'impostor-1', confirm: false }, 'demo-resident-2');
    const [told] = (await collection('messages').where({ openid: 'demo-worker', type: 'member.household_disputed' }).get())
      .data as { link: string }[];
    const query = Object.fromEntries(new URLSearchParams(told.link.split('?')[1]));
    const disputed = await renderPage(ROUTE, { openid: 'demo-worker', query });
    expect(disputed.text('.filter--on')).toBe('已加入');
    expect(disputed.text('.room-filter--on')).toBe('房号有异议');
    expect(disputed.texts('.member__name')).toEqual(['冒名者']);
    expect(disputed.text('#member-0')).toContain('房号有异议');
    expect(disputed.text('#member-0')).toContain('孙伟表示不是家人');
  });

  test('verifying the room with how it was verified', async () => {
    const { page, row } = await openCard('新来的');
    expect(page.text('.verify-household')).toBe('核实房号');
    wxSpies.showModal.mockResolvedValueOnce({ confirm: true, cancel: false, content: '  查看租赁合同 ' });
    await page.tap('.verify-household');
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: '核实新来的的房号（2栋 909室）', editable: true }),
    );
    expect(page.toast()).toMatchObject({ visible: true, message: '新来的的房号已核实' });
    expect(page.text(`#member-${row}`)).toContain('房号已核实');
    expect(page.text(`#member-${row}`)).toContain('查看租赁合同 · 李梅');
    expect(page.text('.verify-household')).toBe('重新核实房号');
    expect((await memberView('claimer-1')).household).toMatchObject({ status: 'verified', via: 'worker', note: '查看租赁合同' });
  });

  test('setting and clearing tags, each with how it was verified', async () => {
    const { page, row } = await openCard('周敏');
    expect(page.texts('.editor .chip')).toEqual(['独居老人', '高龄', '残疾', '低保', '优抚']);
    await page.tap('.editor .chip', 2);
    await page.tap('.editor .chip', 3);
    expect(page.texts('.editor .chip--on')).toEqual(['残疾', '低保']);
    wxSpies.showModal.mockResolvedValueOnce({ confirm: true, cancel: false, content: '查看残疾证和低保证' });
    await page.tap('.save-tags');
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '周敏的标签：残疾、低保' }));
    expect(page.toast().message).toBe('标签已保存');
    expect(page.text(`#member-${row} .member__tags`)).toMatch(
      /^标签：残疾（查看残疾证和低保证 · 李梅 .+）、低保（查看残疾证和低保证 · 李梅 .+）$/,
    );
    const tagged = await memberView('demo-resident-3');
    expect(tagged.tags).toEqual(['残疾', '低保']);
    expect(tagged.tagProofs?.map((p) => [p.tag, p.note, p.byName])).toEqual([
      ['残疾', '查看残疾证和低保证', '李梅'],
      ['低保', '查看残疾证和低保证', '李梅'],
    ]);

    // A cancelled modal saves nothing; clearing all tags empties the line.
    await page.tap('.editor .chip', 2);
    await page.tap('.editor .chip', 3);
    wxSpies.showModal.mockResolvedValueOnce({ confirm: false, cancel: true, content: '' });
    await page.tap('.save-tags');
    expect((await memberView('demo-resident-3')).tags).toEqual(['残疾', '低保']);
    await page.tap('.save-tags');
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '清除周敏的全部标签？' }));
    expect(page.exists(`#member-${row} .member__tags`)).toBe(false);
    expect(await memberView('demo-resident-3')).toMatchObject({ tags: [], tagProofs: [] });
  });

  test('granting and revoking the volunteer role', async () => {
    const { page, row } = await openCard('吴强');
    expect(page.text('.toggle-volunteer')).toBe('设为党员志愿者');
    await page.tap('.toggle-volunteer');
    expect(page.toast().message).toBe('吴强已是党员志愿者');
    expect(page.text(`#member-${row}`)).toContain('身份：居民、党员志愿者');
    expect((await memberView('demo-resident-4')).roles).toEqual(['resident', 'volunteer']);

    await page.tap('.toggle-volunteer');
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '取消吴强的志愿者身份？' }));
    expect(page.text(`#member-${row}`)).toContain('身份：居民');
    expect(page.text('.toggle-volunteer')).toBe('设为党员志愿者');
    expect((await memberView('demo-resident-4')).roles).toEqual(['resident']);
  });

  test('granting and revoking the property staff role (物业人员) keeps the other roles', async () => {
    const { page, row } = await openCard('吴强');
    await page.tap('.toggle-volunteer');
    expect(page.text('.toggle-staff')).toBe('设为物业人员');
    await page.tap('.toggle-staff');
    expect(page.toast().message).toBe('吴强已是物业人员');
    expect(page.text(`#member-${row}`)).toContain('身份：居民、党员志愿者、物业人员');
    expect((await memberView('demo-resident-4')).roles).toEqual(['resident', 'volunteer', 'property']);
    await page.tap('.toggle-staff');
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '取消吴强的物业人员身份？' }));
    await page.tap('.toggle-volunteer');
    expect((await memberView('demo-resident-4')).roles).toEqual(['resident']);
  });

  test('a change someone else made first is refused, and the list shows the member as they are now', async () => {
    const { page } = await openCard('郑丽');
    // Another worker (here: a direct call) tags her meanwhile.
    await invokeData(
      cloud,
      'member',
      'setTags',
      { openid: 'demo-resident-5', tags: ['高龄'], note: '查看身份证' },
      'demo-worker',
    );
    await page.tap('.editor .chip', 4);
    await page.tap('.save-tags');
    expect(page.toast().message).toBe('成员信息已被修改，请刷新后重试');
    expect((await memberView('demo-resident-5')).tags).toEqual(['高龄']);
    const again = page.texts('.member__name').indexOf('郑丽');
    expect(page.text(`#member-${again} .member__tags`)).toContain('高龄（查看身份证 · 李梅');
    expect(page.text(`#member-${again}`)).not.toContain('优抚');
  });

  test('a refused change shows the function’s sentence and leaves the card as it was', async () => {
    await cloud.invoke(
      'member',
      { action: 'join', payload: { inviteCode: DEMO_INVITES.autoApprove, name: '要离开的', room: '910' } },
      'leaver-1',
    );
    const { page, row } = await openCard('要离开的');
    // The membership is gone meanwhile (erased by another worker: here, directly).
    await collection('members').doc('demo:leaver-1').remove();
    await page.tap('.editor .chip', 4);
    wxSpies.showModal.mockResolvedValueOnce({ confirm: true, cancel: false, content: '查看优抚证' });
    await page.tap('.save-tags');
    expect(page.toast()).toMatchObject({ visible: true, message: '该成员不存在' });
    expect(page.exists(`#member-${row} .member__tags`)).toBe(false);
    expect(page.data.items[row].busy).toBe(false);
    await page.tap('.verify-household');
    expect(page.toast().message).toBe('该成员不存在');
    expect(page.text(`#member-${row}`)).toContain('房号待核实');
  });
});
