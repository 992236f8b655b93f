// 评星定级's pages (packages/property) against the real property and orders functions on the local
// cloud: a resident reads the published grade (stars, parts, the chart of months), rates this
// month once through the form; a worker sees last month's grade, publishes it, and records a 约谈
// on the warning its red light left; residents never reach the workers' page; another community
// is told it has no company.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { invokeData } from '../helpers/call';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { all, propertyOf, RESIDENT, WORKER } from '../helpers/property';
import { cleanup, closeCloud, installPhoneSpies, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';

const GRADE = 'packages/property/grade/index';
const RATE = 'packages/property/rate/index';
const WORKER_PAGE = 'packages/property/worker/index';
let cloud: LocalCloud;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-03-12T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  const T = propertyOf(cloud);
  // March: a good month, published in April. April: complaints and poor ratings, not yet published.
  await T.served(RESIDENT);
  await invokeData(cloud, 'property', 'rate', { scores: all(5) }, RESIDENT);
  at('2031-04-02T10:00:00+08:00');
  await invokeData(cloud, 'property', 'publish', { month: '2031-03' }, WORKER);
  await T.served('demo-resident-3', 'demo:property-complaint');
  await T.served('demo-resident-4', 'demo:property-complaint');
  await invokeData(cloud, 'property', 'rate', { scores: all(2) }, 'demo-resident-3');
  wireCloud(cloud);
}, 60_000);
afterAll(async () => {
  await closeCloud(cloud);
  jest.useRealTimers();
});
afterEach(cleanup);

test('a resident reads the published grade, its parts and the chart of months', async () => {
  at('2031-04-20T10:00:00+08:00');
  const phone = installPhoneSpies();
  const page = await renderPage(GRADE, { openid: RESIDENT });
  expect(page.text('#company')).toContain('幸福物业服务有限公司');
  expect(page.text('#company')).toContain('0755-86001234');
  expect(page.text('#month')).toBe('2031年3月评级');
  expect(page.text('#stars')).toBe('★★★★★');
  expect(page.text('#light')).toBe('良好');
  expect(page.count('.dim')).toBe(5);
  expect(page.text('#dim-0')).toContain('环境卫生');
  expect(page.text('#part-1')).toContain('100%');
  expect(page.count('.bar')).toBe(1);
  expect(page.text('#bar-0')).toContain('5星');
  await page.tap('#call');
  expect(phone.makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '0755-86001234' }));
  // The main action: rate this month.
  expect(page.text('#rate')).toContain('评价本月物业服务');
  await page.tap('#rate');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${RATE}` }));
});

test('the rating form: every dimension needs stars; one rating per household and month', async () => {
  at('2031-04-20T10:00:00+08:00');
  const form = await renderPage(RATE, { openid: RESIDENT });
  expect(form.text('#intro')).toContain('4月物业服务怎么样');
  await form.tap('#submit');
  expect(form.text('#message')).toBe('请为每一项打分（1–5 星）');
  for (let d = 0; d < 5; d++) await form.tap('.star', d * 5 + 3); // 4 stars each
  await form.tap('#submit');
  expect(form.toast()).toMatchObject({ visible: true, message: '评价已提交，谢谢' });
  expect(form.text('#intro')).toContain('感谢您的评价');
  expect(form.count('.star--on')).toBe(20);
  // The grade page now says the household has rated.
  const grade = await renderPage(GRADE, { openid: RESIDENT });
  expect(grade.text('#rated')).toBe('本月已评价');
  expect(grade.exists('#rate')).toBe(false);
  expect(grade.text('#rate-hint')).toContain('您家已评价4月');
});

test('the company’s staff are told they do not rate their own company', async () => {
  const form = await renderPage(RATE, { openid: 'demo-property-1' });
  expect(form.text('#message')).toBe('物业人员不参与对本公司的评价');
  expect(form.exists('#submit')).toBe(false);
});

test('a worker publishes last month and records a 约谈 on the red light', async () => {
  at('2031-05-03T09:00:00+08:00');
  const page = await renderPage(WORKER_PAGE, { openid: WORKER });
  expect(page.text('#month')).toBe('2031年4月评级');
  expect(page.text('#light')).toBe('亮红灯');
  expect(page.text('#no-warnings')).toBe('还没有亮红灯的月份');
  await page.tap('#publish');
  expect(page.toast().message).toContain('已公示');
  expect(page.exists('#publish')).toBe(false);
  expect(page.text('#published')).toContain('已公示');
  expect(page.text('#warning-0')).toContain('待约谈');
  expect(page.text('#warning-0')).toContain('投诉率 100%');
  await page.tap('.talk-open', 0);
  expect(page.text('#talk-date')).toBe('2031-05-03');
  await page.tap('#talk-submit');
  expect(page.text('#message')).toBe('请填写参加人员和约谈内容');
  await page.input('#attendees', '李梅、陈经理');
  await page.input('#summary', '投诉集中在垃圾清运，要求日产日清');
  await page.tap('.outcome', 0);
  await page.tap('#talk-submit');
  expect(page.toast().message).toBe('约谈已记录');
  expect(page.text('#warning-0')).toContain('已约谈');
  expect(page.text('#warning-0')).toContain('限期整改：投诉集中在垃圾清运');
  // The resident's page shows both months in the chart, April red.
  const grade = await renderPage(GRADE, { openid: RESIDENT });
  expect(grade.text('#month')).toBe('2031年4月评级');
  expect(grade.count('.bar')).toBe(2);
  expect(grade.exists('.bar__fill--red')).toBe(true);
  await grade.tap('#bar-0');
  expect(grade.text('#month')).toBe('2031年3月评级');
});

test('a resident cannot use the workers’ page; another community has no company', async () => {
  const page = await renderPage(WORKER_PAGE, { openid: RESIDENT });
  expect(page.text('#message')).toContain('权限');
  const other = await renderPage(GRADE, { openid: 'other-resident' });
  expect(other.text('#message')).toBe('本社区尚未登记物业公司');
});

test('我的 opens the grade for a member and the workers’ page for a worker', async () => {
  const mine = await renderPage('pages/mine/index', { openid: RESIDENT });
  expect(mine.exists('#open-property-worker')).toBe(false);
  await mine.tap('#open-property');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${GRADE}` }));
  const worker = await renderPage('pages/mine/index', { openid: WORKER });
  await worker.tap('#open-property-worker');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${WORKER_PAGE}` }));
});

test('the board filters 物业 orders and the pages say 物业人员 for them', async () => {
  const board = await renderPage('packages/worker/board/index', { openid: WORKER });
  const all = board.count('.order');
  await board.tap('#property-filter');
  const property = board.count('.order');
  expect(property).toBeGreaterThan(0);
  expect(property).toBeLessThan(all);
  expect(board.text('#list')).toContain('物业人员 王师傅');
  expect(board.text('#list')).not.toContain('志愿者');
  await board.tap('#property-filter');
  expect(board.count('.order')).toBe(all);
  // The order itself, as its resident reads it.
  const mine = await invokeData(cloud, 'orders', 'listMine', {}, 'demo-resident-3');
  const order = mine.items.find((o) => o.servedBy === 'property')!;
  const detail = await renderPage('packages/orders/detail/index', { openid: 'demo-resident-3', query: { id: order._id } });
  expect(detail.text('#volunteer')).toContain('物业人员');
  expect(detail.text('#volunteer')).toContain('王师傅');
});

test('the company’s staff see 物业 orders in the hall, without a duty switch', async () => {
  const order = await invokeData(
    cloud,
    'orders',
    'create',
    { serviceId: 'demo:property-repair', description: '1栋门禁坏了', requestId: 'page-hall-staff-1' },
    RESIDENT,
  );
  await invokeData(cloud, 'orders', 'release', { orderId: order._id }, WORKER);
  const hall = await renderPage('packages/orders/hall/index', { openid: 'demo-property-1' });
  expect(hall.text('#duty-text')).toBe('物业人员');
  expect(hall.exists('#duty-switch')).toBe(false);
  expect(hall.text()).toContain('物业报修');
});
