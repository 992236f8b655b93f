// The ledger's pages (packages/ledger) against the real function on the local cloud: the home
// with balances, months and quarters; an entry's page (ask, answer with the light, approve,
// reject, reverse); projects and a project (budget against spent, progress notes); the record
// form (元 → fen, one request id across retries); the workers' desk (approve, open questions,
// close a month); accounts (add, rename, disable, move).
import { collection } from '../../cloudfunctions/common/db';
import type { EntryDoc } from '../../cloudfunctions/ledger/model';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { invokeData } from '../helpers/call';
import { CLOCK, at } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { forgetLimits } from '../helpers/limits';
import { addSecondWorker, DEMO_ACCOUNTS, RESIDENT, WORKER, WORKER2 } from '../helpers/ledger';
import { cleanup, closeCloud, renderPage, wireCloud, wxSpies } from '../helpers/miniprogram';

const P = (name: string) => `packages/ledger/${name}/index`;
let cloud: LocalCloud;
let seq = 0;
const ids: Record<string, string> = {};

async function book(input: Record<string, unknown>, approve = true) {
  const entry = await invokeData(cloud, 'ledger', 'record', { ...input, requestId: `pages-ledger-${++seq}` } as never, WORKER);
  if (approve) await invokeData(cloud, 'ledger', 'approve', { entryId: entry._id }, WORKER2);
  return entry;
}

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-04-10T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  await addSecondWorker();
  wireCloud(cloud);
  const project = await invokeData(
    cloud,
    'ledger',
    'createProject',
    { name: '3栋楼道粉刷', budgetFen: 1_000_000, plan: '粉刷1—6层', requestId: 'pages-project-1' },
    WORKER,
  );
  ids.project = project._id;
  await book({ account: DEMO_ACCOUNTS.public, direction: 'in', amountFen: 500_000, date: '2031-02-10', summary: '二月停车费' });
  ids.paint = (
    await book({
      account: DEMO_ACCOUNTS.repair,
      direction: 'out',
      amountFen: 250_000,
      date: '2031-03-12',
      summary: '涂料和人工',
      counterparty: '王建华',
      project: project._id,
    })
  )._id;
  await invokeData(cloud, 'ledger', 'close', { month: '2031-02' }, WORKER);
  ids.pending = (
    await book(
      { account: DEMO_ACCOUNTS.public, direction: 'in', amountFen: 1_234, date: '2031-04-02', summary: '废品回收' },
      false,
    )
  )._id;
}, 60_000);
afterAll(async () => {
  await closeCloud(cloud);
  jest.useRealTimers();
});
beforeEach(forgetLimits);
afterEach(cleanup);

test('home: balances, the months (open, not closed, closed) and quarters; a resident sees no worker tools', async () => {
  const page = await renderPage(P('home'), { openid: RESIDENT });
  expect(page.text('#total')).toBe('¥2,500.00');
  expect(page.texts('.account .row__value')).toEqual(['¥5,000.00', '-¥2,500.00', '¥0.00', '¥0.00']);
  expect(page.texts('.month .row__title')).toEqual(['2031年4月', '2031年3月', '2031年2月']);
  expect(page.text('#month-2')).toContain('已结账公示');
  expect(page.text('#closed-through')).toBe('2031年2月及以前已结账公示');
  expect(page.texts('.quarter')).toEqual(['2031年第2季度', '2031年第1季度']);
  expect(page.exists('#worker')).toBe(false);
  await page.tap('.quarter', 1);
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${P('statement')}?quarter=2031-Q1` }));
  await page.tap('#projects');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${P('projects')}` }));
  const worker = await renderPage(P('home'), { openid: WORKER });
  await worker.tap('#record');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${P('record')}` }));
});

test('首页 opens 玻璃口袋', async () => {
  const home = await renderPage('pages/home/index', { openid: RESIDENT });
  await home.tap('#open-ledger');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${P('home')}` }));
});

test("我的: a worker's console opens the ledger desk", async () => {
  const mine = await renderPage('pages/mine/index', { openid: WORKER });
  await mine.tap('#open-ledger-desk');
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${P('desk')}` }));
});

test('statement: a quarter, one account by query, and an entry opens its page', async () => {
  const page = await renderPage(P('statement'), {
    openid: RESIDENT,
    query: { quarter: '2031-Q1', account: DEMO_ACCOUNTS.repair },
  });
  expect(page.text('#month')).toBe('2031年第1季度');
  expect(page.text('#expense')).toBe('¥2,500.00');
  expect(page.text('#totals')).toContain('本季支出');
  expect(page.exists('#closed')).toBe(false);
  await page.tap('.entry', 0);
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(
    expect.objectContaining({ url: `/${P('entry')}?id=${encodeURIComponent(ids.paint)}` }),
  );
});

test('entry: a resident sees 个人 and no pictures of a person, asks; a worker answers; the light shows', async () => {
  const page = await renderPage(P('entry'), { openid: RESIDENT, query: { id: ids.paint } });
  expect(page.text('#summary')).toBe('涂料和人工');
  expect(page.text('#amount')).toBe('支出 -¥2,500.00');
  expect(page.text('#who')).toContain('个人');
  expect(page.text()).not.toContain('王建华');
  expect(page.exists('#approval')).toBe(false);
  await page.tap('#ask');
  expect(page.text('#form-error')).toContain('请写下您的问题');
  await page.input('#ask-input', '用了多少桶涂料？');
  await page.tap('#ask');
  expect(page.toast().message).toBe('已提问，社区会在 3 天内回复');
  expect(page.text('#question-0')).toContain('用了多少桶涂料？');
  expect(page.text('#question-0')).toContain('我提问');
  expect(page.text('#question-0 .light')).toBe('正常');

  at('2031-04-12T20:00:00+08:00'); // past 80 % of 3 days
  const worker = await renderPage(P('entry'), { openid: WORKER2, query: { id: ids.paint } });
  expect(worker.text('#who')).toContain('王建华');
  expect(worker.text('#question-0 .light')).toBe('即将超时');
  await worker.tap('.answer-start');
  await worker.input('#answer-input', '共 20 桶，票据见附件。');
  await worker.tap('#answer');
  expect(worker.toast().message).toBe('已回复，提问的居民会收到消息');
  expect(worker.text('#question-0')).toContain('共 20 桶');
  expect(worker.exists('#question-0 .light')).toBe(false);
  at('2031-04-10T10:00:00+08:00');
});

test('entry: a worker approves a pending entry, then reverses it; the reversal links back', async () => {
  const page = await renderPage(P('entry'), { openid: WORKER2, query: { id: ids.pending } });
  expect(page.text('#status')).toContain('待复核');
  await page.tap('#approve');
  expect(page.toast().message).toBe('已复核，这笔账目已公开');
  expect(page.text('#status')).toContain('已复核');
  await page.tap('#start-reverse');
  await page.tap('#confirm-act');
  expect(page.text('#act-form')).toContain('请写下冲销原因');
  await page.input('#reason-input', '重复记账');
  await page.tap('#confirm-act');
  const reversal = (await collection('ledger_entries').where({ reverses: ids.pending }).get()).data[0] as EntryDoc;
  expect(reversal).toMatchObject({ direction: 'out', amountFen: 1_234, status: 'pending' });
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${P('entry')}?id=${reversal._id}` }));
  const shown = await renderPage(P('entry'), { openid: WORKER2, query: { id: reversal._id } });
  expect(shown.text('#reverses')).toContain('被冲销的原账目');
  // The recorder may not approve their own reversal: refused with the reason.
  await shown.tap('#approve');
  expect(shown.toast().message).toContain('另一位社区工作者');
  await shown.tap('#start-reject');
  await shown.input('#reason-input', '不冲销了');
  await shown.tap('#confirm-act');
  expect(shown.text('#status')).toContain('已退回');
});

test('projects: budget against spent; a worker creates one and writes progress', async () => {
  const list = await renderPage(P('projects'), { openid: RESIDENT });
  expect(list.text('#project-0')).toContain('3栋楼道粉刷');
  expect(list.text('#project-0')).toContain('已花 ¥2,500.00（25%）');
  expect(list.text('#project-0')).toContain('预算 ¥10,000.00');
  expect(list.exists('#start-create')).toBe(false);
  await list.tap('.project', 0);
  expect(wxSpies.navigateTo).toHaveBeenLastCalledWith(
    expect.objectContaining({ url: `/${P('project')}?id=${encodeURIComponent(ids.project)}` }),
  );

  const detail = await renderPage(P('project'), { openid: RESIDENT, query: { id: ids.project } });
  expect(detail.text('#spent')).toBe('已花 ¥2,500.00（25%）');
  expect(detail.text('#entry-0')).toContain('涂料和人工');
  expect(detail.text('#no-notes')).toBe('还没有进度记录');
  expect(detail.exists('#start-note')).toBe(false);

  const w = await renderPage(P('project'), { openid: WORKER, query: { id: ids.project } });
  await w.tap('#start-note');
  await w.input('#note-input', '已完成1—3层粉刷');
  await w.tap('#save-note');
  expect(w.toast().message).toBe('进度已公开');
  expect(w.text('#note-0')).toContain('已完成1—3层粉刷');

  const create = await renderPage(P('projects'), { openid: WORKER });
  await create.tap('#start-create');
  await create.input('#name-input', '东门长椅');
  await create.input('#budget-input', '12.345');
  await create.tap('#create');
  expect(create.text('#form-error')).toContain('最多两位小数');
  await create.input('#budget-input', '1,200.5');
  await create.tap('#create');
  expect(create.toast().message).toBe('项目已创建');
  const made = (await collection('ledger_projects').where({ name: '东门长椅' }).get()).data;
  expect(made).toEqual([expect.objectContaining({ budgetFen: 120_050 })]);
});

test('record: 元 to fen, checks first, one request id across a retry, a new one after', async () => {
  const page = await renderPage(P('record'), { openid: WORKER });
  await page.tap('#submit');
  expect(page.text('#account-error')).toBe('请选择记到哪个账户');
  expect(page.text('#amount-error')).toContain('请填金额');
  await page.tap('.account', 0);
  await page.tap('#dir-out');
  await page.input('#amount-input', '36.5');
  await page.input('#summary-input', '保洁用品');
  await page.input('#counterparty-input', '超市');
  await page.tap('#kind-org');
  page.instance.onProject({ detail: { value: 1 } });
  await page.tap('#submit');
  expect(page.toast().message).toBe('已记账，待另一位工作者复核');
  const saved = (await collection('ledger_entries').where({ summary: '保洁用品' }).get()).data as EntryDoc[];
  expect(saved).toEqual([
    expect.objectContaining({
      amountFen: 3_650,
      direction: 'out',
      accountId: DEMO_ACCOUNTS.public,
      counterpartyKind: 'org',
      projectId: expect.any(String),
      status: 'pending',
      date: '2031-04-10',
    }),
  ]);
  expect(wxSpies.redirectTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/${P('entry')}?id=${saved[0]._id}` }));

  // A lost answer: the same form sent again records nothing new.
  const retry = await renderPage(P('record'), { openid: WORKER });
  await retry.tap('.account', 1);
  await retry.input('#amount-input', '8');
  await retry.input('#summary-input', '灯泡');
  wireFailureOnce();
  await retry.tap('#submit');
  await retry.tap('#submit');
  expect((await collection('ledger_entries').where({ summary: '灯泡' }).get()).data).toHaveLength(1);
});

/** The next call reaches the function but its answer is lost on the way back (a network drop). */
function wireFailureOnce() {
  const call = (globalThis as unknown as { wx: { cloud: { callFunction: (o: unknown) => Promise<unknown> } } }).wx.cloud;
  const real = call.callFunction;
  jest.spyOn(console, 'warn').mockImplementationOnce(() => undefined);
  call.callFunction = async (o: unknown) => {
    call.callFunction = real;
    await real(o);
    throw Object.assign(new Error('network'), { errMsg: 'cloud.callFunction:fail network' });
  };
}

test('desk: approve a pending entry, see open questions with the light, close a month', async () => {
  await book(
    { account: DEMO_ACCOUNTS.grant, direction: 'in', amountFen: 90_000, date: '2031-03-20', summary: '街道补助' },
    false,
  );
  const desk = await renderPage(P('desk'), { openid: WORKER2 });
  const rows = desk.texts('.pending .row__title');
  const at = rows.findIndex((t) => t.includes('街道补助'));
  expect(at).toBeGreaterThanOrEqual(0);
  await desk.tap('.approve', at);
  expect(desk.toast().message).toBe('已复核，这笔账目已公开');
  expect(desk.texts('.pending .row__title').some((t) => t.includes('街道补助'))).toBe(false);

  await desk.tap('#tab-questions');
  expect(desk.text('#no-questions')).toBe('没有待回复的提问');

  await desk.tap('#tab-close');
  expect(desk.text('#closed-text')).toBe('2031年2月及以前已结账公示');
  expect(desk.texts('.month')).toEqual(['2031年3月']);
  // Entries of March still pending (the record test's, dated in April, do not count).
  await desk.tap('#close');
  expect(desk.toast().message).toBe('2031年3月已结账公示');
  expect(desk.text('#closed-text')).toBe('2031年3月及以前已结账公示');
  expect(desk.text('#nothing-to-close')).toBe('上个月及以前都已结账');
});

test('accounts: add, rename, disable, move; the record form leaves a disabled account out', async () => {
  const page = await renderPage(P('accounts'), { openid: WORKER });
  await page.input('#new-name-input', '广告收益');
  await page.tap('#add');
  expect(page.toast().message).toBe('账户已添加');
  expect(page.count('.account')).toBe(5);
  await page.tap('.rename-start', 4);
  await page.input('#rename-input', '电梯广告收益');
  await page.tap('#rename');
  expect(page.text('#account-4')).toContain('电梯广告收益');
  await page.tap('.up', 3); // the fifth row's 上移 (the first row has none)
  expect(page.text('#account-3')).toContain('电梯广告收益');
  await page.tap('.toggle', 3);
  expect(page.text('#account-3')).toContain('已停用');
  const form = await renderPage(P('record'), { openid: WORKER });
  expect(form.texts('.account')).not.toContain('电梯广告收益');
  expect(form.count('.account')).toBe(4);
});
