// 统计 in the console, in headless Chromium against the local cloud: the charts are drawn by
// ECharts' SVG renderer (svg elements inside each chart's container, no canvas), the figures on the
// screen are those `stats.community` answers the worker, and 导出 downloads an .xlsx whose sheets,
// read back, are the screen's tables. Screenshot: docs/console/stats.png.
import fs from 'fs';
import os from 'os';
import path from 'path';
import readXlsxFile from 'read-excel-file/node';
import { collection } from '../../cloudfunctions/common/db';
import type { CommunityStats } from '../../cloudfunctions/stats/api';
import { lastTwelveMonths, monthAt, monthIndex, statsTables } from '../../console/src/stats-tables';
import { forgetLimits } from '../helpers/limits';
import { startConsoleHarness, WORKER, type ConsoleHarness } from './console-harness';

let h: ConsoleHarness;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stats-xlsx-'));

beforeAll(async () => {
  h = await startConsoleHarness();
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

let seq = 0;
/** One order through the whole loop as the demo people do it, closed by the worker's review. */
async function closedOrder(code: string, volunteer: string, resident: string): Promise<void> {
  forgetLimits();
  const o = await h.as<{ _id: string }>(
    'orders',
    'create',
    { serviceId: `demo:${code}`, description: '统计截图用订单', requestId: `console-stats-${++seq}` },
    resident,
  );
  await h.as('orders', 'dispatch', { orderId: o._id, volunteerOpenid: volunteer });
  await h.as('orders', 'accept', { orderId: o._id }, volunteer);
  await h.as('orders', 'start', { orderId: o._id }, volunteer);
  await h.as('orders', 'complete', { orderId: o._id, note: '已完成' }, volunteer);
  await h.as('orders', 'rate', { orderId: o._id, stars: 5 }, resident);
  await h.as('orders', 'review', { orderId: o._id, result: 'pass' });
}

/** Months before the current one, as `YYYY-MM`. */
function monthsAgo(n: number): string {
  return monthAt(monthIndex(lastTwelveMonths()[1]) - n);
}

test('统计: SVG charts, the figures the function answers, 导出 as .xlsx', async () => {
  await closedOrder('errand', 'demo-volunteer-1', 'demo-resident-2');
  await closedOrder('haircut', 'demo-volunteer-2', 'demo-resident-3');
  // Months the property, affairs and ledger functions published before (their documents as they
  // write them), so the grade, vote and statement tables have rows.
  for (const [n, score] of [
    [3, 3.6],
    [2, 4.1],
    [1, 4.4],
  ] as const) {
    const month = monthsAgo(n);
    await collection('property_grades').add({
      _id: `demo:${month}`,
      communityId: 'demo',
      month,
      score,
      stars: Math.round(score),
      light: score < 4 ? 'yellow' : 'green',
      ratingCount: 20 + n,
      onTimeRate: 0.9,
      complaintRate: 0.04,
      reworkRate: 0.02,
    });
    await collection('ledger_periods').add({
      _id: `demo:${month}`,
      communityId: 'demo',
      month,
      opening: 1_000_000,
      income: 250_000 + n * 1000,
      expense: 180_000,
      closing: 1_070_000 + n * 1000,
      ratingCount: 3,
      ratingSum: 13,
    });
  }
  await collection('votes').add({
    _id: 'console-stats-vote',
    communityId: 'demo',
    title: '3栋加装电梯',
    status: 'closed',
    opensAt: new Date(`${monthsAgo(2)}-03T00:00:00+08:00`),
    closesAt: new Date(`${monthsAgo(2)}-17T20:00:00+08:00`),
    result: {
      eligible: { owners: 36, area: 360_000 },
      participated: { owners: 30, area: 310_000 },
      yes: { owners: 27, area: 280_000 },
      no: { owners: 3, area: 30_000 },
      abstain: { owners: 0, area: 0 },
      quorumMet: true,
      passed: true,
    },
  });

  const [fromMonth, toMonth] = lastTwelveMonths();
  const expected = await h.as<CommunityStats>('stats', 'community', { fromMonth, toMonth }, WORKER);
  expect(expected.months).toHaveLength(12);

  const { page, errors } = await h.signedInPage({ acceptDownloads: true });
  await h.openTab(page, '统计');
  for (const name of ['orders', 'ontime', 'hours', 'property']) {
    await page.locator(`.chart-${name} svg`).first().waitFor({ timeout: 30_000 });
    expect(await page.locator(`.chart-${name} canvas`).count()).toBe(0);
    // Drawn: the SVG holds paths (bars, lines, axes), not an empty frame.
    expect(await page.locator(`.chart-${name} svg path`).count()).toBeGreaterThan(3);
  }
  // The month range shows the last twelve months.
  expect(await page.locator('.stats-range input').first().inputValue()).toBe(fromMonth);

  // Totals and tables as the function answers them.
  const total = async (key: string) => (await page.locator(`[data-total="${key}"]`).innerText()).replace(/\s+/g, ' ');
  expect(await total('created')).toContain(String(expected.totals.created));
  expect(await total('closed')).toContain(String(expected.totals.closed));
  expect(await total('servedHours')).toContain(expected.totals.servedHours.toFixed(1));
  const tables = statsTables(expected);
  for (const t of tables) {
    const rows = page.locator(`[data-table="${t.name}"] tbody tr`);
    if (t.rows.length === 0) {
      await page.locator(`[data-table="${t.name}"]`).getByText(t.empty).waitFor();
      continue;
    }
    expect(await rows.count()).toBe(t.rows.length);
    for (let i = 0; i < t.rows.length; i++) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      expect(cells.map((c) => c.trim())).toEqual(t.columns.map((c) => String(t.rows[i][c.key])));
    }
  }
  expect(tables.find((t) => t.name === '志愿者服务时长前十')!.rows.map((r) => r.name)).toEqual(
    expect.arrayContaining(['张建国', '刘芳']),
  );
  await h.shot(page, 'stats');

  // 导出: one workbook, a sheet per table, the same rows.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.stats-export').click()]);
  expect(download.suggestedFilename()).toBe(`${expected.communityName}统计_${fromMonth}至${toMonth}.xlsx`);
  const file = path.join(tmp, 'stats.xlsx');
  await download.saveAs(file);
  const sheets = await readXlsxFile(file);
  expect(sheets.map((s) => s.sheet)).toEqual(tables.map((t) => t.name));
  for (const t of tables) {
    const sheet = sheets.find((s) => s.sheet === t.name)!;
    expect(sheet.data[0]).toEqual(t.columns.map((c) => c.title));
    expect(sheet.data.slice(1).map((r) => r.map((c) => String(c)))).toEqual(
      t.rows.map((r) => t.columns.map((c) => String(r[c.key]))),
    );
  }
  expect(errors).toEqual([]);
});
