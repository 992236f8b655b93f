// The app's structure (app.json ↔ files ↔ tdesign) and the harness itself: every page renders
// its own template, in any order, with the real tdesign components.
import fs from 'fs';
import path from 'path';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { startTestCloud } from '../helpers/local';
import { SCENES } from '../preview/scenes';
import { MINIPROGRAM_ROOT, TDESIGN_DIST, cleanup, closeCloud, launchApp, renderPage, wireCloud } from '../helpers/miniprogram';

interface AppJson {
  pages: string[];
  subPackages: { root: string; pages: string[] }[];
  tabBar: { list: { pagePath: string; text: string; iconPath?: string; selectedIconPath?: string }[] };
  lazyCodeLoading?: string;
}

const appJson = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as AppJson;
const allPages = [...appJson.pages, ...appJson.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))];

describe('app.json', () => {
  test('tab bar: 首页, 订单, 通知, 我的; the join landing page in the main package', () => {
    expect(appJson.tabBar.list.map((t) => [t.pagePath, t.text])).toEqual([
      ['pages/home/index', '首页'],
      ['pages/orders/index', '订单'],
      ['pages/notices/index', '通知'],
      ['pages/mine/index', '我的'],
    ]);
    expect(appJson.pages).toContain('pages/join/index');
    expect(appJson.lazyCodeLoading).toBe('requiredComponents');
    expect(appJson.subPackages.find((p) => p.root === 'packages/worker')?.pages).toEqual(
      expect.arrayContaining(['members/index', 'invite/index']),
    );
  });

  test('tab bar icons: a normal and a selected 81×81 PNG each, under WeChat’s 40 KB, all different', () => {
    const seen = new Set<string>();
    for (const tab of appJson.tabBar.list) {
      for (const icon of [tab.iconPath, tab.selectedIconPath]) {
        expect([tab.text, typeof icon]).toEqual([tab.text, 'string']);
        const file = path.join(MINIPROGRAM_ROOT, icon!);
        expect([icon, fs.existsSync(file)]).toEqual([icon, true]);
        const png = fs.readFileSync(file);
        // The PNG signature, then IHDR's width and height.
        expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
        expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
        expect([icon, png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([icon, 81, 81]);
        expect(png.length).toBeLessThan(40 * 1024);
        seen.add(png.toString('base64'));
      }
    }
    // Eight pictures: no tab reuses another's, and selected differs from normal.
    expect(seen.size).toBe(appJson.tabBar.list.length * 2);
  });

  test('every page has a preview scene, a screenshot in docs/screenshots and a captioned place in the README', () => {
    const routes = new Set(SCENES.map((s) => s.route));
    expect(allPages.filter((page) => !routes.has(page))).toEqual([]);
    expect([...routes].filter((route) => !allPages.includes(route))).toEqual([]);
    const shots = path.join(MINIPROGRAM_ROOT, '../docs/screenshots');
    expect(SCENES.filter((s) => !fs.existsSync(path.join(shots, `${s.name}.png`))).map((s) => s.name)).toEqual([]);
    // No picture left over from a scene that is gone (a scene's 长辈模式 picture is `<name>-elder`).
    const names = new Set(SCENES.flatMap((s) => [s.name, `${s.name}-elder`]));
    expect(fs.readdirSync(shots).filter((f) => !names.has(f.replace(/\.png$/, '')))).toEqual([]);
    const readme = fs.readFileSync(path.join(MINIPROGRAM_ROOT, '../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Screenshots'), readme.indexOf('\n## ', readme.indexOf('## Screenshots') + 3));
    for (const s of SCENES) {
      expect([s.name, section.includes(`<img src="docs/screenshots/${s.name}.png"`)]).toEqual([s.name, true]);
      expect([s.name, section.includes(`<br>${s.caption}</td>`)]).toEqual([s.name, true]);
      expect(s.caption).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  test.each(allPages)('%s has its four files and its tdesign components exist', (page) => {
    for (const ext of ['ts', 'wxml', 'wxss', 'json']) {
      expect(fs.existsSync(path.join(MINIPROGRAM_ROOT, `${page}.${ext}`))).toBe(true);
    }
    const json = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, `${page}.json`), 'utf8')) as {
      usingComponents?: Record<string, string>;
    };
    for (const spec of Object.values(json.usingComponents ?? {})) {
      expect(spec).toMatch(/^tdesign-miniprogram\/([a-z-]+)\/\1$/);
      expect(fs.existsSync(path.join(TDESIGN_DIST, `${spec.slice('tdesign-miniprogram/'.length)}.js`))).toBe(true);
    }
  });

  test('no page or component calls wx.cloud or wx.request outside services/', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!['services', 'miniprogram_npm', 'node_modules'].includes(entry.name)) walk(full);
        } else if (entry.name.endsWith('.ts') && /\bwx\.(cloud\.callFunction|request)\s*\(/.test(fs.readFileSync(full, 'utf8'))) {
          offenders.push(path.relative(MINIPROGRAM_ROOT, full));
        }
      }
    };
    walk(MINIPROGRAM_ROOT);
    expect(offenders).toEqual([]);
  });

  test("services import the functions' contracts as types only", () => {
    const dir = path.join(MINIPROGRAM_ROOT, 'services');
    for (const file of fs.readdirSync(dir)) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      const imports = source.match(/^(import|export)[^;]*cloudfunctions[^;]*;/gm) ?? [];
      for (const line of imports) expect(line).toMatch(/^(import|export) type /);
      expect(source).not.toMatch(/from ['"]zod['"]/);
    }
  });
});

describe('every page renders its own template, whatever rendered before', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
    await seedIfEmpty(cloud);
    wireCloud(cloud);
  });
  afterAll(() => closeCloud(cloud));
  afterEach(cleanup);

  // The pages this skeleton owns; feature pages bring their own tests.
  const expected: Record<string, string> = {
    'pages/home/index': '邻里帮',
    'pages/orders/index': '我的订单',
    'pages/mine/index': '李梅',
    'pages/join/index': '加入幸福里社区',
    'packages/worker/members/index': '待审核',
    'packages/worker/invite/index': '生成邀请',
  };
  const routes = Object.keys(expected);

  test('each of them is listed in app.json', () => {
    expect(allPages).toEqual(expect.arrayContaining(routes));
  });

  test.each([
    ['one after another', routes],
    ['in reverse order', [...routes].reverse()],
  ])('%s', async (_label, order) => {
    for (const route of order) {
      const page = await renderPage(route, { openid: 'demo-worker', query: { code: 'DEMOJOIN' } });
      expect(page.text()).toContain(expected[route]);
      page.detach();
    }
  });

  test('tdesign components render through the official compiler (labels, cell titles, button text)', async () => {
    const mine = await renderPage('pages/mine/index', { openid: 'demo-worker' });
    expect(mine.text()).toContain('住址1栋 101室');
    expect(mine.text('#open-members')).toBe('成员审核');
  });

  test('the app launches once and exposes globalData', () => {
    const app = launchApp();
    expect(app.globalData.membershipVersion).toEqual(expect.any(Number));
    expect(getApp<IAppOption>()).toBe(app);
  });
});
