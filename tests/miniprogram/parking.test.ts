// The parking pages end to end against the real parking function on the local cloud, on a fixed
// clock: a resident shares a spot, a worker verifies it, a neighbour books, uses and leaves it.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { DEMO_SPOTS } from '../../local/seed/parking';
import { sweepParking } from '../../cloudfunctions/parking/sweep';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, settle, wireCloud, wxSpies, type PageHandle } from '../helpers/miniprogram';
import type { ParkingApi } from '../../cloudfunctions/parking/api';
import { invokeData } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';

const KB = 1024;
const PAGES = {
  find: 'packages/parking/find/index',
  bookings: 'packages/parking/bookings/index',
  spots: 'packages/parking/spots/index',
  spot: 'packages/parking/spot/index',
  verify: 'packages/parking/verify/index',
};

let cloud: LocalCloud;
/** wx storage on this "phone" (simulate's is a stub). */
const storage = new Map<string, unknown>();

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2030-01-07T07:10:00+08:00'); // a Monday
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
  Object.assign(wx, {
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
  });
});
afterAll(async () => {
  await closeCloud(cloud);
  jest.useRealTimers();
});
afterEach(cleanup);

/** Chooses an option of a native picker, as a person would. */
async function pick(page: PageHandle, selector: string, label: string, labels: string[]) {
  const value = labels.indexOf(label);
  expect([selector, label, value >= 0]).toEqual([selector, label, true]);
  (page.comp as unknown as { querySelector(s: string): { dispatchEvent(n: string, o: unknown): void } })
    .querySelector(selector)
    .dispatchEvent('change', { detail: { value } });
  await settle();
}

async function callParking<A extends keyof ParkingApi & string>(openid: string, action: A, payload: unknown) {
  return invokeData(cloud, 'parking', action, payload, openid);
}

describe('a resident shares a spot and a neighbour books, uses and leaves it', () => {
  let spotUrl = '';

  test('the owner registers a spot; the form says what is wrong first', async () => {
    const page = await renderPage(PAGES.spots, { openid: 'demo-resident-1' });
    expect(page.exists('#register-form')).toBe(true);
    expect(page.text()).toContain('把闲着的车位借给邻居');

    await page.tap('#register');
    expect(page.text('#code-error')).toBe('请填写车位编号，例如 B2-103');
    expect(page.text('#location-error')).toContain('请写清车位在哪里');

    await page.input('#code-input', 'p-100');
    await page.input('#location-input', '地下一层 1栋电梯口左侧');
    await page.tap('#register');

    expect(page.toast()).toMatchObject({ visible: true, message: '已提交，等社区工作者核实' });
    expect(page.texts('.spot__code')).toEqual(['P-100']);
    expect(page.text('#spot-0')).toContain('等待社区核实');
    expect(page.exists('#register-form')).toBe(false);
  });

  test('a worker sees the queue and verifies it', async () => {
    const page = await renderPage(PAGES.verify, { openid: 'demo-worker' });
    const codes = page.texts('.spot__code');
    expect(codes).toEqual(expect.arrayContaining(['P-100', 'B1-009']));
    const row = codes.indexOf('P-100');
    expect(page.text(`#spot-${row}`)).toContain('登记人：赵秀兰（1栋 102室）');
    expect(page.text(`#spot-${row}`)).toContain('13800000021');

    await page.tap('.verify', row);
    expect(page.toast().message).toBe('已核实 P-100，车主会收到通知');
    expect(page.text(`#spot-${row}`)).toContain('已核实，可共享');
    expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
  });

  test('a worker must give a reason to reject', async () => {
    const page = await renderPage(PAGES.verify, { openid: 'demo-worker' });
    const row = page.texts('.spot__code').indexOf('B1-009');
    wxSpies.showModal.mockResolvedValueOnce({ confirm: true, cancel: false, content: '  ', errMsg: 'showModal:ok' });
    await page.tap('.reject', row);
    expect(wxSpies.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请写上原因，车主才知道怎么改' }));
    expect(page.text(`#spot-${row}`)).toContain('等待社区核实');
    wxSpies.showModal.mockResolvedValueOnce({
      confirm: true,
      cancel: false,
      content: '车位号与产权证不一致',
      errMsg: 'showModal:ok',
    });
    await page.tap('.reject', row);
    expect(page.text(`#spot-${row}`)).toContain('未通过核实');

    const owner = await renderPage(PAGES.spots, { openid: 'demo-resident-5' });
    expect(owner.text()).toContain('原因：车位号与产权证不一致');
    expect(owner.exists('.resubmit')).toBe(true);
  });

  test('the owner opens the verified spot and publishes a weekly window', async () => {
    const list = await renderPage(PAGES.spots, { openid: 'demo-resident-1' });
    expect(list.text('#spot-0')).toContain('还没有开放时段');
    await list.tap('.open-spot', 0);
    expect(wxSpies.navigateTo).toHaveBeenCalledTimes(1);
    spotUrl = (wxSpies.navigateTo.mock.calls[0][0] as { url: string }).url;
    expect(spotUrl).toMatch(/^\/packages\/parking\/spot\/index\?id=ps[0-9a-f]+$/);

    const page = await renderPage(PAGES.spot, { openid: 'demo-resident-1', query: { id: spotUrl.split('=')[1] } });
    expect(page.text('#spot-code')).toBe('P-100');
    expect(page.text('#no-windows')).toBe('还没有开放时段');
    // Monday to Friday, 08:00 to 18:00 is what the form starts with; make it Monday to Saturday.
    expect(page.texts('.weekday.chip--on')).toEqual(['周一', '周二', '周三', '周四', '周五']);
    await page.tap('.weekday', 5);
    await page.tap('#publish');
    expect(page.toast().message).toBe('已发布，邻居现在可以预约了');
    expect(page.texts('.window__label')).toEqual(['每周一至周六 08:00–18:00']);
    expect(page.texts('.day__label')[0]).toBe('1月7日 周一');
    expect(page.texts('.day__windows')).toEqual([
      '08:00–18:00',
      '08:00–18:00',
      '08:00–18:00',
      '08:00–18:00',
      '08:00–18:00',
      '08:00–18:00',
      '不开放',
    ]);

    // An overnight window that overlaps is refused with the reason.
    await pick(page, '#from-picker', '17:00', page.data.clocks);
    await pick(page, '#to-picker', '07:00', page.data.clocks);
    expect(page.text('#to-value')).toBe('次日 07:00');
    await page.tap('#publish');
    expect(page.toast().message).toContain('与已发布的时段重叠');
  });

  test('the owner shares the verified spot as a card that lands on 找车位', async () => {
    const page = await renderPage(PAGES.spot, { openid: 'demo-resident-1', query: { id: spotUrl.split('=')[1] } });
    expect(page.instance.onShareAppMessage()).toEqual({
      title: '我的车位 P-100 可以共享预约了',
      path: `/packages/parking/find/index?spot=${spotUrl.split('=')[1]}`,
    });
  });

  test('a neighbour finds it for tomorrow 10:00–12:00 and books it with a plate', async () => {
    const requestSubscribeMessage = jest.fn((o: { tmplIds: string[]; success?: (r: unknown) => void }) =>
      o.success?.({ errMsg: 'requestSubscribeMessage:ok', [o.tmplIds[0]]: 'reject' }),
    );
    Object.assign(wx, { requestSubscribeMessage });
    // Arrives through the owner's share card.
    const page = await renderPage(PAGES.find, { openid: 'demo-volunteer-2', query: { spot: spotUrl.split('=')[1] } });
    expect(requestSubscribeMessage).not.toHaveBeenCalled();
    expect(page.texts('.day__name')).toEqual(['今天', '明天', '周三', '周四', '周五', '周六', '周日']);
    // Today starts at the next half hour.
    expect(page.text('#start-value')).toBe('07:30');

    await page.tap('#day-1');
    await pick(page, '#start-picker', '10:00', page.data.startLabels);
    await pick(page, '#end-picker', '12:00', page.data.endLabels);
    expect(page.text('#range-text')).toContain('1月8日 周二 10:00–12:00');
    // The range is one unbreakable piece: the date may wrap before it, never the times.
    expect(page.text('#range-time')).toBe('10:00–12:00');
    const codes = page.texts('.spot__code');
    expect(codes).toEqual(expect.arrayContaining(['P-100', 'B2-103']));
    // The seed's 10:00–12:00 booking on B2-218 tomorrow keeps it out.
    expect(codes).not.toContain('B2-218');
    const row = codes.indexOf('P-100');
    expect(page.text(`#spot-${row}`)).toContain('车主住 1栋 · 开放 每周一至周六 08:00–18:00');
    expect(page.texts(`#spot-${row} .nowrap`)).toEqual(['08:00–18:00']);
    expect(page.text(`#spot-${row}`)).toContain('邻居分享的车位');
    expect(page.texts('.spot__tag')).toEqual(['邻居分享的车位']);

    await page.tap('.open-booking', row);
    await page.input('#plate-input', '粤B1234');
    await page.tap('#confirm-booking');
    expect(page.text('#plate-error')).toContain('位数不够');

    await page.input('#plate-input', '粤b·d12345');
    await page.tap('#confirm-booking');
    expect(page.toast().message).toBe('预约成功');
    // Consent for the booking's reminders was asked on the tap that booked, once.
    expect(requestSubscribeMessage).toHaveBeenCalledTimes(1);
    expect(requestSubscribeMessage).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: ['local-parking-booking'] }));
    expect(page.text('#booked-text')).toBe(
      '已预约 P-100，1月8日 周二 10:00–12:00，车牌 粤BD12345。请按时入场，到了在“我的预约”里点“入场”。',
    );
    expect(page.text(`#spot-${row}`)).toContain('已预约');
    expect(storage.get('parking.lastPlate')).toBe('粤BD12345');
    expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);
  });

  test('the owner sees the booking with its plate in the week view and the list', async () => {
    const page = await renderPage(PAGES.spot, { openid: 'demo-resident-1', query: { id: spotUrl.split('=')[1] } });
    expect(page.texts('.day__booking')).toEqual(['已约 10:00–12:00 粤BD12345 刘芳']);
    expect(page.text('#booking-0')).toContain('1月8日 周二 10:00–12:00');
    expect(page.text('#booking-0')).toContain('车牌 粤BD12345 · 刘芳（3栋）');
  });

  test('on the day, the neighbour checks in and out; the owner earns points', async () => {
    at('2030-01-08T09:50:00+08:00');
    const page = await renderPage(PAGES.bookings, { openid: 'demo-volunteer-2' });
    expect(page.text('#booking-0')).toContain('P-100');
    expect(page.text('#booking-0')).toContain('车牌：粤BD12345');
    expect(page.exists('.check-out')).toBe(false);
    await page.tap('.check-in', 0);
    expect(page.toast().message).toBe('已入场，离开时记得点“离场”');
    expect(page.text('#booking-0')).toContain('已入场');

    at('2030-01-08T11:40:00+08:00');
    await page.tap('.check-out', 0);
    expect(page.text('#booking-0')).toContain('已完成');
    expect(page.exists('.check-out')).toBe(false);

    const past = await renderPage(PAGES.bookings, { openid: 'demo-volunteer-2', query: { scope: 'past' } });
    expect(past.text('.filter--on')).toBe('已结束');
    expect(past.texts('.booking__code')).toContain('P-100');

    const owner = await renderPage(PAGES.spots, { openid: 'demo-resident-1' });
    expect(owner.text('#points')).toBe('已获得 10 积分');
  });
});

describe('finding and booking', () => {
  beforeAll(() => at('2030-01-07T07:10:00+08:00'));

  test('the last plate is remembered, and a spot taken meanwhile says so', async () => {
    const page = await renderPage(PAGES.find, { openid: 'demo-volunteer-2' });
    await page.tap('#day-2');
    await pick(page, '#start-picker', '08:00', page.data.startLabels);
    const row = page.texts('.spot__code').indexOf('B2-103');
    expect(row).toBeGreaterThanOrEqual(0);
    await page.tap('.open-booking', row);
    expect(page.data.plate).toBe('粤BD12345');

    // Someone else takes the same time first.
    await callParking('demo-resident-4', 'book', {
      spotId: DEMO_SPOTS.resident2,
      start: '2030-01-09T08:00:00+08:00',
      end: '2030-01-09T10:00:00+08:00',
      plate: '粤A00001',
      requestId: 'page-test-00001',
    });
    await page.tap('#confirm-booking');
    expect(page.toast().message).toBe('所选时段已被其他邻居预约，请换个时间或换个车位');
    expect(page.text(`#spot-${row}`)).toContain('刚被别人约走');
    expect(page.exists('#booking-form')).toBe(false);
  });

  test('a car already booked elsewhere at that time: the plate is questioned, the spot stays free', async () => {
    const page = await renderPage(PAGES.find, { openid: 'demo-volunteer-2' });
    await page.tap('#day-2');
    await pick(page, '#start-picker', '08:00', page.data.startLabels);
    const row = page.texts('.spot__code').findIndex((code) => code !== 'B2-103');
    expect(row).toBeGreaterThanOrEqual(0);
    await page.tap('.open-booking', row);
    // 粤A00001 is booked on B2-103 for this time (the test above).
    await page.input('#plate-input', '粤A00001');
    await page.tap('#confirm-booking');
    expect(page.toast().message).toContain('同一车牌同一时间只能约一个车位');
    expect(page.text('#plate-error')).toContain('同一车牌');
    expect(page.text(`#spot-${row}`)).not.toContain('刚被别人约走');
  });

  test('the owner’s own spot is not offered, and a worker gets a link to the verification queue', async () => {
    const owner = await renderPage(PAGES.find, { openid: 'demo-resident-2' });
    expect(owner.texts('.spot__code')).not.toContain('B2-103');
    expect(owner.exists('#open-verify')).toBe(false);
    const worker = await renderPage(PAGES.find, { openid: 'demo-worker' });
    expect(worker.exists('#open-verify')).toBe(true);
    await worker.tap('#open-verify');
    expect(wxSpies.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/packages/parking/verify/index' }));
  });

  test('late at night only tomorrow can be chosen', async () => {
    at('2030-01-07T23:40:00+08:00');
    const page = await renderPage(PAGES.find, { openid: 'demo-resident-5' });
    expect(page.text('#no-times')).toContain('今天已经没有可以预约的时间了');
    expect(page.exists('.spot')).toBe(false);
    await page.tap('#day-1');
    expect(page.text('#start-value')).toBe('00:00');
    // B2-218 is open all day, every day.
    expect(page.texts('.spot__code')).toContain('B2-218');
    at('2030-01-07T07:10:00+08:00');
  });
});

describe('my bookings', () => {
  test('cancelling asks first, then tells the owner; too late to cancel hides the button', async () => {
    at('2030-01-07T07:10:00+08:00');
    await callParking('demo-resident-5', 'book', {
      spotId: DEMO_SPOTS.resident4,
      start: '2030-01-10T08:00:00+08:00',
      end: '2030-01-10T09:00:00+08:00',
      plate: '苏E12345',
      requestId: 'page-test-00002',
    });
    await callParking('demo-resident-5', 'book', {
      spotId: DEMO_SPOTS.resident4,
      start: '2030-01-07T07:30:00+08:00',
      end: '2030-01-07T08:00:00+08:00',
      plate: '苏E12345',
      requestId: 'page-test-00003',
    });
    const page = await renderPage(PAGES.bookings, { openid: 'demo-resident-5' });
    expect(page.texts('.booking__time')).toEqual(['1月7日 周一 07:30–08:00', '1月10日 周四 08:00–09:00']);
    // 20 minutes before the start: too late to cancel, and not yet time to check in.
    expect(page.exists('#booking-0 .cancel')).toBe(false);
    expect(page.text('#booking-0')).toContain('开始前 15 分钟起可以点“入场”');

    wxSpies.showModal.mockResolvedValueOnce({ confirm: false, cancel: true, content: '', errMsg: 'showModal:ok' });
    await page.tap('.cancel', 0);
    expect(page.text('#booking-1')).toContain('已预约');
    await page.tap('.cancel', 0);
    expect(page.text('#booking-1')).toContain('已取消');
    expect(page.toast().message).toBe('已取消，车主会收到通知');
    const inbox = await cloud.invoke('messages', { action: 'list', payload: {} }, 'demo-resident-4');
    expect(JSON.stringify(inbox)).toContain('B2-218');
  });

  test('no-shows are counted on the page', async () => {
    at('2030-01-07T08:01:00+08:00');
    await sweepParking(new Date());
    const page = await renderPage(PAGES.bookings, { openid: 'demo-resident-5', query: { scope: 'past' } });
    expect(page.text('#strikes')).toBe('近 30 天有 1 次未按时入场或超时离场，满 3 次会暂停预约 14 天。');
    expect(page.text()).toContain('未按时入场');
    at('2030-01-07T07:10:00+08:00');
  });
});

test('my bookings load 20 at a time', async () => {
  at('2030-01-07T07:10:00+08:00');
  const base = new Date('2030-01-11T00:00:00+08:00').getTime();
  for (let i = 0; i < 21; i++) {
    if (i === 20) await forgetLimits(); // 21 bookings by one person: past an hour's limit
    await callParking('demo-volunteer-3', 'book', {
      spotId: DEMO_SPOTS.resident4,
      start: new Date(base + i * 1800_000).toISOString(),
      end: new Date(base + (i + 1) * 1800_000).toISOString(),
      plate: '粤B12345',
      requestId: `page-list-${i}-00000`,
    });
  }
  const page = await renderPage(PAGES.bookings, { openid: 'demo-volunteer-3' });
  expect(page.count('.booking')).toBe(20);
  expect(page.exists('#end')).toBe(false);
  await page.reachBottom();
  expect(page.count('.booking')).toBe(21);
  expect(page.text('#booking-20')).toContain('1月11日 周五 10:00–10:30');
  expect(page.exists('#end')).toBe(true);
  // Appending travels only the new row.
  expect(page.setDataSizes[page.setDataSizes.length - 1]).toBeLessThan(1024);
});

test('the home page leads to 找车位', async () => {
  const home = await renderPage('pages/home/index', { openid: 'demo-resident-1' });
  expect(home.text('#open-parking')).toContain('共享车位');
  await home.tap('#open-parking');
  expect(wxSpies.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/packages/parking/find/index' }));
});
