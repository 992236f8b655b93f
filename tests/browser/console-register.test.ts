// 房屋台账 in the console, in headless Chromium against the local cloud: a real .xlsx built here
// (write-excel-file's node build; the columns in another order than the template's, found by their
// header names) with good and bad rows is uploaded → the dry run shows each bad row by its Excel
// row number with what to fix, and nothing is written → the fixed file is confirmed → imported, as
// the register and the import log show → 导出 downloads an .xlsx whose rows, read back, are the
// register's; 下载模板 downloads the header and one example. Screenshots: docs/console/register.png,
// register-import.png.
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Page } from 'playwright-core';
import { readSheet } from 'read-excel-file/node';
import writeXlsxFile from 'write-excel-file/node';
import type { ImportLogView, PartView } from '../../cloudfunctions/affairs/api';
import type { Page as ListPage } from '../../cloudfunctions/common/schema';
import { startConsoleHarness, type ConsoleHarness } from './console-harness';

let h: ConsoleHarness;
let page: Page;
let errors: string[];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'register-'));

beforeAll(async () => {
  h = await startConsoleHarness();
  ({ page, errors } = await h.signedInPage({ acceptDownloads: true }));
}, 120_000);
afterAll(async () => {
  await h?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Another order than the template's, and headers with notes: matched by name. */
const HEADER = ['面积（㎡）', '楼栋', '房号', '开发商(是/否)', '产权人编号'];
type Cell = string | number | null;

async function xlsx(rows: Cell[][]): Promise<Buffer> {
  return writeXlsxFile([HEADER, ...rows]).toBuffer();
}

async function upload(name: string, rows: Cell[][]): Promise<void> {
  await page.locator('.register-file').setInputFiles({ name, mimeType: XLSX, buffer: await xlsx(rows) });
  await page.locator('.register-preview').waitFor({ timeout: 60_000 });
}

const count = async (key: string) => Number(/(\d+)/.exec(await page.locator(`[data-count="${key}"]`).innerText())?.[1]);

async function allParts(): Promise<PartView[]> {
  const out: PartView[] = [];
  for (let p = 1; ; p++) {
    const res = await h.as<ListPage<PartView>>('affairs', 'listParts', { page: p });
    out.push(...res.items);
    if (!res.hasMore) return out;
  }
}

// Rows in HEADER's order: 面积, 楼栋, 房号, 开发商, 产权人编号.
const GOOD: Cell[][] = [
  [89.56, '1栋', 'K101', '否', 'HX-001'],
  [120, '1栋', 'K102', '否', 'HX-001'],
  ['75.5', '2栋', 'K201', '是', null],
  [60.25, '3栋', 1203, null, 5566],
];
/** 250 more flats: the fixed file is 258 rows, two chunks of the function's 200. */
const MANY: Cell[][] = Array.from({ length: 250 }, (_, i) => [
  50 + (i % 30),
  '4栋',
  `G${String(i + 1).padStart(3, '0')}`,
  '否',
  null,
]);
const BAD: Cell[][] = [
  [80, '9栋', 'K901', '否', null], // row 6: unknown building
  ['八十', '1栋', 'K103', '否', null], // row 7: area not a number
  [70, '2栋', 'K202', '否', null], // rows 8 and 9: the same house twice
  [71, '2栋', 'K202', '否', null],
  [70, '2栋', 'K2/03', '否', 'H 9'], // row 10: room and holder formats
];

test('import: the dry run shows each bad row by its Excel row number, writes nothing; the fixed file imports; the log shows it', async () => {
  await h.openTab(page, '房屋台账');
  await page.locator('.register-parts .t-table__body tr').first().waitFor();
  const before = await allParts();

  await upload('房屋台账-有错.xlsx', [...GOOD, ...BAD]);
  expect({ created: await count('created'), errors: await count('errors'), rows: await count('rows') }).toEqual({
    created: 4,
    errors: 5,
    rows: 9,
  });
  const table = page.locator('.preview-table');
  const rowText = async (line: number) =>
    table
      .locator('tr')
      .filter({ has: page.locator(`td:first-child:text-is("${line}")`) })
      .innerText();
  expect(await rowText(6)).toContain('楼栋「9栋」不在本社区');
  expect(await rowText(7)).toContain('面积「八十」不对');
  expect(await rowText(8)).toContain('与第 9 行是同一套房屋（2栋 K202）');
  expect(await rowText(9)).toContain('与第 8 行是同一套房屋');
  expect(await rowText(10)).toMatch(/房号「K2\/03」格式不对[\s\S]*产权人编号「H 9」格式不对/);
  await page.getByText('跳过 5 行有错误的，导入其余 4 行').waitFor();
  await h.shot(page, 'register-import');
  expect(await allParts()).toEqual(before); // the dry run wrote nothing

  // Fixed in Excel (and 250 flats more) and chosen again: no errors left, confirm — two chunks.
  const FIXED: Cell[][] = [
    [80, '5栋', 'K901', '否', null],
    [80, '1栋', 'K103', '否', null],
    [70, '2栋', 'K202', '否', null],
    [70, '2栋', 'K203', '否', 'H9'],
  ];
  await upload('房屋台账.xlsx', [...GOOD, ...FIXED, ...MANY]);
  expect(await count('errors')).toBe(0);
  expect(await count('created')).toBe(258);
  await page.locator('.register-confirm').click();
  await page
    .locator('.register-result')
    .getByText('「房屋台账.xlsx」已导入：新增 258 套，更新 0 套，不变 0 套')
    .waitFor({ timeout: 120_000 });

  const after = await allParts();
  expect(after.length).toBe(before.length + 258);
  expect(after.find((p) => p.room === 'G250')).toMatchObject({ building: '4栋', area: String(50 + (249 % 30)) });
  const k101 = after.find((p) => p.building === '1栋' && p.room === 'K101')!;
  expect(k101).toMatchObject({ area: '89.56', holder: 'HX-001', developer: false });
  expect(after.find((p) => p.room === '1203')).toMatchObject({ building: '3栋', area: '60.25', holder: '5566' });
  expect(after.find((p) => p.room === 'K201')).toMatchObject({ area: '75.5', developer: true });

  const log = await h.as<ListPage<ImportLogView>>('affairs', 'listPartImports', {});
  expect(log.items[0]).toMatchObject({
    fileName: '房屋台账.xlsx',
    rows: 258,
    created: 258,
    errors: 0,
    status: 'done',
    chunks: 2,
    chunksDone: 2,
    byName: '李梅',
  });
  await page.locator('.register-log').getByText('房屋台账.xlsx').waitFor();
  expect(await page.locator('.register-log').innerText()).toContain('已完成');

  // The same file again: every row unchanged, nothing written.
  await upload('房屋台账.xlsx', [...GOOD]);
  expect(await count('unchanged')).toBe(4);
  await page.locator('.register-cancel').click();

  // The building filter narrows the table.
  await page.locator('.register .filter-building').click();
  await page.locator('.t-select__dropdown .t-select-option').filter({ hasText: '3栋' }).click();
  await page.locator('.register-parts').getByText('1203').waitFor();
  const buildings = await page.locator('.register-parts .t-table__body tr td:first-child').allInnerTexts();
  expect(new Set(buildings)).toEqual(new Set(['3栋']));
  // All buildings again (a fresh load of the console keeps the login).
  await page.reload();
  await page.locator('.home').waitFor({ timeout: 30_000 });
  await h.openTab(page, '房屋台账');
  await page.locator('.register-log').getByText('房屋台账.xlsx').waitFor();
  expect(await page.locator('.register-log').innerText()).not.toContain('有错.xlsx'); // a dry run is no import
  expect(await page.locator('.register-parts .t-table__body tr').count()).toBe(Math.min(20, (await allParts()).length));
  await h.shot(page, 'register');
  expect(errors).toEqual([]);
}, 300_000);

test('export downloads the whole register as .xlsx: numbers and owner counts, no names', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.register-export').click()]);
  expect(download.suggestedFilename()).toBe('房屋台账.xlsx');
  const file = path.join(tmp, 'export.xlsx');
  await download.saveAs(file);
  const rows = await readSheet(file);
  expect(rows[0]).toEqual(['楼栋', '房号', '面积', '产权人编号', '开发商', '已核实业主数']);
  const parts = await allParts();
  const want = parts.map((p) => [
    p.building,
    p.room,
    Number(p.area),
    p.holder ?? null,
    p.developer ? '是' : '否',
    p.owners?.length ?? 0,
  ]);
  const got = rows.slice(1).map((r) => [String(r[0]), String(r[1]), r[2], r[3] === null ? null : String(r[3]), r[4], r[5]]);
  expect(got).toEqual(want);
  expect(parts.some((p) => (p.owners?.length ?? 0) > 0)).toBe(true);
  const names = parts.flatMap((p) => p.owners ?? []).map((o) => o.name);
  expect(JSON.stringify(rows)).not.toMatch(new RegExp(names.join('|')));
}, 120_000);

test('下载模板 gives the header and one example row', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.register-template').click()]);
  const file = path.join(tmp, 'template.xlsx');
  await download.saveAs(file);
  const rows = await readSheet(file);
  expect(rows).toEqual([
    ['楼栋', '房号', '面积', '产权人编号', '开发商(是/否)'],
    ['1栋', '1201', 89.56, 'A0001', '否'],
  ]);
}, 60_000);
