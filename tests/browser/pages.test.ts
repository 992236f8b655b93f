// Key pages of the mini-program, as the preview renders them (real pages, real functions, demo
// community), opened in headless Chromium on a 375×667 phone and checked the way a person would
// look at them: the expected Chinese text is there and not cut off, the page's main action is in
// the first screen, no text is smaller than 12 px, and text has at least 4.5:1 contrast.
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, phoneContext } from '../../scripts/preview/browser';
import { renderHtml, type Manifest } from '../../scripts/preview/render';
import { inspectText, placement, type TextReport } from './inspect';

interface KeyPage {
  scene: string;
  /** Text a person expects to read on it. */
  texts: string[];
  /** The page's main action (static HTML selector: `data-id` carries the wxml id). */
  primary: string;
}

const KEY_PAGES: KeyPage[] = [
  { scene: 'home', texts: ['赵秀兰，您好', '基础服务', '代买代办', '点这里预约'], primary: '[data-id="item-0"]' },
  {
    scene: 'order-in-service',
    texts: ['水电小修', '服务中', '卫生间灯泡坏了', '张建国', '进度', '开始服务'],
    primary: '[data-id="call-volunteer"]',
  },
  { scene: 'notices', texts: ['1栋、2栋明日停水通知', '置顶', '未读', '周六上午社区义诊和理发活动'], primary: '.main--row' },
  {
    scene: 'parking-find',
    texts: ['哪一天', '今天', '开始', '结束', '这段时间空闲的车位', '预约这个车位'],
    primary: '.main--spot wx-button',
  },
  { scene: 'mine', texts: ['赵秀兰', '幸福里社区', '我的消息', '1栋 102室', '138****0021'], primary: '[data-id="open-inbox"]' },
  { scene: 'mine-worker', texts: ['李梅', '社区工作台', '成员审核', '邀请居民加入'], primary: '.main--actions wx-button' },
];

const MIN_FONT_PX = 12;
const MIN_CONTRAST = 4.5;
const LARGE_CONTRAST = 3;

let outDir: string;
let manifest: Manifest;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-html-'));
  manifest = renderHtml(
    KEY_PAGES.map((k) => k.scene),
    outDir,
    true,
  );
  browser = await launchChromium();
  page = await (await phoneContext(browser)).newPage();
});

afterAll(async () => {
  await browser?.close();
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

async function open(scene: string): Promise<void> {
  const entry = manifest.pages.find((p) => p.name === scene);
  if (!entry) throw new Error(`${scene} was not rendered (missing: ${manifest.missing.join(', ')})`);
  await page.goto(`file://${path.join(outDir, entry.file)}`);
  await page.evaluate('document.fonts.ready.then(() => true)');
}

const list = (issues: TextReport['clipped']) => issues.map((i) => `${i.where} “${i.text}”: ${i.detail}`);

describe.each(KEY_PAGES.map((k) => [k.scene, k] as const))('%s', (scene, key) => {
  let report: TextReport;

  beforeAll(async () => {
    await open(scene);
    report = await page.evaluate(inspectText, {
      rootSelector: '.wx-page',
      minFontPx: MIN_FONT_PX,
      minContrast: MIN_CONTRAST,
      largeContrast: LARGE_CONTRAST,
    });
  });

  test('shows the expected Chinese text, rendered in a CJK font', async () => {
    const shown = await page.locator('.wx-page').innerText();
    for (const text of key.texts) expect([text, shown.includes(text)]).toEqual([text, true]);
    // Each expected text is laid out visibly (not a zero-size or hidden box).
    for (const text of key.texts) {
      const box = await page.getByText(text, { exact: false }).first().boundingBox();
      expect([text, (box?.width ?? 0) > 0 && (box?.height ?? 0) > 0]).toEqual([text, true]);
    }
    expect(report.count).toBeGreaterThan(key.texts.length);
  });

  test('no text is cut off', () => {
    expect(list(report.clipped)).toEqual([]);
  });

  test(`no text is smaller than ${MIN_FONT_PX} px`, () => {
    expect(list(report.small)).toEqual([]);
  });

  test(`text contrast is at least ${MIN_CONTRAST}:1 (${LARGE_CONTRAST}:1 for large text)`, () => {
    expect(list(report.lowContrast)).toEqual([]);
  });

  test('the main action is fully visible in the first screen, not covered', async () => {
    await page.evaluate('window.scrollTo(0, 0)');
    // The page is laid out for the 375-px-wide phone (its meta viewport), not a zoomed-out desktop.
    expect(await page.evaluate('[window.innerWidth, window.innerHeight]')).toEqual([375, 667]);
    const where = await page.evaluate(placement, key.primary);
    expect(where).toEqual(expect.objectContaining({ found: true, visible: true, inFirstScreen: true, onTop: true }));
    expect(where.text).not.toBe('');
  });
});
