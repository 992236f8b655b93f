// The worker's audit page (操作记录) against the real member function on the local cloud: rows in
// words, filters by person (tap a name), by object (tap it) and by day (the date picker), 20 at a
// time with 加载更多, and nothing for anyone but workers.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { invokeData } from '../helpers/call';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { cleanup, closeCloud, renderPage, settle, wireCloud, type PageHandle } from '../helpers/miniprogram';

const KB = 1024;
const ROUTE = 'packages/worker/audit/index';
const DAY = '2031-06-02';
let cloud: LocalCloud;
let orderId = '';

/** Chooses a day in the native date picker, as a person would. */
async function pickDay(page: PageHandle, day: string) {
  (page.comp as unknown as { querySelector(s: string): { dispatchEvent(n: string, o: unknown): void } })
    .querySelector('#day-picker')
    .dispatchEvent('change', { detail: { value: day } });
  await settle();
}

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at(`${DAY}T09:00:00+08:00`);
  cloud = await startTestCloud();
  await seedIfEmpty(cloud, new Date());
  wireCloud(cloud);
  // A volunteer going off and on duty 20 times the day before, then an order on the day:
  // a resident orders, the worker dispatches, the volunteer accepts.
  at('2031-06-01T10:00:00+08:00');
  for (let i = 0; i < 20; i++) await invokeData(cloud, 'orders', 'setDuty', { onDuty: i % 2 === 1 }, 'demo-volunteer-2');
  at(`${DAY}T09:00:00+08:00`);
  const order = { serviceId: 'demo:repair', description: '灯不亮', requestId: 'audit-page-0001' };
  orderId = (await invokeData(cloud, 'orders', 'create', order, 'demo-resident-2'))._id;
  at(`${DAY}T09:05:00+08:00`);
  await invokeData(cloud, 'orders', 'dispatch', { orderId, volunteerOpenid: 'demo-volunteer-1' }, 'demo-worker');
  at(`${DAY}T09:10:00+08:00`);
  await invokeData(cloud, 'orders', 'accept', { orderId }, 'demo-volunteer-1');
}, 60_000);
afterAll(async () => {
  jest.useRealTimers();
  await closeCloud(cloud);
});
afterEach(cleanup);

test('newest first, in words: who, what, which object, before → after, when', async () => {
  const page = await renderPage(ROUTE, { openid: 'demo-worker' });
  expect(page.count('.entry')).toBe(20);
  expect(page.texts('.entry__label').slice(0, 3)).toEqual(['接单', '派单', '下单']);
  expect(page.texts('.entry__who').slice(0, 3)).toEqual(['张建国', '李梅', '孙伟']);
  expect(page.text('#entry-0 .entry__object')).toBe('订单「水电小修」');
  expect(page.text('#entry-1')).toContain('状态：待派单 → 已派单');
  expect(page.text('#entry-1')).toContain('志愿者：— → 张建国');
  expect(page.text('#entry-0 .entry__when')).toBe('2031年6月2日 09:10');
  expect(page.text('#load-more')).toBe('加载更多');
  expect(page.text()).not.toMatch(/1[3-9]\d{9}/);
  expect(page.maxSetDataBytes()).toBeLessThan(100 * KB);

  await page.tap('#load-more');
  expect(page.count('.entry')).toBe(23);
  expect(page.text('#end')).toBe('已经到底了');
});

test('tapping a name shows only that person; tapping an object only its story; both clear', async () => {
  const page = await renderPage(ROUTE, { openid: 'demo-worker' });
  await page.tap('.entry__who', 1); // 李梅, the worker
  expect(page.text('#actor-chip')).toBe('只看 李梅 ✕');
  expect(page.texts('.entry__who')).toEqual(['李梅']);
  await page.tap('#actor-chip');
  expect(page.exists('#actor-chip')).toBe(false);
  expect(page.count('.entry')).toBe(20);

  await page.tap('.entry__object', 0);
  expect(page.text('#target-chip')).toBe('只看 订单「水电小修」 ✕');
  expect(page.texts('.entry__label')).toEqual(['接单', '派单', '下单']);
  // And within it, one person.
  await page.tap('.entry__who', 2);
  expect(page.texts('.entry__label')).toEqual(['下单']);
  expect(page.text('#end')).toBe('已经到底了');
});

test('the date picker narrows to one day of the community clock', async () => {
  const page = await renderPage(ROUTE, { openid: 'demo-worker' });
  await pickDay(page, '2031-06-01');
  expect(page.text('#day')).toBe('日期：2031-06-01');
  expect(page.count('.entry')).toBe(20);
  expect(new Set(page.texts('.entry__label'))).toEqual(new Set(['切换值班']));
  expect(page.exists('#load-more')).toBe(false);
  await pickDay(page, '2031-05-30');
  expect(page.text('#empty')).toBe('没有符合条件的操作记录');
  await page.tap('#clear-day');
  expect(page.text('#day')).toBe('按日期查看');
  expect(page.count('.entry')).toBe(20);
});

test('a resident or a volunteer is told the page is not for them', async () => {
  for (const openid of ['demo-resident-2', 'demo-volunteer-1']) {
    const page = await renderPage(ROUTE, { openid });
    expect(page.count('.entry')).toBe(0);
    expect(page.text('#load-error')).toMatch(/[\u4e00-\u9fa5]/);
    cleanup();
  }
});
