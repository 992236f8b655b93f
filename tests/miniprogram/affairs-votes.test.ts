// The owners'-vote pages against the real affairs function on the local cloud: a worker opens a
// vote from the hub's form, an owner casts from the vote page and gets a receipt, a tenant is told
// why not, the worker closes and the result page shows the count, the houses and the receipts; the
// register page imports rows and verifies an owner; a worker asks a consultation from its form and
// a household answers one.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { put } from '../../local/seed/community';
import { collection } from '../../cloudfunctions/common/db';
import { CLOCK } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { invokeData } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';
import { cleanup, closeCloud, renderPage, settle, wireCloud, wxSpies } from '../helpers/miniprogram';

const KB = 1024;
const PAGES = {
  hub: 'packages/affairs/index/index',
  open: 'packages/affairs/open/index',
  vote: 'packages/affairs/vote/index',
  result: 'packages/affairs/result/index',
  register: 'packages/affairs/register/index',
  consult: 'packages/affairs/consult/index',
  consultNew: 'packages/affairs/consult-new/index',
};

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
  const now = new Date();
  // A tenant of 2栋 301: lives there, owns nothing.
  await put('members', {
    _id: 'demo:page-tenant',
    communityId: 'demo',
    openid: 'page-tenant',
    name: '租客小王',
    building: '2栋',
    room: '301',
    status: 'active',
    roles: ['resident'],
    tags: [],
    skills: [],
    onDuty: false,
    household: { status: 'verified', via: 'worker', at: now },
    joinedAt: now,
    updatedAt: now,
    version: 1,
  } as never);
  await put('users', { _id: 'page-tenant', currentCommunityId: 'demo', updatedAt: now } as never);
});
afterAll(async () => {
  jest.useRealTimers();
  await closeCloud(cloud);
});
afterEach(cleanup);
beforeEach(forgetLimits);

let voteId = '';

describe('a vote from the form to the result', () => {
  test('the hub shows workers the way to open a vote; the form opens one and goes to it', async () => {
    const hub = await renderPage(PAGES.hub, { openid: 'demo-worker' });
    await hub.tap('#tab-votes');
    expect(hub.exists('#open-vote-form')).toBe(true);
    await hub.tap('#open-vote-form');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: '/packages/affairs/open/index' });

    const form = await renderPage(PAGES.open, { openid: 'demo-worker' });
    await form.tap('#submit');
    expect(form.text('#form-error')).toContain('请填写标题');
    await form.input('#title-input', '更换小区门禁系统');
    await form.input('#body-input', '使用公共收益更换门禁系统，费用约 12 万元。');
    await form.tap('#matter-ordinary');
    await form.tap('#submit');
    const [vote] = (await collection('votes').where({ title: '更换小区门禁系统' }).get()).data as { _id: string }[];
    expect(vote).toBeDefined();
    voteId = vote._id;
    expect(wxSpies.redirectTo).toHaveBeenCalledWith({ url: `/packages/affairs/vote/index?id=${voteId}` });
    expect(form.maxSetDataBytes()).toBeLessThan(20 * KB);
  });

  test('an owner casts from the vote page after confirming, and sees the receipt', async () => {
    const page = await renderPage(PAGES.vote, { openid: 'demo-resident-2', query: { id: voteId } });
    expect(page.text('#title')).toBe('更换小区门禁系统');
    expect(page.text('#state')).toBe('投票中');
    expect(page.text('#my')).toContain('2栋 301 的业主');
    expect(page.exists('#manage')).toBe(false);
    wxSpies.showModal.mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'showModal:ok' } as never);
    await page.tap('.cast-yes');
    expect((await collection('ballots').where({ voteId }).count()).total).toBe(0);
    await page.tap('.cast-yes');
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '确认投「同意」？' }));
    expect(page.text('#my')).toMatch(/您已投票（同意）。回执：[A-Z2-9]{4}-[A-Z2-9]{4}/);
    expect(page.exists('#choices')).toBe(false);
    expect(page.maxSetDataBytes()).toBeLessThan(20 * KB);
  });

  test('a tenant of the same flat is told why they cannot vote', async () => {
    const page = await renderPage(PAGES.vote, { openid: 'page-tenant', query: { id: voteId } });
    expect(page.text('#my')).toContain('租户');
    expect(page.exists('#choices')).toBe(false);
  });

  test('residents find the vote in the hub', async () => {
    const hub = await renderPage(PAGES.hub, { openid: 'demo-resident-3' });
    await hub.tap('#tab-votes');
    expect(hub.exists('#open-vote-form')).toBe(false);
    expect(hub.texts('.row-card .card__title')).toContain('更换小区门禁系统');
    const i = hub.texts('.row-card .card__title').indexOf('更换小区门禁系统');
    await hub.tap('.row-card', i);
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: `/packages/affairs/vote/index?id=${voteId}` });
  });

  test('more owners vote; the worker closes after the deadline; the result page lists houses and receipts', async () => {
    for (const o of ['demo-resident-3', 'demo-resident-4', 'demo-volunteer-1', 'demo-volunteer-2', 'demo-resident-5'])
      await invokeData(cloud, 'affairs', 'cast', { voteId, choice: o === 'demo-resident-5' ? 'no' : 'yes' }, o);
    await invokeData(cloud, 'affairs', 'cast', { voteId, choice: 'abstain' }, 'demo-worker');
    const worker = await renderPage(PAGES.vote, { openid: 'demo-worker', query: { id: voteId } });
    expect(worker.text('#manage')).toContain('已参与');
    expect(worker.text('#manage')).toContain('7 人');

    const closesAt = ((await collection('votes').where({ _id: voteId }).get()).data[0] as { closesAt: Date }).closesAt;
    jest.useFakeTimers(CLOCK);
    jest.setSystemTime(new Date(closesAt).getTime() + 120_000);
    await worker.tap('#close-vote');
    await settle();
    expect(worker.text('#verdict')).toContain('表决通过');

    const result = await renderPage(PAGES.result, { openid: 'demo-resident-2', query: { id: voteId } });
    expect(result.text('#verdict')).toBe('通过');
    expect(result.text('#houses')).toContain('2栋 301');
    expect(result.text('#houses')).toContain('4栋 103、4栋 104'); // one owner, two flats
    expect(result.text('#mine')).toContain('在名单中');
    expect(result.text()).not.toContain('孙伟');
    expect(result.text('#receipts').split(/\s+/).filter(Boolean)).toHaveLength(7);
    expect(result.maxSetDataBytes()).toBeLessThan(20 * KB);
    jest.useRealTimers();
  });
});

describe('the register page', () => {
  test('imports pasted rows, refuses a bad line, and verifies the resident of a room as its owner', async () => {
    const page = await renderPage(PAGES.register, { openid: 'demo-worker' });
    await page.input('#rows-input', '3栋,901,88.8\n3栋 902 90');
    await page.tap('#import-submit');
    expect(page.text('#import-result')).toBe('新增 2 套，更新 0 套，未变 0 套');
    await page.input('#rows-input', '3栋,903');
    await page.tap('#import-submit');
    expect(page.text('#import-error')).toContain('第 1 行看不懂');

    // A newcomer of 3栋 901 (verified household), then verified as the owner.
    const now = new Date();
    await put('members', {
      _id: 'demo:page-buyer',
      communityId: 'demo',
      openid: 'page-buyer',
      name: '新业主老周',
      building: '3栋',
      room: '901',
      status: 'active',
      roles: ['resident'],
      tags: [],
      skills: [],
      onDuty: false,
      joinedAt: now,
      updatedAt: now,
      version: 1,
    } as never);
    await put('users', { _id: 'page-buyer', currentCommunityId: 'demo', updatedAt: now } as never);
    await page.pullDownRefresh();
    const houses = page.texts('.part .card__title');
    const i = houses.indexOf('3栋 901');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(page.text(`#part-${i} .owners`)).toContain('尚未核实业主');
    await page.tap(`#part-${i} .show-candidates`);
    await page.tap(`#part-${i} .verify`);
    expect(page.text(`#part-${i} .owners`)).toContain('新业主老周');
    const mine = await invokeData(cloud, 'affairs', 'myParts', {}, 'page-buyer');
    expect(mine.items.map((p) => `${p.building} ${p.room} ${p.area}`)).toEqual(['3栋 901 88.8']);
  });
});

describe('a consultation', () => {
  test('a household answers once and sees the counts', async () => {
    const c = await invokeData(
      cloud,
      'affairs',
      'createConsult',
      {
        title: '楼道加装扶手',
        body: '是否在各楼道加装扶手？',
        options: ['赞成', '不赞成'],
        closesAt: new Date(Date.now() + 3 * 86400_000).toISOString(),
        requestId: 'page-consult-1',
      },
      'demo-worker',
    );
    const page = await renderPage(PAGES.consult, { openid: 'page-tenant', query: { id: c._id } });
    await page.tap('.answer', 0);
    expect(page.text('#options')).toContain('赞成（您家的选择）');
    expect(page.exists('.answer')).toBe(false);
    const owner = await renderPage(PAGES.consult, { openid: 'demo-resident-2', query: { id: c._id } });
    expect(owner.text('#note')).toContain('已经回答过');
    expect(owner.text('#options')).toContain('1 户');
  });
});

describe('the consultation form', () => {
  test('workers reach it from the hub; it checks the options, publishes to the chosen buildings and opens it', async () => {
    const resident = await renderPage(PAGES.hub, { openid: 'demo-resident-3', query: { tab: 'consults' } });
    expect(resident.exists('#open-consult-form')).toBe(false);
    const hub = await renderPage(PAGES.hub, { openid: 'demo-worker', query: { tab: 'consults' } });
    await settle();
    await hub.tap('#open-consult-form');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: '/packages/affairs/consult-new/index' });

    const form = await renderPage(PAGES.consultNew, { openid: 'demo-worker' });
    await form.input('#title-input', '快递柜挪到哪里');
    await form.input('#body-input', '快递柜要从东门挪走，请每户选一个新位置。');
    await form.input('.option-input', '北门岗亭旁', 0);
    await form.tap('#submit');
    expect(form.text('#form-error')).toContain('请填写每个选项');
    await form.input('.option-input', '北门岗亭旁', 1);
    await form.tap('#submit');
    expect(form.text('#form-error')).toContain('选项不能重复');
    await form.input('.option-input', '3栋架空层', 1);
    await form.tap('#add-option');
    expect(form.count('.option-input')).toBe(3);
    await form.input('.option-input', '无所谓', 2);
    for (let i = 3; i < 6; i++) await form.tap('#add-option');
    expect(form.count('.option-input')).toBe(6);
    expect(form.exists('#add-option')).toBe(false);
    for (let i = 0; i < 3; i++) await form.tap('.remove-option', 5 - i);
    expect(form.count('.option-input')).toBe(3);
    const buildings = form.texts('.building');
    await form.tap('.building', buildings.indexOf('3栋'));
    expect(form.count('#scope .chip--on')).toBe(1);
    expect((await collection('consults').where({ title: '快递柜挪到哪里' }).count()).total).toBe(0);
    await form.tap('#submit');
    const [made] = (await collection('consults').where({ title: '快递柜挪到哪里' }).get()).data as {
      _id: string;
      buildings: string[];
      options: unknown[];
    }[];
    expect(made.buildings).toEqual(['3栋']);
    expect(made.options).toHaveLength(3);
    expect(wxSpies.redirectTo).toHaveBeenCalledWith({ url: `/packages/affairs/consult/index?id=${made._id}` });
    // A household of 3栋 answers it; one of 2栋 is told it is not for them.
    const page = await renderPage(PAGES.consult, { openid: 'demo-resident-3', query: { id: made._id } });
    expect(page.text('#options')).toContain('3栋架空层');
    expect(page.exists('.answer')).toBe(true);
    const other = await renderPage(PAGES.consult, { openid: 'demo-resident-2', query: { id: made._id } });
    expect(other.text('#note')).toContain('您所在的楼栋不在范围内');
    expect(form.maxSetDataBytes()).toBeLessThan(20 * KB);
  });
});
