// The order pages against the real orders, member and messages functions on the local cloud, on a
// fixed clock: the 首页 menu, the order form, the detail per role and state, the volunteer hall
// (with a lost grab), rating, the 订单 tab, and one loop driven through the pages.
import fs from 'fs';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import {
  FIXTURE_PICTURE,
  cleanup,
  closeCloud,
  installPhoneSpies,
  renderPage,
  settle,
  wireCloud,
  wxSpies,
  type CloudCall,
  type PageHandle,
} from '../helpers/miniprogram';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import { invokeData } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';

const KB = 1024;
const PAGES = {
  home: 'pages/home/index',
  tab: 'pages/orders/index',
  create: 'packages/orders/create/index',
  detail: 'packages/orders/detail/index',
  rate: 'packages/orders/rate/index',
  hall: 'packages/orders/hall/index',
};

let cloud: LocalCloud;
let wiring: ReturnType<typeof wireCloud>;
let calls: CloudCall[];

const wxg = () => (globalThis as unknown as { wx: Record<string, unknown> }).wx;

/** The harness's phone spies (wx.chooseMedia answers one fixture picture). */
const installExtraSpies = () => installPhoneSpies();

let extra: ReturnType<typeof installExtraSpies>;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2030-01-07T09:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wiring = wireCloud(cloud);
  calls = wiring.calls;
});
afterAll(async () => {
  await closeCloud(cloud);
  jest.useRealTimers();
});
beforeEach(() => {
  extra = installExtraSpies();
});
afterEach(cleanup);

function orders<A extends keyof OrdersApi & string>(action: A, payload: unknown, openid: string) {
  return invokeData(cloud, 'orders', action, payload, openid);
}

let seq = 0;
/** An order as `openid`. These tests place dozens per resident: each starts a fresh rate-limit window (limits.test.ts proves the limits). */
const place = async (openid: string, description: string, serviceId = 'demo:errand') => {
  await forgetLimits();
  return orders('create', { serviceId, description, requestId: `test-order-${++seq}-x` }, openid);
};

const lastUrl = (spy: jest.Mock): string => (spy.mock.calls[spy.mock.calls.length - 1][0] as { url: string }).url;
const queryOf = (url: string): Record<string, string> =>
  Object.fromEntries(
    (url.split('?')[1] || '')
      .split('&')
      .filter(Boolean)
      .map((kv) => kv.split('=').map(decodeURIComponent) as [string, string]),
  );

/** The ids of the buttons a detail page shows in its action area. */
function buttons(page: PageHandle): string[] {
  return ['accept', 'start', 'open-complete', 'rate', 'dispatch', 'review', 'decline', 'cancel'].filter((id) =>
    page.exists(`#${id}`),
  );
}

/** Fires a tdesign component's own event (t-rate's change needs a layout to measure), as it would. */
async function fire(page: PageHandle, selector: string, event: string, detail: unknown) {
  (page.comp as unknown as { querySelector(s: string): { instance: { triggerEvent(n: string, d: unknown): void } } })
    .querySelector(selector)
    .instance.triggerEvent(event, detail);
  await settle();
}

describe('首页: the service menu', () => {
  test('three tiers; a 特惠 item explains itself to a resident without the tag instead of ordering', async () => {
    const page = await renderPage(PAGES.home, { openid: 'demo-resident-2' });
    expect(page.texts('.tier')).toEqual(['基础服务', '增值服务', '特惠服务']);
    // The last two are the demo's property company's (docs/property.md).
    expect(page.texts('.item__name')).toEqual([
      '代买代办',
      '陪同就医',
      '上门理发',
      '水电小修',
      '环境卫生反映',
      '物业报修',
      '物业投诉',
    ]);
    expect(page.text('#item-0')).toContain('免费');
    expect(page.exists('#open-parking')).toBe(true);
    expect(page.exists('#open-hall')).toBe(false);
    expect(page.exists('#open-board')).toBe(false);

    await page.tap('#tier-value_added');
    expect(page.text('.tier--on')).toBe('增值服务');
    const names = page.texts('.item__name');
    expect(names).toContain('家政保洁');
    expect(page.text(`#item-${names.indexOf('家政保洁')}`)).toContain('80元');
    expect(page.text(`#item-${names.indexOf('快递代管')}`)).toContain('2元');

    await page.tap('#tier-discounted');
    const special = page.texts('.item__name').indexOf('独居老人上门探访');
    expect(page.text(`#item-${special}`)).toContain('特惠服务仅限「独居老人」居民');
    await page.tap(`#item-${special}`);
    expect(wxSpies.showModal).toHaveBeenCalledWith(
      expect.objectContaining({ title: '独居老人上门探访', content: expect.stringContaining('请联系社区工作人员登记') }),
    );
    expect(wxSpies.navigateTo).not.toHaveBeenCalled();

    await page.tap('#tier-basic');
    await page.tap('#item-3');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: '/packages/orders/create/index?serviceId=demo%3Arepair' });
    expect(page.maxSetDataBytes()).toBeLessThan(10 * KB);
  });

  test('the tagged resident may order it; volunteers and workers get their entries', async () => {
    const elder = await renderPage(PAGES.home, { openid: 'demo-resident-1' });
    await elder.tap('#tier-discounted');
    const special = elder.texts('.item__name').indexOf('独居老人上门探访');
    expect(elder.exists(`#item-${special} .item__reason`)).toBe(false);
    await elder.tap(`#item-${special}`);
    // 赵秀兰 is in 长辈模式 (on by default for 独居老人): a service opens the voice form with it picked.
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/orders/voice/index?serviceId=demo%3Alonely-visit' });
    elder.detach();

    const volunteer = await renderPage(PAGES.home, { openid: 'demo-volunteer-1' });
    await volunteer.tap('#open-hall');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/orders/hall/index' });
    expect(volunteer.exists('#open-board')).toBe(false);
    volunteer.detach();

    const worker = await renderPage(PAGES.home, { openid: 'demo-worker' });
    await worker.tap('#open-board');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/worker/board/index' });
  });

  test('an applicant waiting for review is told so', async () => {
    const joined = await cloud.invoke(
      'member',
      { action: 'join', payload: { inviteCode: 'DEMOJOIN', name: '王阿姨', building: '3栋', room: '502' } },
      'home-applicant',
    );
    expect(joined.ok).toBe(true);
    const page = await renderPage(PAGES.home, { openid: 'home-applicant' });
    expect(page.text('#pending')).toContain('正在等待社区审核');
    expect(page.exists('.item')).toBe(false);
  });

  test('someone who has not joined is asked to join; the parking entry stays', async () => {
    const page = await renderPage(PAGES.home, { openid: 'home-stranger' });
    expect(page.text('#guest')).toContain('加入社区后');
    expect(page.exists('.item')).toBe(false);
    await page.tap('#go-join');
    expect(wxSpies.switchTab).toHaveBeenCalledWith({ url: '/pages/mine/index' });
    await page.tap('#open-parking');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith({ url: '/packages/parking/find/index' });
  });
});

describe('the order form', () => {
  test('a double tap on 提交 creates one order; consent is asked on the tap, not on load', async () => {
    const page = await renderPage(PAGES.create, { openid: 'demo-resident-2', query: { serviceId: 'demo:repair' } });
    expect(page.text('#service-name')).toBe('水电小修');
    expect(page.text('#service-price')).toBe('免费');
    expect(page.exists('#modes')).toBe(false); // only workers order for someone else
    expect(extra.requestSubscribeMessage).not.toHaveBeenCalled();

    await page.tap('#submit');
    expect(page.text('#description-error')).toContain('请写一写需要帮什么忙');
    expect(calls.filter((c) => c.action === 'create')).toHaveLength(0);

    await page.input('#description-input', '阳台灯不亮了，开关也有点松');
    expect(page.text('#count')).toBe('13/500');
    const before = calls.length;
    await Promise.all([page.tap('#submit'), page.tap('#submit')]);

    const made = calls.slice(before).filter((c) => c.name === 'orders' && c.action === 'create');
    expect(made).toHaveLength(1);
    expect(extra.requestSubscribeMessage).toHaveBeenCalledTimes(1);
    expect(extra.requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['local-order-progress'] }));
    const order = calls.slice(before).map((c) => `${c.name}.${c.action}`);
    expect(order.indexOf('messages.grantSubscribe')).toBeLessThan(order.indexOf('orders.create'));

    const url = lastUrl(wxSpies.redirectTo);
    expect(url).toMatch(/^\/packages\/orders\/detail\/index\?id=o_[0-9a-f]{32}$/);
    const mine = await orders('listMine', {}, 'demo-resident-2');
    expect(mine.items.filter((o) => o.description === '阳台灯不亮了，开关也有点松')).toHaveLength(1);

    // The same form submitted again (a retry) answers the same order.
    const again = (made[0].payload as { requestId: string }).requestId;
    const repeat = await orders(
      'create',
      { serviceId: 'demo:repair', description: '阳台灯不亮了，开关也有点松', requestId: again },
      'demo-resident-2',
    );
    expect(`/packages/orders/detail/index?id=${repeat._id}`).toBe(url);
  });

  test("a picked photo uploads to the resident's own folder in cloud storage, goes with the order and shows on it", async () => {
    const page = await renderPage(PAGES.create, { openid: 'demo-resident-3', query: { serviceId: 'demo:repair' } });
    await page.tap('#add-photo');
    expect(extra.chooseMedia).toHaveBeenCalledTimes(1);
    expect(page.count('.photo')).toBe(1);
    const uploads = (wxg().cloud as { uploadFile: jest.Mock }).uploadFile.mock.calls;
    expect(uploads).toHaveLength(1);
    const me = await cloud.invoke('member', { action: 'me' }, 'demo-resident-3');
    const prefix = (me as { data: { uploadPrefix: string } }).data.uploadPrefix;
    expect(uploads[0][0].cloudPath).toMatch(new RegExp(`^${prefix}order/[A-Za-z0-9]{8,64}\\.png$`));
    await page.input('#description-input', '卫生间水管漏水，照片里是漏水的地方');
    await page.tap('#submit');
    const id = queryOf(lastUrl(wxSpies.redirectTo)).id;
    const order = await orders('get', { orderId: id }, 'demo-resident-3');
    expect(order.photos).toEqual([`cloud://local.6c6f-local-1250000000/${uploads[0][0].cloudPath}`]);
    // The stored file is the picked picture, uploaded by the resident.
    const meta = await cloud.storage.stat(uploads[0][0].cloudPath);
    expect(meta).toMatchObject({
      uploader: 'demo-resident-3',
      size: fs.statSync(FIXTURE_PICTURE).size,
      contentType: 'image/png',
    });

    // The order's page shows it (WeChat displays cloud:// ids itself).
    const detail = await renderPage(PAGES.detail, { openid: 'demo-resident-3', query: { id } });
    expect(detail.data.order.photos).toEqual(order.photos);
    expect(detail.count('.photo')).toBe(1);
  });

  test('a resident without the tag cannot send a 特惠 order; a worker orders it for the elder who has it', async () => {
    const resident = await renderPage(PAGES.create, { openid: 'demo-resident-2', query: { serviceId: 'demo:lonely-visit' } });
    expect(resident.text('#reason')).toContain('特惠服务仅限「独居老人」居民');
    expect(resident.exists('#submit')).toBe(true);
    await resident.input('#description-input', '想请人来看看');
    await resident.tap('#submit');
    expect(
      calls.filter(
        (c) =>
          c.action === 'create' &&
          c.openid === 'demo-resident-2' &&
          (c.payload as { serviceId: string }).serviceId === 'demo:lonely-visit',
      ),
    ).toHaveLength(0);
    resident.detach();

    const worker = await renderPage(PAGES.create, { openid: 'demo-worker', query: { serviceId: 'demo:lonely-visit' } });
    // The worker has no 独居老人 tag: ordering for oneself is refused, with the reason.
    expect(worker.text('#reason')).toContain('特惠服务仅限');
    await worker.tap('#for-other');
    expect(worker.exists('#reason')).toBe(false);
    expect(worker.text('#buildings')).toContain('1栋');
    await worker.tap('.chip', worker.texts('.chip').indexOf('2栋'));
    await worker.tap('.member', worker.texts('.member__name').indexOf('孙伟'));
    expect(worker.text('#reason')).toContain('服务对象暂未登记该身份');
    await worker.tap('#change-member');
    expect(worker.exists('#reason')).toBe(false);
    await worker.tap('.chip', worker.texts('.chip').indexOf('1栋'));
    const people = worker.texts('.member__name');
    expect(people).toContain('赵秀兰');
    await worker.tap('.member', people.indexOf('赵秀兰'));
    expect(worker.text('#chosen')).toContain('为 赵秀兰（1栋 102室）下单');
    expect(worker.exists('#reason')).toBe(false);
    await worker.input('#description-input', '赵阿姨这周想请人上门看看，顺便检查燃气');
    await worker.tap('#submit');
    const id = queryOf(lastUrl(wxSpies.redirectTo)).id;

    const detail = await renderPage(PAGES.detail, { openid: 'demo-resident-1', query: { id } });
    expect(detail.text('#service-name')).toBe('独居老人上门探访');
    expect(detail.text('#ordered-by')).toBe('李梅 代下单');
    expect(detail.text('#beneficiary')).toContain('赵秀兰');
  });

  test('text the content check refuses is shown at the field; the corrected form then goes through', async () => {
    const page = await renderPage(PAGES.create, { openid: 'demo-resident-4', query: { serviceId: 'demo:errand' } });
    await page.input('#description-input', '帮我找人办证');
    await page.tap('#submit');
    expect(page.text('#description-error')).toContain('含有不当内容');
    expect(wxSpies.redirectTo).not.toHaveBeenCalled();
    await page.input('#description-input', '帮我去药店买一盒感冒药');
    expect(page.exists('#description-error')).toBe(false);
    await page.tap('#submit');
    const made = calls.filter((c) => c.action === 'create' && c.openid === 'demo-resident-4').slice(-2);
    // One form, one request id: the refused try wrote nothing, the retry created the order.
    expect(made.map((c) => (c.payload as { requestId: string }).requestId)).toEqual([
      (made[0].payload as { requestId: string }).requestId,
      (made[0].payload as { requestId: string }).requestId,
    ]);
    const id = queryOf(lastUrl(wxSpies.redirectTo)).id;
    const order = await orders('get', { orderId: id }, 'demo-resident-4');
    expect(order.description).toBe('帮我去药店买一盒感冒药');
  });

  test('an unknown service says so and leads home', async () => {
    const page = await renderPage(PAGES.create, { openid: 'demo-resident-2', query: { serviceId: 'demo:nothing' } });
    expect(page.text('#message')).toContain('这项服务已下架或不存在');
    await page.tap('#back-home');
    expect(wxSpies.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' });
  });
});

describe('order detail: the buttons per role and state, and the light', () => {
  test('a fresh order: the resident may cancel only; the light is green with its deadline', async () => {
    const o = await place('demo-resident-5', '帮忙取一下快递');
    const page = await renderPage(PAGES.detail, { openid: 'demo-resident-5', query: { id: o._id } });
    expect(page.text('#status')).toBe('待派单');
    expect(page.text('#light')).toContain('正常');
    expect(page.text('#deadline')).toBe('派单时限：1月7日 09:30');
    expect(buttons(page)).toEqual(['cancel']);
    expect(page.text('#volunteer')).toContain('还没有安排志愿者');
    expect(page.text('#timeline')).toContain('下单 · 郑丽');
    expect(extra.showShareMenu).toHaveBeenCalled();
    const card = (page.instance as unknown as { onShareAppMessage(): { title: string; path: string } }).onShareAppMessage();
    expect(card).toEqual({ title: '代买代办（待派单）', path: `/packages/orders/detail/index?id=${o._id}` });

    // The worker sees 派单 (the console's dispatch page) and cancel.
    const worker = await renderPage(PAGES.detail, { openid: 'demo-worker', query: { id: o._id } });
    expect(buttons(worker)).toEqual(['dispatch', 'cancel']);
    await worker.tap('#dispatch');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: `/packages/worker/dispatch/index?id=${o._id}` });

    // A volunteer who is not involved cannot open it.
    const stranger = await renderPage(PAGES.detail, { openid: 'demo-volunteer-3', query: { id: o._id } });
    expect(stranger.text('#message')).toContain('订单不存在');

    // The resident cancels with a reason.
    wiring.setOpenid('demo-resident-5');
    wxSpies.showModal.mockResolvedValueOnce({
      confirm: true,
      cancel: false,
      content: '家里人已经取回来了',
      errMsg: 'showModal:ok',
    });
    await page.tap('#cancel');
    expect(page.text('#status')).toBe('已取消');
    expect(page.text('#cancellation')).toContain('取消：家里人已经取回来了');
    expect(buttons(page)).toEqual([]);
    expect(page.exists('#light')).toBe(false);
  });

  test('a dispatched order: the volunteer may accept or decline, the parties cancel, nobody else acts', async () => {
    const volunteer = await renderPage(PAGES.detail, { openid: 'demo-volunteer-1', query: { id: 'demo-order-dispatched' } });
    expect(volunteer.text('#status')).toBe('已派单');
    expect(buttons(volunteer)).toEqual(['accept', 'decline']);
    // The assigned volunteer sees the whole room and phone.
    expect(volunteer.text('#beneficiary')).toContain('1栋 102室');
    expect(volunteer.exists('#call-beneficiary')).toBe(true);

    const resident = await renderPage(PAGES.detail, { openid: 'demo-resident-1', query: { id: 'demo-order-dispatched' } });
    expect(buttons(resident)).toEqual(['cancel']);
    expect(resident.text('#volunteer')).toContain('张建国');
    // The parties see the volunteer's whole phone, to call them with one tap.
    expect(resident.text('#volunteer')).toContain('13800000011');
    await resident.tap('#call-volunteer');
    expect(extra.makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '13800000011' }));
    // Nobody is offered a call to themselves.
    expect(resident.exists('#call-beneficiary')).toBe(false);
    expect(volunteer.exists('#call-volunteer')).toBe(false);

    const worker = await renderPage(PAGES.detail, { openid: 'demo-worker', query: { id: 'demo-order-dispatched' } });
    expect(buttons(worker)).toEqual(['cancel']);

    // Declining needs a reason; without one nothing is sent.
    wiring.setOpenid('demo-volunteer-1');
    wxSpies.showModal.mockResolvedValueOnce({ confirm: true, cancel: false, content: ' ', errMsg: 'showModal:ok' });
    await volunteer.tap('#decline');
    expect(wxSpies.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请写上原因，对方才知道怎么安排' }));
    expect(volunteer.text('#status')).toBe('已派单');
  });

  test('accepted and in service: the volunteer starts and completes; the resident cannot cancel any more', async () => {
    const o = await place('demo-resident-3', '帮忙把旧报纸搬到楼下');
    await orders('dispatch', { orderId: o._id, volunteerOpenid: 'demo-volunteer-2' }, 'demo-worker');
    await orders('accept', { orderId: o._id }, 'demo-volunteer-2');

    const resident = await renderPage(PAGES.detail, { openid: 'demo-resident-3', query: { id: o._id } });
    expect(resident.text('#status')).toBe('已接单');
    expect(buttons(resident)).toEqual([]);
    expect(resident.text('#deadline')).toMatch(/^服务时限：1月7日 13:00$/);

    const worker = await renderPage(PAGES.detail, { openid: 'demo-worker', query: { id: o._id } });
    expect(buttons(worker)).toEqual(['cancel']);

    const page = await renderPage(PAGES.detail, { openid: 'demo-volunteer-2', query: { id: o._id } });
    expect(buttons(page)).toEqual(['start', 'decline']);
    await page.tap('#start');
    expect(page.toast().message).toBe('已开始服务');
    expect(page.text('#status')).toBe('服务中');
    expect(buttons(page)).toEqual(['open-complete']);

    await page.tap('#open-complete');
    await page.tap('#complete');
    expect(page.text('#note-error')).toContain('请简单写一下做了什么');
    await page.tap('#add-complete-photo');
    const done = (page.data.completePhotos as string[])[0];
    expect(done).toMatch(/^cloud:\/\/local\.6c6f-local-1250000000\/uploads\/[0-9a-f]{16}\/order\//);
    await page.input('#note-input', '已搬到一楼回收点');
    await page.tap('#complete');
    expect(page.text('#status')).toBe('待评价');
    expect(page.text('#completion')).toContain('已搬到一楼回收点');
    expect(page.data.order.completionPhotos).toEqual([done]);
    expect(buttons(page)).toEqual([]);
    expect(page.exists('#light')).toBe(false);
    expect(page.maxSetDataBytes()).toBeLessThan(20 * KB);
  });

  test('the volunteer declines an accepted order with a reason; it goes back to the community', async () => {
    const page = await renderPage(PAGES.detail, { openid: 'demo-volunteer-2', query: { id: 'demo-order-accepted' } });
    expect(buttons(page)).toEqual(['start', 'decline']);
    wxSpies.showModal.mockResolvedValueOnce({
      confirm: true,
      cancel: false,
      content: '明天上午要去医院复查',
      errMsg: 'showModal:ok',
    });
    await page.tap('#decline');
    expect(page.toast().message).toBe('已拒单，社区会另外安排');
    expect(page.text('#status')).toBe('待派单');
    expect(buttons(page)).toEqual([]);

    const resident = await renderPage(PAGES.detail, { openid: 'demo-resident-5', query: { id: 'demo-order-accepted' } });
    expect(resident.text('#passed-over')).toBe('未接的志愿者：刘芳（明天上午要去医院复查）');
    expect(resident.text('#timeline')).toContain('明天上午要去医院复查');
    expect(buttons(resident)).toEqual(['cancel']);
  });

  test('a card opened by someone who never joined goes to the join page first, then back here', async () => {
    const page = await renderPage(PAGES.detail, { openid: 'card-stranger', query: { id: 'demo-order-pending' } });
    const url = lastUrl(wxSpies.redirectTo);
    expect(url.startsWith('/pages/join/index?redirect=')).toBe(true);
    expect(queryOf(url).redirect).toBe('/packages/orders/detail/index?id=demo-order-pending');
    expect(page.exists('#actions')).toBe(false);
  });

  test('completed: the resident is offered 评价; rated: the worker is offered 评单', async () => {
    const resident = await renderPage(PAGES.detail, { openid: 'demo-resident-1', query: { id: 'demo-order-completed' } });
    expect(resident.text('#status')).toBe('待评价');
    expect(buttons(resident)).toEqual(['rate']);
    await resident.tap('#rate');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/orders/rate/index?id=demo-order-completed' });

    const closed = await renderPage(PAGES.detail, { openid: 'demo-resident-3', query: { id: 'demo-order-closed' } });
    expect(closed.text('#status')).toBe('已办结');
    expect(closed.text('#rating')).toContain('★★★★★ 非常满意');
    expect(buttons(closed)).toEqual([]);
  });

  test('a low rating: the worker gets 评单, then 回访 once the order is closed', async () => {
    const o = await place('demo-resident-4', '帮忙换个门锁芯', 'demo:repair');
    await orders('dispatch', { orderId: o._id, volunteerOpenid: 'demo-volunteer-1' }, 'demo-worker');
    for (const action of ['accept', 'start'] as const) await orders(action, { orderId: o._id }, 'demo-volunteer-1');
    await orders('complete', { orderId: o._id, note: '已更换锁芯' }, 'demo-volunteer-1');
    await orders('rate', { orderId: o._id, stars: 2, comment: '来晚了两个小时' }, 'demo-resident-4');

    const page = await renderPage(PAGES.detail, { openid: 'demo-worker', query: { id: o._id } });
    expect(page.text('#status')).toBe('已评价');
    expect(page.text('#rating')).toContain('★★☆☆☆ 不满意');
    expect(page.text('#review')).toBe('评单');
    expect(page.text('#review-result')).toContain('待回访');
    await orders('review', { orderId: o._id, result: 'pass' }, 'demo-worker');
    await page.pullDownRefresh();
    expect(page.text('#status')).toBe('已办结');
    expect(page.text('#review')).toBe('回访');
    expect(buttons(page)).toEqual(['review']);
    await page.tap('#review');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: `/packages/worker/review/index?id=${o._id}` });

    // The resident sees the outcome, not the worker's follow-up bookkeeping.
    const resident = await renderPage(PAGES.detail, { openid: 'demo-resident-4', query: { id: o._id } });
    expect(resident.text('#review-result')).toContain('评单通过');
    expect(resident.text('#review-result')).not.toContain('待回访');
  });

  test('the light turns yellow at 80 % of the step and red when the time is up', async () => {
    const page = await renderPage(PAGES.detail, { openid: 'demo-resident-4', query: { id: 'demo-order-yellow' } });
    expect(page.text('#light')).toContain('即将超时');
    expect(page.exists('.light--yellow')).toBe(true);
    at('2030-01-07T09:05:00+08:00');
    await page.pullDownRefresh();
    expect(page.text('#light')).toContain('已超时');
    expect(page.exists('.light--red')).toBe(true);
    expect(wxSpies.stopPullDownRefresh).toHaveBeenCalled();
  });
});

describe('志愿者接单大厅', () => {
  test('two volunteers grab one order: the first wins, the second is told kindly and the card goes', async () => {
    const o = await place('demo-resident-4', '帮忙去菜市场买点青菜');
    await orders('release', { orderId: o._id }, 'demo-worker');

    const first = await renderPage(PAGES.hall, { openid: 'demo-volunteer-1' });
    const second = await renderPage(PAGES.hall, { openid: 'demo-volunteer-2' });
    expect(first.text('#duty-text')).toBe('在岗中');
    expect(first.text('#record')).toMatch(/^已服务 \d+ 单 · (平均 [\d.]+ 星|还没有评分) · 积分 \d+$/);
    const row = (page: PageHandle) => page.texts('#open-list .order__desc').indexOf('帮忙去菜市场买点青菜');
    const i1 = row(first);
    const i2 = row(second);
    expect(i1).toBeGreaterThanOrEqual(0);
    expect(i2).toBeGreaterThanOrEqual(0);
    expect(first.text(`#open-${i1}`)).toContain('4栋 1**'); // the room is masked in the hall

    wiring.setOpenid('demo-volunteer-2');
    await second.tap(`#open-${i2} .grab`);
    expect(second.toast().message).toBe('接单成功！请尽快联系居民');
    expect(second.text(`#open-${i2}`)).toContain('您已接单');

    wiring.setOpenid('demo-volunteer-1');
    await first.tap(`#open-${i1} .grab`);
    expect(first.toast().message).toBe('手慢了，该订单已被其他志愿者接单');
    expect(first.exists(`#open-${i1}`)).toBe(false);

    const order = await orders('get', { orderId: o._id }, 'demo-worker');
    expect(order).toMatchObject({ status: 'accepted', volunteer: { openid: 'demo-volunteer-2' } });
    expect(first.maxSetDataBytes()).toBeLessThan(20 * KB);
  });

  test('派给我的 lists what was dispatched to me, with one-tap accept; a card opens the detail', async () => {
    const page = await renderPage(PAGES.hall, { openid: 'demo-volunteer-1' });
    await page.tap('#tab-mine');
    const descs = page.texts('#mine-list .order__desc');
    expect(descs.some((d) => d.startsWith('赵阿姨独居'))).toBe(true);
    expect(page.exists('#mine-list .accept')).toBe(true);
    await page.tap('#mine-0 .order__main');
    expect(lastUrl(wxSpies.navigateTo)).toMatch(/^\/packages\/orders\/detail\/index\?id=/);
  });

  test('off duty: no open orders until the switch is turned on', async () => {
    const page = await renderPage(PAGES.hall, { openid: 'demo-volunteer-3' });
    expect(page.text('#duty-text')).toBe('已离岗');
    expect(page.text('#off-duty')).toContain('打开上面的开关上岗');
    await page.tap('#duty-switch');
    expect(page.text('#duty-text')).toBe('在岗中');
    expect(page.exists('#off-duty')).toBe(false);
    expect(page.count('#open-list .order')).toBeGreaterThan(0);
    const me = await invokeData(cloud, 'member', 'me', {}, 'demo-volunteer-3');
    expect(me?.onDuty).toBe(true);
    await page.tap('#duty-switch');
    expect(page.text('#off-duty')).toContain('上岗');
  });

  test('the hall pages by 20 and appends the next page by path', async () => {
    for (let i = 0; i < 22; i++) {
      const o = await place('demo-resident-3', `大厅第${i}单`);
      await orders('release', { orderId: o._id }, 'demo-worker');
    }
    const page = await renderPage(PAGES.hall, { openid: 'demo-volunteer-1' });
    const first = page.count('#open-list .order') + page.data.mineItems.length;
    expect(first).toBe(20);
    expect(page.data.hasMore).toBe(true);
    const sizesBefore = page.setDataSizes.length;
    await page.reachBottom();
    expect(page.data.openItems.length + page.data.mineItems.length).toBeGreaterThan(20);
    const descs = page.texts('#open-list .order__desc');
    expect(new Set(descs).size).toBe(descs.length);
    expect(descs).toEqual(expect.arrayContaining(['大厅第0单', '大厅第21单']));
    expect(Math.max(...page.setDataSizes.slice(sizesBefore))).toBeLessThan(Math.max(...page.setDataSizes.slice(0, sizesBefore)));
    const hall = calls.filter((c) => c.action === 'listHall' && c.openid === 'demo-volunteer-1').map((c) => c.payload);
    expect(hall.slice(-2)).toEqual([{ page: 1 }, { page: 2 }]);
  });

  test('a resident is told the hall is for volunteers', async () => {
    const page = await renderPage(PAGES.hall, { openid: 'demo-resident-2' });
    expect(page.text('#message')).toContain('接单大厅只对党员志愿者和物业人员开放');
  });
});

describe('订单 tab', () => {
  test('pages of 20 append by path; the state filters narrow the list; empty states say what to do', async () => {
    for (let i = 0; i < 22; i++) await place('demo-resident-2', `第${i}件小事`);
    const page = await renderPage(PAGES.tab, { openid: 'demo-resident-2' });
    expect(page.text('#title')).toBe('我的订单');
    expect(page.texts('.filter')).toEqual(['全部', '待评价', '服务中', '已办结']);
    expect(page.count('.order')).toBe(20);
    expect(page.exists('.order .dot--green')).toBe(true);
    const firstPage = Math.max(...page.setDataSizes);
    const sizesBefore = page.setDataSizes.length;
    await page.reachBottom();
    const total = page.count('.order');
    expect(total).toBeGreaterThan(20);
    // Only the new rows travel: every payload of the second page is smaller than the first page's.
    expect(Math.max(...page.setDataSizes.slice(sizesBefore))).toBeLessThan(firstPage / 2);
    expect(page.data.items.slice(0, 20).every((r: { serviceName: string }) => !!r.serviceName)).toBe(true);
    if (!page.data.hasMore) expect(page.text('#no-more')).toBe('没有更多了');
    const listed = calls.filter((c) => c.action === 'listMine' && c.openid === 'demo-resident-2').map((c) => c.payload);
    expect(listed.slice(-2)).toEqual([{ page: 1 }, { page: 2 }]);

    await page.tap('.filter', 2); // 服务中
    expect(page.text('.filter--on')).toBe('服务中');
    expect(page.data.items.every((r: { status: string }) => r.status === 'in_service')).toBe(true);
    expect(page.count('.order')).toBeGreaterThan(0); // the seed's 代缴水费 order

    await page.tap('.filter', 3); // 已办结
    expect(page.text('#empty')).toBe('还没有办结的订单。');
    await page.tap('.filter', 0);
    await page.tap('#order-0 .order__main');
    expect(lastUrl(wxSpies.navigateTo)).toMatch(/^\/packages\/orders\/detail\/index\?id=o_/);
    expect(page.maxSetDataBytes()).toBeLessThan(30 * KB);
  });

  test('待评价 offers 去评价 on the card', async () => {
    const page = await renderPage(PAGES.tab, { openid: 'demo-resident-1' });
    await page.tap('.filter', 1);
    expect(page.texts('.order__service')).toContain('高龄助餐');
    await page.tap('.rate', 0);
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/orders/rate/index?id=demo-order-completed' });
  });

  test('a volunteer switches to 我服务的', async () => {
    const page = await renderPage(PAGES.tab, { openid: 'demo-volunteer-1' });
    expect(page.exists('#modes')).toBe(true);
    await page.tap('#mode-volunteer');
    expect(page.texts('.filter')).toEqual(['全部', '待我接单', '已接单', '服务中']);
    const last = calls.filter((c) => c.action === 'listMine').pop()!;
    expect(last.payload).toEqual({ as: 'volunteer', page: 1 });
    expect(page.texts('.order__desc')).toEqual(expect.arrayContaining(['代缴本季度水费和燃气费']));
    expect(page.exists('.rate')).toBe(false);
  });

  test('我服务过的订单 from the hall opens the served list; empty, it says what it holds and where to go', async () => {
    // 陈志强 (demo-volunteer-3) has served nothing yet.
    const hall = await renderPage(PAGES.hall, { openid: 'demo-volunteer-3' });
    await hall.tap('#my-orders');
    expect(wxSpies.switchTab).toHaveBeenLastCalledWith({ url: '/pages/orders/index' });
    hall.detach();

    const page = await renderPage(PAGES.tab, { openid: 'demo-volunteer-3' });
    await settle();
    expect(page.text('.mode--on')).toBe('我服务的');
    const last = calls.filter((c) => c.action === 'listMine' && c.openid === 'demo-volunteer-3').pop()!;
    expect(last.payload).toEqual({ as: 'volunteer', page: 1 });
    expect(page.count('.order')).toBe(0);
    expect(page.text('#empty')).toContain('您还没有服务过的订单');
    expect(page.text('#empty')).toContain('接单大厅');
    await page.tap('#go-hall');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/orders/hall/index' });

    // Every filter of the served list says what would be there and offers the hall.
    for (const i of [1, 2, 3]) {
      await page.tap('.filter', i);
      expect(page.text('#empty').length).toBeGreaterThan(15);
      expect(page.exists('#go-hall')).toBe(true);
    }
    // The request is taken once: the tab shown again later stays where the person left it.
    await page.tap('#mode-resident');
    page.instance.onShow();
    await settle();
    expect(page.text('.mode--on')).toBe('我的订单');
    expect(page.text('#empty')).toContain('您还没有下过单');
  });

  test('nothing ordered yet, or not a member: the page says what to do', async () => {
    const page = await renderPage(PAGES.tab, { openid: 'other-resident' });
    expect(page.text('#empty')).toContain('到“首页”点一项服务');
    await page.tap('#go-home');
    expect(wxSpies.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' });
    page.detach();

    const stranger = await renderPage(PAGES.tab, { openid: 'tab-stranger' });
    expect(stranger.text('#guest')).toContain('加入社区后');
  });
});

describe('the loop through the pages: a resident orders, a volunteer serves, the resident rates', () => {
  test('点单 → 派单 → 接单 → 服务 → 评价', async () => {
    // 点单 on 首页 and the form.
    const home = await renderPage(PAGES.home, { openid: 'demo-resident-5' });
    await home.tap('#item-2'); // 上门理发
    const createUrl = lastUrl(wxSpies.navigateTo);
    const form = await renderPage(PAGES.create, { openid: 'demo-resident-5', query: queryOf(createUrl) });
    expect(form.text('#service-name')).toBe('上门理发');
    await form.input('#description-input', '老伴行动不便，想请人上门剪个头发，下午都在家');
    await form.tap('#submit');
    const id = queryOf(lastUrl(wxSpies.redirectTo)).id;

    const mine = await renderPage(PAGES.detail, { openid: 'demo-resident-5', query: { id } });
    expect(mine.text('#status')).toBe('待派单');
    expect(buttons(mine)).toEqual(['cancel']);

    // 派单 (the worker console is another page; its call for now).
    await orders('dispatch', { orderId: id, volunteerOpenid: 'demo-volunteer-2' }, 'demo-worker');

    // 接单 in the hall, 开始 and 完成 on the detail.
    const hall = await renderPage(PAGES.hall, { openid: 'demo-volunteer-2' });
    await hall.tap('#tab-mine');
    const row = hall.texts('#mine-list .order__desc').indexOf('老伴行动不便，想请人上门剪个头发，下午都在家');
    expect(row).toBeGreaterThanOrEqual(0);
    await hall.tap(`#mine-${row} .accept`);
    expect(hall.text(`#mine-${row}`)).toContain('您已接单');

    const serving = await renderPage(PAGES.detail, { openid: 'demo-volunteer-2', query: { id } });
    expect(serving.text('#status')).toBe('已接单');
    expect(buttons(serving)).toEqual(['start', 'decline']);
    await serving.tap('#start');
    await serving.tap('#open-complete');
    await serving.input('#note-input', '已上门理发，老人很满意');
    await serving.tap('#complete');
    expect(serving.text('#status')).toBe('待评价');

    // 评价 by the resident: from the detail to the rate page and back.
    wiring.setOpenid('demo-resident-5');
    await mine.pullDownRefresh();
    expect(mine.text('#status')).toBe('待评价');
    expect(mine.text('#volunteer')).toContain('刘芳');
    expect(buttons(mine)).toEqual(['rate']);
    await mine.tap('#rate');
    const rate = await renderPage(PAGES.rate, { openid: 'demo-resident-5', query: queryOf(lastUrl(wxSpies.navigateTo)) });
    expect(rate.text('#service-name')).toBe('上门理发');
    expect(rate.text('#volunteer-name')).toBe('志愿者：刘芳');
    await rate.tap('#submit');
    expect(rate.text('#stars-error')).toContain('请点星星打分');
    await fire(rate, '#stars', 'change', { value: 4 });
    expect(rate.text('#stars-word')).toBe('满意');
    await rate.tap('#stars-5');
    expect(rate.text('#stars-word')).toBe('非常满意');
    await rate.input('#comment-input', '刘芳剪得很好，谢谢');
    await rate.tap('#submit');
    expect(wxSpies.navigateBack).toHaveBeenCalledWith({ delta: 1 });

    await mine.show();
    expect(mine.text('#status')).toBe('已评价');
    expect(mine.text('#rating')).toContain('★★★★★ 非常满意');
    expect(mine.text('#rating')).toContain('刘芳剪得很好，谢谢');
    expect(buttons(mine)).toEqual([]);

    // Rating twice is not offered.
    const again = await renderPage(PAGES.rate, { openid: 'demo-resident-5', query: { id } });
    expect(again.text('#message')).toBe('这次服务已经评价过了，谢谢您');

    // The worker now sees 评单.
    const worker = await renderPage(PAGES.detail, { openid: 'demo-worker', query: { id } });
    expect(buttons(worker)).toContain('review');
    await worker.tap('#review');
    expect(wxSpies.navigateTo).toHaveBeenLastCalledWith({ url: `/packages/worker/review/index?id=${id}` });
  });
});
