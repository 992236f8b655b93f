// The 街道 view (docs/street.md) in headless Chromium: a browser asks for a login code, the demo
// street's leader confirms it (what the mini-program sends after the scan), and the console shows
// the comparison of the street's communities instead of the worker's tabs — the table's figures
// equal street.overview's, columns sort, red figures are red, the bars compare, nothing writes,
// and sign-out ends the session. Screenshot: docs/console/street.png.
import type { Page } from 'playwright-core';
import { startConsoleHarness, type ConsoleHarness } from './console-harness';
import type { StreetOverview } from '../../cloudfunctions/street/api';

const LEADER = 'demo-leader';
let h: ConsoleHarness;

beforeAll(async () => {
  h = await startConsoleHarness();
});

afterAll(async () => {
  await h?.close();
});

/** The rows' names once they equal `want` (or, after 5 s, whatever they are). */
async function rowsBecome(page: Page, want: string[]): Promise<string[]> {
  const until = Date.now() + 5000;
  let got = await rowNames(page);
  while (JSON.stringify(got) !== JSON.stringify(want) && Date.now() < until) {
    await page.waitForTimeout(100);
    got = await rowNames(page);
  }
  return got;
}

const rowNames = async (page: Page) => (await page.locator('.street-table tbody tr td:first-child').allInnerTexts()).map((t) => t.trim());

test('a leader signs in by scan and compares the communities of the street, read-only', async () => {
  const context = await h.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(h.server.url);
  const code = page.locator('.login-code');
  await code.waitFor({ timeout: 30_000 });
  const sessionId = (await code.getAttribute('data-session')) ?? '';
  expect(sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);

  // The leader scans: the phone shows the street, and the confirmation makes a leader's session.
  const view = await h.as<{ communityName: string; kind?: string }>('desk', 'viewLogin', { sessionId }, LEADER);
  expect(view).toMatchObject({ communityName: '幸福街道', kind: 'leader' });
  await h.as('desk', 'confirmLogin', { sessionId }, LEADER);

  await page.locator('.street').waitFor({ timeout: 30_000 });
  await page.getByText('幸福街道 · 欧阳华（只读）').waitFor();
  await page.getByText('邻里帮 · 街道工作台').waitFor();
  // No worker tab, and not one button that writes: only the month, the bars' figure, reload and sign-out.
  expect(await page.locator('.t-tabs__nav-item').count()).toBe(0);
  const buttons = (await page.locator('button').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  expect(buttons).toEqual(['退出登录']);

  // The table equals the function's answer, one row per community.
  const overview = await h.as<StreetOverview>('street', 'overview', {}, LEADER);
  expect(await rowNames(page)).toEqual(overview.communities.map((c) => c.name));
  for (const c of overview.communities) {
    const cell = (key: string) => page.locator(`[data-cell="${c.communityId}:${key}"]`);
    expect(await cell('membersActive').innerText()).toBe(String(c.membersActive));
    expect(await cell('ordersCreated').innerText()).toBe(String(c.ordersCreated));
    expect(await cell('redNow').innerText()).toBe(String(c.redNow));
    // Red figures are red cells, and only they.
    for (const key of ['redNow', 'onTimeRate', 'ratingAverage', 'noticeReadRate']) {
      const red = c.red.includes(key as never);
      expect([c.communityId, key, await cell(key).getAttribute('data-red')]).toEqual([c.communityId, key, red ? 'true' : null]);
    }
  }
  const anle = overview.communities.find((c) => c.communityId === 'anle')!;
  expect(anle.red).toContain('redNow');
  const redColor = await page.locator('[data-cell="anle:redNow"]').evaluate((el) => getComputedStyle(el).color);
  const plainColor = await page.locator('[data-cell="anle:membersActive"]').evaluate((el) => getComputedStyle(el).color);
  expect(redColor).not.toBe(plainColor);
  // Nothing of a person on the screen.
  const text = await page.locator('.app').innerText();
  for (const secret of ['赵秀兰', '李梅', '钱淑芬', '13800000000', '帮忙买菜']) expect(text).not.toContain(secret);

  // Sorting by a column's arrows: 居民 ascending puts the smaller community first, descending the bigger.
  const header = page.locator('.street-table th').filter({ hasText: /^居民/ });
  const byMembers = [...overview.communities].sort((a, b) => a.membersActive - b.membersActive).map((c) => c.name);
  await header.locator('.t-table-sort-asc').click();
  expect(await rowsBecome(page, byMembers)).toEqual(byMembers);
  await header.locator('.t-table-sort-desc').click();
  expect(await rowsBecome(page, [...byMembers].reverse())).toEqual([...byMembers].reverse());

  // The bars: one per community; 当前超时 draws 安乐里's bar red.
  expect(await page.locator('[data-bar]').count()).toBe(overview.communities.length);
  await page.locator('.street-bars').getByText('当前超时').click();
  await page.locator('[data-bar="anle"] .bar-red').waitFor();
  await page.locator('.street-bars').getByText('本月订单').click();
  await page.mouse.move(1, 790);
  await page.waitForTimeout(600); // the radio group's sliding block and the sort tip settle
  await h.shot(page, 'street');

  // Another month: the figures of that month (none in 2 months' time past data is fine: any month answers).
  await page.locator('.street-month').click();
  const options = page.locator('.t-select-option');
  await options.nth(1).click();
  await page.locator('.street').waitFor();
  await page.getByText(/个社区 · \d{4}年\d{1,2}月/).waitFor();

  // Sign-out ends the leader's session.
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.locator('.login-code').waitFor({ timeout: 30_000 });
  const sessions = await h.as<{ items: { sessionId: string }[] }>('desk', 'listSessions', {}, LEADER);
  expect(sessions.items.map((s) => s.sessionId)).not.toContain(sessionId);
  expect(errors).toEqual([]);
  await context.close();
});
