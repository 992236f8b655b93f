// The console (社区工作台) in headless Chromium against the local cloud, as `npm start` serves it:
// the built static files on their own origin, the real @cloudbase/js-sdk signing in anonymously,
// the login code, a simulated scan (the worker's confirmation, as the mini-program sends it), the
// custom-login ticket, the 工作台 home with its figures, and signing out. Screenshots of each screen
// go to docs/console/<name>.png (the README shows them).
import type { BrowserContext, Page } from 'playwright-core';
import { startConsoleHarness, WORKER, type ConsoleHarness } from './console-harness';
import type { Page as ListPage } from '../../cloudfunctions/common/schema';

let h: ConsoleHarness;
let context: BrowserContext;

beforeAll(async () => {
  h = await startConsoleHarness();
  context = await h.newContext();
});

afterAll(async () => {
  await h?.close();
});

const asWorker = <T>(fn: string, action: string, payload: unknown = {}) => h.as<T>(fn, action, payload, WORKER);
const shot = (page: Page, name: string) => h.shot(page, name);

test('login by simulated scan, the 工作台 home with its figures, sign out', async () => {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(h.server.url);

  // 扫码登录: the code from the stand-in WeChat, with the session id it carries.
  const code = page.locator('.login-code');
  await code.waitFor({ timeout: 30_000 });
  await page.getByText('请用社区工作人员的微信扫一扫').waitFor();
  expect(await code.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  const sessionId = (await code.getAttribute('data-session')) ?? '';
  expect(sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  await shot(page, 'login');

  // The worker scans and sees where and when, then confirms (what the mini-program sends).
  const view = await asWorker<{ ip: string }>('desk', 'viewLogin', { sessionId });
  expect(view.ip).toContain('127.0.0.1');
  await asWorker('desk', 'confirmLogin', { sessionId });

  // The console picks up the ticket, signs in, and shows the home with the worker's figures.
  await page.locator('.home').waitFor({ timeout: 30_000 });
  const me = await asWorker<{ name: string; communityName: string }>('member', 'me');
  await page.getByText(`${me.communityName} · ${me.name}`).waitFor();
  const red = await asWorker<ListPage<unknown>>('orders', 'listAll', { light: 'red' });
  const waiting = await asWorker<ListPage<unknown>>('orders', 'listAll', { status: 'pending' });
  const members = await asWorker<ListPage<unknown>>('member', 'list', { status: 'pending' });
  const figure = async (key: string) => Number(/(\d+)/.exec(await page.locator(`[data-figure="${key}"]`).innerText())?.[1]);
  expect(await figure('red')).toBe(red.items.length);
  expect(await figure('waiting')).toBe(waiting.items.length);
  expect(await figure('members')).toBe(members.items.length);
  for (const title of ['已超时', '即将超时', '待派单', '待审核成员', '阅读率低的通知']) await page.getByText(title).first().waitFor();
  await shot(page, 'home');

  // 派单: filters, and the suggestion drawer for an order waiting for dispatch.
  await page.locator('.t-tabs__nav-item').filter({ hasText: '派单' }).click();
  await page.locator('.board .t-table').waitFor();
  await page.locator('.filter-status').click();
  await page.locator('.t-select-option').filter({ hasText: '待派单' }).click();
  await page.locator('.open-dispatch').first().waitFor({ timeout: 30_000 });
  const rowsShown = await page.locator('.open-dispatch').count();
  expect(rowsShown).toBe(waiting.items.length);
  await shot(page, 'board');
  await page.locator('.open-dispatch').first().click();
  await page.locator('.suggestion').first().waitFor({ timeout: 30_000 });
  expect(await page.locator('.suggestion-reason').first().innerText()).not.toBe('');
  await shot(page, 'suggestions');
  await page.locator('.dispatch-to').first().click();
  await page.getByText(/^已派给/).waitFor({ timeout: 30_000 });
  // Dispatched: the order leaves the 待派单 list.
  await page
    .waitForFunction((n) => document.querySelectorAll('.open-dispatch').length === n, rowsShown - 1, { timeout: 30_000 })
    .catch(async (err: Error) => {
      const now = await asWorker<ListPage<unknown>>('orders', 'listAll', { status: 'pending' });
      await shot(page, 'debug-dispatch');
      throw new Error(`${err.message}; pending now ${now.items.length}; messages: ${(await page.locator('.t-message').allInnerTexts()).join(' | ')}; errors: ${errors.join(' | ')}`);
    });
  await page.locator('.t-tabs__nav-item').filter({ hasText: '工作台' }).click();

  // The session is the worker's, listed on the phone; signing out ends it.
  const sessions = await asWorker<{ items: { sessionId: string }[] }>('desk', 'listSessions');
  expect(sessions.items.map((s) => s.sessionId)).toContain(sessionId);
  await page.getByText('退出登录').click();
  await page.locator('.login-code').waitFor({ timeout: 30_000 });
  const after = await asWorker<{ items: { sessionId: string }[] }>('desk', 'listSessions');
  expect(after.items.map((s) => s.sessionId)).not.toContain(sessionId);
  expect(errors).toEqual([]);
});

test('a session ended from the phone sends the console back to the login', async () => {
  const own = await h.newContext();
  const page = await own.newPage();
  await page.goto(h.server.url);
  const code = page.locator('.login-code');
  await code.waitFor({ timeout: 30_000 });
  const sessionId = (await code.getAttribute('data-session')) ?? '';
  await page.getByText('模拟扫码').click();
  await page.locator('.home').waitFor({ timeout: 30_000 });
  await asWorker('desk', 'endSession', { sessionId });
  await page.reload();
  await page.locator('.login-code').waitFor({ timeout: 30_000 });
  await own.close();
});
