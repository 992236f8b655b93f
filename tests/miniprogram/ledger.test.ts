// 账目公开 (packages/ledger/statement) against the real ledger function on the local cloud: a
// resident reads a month — totals, entries with a payer shown as 个人, per account — pages
// through more than 20 entries, moves between months, and rates a closed month once.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { invokeData } from '../helpers/call';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { addSecondWorker, DEMO_ACCOUNTS, RESIDENT, WORKER, WORKER2 } from '../helpers/ledger';
import { cleanup, closeCloud, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';

const ROUTE = 'packages/ledger/statement/index';
let cloud: LocalCloud;
let seq = 0;

async function book(input: {
  account: string;
  direction: 'in' | 'out';
  amountFen: number;
  date: string;
  summary: string;
  counterparty?: string;
}) {
  const entry = await invokeData(cloud, 'ledger', 'record', { ...input, requestId: `page-ledger-${++seq}` }, WORKER);
  await invokeData(cloud, 'ledger', 'approve', { entryId: entry._id }, WORKER2);
}

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-04-10T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  await addSecondWorker();
  wireCloud(cloud);
  await book({ account: DEMO_ACCOUNTS.public, direction: 'in', amountFen: 500_000, date: '2031-02-10', summary: '二月停车费' });
  await book({
    account: DEMO_ACCOUNTS.donation,
    direction: 'in',
    amountFen: 20_000,
    date: '2031-03-02',
    summary: '居民捐赠',
    counterparty: '王建华',
  });
  for (let i = 1; i <= 21; i++)
    await book({
      account: DEMO_ACCOUNTS.public,
      direction: 'out',
      amountFen: 1_000,
      date: '2031-03-15',
      summary: `保洁用品 ${i}`,
    });
  await invokeData(cloud, 'ledger', 'close', { month: '2031-03' }, WORKER);
}, 60_000);
afterAll(async () => {
  await closeCloud(cloud);
  jest.useRealTimers();
});
afterEach(cleanup);

test('a closed month: totals, entries 20 at a time, the payer as 个人, and one rating', async () => {
  const page = await renderPage(ROUTE, { openid: RESIDENT, query: { month: '2031-03' } });
  expect(page.text('#month')).toBe('2031年3月');
  expect(page.text('#opening')).toBe('¥5,000.00');
  expect(page.text('#income')).toBe('¥200.00');
  expect(page.text('#expense')).toBe('¥210.00');
  expect(page.text('#closing')).toBe('¥4,990.00');
  expect(page.count('.entry')).toBe(20);
  expect(page.text()).not.toContain('王建华');
  expect(page.text('#entry-0')).toContain('居民捐赠');
  expect(page.text('#entry-0')).toContain('个人');
  expect(page.text('#entry-0')).toContain('+¥200.00');
  await page.reachBottom();
  expect(page.count('.entry')).toBe(22);
  expect(page.text('#entry-21')).toContain('-¥10.00');

  expect(page.text('#closed')).toContain('本月已结账公示');
  expect(page.text('#rating')).toBe('还没有人评分');
  await page.tap('.star', 3);
  expect(page.toast()).toMatchObject({ visible: true, message: '已评 4 星，谢谢' });
  expect(page.text('#rating')).toBe('4 分 · 1 人评');
  expect(page.count('.star--on')).toBe(4);
  await page.tap('.star', 4); // once only: nothing changes
  expect(page.text('#rating')).toBe('4 分 · 1 人评');
  const again = await renderPage(ROUTE, { openid: RESIDENT, query: { month: '2031-03' } });
  expect(again.count('.star--on')).toBe(4);
});

test('one account, another month; the current month is open and has no next month', async () => {
  const page = await renderPage(ROUTE, { openid: RESIDENT, query: { month: '2031-03' } });
  await page.tap('.account', 3); // 捐赠
  expect(page.count('.entry')).toBe(1);
  expect(page.text('#income')).toBe('¥200.00');
  expect(page.text('#expense')).toBe('¥0.00');
  await page.tap('#prev');
  expect(page.text('#month')).toBe('2031年2月');
  expect(page.text('#empty')).toBe('本月还没有已复核的收支');
  await page.tap('#next');
  await page.tap('#next');
  expect(page.text('#month')).toBe('2031年4月');
  expect(page.exists('#closed')).toBe(false);
  expect(page.data.canNext).toBe(false);
  await page.tap('#next');
  expect(page.text('#month')).toBe('2031年4月');
});

test('我的 opens it for a member', async () => {
  const mine = await renderPage('pages/mine/index', { openid: RESIDENT });
  await mine.tap('#open-ledger');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/packages/ledger/home/index' }));
});

test('someone outside the community is told why', async () => {
  const page = await renderPage(ROUTE, { openid: 'ledger-page-stranger' });
  expect(page.text('#message')).toContain('社区');
});
