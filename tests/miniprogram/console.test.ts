// The worker console of the order loop (packages/worker: board, dispatch, review) and the
// entries on 我的, against the real orders function on the local cloud, on a fixed clock so the
// lights are known: 派单工作台 filters and paging, the dispatch picker with its reasons, 评单,
// 回访, conflicts, and who may open what.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { OrderDetail, OrderSummary, Suggestion } from '../../cloudfunctions/orders/api';
import { sampledForFollowUp } from '../../cloudfunctions/orders/rules';
import { CLOCK, minutesAfter } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';
import { forgetLimits } from '../helpers/limits';

/** Moves the clock to `minutes` after the seed. */
const at = minutesAfter('2030-03-04T09:00:00+08:00');
const KB = 1024;
const PAGES = {
  board: 'packages/worker/board/index',
  dispatch: 'packages/worker/dispatch/index',
  review: 'packages/worker/review/index',
  mine: 'pages/mine/index',
};

let cloud: LocalCloud;
let requestSeq = 0;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at(0);
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
});
afterAll(async () => {
  await closeCloud(cloud);
  jest.useRealTimers();
});
afterEach(cleanup);

async function call<T>(openid: string, action: string, payload: unknown = {}): Promise<T> {
  const res = await cloud.invoke('orders', { action, payload }, openid);
  if (!res.ok) throw new Error(`${action} as ${openid}: ${JSON.stringify(res.error)}`);
  return res.data as T;
}

const get = (id: string) => call<OrderDetail>('demo-worker', 'get', { orderId: id });

/** An order as `openid`; these tests place dozens per resident, each in a fresh rate-limit window (limits.test.ts proves the limits). */
async function order(openid: string, code: string, description: string): Promise<string> {
  await forgetLimits();
  requestSeq += 1;
  const o = await call<OrderDetail>(openid, 'create', {
    serviceId: `demo:${code}`,
    description,
    requestId: `console-test-${requestSeq}`,
  });
  return o._id;
}

/** An order of demo-resident-2's taken through service by 张建国 and rated. */
async function ratedOrder(stars: number, description = '阳台水管漏水'): Promise<string> {
  const id = await order('demo-resident-2', 'repair', description);
  await call('demo-worker', 'dispatch', { orderId: id, volunteerOpenid: 'demo-volunteer-1' });
  await call('demo-volunteer-1', 'accept', { orderId: id });
  await call('demo-volunteer-1', 'start', { orderId: id });
  await call('demo-volunteer-1', 'complete', { orderId: id, note: '已更换水管接头' });
  await call('demo-resident-2', 'rate', { orderId: id, stars, ...(stars <= 2 ? { comment: '来得太晚了' } : {}) });
  return id;
}

describe('派单工作台', () => {
  test('a worker sees every order, newest first, with status, light, deadline and who is served', async () => {
    const page = await renderPage(PAGES.board, { openid: 'demo-worker' });

    expect(page.text('.status-filter.chip--on')).toBe('全部');
    expect(page.texts('.order__service')).toEqual([
      '水电小修',
      '上门理发',
      '独居老人上门探访',
      '代买代办',
      '陪同就医',
      '代买代办',
      '高龄助餐',
      '家政保洁',
      '水电小修',
    ]);
    // demo-order-yellow: 26 of its 30 dispatch minutes used.
    const yellow = page.text('#order-3');
    expect(yellow).toContain('待派单');
    expect(yellow).toContain('吴强 · 4栋 103室');
    expect(yellow).toContain('即将超时');
    // On the community's clock (+08:00), whatever the zone of the phone.
    expect(yellow).toContain('派单时限：3月4日 09:04');
    expect(page.text('#order-0')).toContain('正常');
    // Orders without a running clock show no light.
    expect(page.exists('#order-8 .order__light')).toBe(false);
    // The banner counts the late ones: that one and the errand in service (200 of its 240
    // serve minutes used); nothing is red yet.
    expect(page.text('#late-yellow')).toBe('即将超时 2 单');
    expect(page.exists('#late-red')).toBe(false);
    // Quick buttons: 派单 on pending and open orders only.
    expect(page.count('.quick-dispatch')).toBe(3);
    expect(page.text('#end')).toBe('已经到底了');
    expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
  });

  test('filters by status, light, building, tier; the banner shows the late ones first', async () => {
    const page = await renderPage(PAGES.board, { openid: 'demo-worker' });

    await page.tap('.status-filter', 1); // 待派单
    expect(page.text('.status-filter.chip--on')).toBe('待派单');
    expect(page.texts('.order__status')).toEqual(['待派单', '待派单']);
    expect(page.texts('.order__service')).toEqual(['水电小修', '代买代办']);

    await page.tap('.light-filter', 2); // 黄灯
    expect(page.texts('.order__service')).toEqual(['代买代办']);
    await page.tap('.light-filter', 1); // 红灯
    expect(page.exists('.order')).toBe(false);
    expect(page.text('#empty')).toContain('没有符合条件的订单');

    await page.tap('#clear-filters');
    expect(page.count('.order')).toBe(9);

    await page.tap('.building-filter', 1); // 1栋
    expect(page.text('.building-filter.chip--on')).toBe('1栋');
    expect(page.texts('.order__who').every((w) => w.includes('1栋'))).toBe(true);
    expect(page.texts('.order__service')).toEqual(['独居老人上门探访', '高龄助餐']);
    await page.tap('.building-filter', 0);

    await page.tap('.tier-filter', 3); // 特惠服务
    expect(page.texts('.order__service')).toEqual(['独居老人上门探访', '高龄助餐']);
    await page.tap('.tier-filter', 2); // 增值服务
    expect(page.texts('.order__service')).toEqual(['家政保洁']);
    await page.tap('.tier-filter', 0);

    // 6 minutes later the yellow order is past its limit; the errand in service is still yellow.
    at(6);
    await page.pullDownRefresh();
    expect(page.text('#late-red')).toBe('已超时 1 单');
    expect(page.text('#late-yellow')).toBe('即将超时 1 单');
    await page.tap('#late-red');
    expect(page.text('.light-filter.chip--on')).toBe('红灯·已超时');
    expect(page.texts('.order__service')).toEqual(['代买代办']);
    expect(page.text('#order-0')).toContain('已超时');
    expect(page.exists('#order-0.order--red')).toBe(true);
    await page.tap('#late-yellow');
    expect(page.text('.light-filter.chip--on')).toBe('黄灯·即将超时');
    expect(page.texts('.order__service')).toEqual(['代买代办']);
    expect(page.texts('.order__status')).toEqual(['服务中']);
    expect(page.text('#order-0')).toContain('服务时限：');

    // What the page shows is exactly what the function answers for that filter.
    const red = await call<{ items: OrderSummary[] }>('demo-worker', 'listAll', { light: 'red' });
    expect(red.items.map((o) => o._id)).toEqual(['demo-order-yellow']);
    at(0);
  });

  test('the board loads 20 at a time and appends the next page at the bottom', async () => {
    for (let i = 0; i < 23; i++) await order('demo-resident-3', 'haircut', `理发 ${i + 1}`);
    const page = await renderPage(PAGES.board, { openid: 'demo-worker', query: { status: 'pending' } });

    expect(page.text('.status-filter.chip--on')).toBe('待派单');
    expect(page.count('.order')).toBe(20);
    expect(page.exists('#end')).toBe(false);
    const first = page.texts('.order__desc');
    const sizeBefore = page.setDataSizes.length;

    await page.reachBottom();
    expect(page.count('.order')).toBe(25);
    expect(page.texts('.order__desc').slice(0, 20)).toEqual(first);
    expect(new Set(page.texts('.order__desc')).size).toBe(25);
    expect(page.texts('.order__desc').slice(-2)).toEqual(['厨房水龙头一直滴水，关不紧', '帮忙去药店买一盒降压药（处方已拍照）']);
    expect(page.text('#end')).toBe('已经到底了');
    // Appended by path: the new cards only, not the whole list again.
    const appended = page.setDataSizes.slice(sizeBefore);
    expect(Math.max(...appended)).toBeLessThan(6 * KB);

    const calls = (wx.cloud.callFunction as unknown as jest.Mock).mock.calls.length;
    await page.reachBottom();
    expect((wx.cloud.callFunction as unknown as jest.Mock).mock.calls.length).toBe(calls);
  });

  test('a card opens the order; 派单 opens the picker for that order', async () => {
    const page = await renderPage(PAGES.board, { openid: 'demo-worker', query: { status: 'dispatched' } });
    expect(page.texts('.order__service')).toEqual(['独居老人上门探访']);
    expect(page.count('.quick-dispatch')).toBe(0);
    await page.tap('.order__body', 0);
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/orders/detail/index?id=demo-order-dispatched' });

    await page.tap('.status-filter', 2); // 待接单
    expect(page.texts('.order__service')).toEqual(['上门理发']);
    await page.tap('.quick-dispatch', 0);
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/dispatch/index?id=demo-order-open' });
  });

  test('a resident or a volunteer opening the board is told plainly that it is for workers', async () => {
    for (const openid of ['demo-resident-2', 'demo-volunteer-1']) {
      const page = await renderPage(PAGES.board, { openid });
      expect(page.text('#refusal')).toBe('派单工作台只对社区工作者开放。如需派单或查看全部订单，请联系社区工作人员。');
      expect(page.exists('#filters')).toBe(false);
      expect(page.exists('.order')).toBe(false);
      page.detach();
    }
    // Someone who never joined hears what the function says.
    const stranger = await renderPage(PAGES.board, { openid: 'console-stranger' });
    expect(stranger.text('#refusal')).toContain('社区');
    expect(stranger.exists('.order')).toBe(false);
  });

  test("another community's worker sees none of this community's orders", async () => {
    const page = await renderPage(PAGES.board, { openid: 'other-worker' });
    expect(page.exists('#refused')).toBe(false);
    expect(page.exists('.order')).toBe(false);
    expect(page.text('#empty')).toContain('没有符合条件的订单');
  });
});

describe('派单', () => {
  test('ranked suggestions with reasons; tapping one dispatches to that volunteer', async () => {
    const id = await order('demo-resident-2', 'repair', '卫生间马桶水箱漏水');
    const page = await renderPage(PAGES.dispatch, { openid: 'demo-worker', query: { id } });

    expect(page.text('#service-name')).toBe('水电小修');
    expect(page.text('#status')).toBe('待派单');
    expect(page.text('#who')).toBe('服务对象：孙伟 · 2栋 301室');
    expect(page.text('#summary')).toContain('13800000022');
    expect(page.text('#light')).toContain('正常');

    const suggestions = await call<{ items: Suggestion[] }>('demo-worker', 'suggestVolunteers', { orderId: id });
    expect(page.texts('.volunteer__name')).toEqual(suggestions.items.map((s) => s.name));
    expect(page.texts('.volunteer__name')).toEqual(['张建国', '刘芳']);
    expect(page.texts('.volunteer__reason')).toEqual(suggestions.items.map((s) => s.reason));
    expect(page.text('#volunteer-0')).toContain('同网格（第一网格）');
    expect(page.text('#volunteer-0')).toContain('擅长水电小修');
    expect(page.text('#volunteer-0')).toContain('最合适');
    expect(page.text('#volunteer-1')).toContain('不同网格');
    expect(page.text('#volunteer-1')).toMatch(/当前(无在办订单|在办 \d+ 单)/);
    expect(page.exists('.volunteer__mark')).toBe(false);
    expect(page.exists('#release')).toBe(true);

    // Cancelling the confirmation changes nothing.
    wxSpies.showModal.mockResolvedValueOnce({ confirm: false, cancel: true, content: '' });
    await page.tap('.pick', 0);
    expect((await get(id)).status).toBe('pending');

    await page.tap('.pick', 0);
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '派给张建国？' }));
    const after = await get(id);
    expect(after.status).toBe('dispatched');
    expect(after.volunteer?.openid).toBe('demo-volunteer-1');
    expect(page.toast()).toMatchObject({ visible: true, message: '已派给张建国，等待对方接单' });
    expect(page.text('#status')).toBe('已派单');
    expect(page.text('#volunteer')).toBe('志愿者：张建国');
    expect(page.exists('.pick')).toBe(false);
    expect(page.exists('#release')).toBe(false);
    expect(page.text('#not-dispatchable')).toContain('「已派单」');
  });

  test('a volunteer who declined is ranked last and marked; the worker is warned before picking them again', async () => {
    const id = await order('demo-resident-2', 'repair', '客厅插座没电');
    await call('demo-worker', 'dispatch', { orderId: id, volunteerOpenid: 'demo-volunteer-1' });
    await call('demo-volunteer-1', 'decline', { orderId: id, reason: '今天在外地' });

    const page = await renderPage(PAGES.dispatch, { openid: 'demo-worker', query: { id } });
    expect(page.text('#status')).toBe('待派单');
    expect(page.texts('.volunteer__name')).toEqual(['刘芳', '张建国']);
    expect(page.text('#volunteer-1 .volunteer__mark')).toBe('曾拒单/超时');
    expect(page.exists('#volunteer-0 .volunteer__mark')).toBe(false);
    expect(page.text('#volunteer-1')).toContain('此前拒单或超时未接');
    expect(page.text('#passed-over')).toContain('张建国（拒单：今天在外地）');

    wxSpies.showModal.mockResolvedValueOnce({ confirm: false, cancel: true, content: '' });
    await page.tap('.pick', 1);
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: '派给张建国？', content: expect.stringContaining('此前拒过或超时未接') }),
    );
    expect((await get(id)).status).toBe('pending');
  });

  test('an order that moved on meanwhile: the page says so and shows it as it is now', async () => {
    const id = await order('demo-resident-2', 'repair', '热水器打不着火');
    const page = await renderPage(PAGES.dispatch, { openid: 'demo-worker', query: { id } });
    expect(page.count('.pick')).toBe(2);

    // The resident cancels while the worker is choosing.
    await call('demo-resident-2', 'cancel', { orderId: id, reason: '自己修好了' });
    await page.tap('.pick', 0);

    expect(page.toast()).toMatchObject({ visible: true, message: expect.stringContaining('已取消') });
    expect(page.text('#status')).toBe('已取消');
    expect(page.exists('.pick')).toBe(false);
    expect(page.text('#not-dispatchable')).toContain('不需要派单');
    const after = await get(id);
    expect(after.status).toBe('cancelled');
    expect(after.volunteer).toBeUndefined();
  });

  test('another worker dispatched first: the second dispatch is refused and the page refreshes', async () => {
    const id = await order('demo-resident-4', 'errand', '代买一袋大米');
    const page = await renderPage(PAGES.dispatch, { openid: 'demo-worker', query: { id } });
    await call('demo-worker', 'dispatch', { orderId: id, volunteerOpenid: 'demo-volunteer-2' });

    await page.tap('.pick', 0);
    expect(page.toast().message).toContain('已派单');
    expect(page.text('#status')).toBe('已派单');
    expect(page.text('#volunteer')).toBe('志愿者：刘芳');
    expect((await get(id)).volunteer?.openid).toBe('demo-volunteer-2');
  });

  test('发布到接单大厅 opens the order to every volunteer on duty; it can still be dispatched', async () => {
    const id = await order('demo-resident-5', 'haircut', '想剪个短发');
    const page = await renderPage(PAGES.dispatch, { openid: 'demo-worker', query: { id } });

    await page.tap('#release');
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '发布到接单大厅？' }));
    expect((await get(id)).status).toBe('open');
    expect(page.toast().message).toBe('已发布到接单大厅，在岗志愿者都能接单');
    expect(page.text('#status')).toBe('待接单');
    expect(page.exists('#release')).toBe(false);
    expect(page.count('.pick')).toBeGreaterThan(0);

    // A volunteer grabs it in the hall before the worker picks someone.
    await call('demo-volunteer-2', 'accept', { orderId: id });
    await page.tap('.pick', 0);
    expect(page.text('#status')).toBe('已接单');
    expect(page.exists('.pick')).toBe(false);
  });

  test('a volunteer opening the dispatch page cannot see or dispatch the order', async () => {
    const id = await order('demo-resident-4', 'errand', '代取快递');
    const page = await renderPage(PAGES.dispatch, { openid: 'demo-volunteer-1', query: { id } });
    expect(page.text('#load-error')).toBe('订单不存在或已被删除');
    expect(page.exists('.pick')).toBe(false);
    expect((await get(id)).status).toBe('pending');
  });
});

describe('评单与回访', () => {
  test('通过: the order closes and the page shows it closed, no more buttons', async () => {
    const id = await ratedOrder(5);
    const page = await renderPage(PAGES.review, { openid: 'demo-worker', query: { id } });

    expect(page.text('#status')).toBe('已评价');
    expect(page.text('#completion')).toContain('已更换水管接头');
    expect(page.text('#stars')).toBe('★★★★★ 5 星');
    expect(page.text('#light')).toContain('正常');
    expect(page.exists('#pass')).toBe(true);
    expect(page.exists('#rework')).toBe(true);
    expect(page.exists('#followup-form')).toBe(sampledForFollowUp(id));

    await page.tap('#pass');
    const after = await get(id);
    expect(after.status).toBe('closed');
    expect(after.review?.result).toBe('pass');
    expect(page.toast().message).toBe('评单通过，订单已办结，志愿者获得积分');
    expect(page.text('#status')).toBe('已办结');
    expect(page.exists('#review-form')).toBe(false);
    expect(page.text('#review-result')).toContain('评单通过');
    expect(page.exists('#light')).toBe(false);
  });

  test('返工 needs a note; it sends the order back to the volunteer', async () => {
    const id = await ratedOrder(3, '厨房下水道堵了');
    const page = await renderPage(PAGES.review, { openid: 'demo-worker', query: { id } });

    await page.tap('#rework');
    expect(page.text('#note-error')).toBe('请写明哪里需要返工，志愿者会看到这段话');
    expect((await get(id)).status).toBe('rated');

    await page.input('#review-note', '居民说还是有点渗水，请再上门看看');
    expect(page.exists('#note-error')).toBe(false);
    await page.tap('#rework');
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '退回返工？' }));
    const after = await get(id);
    expect(after.status).toBe('accepted');
    expect(after.review).toMatchObject({ result: 'rework', note: '居民说还是有点渗水，请再上门看看' });
    expect(after.volunteer?.openid).toBe('demo-volunteer-1');
    expect(page.text('#status')).toBe('已接单');
    expect(page.text('#review-result')).toContain('需返工：居民说还是有点渗水，请再上门看看');
    expect(page.text('#review-result')).toContain('已返工 1 次');
    expect(page.exists('#pass')).toBe(false);
  });

  test('回访 of a low rating: the board lists it under 需回访, the result is recorded once', async () => {
    const id = await ratedOrder(2, '门锁坏了');
    const board = await renderPage(PAGES.board, { openid: 'demo-worker' });
    await board.tap('#followup-filter');
    expect(board.texts('.order__desc')).toEqual(['门锁坏了']);
    expect(board.text('#order-0')).toContain('需回访');
    expect(board.text('.quick-review')).toBe('评单');
    await board.tap('.quick-review', 0);
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: `/packages/worker/review/index?id=${id}` });
    board.detach();

    const page = await renderPage(PAGES.review, { openid: 'demo-worker', query: { id } });
    expect(page.text('#stars')).toBe('★★☆☆☆ 2 星');
    expect(page.text('#comment')).toBe('“来得太晚了”');
    expect(page.text('#followup-form')).toContain('居民评分较低');
    expect(page.texts('.followup-option')).toEqual(['满意', '不满意', '未联系上']);

    await page.tap('#submit-followup');
    expect(page.text('#followup-error')).toBe('请选择回访结果');
    expect((await get(id)).followUp?.result).toBeUndefined();

    await page.tap('.followup-option', 1);
    await page.input('#followup-note', '已电话致歉，约好明天再修');
    await page.tap('#submit-followup');
    const after = await get(id);
    expect(after.followUp).toMatchObject({ result: 'unsatisfied', note: '已电话致歉，约好明天再修' });
    expect(after.needsFollowUp).toBe(false);
    expect(page.toast().message).toBe('回访已记录');
    expect(page.exists('#followup-form')).toBe(false);
    expect(page.text('#followup-result')).toContain('不满意：已电话致歉，约好明天再修');
    // 评单 is still to do.
    expect(page.exists('#review-form')).toBe(true);

    const again = await renderPage(PAGES.board, { openid: 'demo-worker', query: { followUp: '1' } });
    expect(again.texts('.order__desc')).not.toContain('门锁坏了');
  });

  test('another worker reviewed first: the page says so and shows the order closed', async () => {
    const id = await ratedOrder(4, '窗户关不严');
    const page = await renderPage(PAGES.review, { openid: 'demo-worker', query: { id } });
    await call('demo-worker', 'review', { orderId: id, result: 'pass' });

    await page.input('#review-note', '请再检查一次');
    await page.tap('#rework');
    expect(page.toast().message).toContain('已办结');
    expect(page.text('#status')).toBe('已办结');
    expect(page.exists('#review-form')).toBe(false);
    expect((await get(id)).review?.result).toBe('pass');
  });

  test('an order with nothing to review says so', async () => {
    const page = await renderPage(PAGES.review, { openid: 'demo-worker', query: { id: 'demo-order-in-service' } });
    expect(page.text('#status')).toBe('服务中');
    expect(page.text('#nothing-to-do')).toContain('暂时不需要评单或回访');
    expect(page.exists('#pass')).toBe(false);
    expect(page.exists('#submit-followup')).toBe(false);
  });
});

describe('我的: entries by role', () => {
  test('a worker sees the whole console', async () => {
    const page = await renderPage(PAGES.mine, { openid: 'demo-worker' });
    for (const id of ['#open-board', '#open-members', '#open-invite', '#open-notices', '#open-parking-verify']) {
      expect([id, page.exists(id)]).toEqual([id, true]);
    }
    expect(page.exists('#open-hall')).toBe(false);
    await page.tap('#open-board');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/board/index' });
    await page.tap('#open-parking-verify');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/parking/verify/index' });
    await page.tap('#open-notices');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/notices/manage/index' });
  });

  test('a volunteer sees 接单大厅 and no console; a resident sees neither', async () => {
    const volunteer = await renderPage(PAGES.mine, { openid: 'demo-volunteer-3' });
    expect(volunteer.exists('#open-hall')).toBe(true);
    expect(volunteer.exists('#open-board')).toBe(false);
    expect(volunteer.exists('#open-parking-verify')).toBe(false);
    await volunteer.tap('#open-hall');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/orders/hall/index' });
    volunteer.detach();

    const resident = await renderPage(PAGES.mine, { openid: 'demo-resident-4' });
    expect(resident.exists('#open-hall')).toBe(false);
    expect(resident.exists('#open-board')).toBe(false);
    expect(resident.exists('#open-members')).toBe(false);
  });
});

describe('服务菜单管理', () => {
  const SERVICES = 'packages/worker/services/index';
  const menuOf = async (openid: string) =>
    call<{ tiers: { tier: string; items: { _id: string; name: string; enabled: boolean; price: number }[] }[] }>(openid, 'menu');

  test('the board links to it; a worker adds an item, the form says what is wrong first', async () => {
    const board = await renderPage(PAGES.board, { openid: 'demo-worker' });
    await board.tap('#open-services');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/services/index' });
    board.detach();

    const page = await renderPage(SERVICES, { openid: 'demo-worker' });
    expect(page.texts('.group__title')).toEqual(['基础服务', '增值服务', '特惠服务']);
    expect(page.texts('.item__name')).toContain('水电小修');

    await page.tap('#add');
    await page.tap('#save');
    expect(page.text('#name-error')).toBe('请填写服务名称');
    expect(page.text('#description-error')).toBe('请写一句服务说明，居民点单时会看到');

    await page.input('#name-input', '上门量血压');
    await page.input('#description-input', '志愿者上门为老人量血压并记录');
    await page.tap('.tier-option', 2); // 特惠服务
    await page.tap('#save');
    expect(page.text('#tags-error')).toBe('特惠服务请至少选择一个适用人群');
    await page.tap('.tag-option', 1); // 高龄
    await page.input('#hours-input', '6');
    await page.tap('#save');

    expect(page.toast().message).toBe('已新增「上门量血压」');
    expect(page.texts('.item__name')).toContain('上门量血压');
    const menu = await menuOf('demo-resident-1');
    const added = menu.tiers.find((t) => t.tier === 'discounted')!.items.find((x) => x.name === '上门量血压');
    expect(added).toMatchObject({ enabled: true, price: 0 });
  });

  test('停用 hides an item from residents; 恢复 brings it back; 编辑 keeps the rest', async () => {
    const page = await renderPage(SERVICES, { openid: 'demo-worker' });
    const names = page.texts('.item__name');
    const index = names.indexOf('家电清洗');
    expect(index).toBeGreaterThanOrEqual(0);
    const groupItems = page.data.groups[1].items.map((x: { name: string }) => x.name);
    const i = groupItems.indexOf('家电清洗');

    await page.tap('.toggle', index);
    expect(wxSpies.showModal).toHaveBeenLastCalledWith(expect.objectContaining({ title: '停用「家电清洗」？' }));
    expect(page.text(`#item-1-${i}`)).toContain('已停用');
    let resident = await menuOf('demo-resident-2');
    expect(resident.tiers.flatMap((t) => t.items.map((x) => x.name))).not.toContain('家电清洗');

    await page.tap('.toggle', index);
    expect(page.text(`#item-1-${i}`)).not.toContain('已停用');
    resident = await menuOf('demo-resident-2');
    expect(resident.tiers.flatMap((t) => t.items.map((x) => x.name))).toContain('家电清洗');

    await page.tap('.edit', index);
    expect(page.text('.form__title')).toBe('编辑「家电清洗」');
    await page.input('#price-input', '80');
    await page.tap('#save');
    expect(page.toast().message).toBe('已保存「家电清洗」');
    const item = (await menuOf('demo-worker')).tiers[1].items.find((x) => x.name === '家电清洗');
    expect(item).toMatchObject({ price: 8000, enabled: true });
    expect(page.text(`#item-1-${i}`)).toContain('80元');
  });

  test('a resident opening it is told it is for workers', async () => {
    const page = await renderPage(SERVICES, { openid: 'demo-resident-2' });
    expect(page.text('#load-error')).toBe('服务菜单只能由社区工作者管理。');
    expect(page.exists('.toggle')).toBe(false);
  });
});
