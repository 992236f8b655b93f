// The page inspector itself, on a page made to fail each check: it must see text cut off by its
// box or by a clipping ancestor, text under 12 px, faint text, and an action below the fold or
// under the tab bar — and pass the text that is fine.
import type { Browser, Page } from 'playwright-core';
import { launchChromium, phoneContext } from '../../scripts/preview/browser';
import { inspectText, placement, type TextReport } from './inspect';

const HTML = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=375, initial-scale=1"><style>
  body { margin: 0; font: 16px 'Noto Sans CJK SC', sans-serif; background: #fff; }
  .wx-top { height: 64px; } .wx-tabbar { position: fixed; bottom: 0; left: 0; right: 0; height: 50px; background: #fff; }
  .box { width: 80px; overflow: hidden; white-space: nowrap; }
  .tall { height: 10px; overflow: hidden; }
  .tiny { font-size: 11px; } .faint { color: #bbb; } .faint-on-grey { color: #777; background: #ddd; }
  .big-faint { font-size: 28px; color: #8a8a8a; }
  .ellipsis { width: 80px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
  wx-scroll-view { display: block; width: 100px; overflow: hidden; white-space: nowrap; }
  .low { position: absolute; top: 630px; height: 30px; } .under-tab { position: absolute; top: 580px; height: 60px; }
</style></head><body>
  <div class="wx-top"></div>
  <div class="wx-page">
    <div id="ok">这是一段正常的文字</div>
    <div class="box">这一行字太长了放不下会被裁掉</div>
    <div class="tall">被高度裁掉的文字</div>
    <div class="tiny">太小的字</div>
    <div class="faint">太淡的字</div>
    <div class="faint-on-grey">灰底上的灰字</div>
    <div class="big-faint">大字可以稍淡</div>
    <div class="ellipsis">故意用省略号截断的长标题文字</div>
    <wx-scroll-view><span>横向滚动的标签一</span><span>横向滚动的标签二</span></wx-scroll-view>
    <div id="first-screen" style="height: 40px">主要操作</div>
    <div id="below" class="low">在折叠线下</div>
    <div id="covered" class="under-tab">被标签栏盖住</div>
  </div>
  <div class="wx-tabbar"></div>
</body></html>`;

let browser: Browser;
let page: Page;
let report: TextReport;

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await phoneContext(browser)).newPage();
  await page.setContent(HTML);
  report = await page.evaluate(inspectText, { rootSelector: '.wx-page', minFontPx: 12, minContrast: 4.5, largeContrast: 3 });
});
afterAll(() => browser?.close());

const texts = (issues: TextReport['clipped']) => issues.map((i) => i.text);

test('sees text cut off by its box, horizontally and vertically, but not a scroll-view or a deliberate ellipsis', () => {
  expect(texts(report.clipped)).toEqual(expect.arrayContaining(['这一行字太长了放不下会被裁掉', '被高度裁掉的文字']));
  expect(texts(report.clipped)).not.toContain('这是一段正常的文字');
  expect(texts(report.clipped).some((t) => t.startsWith('横向滚动'))).toBe(false);
  expect(texts(report.truncated)).toContain('故意用省略号截断的长标题文字');
});

test('sees text under 12 px and nothing else', () => {
  expect(texts(report.small)).toEqual(['太小的字']);
});

test('sees faint text against its own or an inherited background; large text needs only 3:1', () => {
  expect(texts(report.lowContrast)).toEqual(expect.arrayContaining(['太淡的字', '灰底上的灰字']));
  expect(texts(report.lowContrast)).not.toContain('大字可以稍淡');
  expect(texts(report.lowContrast)).not.toContain('这是一段正常的文字');
});

test('an action is in the first screen only when fully visible between the top bar and the tab bar', async () => {
  expect(await page.evaluate(placement, '#first-screen')).toEqual(
    expect.objectContaining({ found: true, inFirstScreen: true, onTop: true }),
  );
  expect(await page.evaluate(placement, '#below')).toEqual(expect.objectContaining({ found: true, inFirstScreen: false }));
  expect(await page.evaluate(placement, '#covered')).toEqual(expect.objectContaining({ found: true, inFirstScreen: false }));
  expect(await page.evaluate(placement, '#missing')).toEqual(expect.objectContaining({ found: false }));
});
