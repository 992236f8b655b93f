// Size budgets (budgets.json): the mini-program's packages as WeChat counts them and each cloud
// function's bundle, computed by the same code as `npm run size` (scripts/size.ts). The setData
// budget is checked by every page test (tests/helpers/miniprogram.ts).
import fs from 'fs';
import path from 'path';
import { functionNames } from '../../scripts/build';
import { loadBudgets, overBudget, sizeReport, type SizeReport } from '../../scripts/size';

const MINIPROGRAM = path.resolve(__dirname, '../../miniprogram');
const appJson = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, 'app.json'), 'utf8')) as {
  pages: string[];
  subPackages: { root: string; name: string; pages: string[] }[];
  tabBar: { list: { pagePath: string }[] };
};

let report: SizeReport;

beforeAll(async () => {
  report = await sizeReport();
});

const fileSet = (name: string) => new Set(report.packages.find((p) => p.name === name)!.files.map((f) => f.path));

test('every package and function bundle is within budgets.json', () => {
  // The setData record belongs to the page tests (they fail on their own); here: packages and bundles.
  expect(overBudget({ ...report, setData: { pages: {} } })).toEqual([]);
});

test('the main package holds the app, the tab pages and the tdesign components they use', () => {
  const main = report.packages[0];
  expect(main.name).toBe('main');
  expect(main.bytes).toBeGreaterThan(10 * 1024);
  const files = fileSet('main');
  for (const f of ['app.js', 'app.json', 'app.wxss']) expect(files).toContain(f);
  for (const { pagePath } of appJson.tabBar.list) {
    expect(files).toContain(`${pagePath}.js`);
    expect(files).toContain(`${pagePath}.wxml`);
  }
  // Every tdesign component a main-package page names ships, with what it imports (tslib …).
  for (const page of appJson.pages) {
    const json = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, `${page}.json`), 'utf8'));
    for (const spec of Object.values<string>(json.usingComponents ?? {}))
      if (spec.startsWith('tdesign-miniprogram/')) expect(files).toContain(`miniprogram_npm/${spec}.js`);
  }
  expect(main.npmBytes).toBeGreaterThan(0);
  expect(files).toContain('miniprogram_npm/tdesign-miniprogram/miniprogram_npm/tslib/index.js');
  // No test, type declaration or source TypeScript ships.
  for (const f of files) expect(f).not.toMatch(/\.(ts|d\.ts)$|\.test\.|node_modules/);
});

test('each subpackage of app.json is counted with its pages, and only its own files', () => {
  expect(report.packages.map((p) => p.name)).toEqual(['main', ...appJson.subPackages.map((s) => s.name)]);
  for (const sub of appJson.subPackages) {
    const pkg = report.packages.find((p) => p.name === sub.name)!;
    expect(pkg.bytes).toBeGreaterThan(0);
    for (const page of sub.pages) expect(fileSet(sub.name)).toContain(`${sub.root}/${page}.js`);
    for (const f of pkg.files) expect(f.path.startsWith(`${sub.root}/`)).toBe(true);
  }
});

test('every cloud function is bundled and measured', () => {
  expect(report.functions.map((f) => f.name)).toEqual(functionNames());
  for (const f of report.functions) expect(f.bytes).toBeGreaterThan(1024);
});

test('a report over any budget is refused', () => {
  const budgets = loadBudgets();
  const over: SizeReport = {
    packages: report.packages.map((p, i) => ({ ...p, bytes: i === 0 ? budgets.mainPackageBytes + 1 : p.bytes })),
    functions: [{ name: 'huge', bytes: budgets.functionBundleBytes + 1 }],
    setData: { pages: { 'pages/x/index': budgets.setDataBytes + 1 } },
  };
  expect(overBudget(over, budgets)).toEqual([
    expect.stringContaining('package main'),
    expect.stringContaining('function huge'),
    expect.stringContaining('setData of pages/x/index'),
  ]);
});
