// The console's order drawer and printed 派工单 (console/src/OrderDrawer.tsx, PrintView.tsx) in
// headless Chromium against the local cloud: orders are placed and served through the functions as
// the demo residents and volunteers, then the worker — signed in by simulated scan — opens one from
// the board's 待评单 view, 评单 passes it (已办结), records the 回访 it owes, cancels another with a
// reason, meets a conflict (the order moved on meanwhile: the function's sentence, then the order
// as it is now), and prints a 派工单 (A4 PDF, only the sheet on paper, phone masked unless printed
// for the assigned volunteer). Screenshots: docs/console/order-detail.png and print.png.
import type { Page } from 'playwright-core';
import type { OrderDetail, OrderSummary } from '../../cloudfunctions/orders/api';
import type { Page as ListPage } from '../../cloudfunctions/common/schema';
import { uploadAs } from '../helpers/local';
import { startConsoleHarness, type ConsoleHarness } from './console-harness';

let h: ConsoleHarness;

beforeAll(async () => {
  h = await startConsoleHarness();
});

afterAll(async () => {
  await h?.close();
});

const RESIDENT = 'demo-resident-2'; // 孙伟, 2栋 301, 13800000022
const OTHER = 'demo-resident-4'; // 吴强, 4栋 103
const VOLUNTEER = 'demo-volunteer-1'; // 张建国, on duty
let seq = 0;
const rid = () => `console-orders-${Date.now().toString(36)}-${++seq}`;

const get = (orderId: string) => h.as<OrderDetail>('orders', 'get', { orderId });

async function place(openid: string, code: string, description: string, photos?: string[]): Promise<OrderDetail> {
  return h.as<OrderDetail>('orders', 'create', { serviceId: `demo:${code}`, description, requestId: rid(), photos }, openid);
}

/** Placed (with a photo the resident uploaded), dispatched to the volunteer and accepted. */
async function accepted(openid: string, code: string, description: string): Promise<OrderDetail> {
  const o = await place(openid, code, description, [await uploadAs(h.cloud, openid, 'order')]);
  await h.as('orders', 'dispatch', { orderId: o._id, volunteerOpenid: VOLUNTEER });
  return h.as<OrderDetail>('orders', 'accept', { orderId: o._id }, VOLUNTEER);
}

/** Served and rated by the resident: waiting for the worker's 评单. */
async function rated(openid: string, code: string, description: string, stars: number, comment: string): Promise<OrderDetail> {
  const o = await accepted(openid, code, description);
  await h.as('orders', 'start', { orderId: o._id }, VOLUNTEER);
  await h.as('orders', 'complete', { orderId: o._id, note: '已上门处理完毕' }, VOLUNTEER);
  return h.as<OrderDetail>('orders', 'rate', { orderId: o._id, stars, comment }, openid);
}

async function openOrder(page: Page, orderId: string): Promise<void> {
  await page.locator(`.open-detail[data-order="${orderId}"]`).click();
  await page.locator(`.order-detail[data-order="${orderId}"]`).waitFor({ timeout: 30_000 });
}

const message = (page: Page, text: string | RegExp) =>
  page.locator('.t-message').filter({ hasText: text }).first().waitFor({ timeout: 30_000 });

async function closeDrawer(page: Page): Promise<void> {
  await page.locator('.order-drawer .t-drawer__close-btn').click();
  await page.locator('.order-detail').waitFor({ state: 'hidden' });
}

test('open an order, 评单 it closed, record its 回访, cancel another with a reason, meet a conflict', async () => {
  const low = await rated(RESIDENT, 'repair', '卫生间的灯不亮了', 2, '来得有点晚');
  const toCancel = await place(OTHER, 'errand', '帮忙取一个快递');
  const { page, errors } = await h.signedInPage();
  await h.openTab(page, '派单');
  await page.locator('.board .t-table').waitFor();

  // 待评单: exactly the rated orders, as the function lists them.
  await page.locator('.quick-review').click();
  const ratedList = await h.as<ListPage<OrderSummary>>('orders', 'listAll', { status: 'rated' });
  await page.waitForFunction((n) => document.querySelectorAll('.open-detail').length === n, ratedList.items.length, {
    timeout: 30_000,
  });
  expect(ratedList.items.map((o) => o._id)).toContain(low._id);

  // The detail as orders.get answers it to the worker: resident, address, phone, rating, clock, timeline.
  await openOrder(page, low._id);
  const detail = page.locator('.order-detail');
  const asWorker = await get(low._id);
  expect(await detail.locator('.fact-resident').innerText()).toBe(
    `${asWorker.beneficiary.name} · ${asWorker.beneficiary.building} ${asWorker.beneficiary.room} · ${asWorker.beneficiary.phone}`,
  );
  expect(await detail.locator('.fact-description').innerText()).toBe('卫生间的灯不亮了');
  expect(await detail.locator('.fact-rating').innerText()).toContain('2 星：来得有点晚');
  expect(await detail.locator('.order-status-label').innerText()).toBe('已评价');
  expect(await detail.locator('.order-clock').innerText()).toMatch(/^评单 · 剩余 .+（截止 .+）$/);
  expect(await detail.locator('.order-timeline li').count()).toBe(asWorker.timeline.length);
  // The resident's photo as a thumbnail, through the web SDK's temporary address.
  const thumb = detail.locator('.photo-thumb');
  await thumb.waitFor({ timeout: 30_000 });
  expect(await thumb.count()).toBe(1);
  await page.waitForFunction(() => (document.querySelector('.photo-thumb') as HTMLImageElement | null)?.naturalWidth, undefined, {
    timeout: 30_000,
  });
  expect(await detail.locator('.act-review').count()).toBe(1);
  expect(await detail.locator('.act-cancel').count()).toBe(0); // rated: a cancel no longer applies
  await detail.locator('.act-review').click();
  await detail.locator('.action-text textarea').fill('服务到位，已与居民确认');
  await h.shot(page, 'order-detail');

  // 评单 通过 → 已办结; the order still owes its 回访 (a 2-star rating).
  await detail.locator('.action-submit').click();
  await message(page, '评单通过，订单已办结');
  await page.waitForFunction(() => document.querySelector('.order-status-label')?.textContent === '已办结', undefined, {
    timeout: 30_000,
  });
  const closed = await get(low._id);
  expect(closed.status).toBe('closed');
  expect(closed.review).toMatchObject({ result: 'pass', note: '服务到位，已与居民确认' });
  expect(closed.allowedActions).toEqual(['followUp']);

  // 回访: a result is required; then recorded, and the order leaves the 需回访 view.
  await detail.locator('.act-followup').click();
  await detail.locator('.action-submit').click();
  await page.locator('.action-hint').filter({ hasText: '请选择回访结果' }).waitFor();
  await detail.locator('.followup-result').getByText('满意', { exact: true }).click();
  await detail.locator('.action-text textarea').fill('居民表示灯已修好');
  await detail.locator('.action-submit').click();
  await message(page, '回访已记录');
  await detail.locator('.fact-followup').filter({ hasText: '满意：居民表示灯已修好' }).waitFor({ timeout: 30_000 });
  const called = await get(low._id);
  expect(called.followUp).toMatchObject({ result: 'satisfied', note: '居民表示灯已修好' });
  expect(called.needsFollowUp).toBe(false);
  await closeDrawer(page);
  await page.locator('.quick-review').click(); // off
  await page.locator('.quick-followup').click();
  const owing = await h.as<ListPage<OrderSummary>>('orders', 'listAll', { needsFollowUp: true });
  await page.waitForFunction((n) => document.querySelectorAll('.open-detail').length === n, owing.items.length, {
    timeout: 30_000,
  });
  expect(await page.locator(`.open-detail[data-order="${low._id}"]`).count()).toBe(0);
  await page.locator('.quick-followup').click(); // off

  // 取消 with a reason (required).
  await page.locator(`.open-detail[data-order="${toCancel._id}"]`).waitFor({ timeout: 30_000 });
  await openOrder(page, toCancel._id);
  await detail.locator('.act-cancel').click();
  await detail.locator('.action-submit').click();
  await page.locator('.action-hint').filter({ hasText: '请填写取消原因' }).waitFor();
  await detail.locator('.action-text textarea').fill('居民已自行取到快递');
  await detail.locator('.action-submit').click();
  await message(page, '订单已取消');
  await detail.locator('.fact-cancel').filter({ hasText: '居民已自行取到快递' }).waitFor({ timeout: 30_000 });
  const cancelled = await get(toCancel._id);
  expect(cancelled.status).toBe('cancelled');
  expect(cancelled.cancellation?.reason).toBe('居民已自行取到快递');
  await closeDrawer(page);

  // A conflict: reviewed on the phone while the drawer was open → the function's sentence, then the order as it is now.
  const other = await rated(OTHER, 'errand', '帮忙买两斤鸡蛋', 5, '很及时');
  await page.locator('.quick-review').click();
  await openOrder(page, other._id);
  await h.as('orders', 'review', { orderId: other._id, result: 'pass' });
  await detail.locator('.act-review').click();
  await detail.locator('.action-submit').click();
  await message(page, '订单当前为「已办结」，不能评单，请刷新后查看');
  await page.waitForFunction(() => document.querySelector('.order-status-label')?.textContent === '已办结', undefined, {
    timeout: 30_000,
  });
  expect(await detail.locator('.act-review').count()).toBe(0);
  await closeDrawer(page);
  expect(errors).toEqual([]);
});

test('评单 需返工 needs a note and sends the order back; 转到接单大厅 releases a pending order', async () => {
  const redo = await rated(OTHER, 'errand', '帮忙买一袋米', 3, '米买错了牌子');
  const pending = await place(RESIDENT, 'errand', '帮忙寄一个包裹');
  const { page, errors } = await h.signedInPage();
  await h.openTab(page, '派单');
  await openOrder(page, redo._id);
  const detail = page.locator('.order-detail');
  await detail.locator('.act-review').click();
  await detail.locator('.review-result').getByText('需返工（退回志愿者）').click();
  await detail.locator('.action-submit').click();
  await page.locator('.action-hint').filter({ hasText: '请写明哪里需要返工' }).waitFor();
  await detail.locator('.action-text textarea').fill('请换成居民要的牌子');
  await detail.locator('.action-submit').click();
  await message(page, '已退回返工，志愿者会收到通知');
  await page.waitForFunction(() => document.querySelector('.order-status-label')?.textContent === '已接单', undefined, {
    timeout: 30_000,
  });
  const back = await get(redo._id);
  expect(back.status).toBe('accepted');
  expect(back.review).toMatchObject({ result: 'rework', note: '请换成居民要的牌子' });
  await closeDrawer(page);

  await openOrder(page, pending._id);
  await detail.locator('.act-release').click();
  await detail.locator('.action-submit').click();
  await message(page, '已转到接单大厅');
  await page.waitForFunction(() => document.querySelector('.order-status-label')?.textContent === '待接单', undefined, {
    timeout: 30_000,
  });
  expect((await get(pending._id)).status).toBe('open');
  // From the hall a worker may still dispatch it (改派), and no longer release it.
  expect(await detail.locator('.act-dispatch').innerText()).toBe('改派给志愿者');
  expect(await detail.locator('.act-release').count()).toBe(0);
  await closeDrawer(page);
  expect(errors).toEqual([]);
});

test('打印派工单: the A4 sheet, the phone masked unless printed for the volunteer, only the sheet on paper', async () => {
  const o = await accepted(RESIDENT, 'repair', '阳台下水道堵了，需要疏通');
  const { page, errors } = await h.signedInPage();
  await h.openTab(page, '派单');
  await openOrder(page, o._id);
  await page.locator('.order-detail .act-print').click();
  const sheet = page.locator(`.sheet[data-order="${o._id}"]`);
  await sheet.waitFor({ timeout: 30_000 });
  expect(page.url()).toContain(`#/print/${o._id}`);

  const me = await h.as<{ communityName: string }>('member', 'me');
  expect(await sheet.locator('h1').innerText()).toBe(`${me.communityName} · 派工单`);
  expect(await sheet.locator('.sheet-no').innerText()).toBe(o._id);
  expect(await sheet.locator('.sheet-resident').innerText()).toBe('孙伟');
  expect(await sheet.locator('.sheet-volunteer').innerText()).toBe('张建国');
  expect(await sheet.locator('.sheet-description').innerText()).toBe('阳台下水道堵了，需要疏通');
  // Masked on paper by default; whole when printed for the assigned volunteer.
  expect(await sheet.locator('.sheet-phone').innerText()).toBe('138****0022');
  expect(await sheet.locator('.sheet-address').innerText()).toBe('2栋 3**');
  await h.shot(page, 'print');
  await page.locator('.print-whole').click();
  expect(await sheet.locator('.sheet-phone').innerText()).toBe('13800000022');
  expect(await sheet.locator('.sheet-address').innerText()).toBe('2栋 301');
  // Step limits (the order's own) and the running step's deadline; the timeline; the signature lines.
  const steps = await sheet.locator('.sheet-steps tbody tr').allInnerTexts();
  expect(steps).toHaveLength(4);
  expect(steps[0]).toMatch(/^派单\t30分钟\t已完成 /);
  expect(steps[2]).toMatch(/^服务\t.+\t进行中，截止 /);
  expect(await sheet.locator('.sheet-timeline tr').count()).toBe((await get(o._id)).timeline.length);
  for (const line of ['服务人签字：', '居民签字：', '日期：']) await sheet.getByText(line).waitFor();

  // 打印派工单 calls window.print().
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  await page.locator('.print-now').click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

  // On paper: no header, tabs or buttons — only the sheet; an A4 PDF of at least one page.
  await page.emulateMedia({ media: 'print' });
  const shown = (sel: string) =>
    page.evaluate((s) => Array.from(document.querySelectorAll(s)).some((e) => getComputedStyle(e).display !== 'none'), sel);
  expect(await shown('.app-header')).toBe(false);
  expect(await shown('.app-tabs')).toBe(false);
  expect(await shown('.print-tools')).toBe(false);
  expect(await shown('.sheet')).toBe(true);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.length).toBeGreaterThan(0);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
  expect(pages.length).toBeGreaterThanOrEqual(1);
  await page.emulateMedia({ media: 'screen' });

  // 返回派单: the board again, as it was left.
  await page.locator('.print-back').click();
  await page.locator('.board .t-table').waitFor();
  expect(await sheet.count()).toBe(0);
  expect(errors).toEqual([]);
});
