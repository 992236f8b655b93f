// Size report and budgets (budgets.json): the mini-program's main package and each subpackage as
// WeChat counts them, each cloud function's bundle, and the largest setData payload the page
// tests saw. `npm run size` prints it and exits 1 over budget; tests/cloud/size.test.ts runs the
// same code. How each number is counted: docs/quality.md. The mini-program packages are counted
// in size-packages.ts; the rest is here.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { buildFunction, functionNames } from './build';
import { miniprogramSizes, type PackageSize } from './size-packages';

export const ROOT = path.resolve(__dirname, '..');
export const BUDGETS_FILE = path.join(ROOT, 'budgets.json');
/** Where the page tests record the largest setData payload of each page (one file per test file). */
export const SETDATA_RECORD_DIR = path.join(ROOT, 'dist', 'size', 'setdata');

export interface Budgets {
  mainPackageBytes: number;
  subpackageBytes: number;
  functionBundleBytes: number;
  setDataBytes: number;
}

export function loadBudgets(): Budgets {
  return JSON.parse(fs.readFileSync(BUDGETS_FILE, 'utf8')) as Budgets;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/* ------------------------------------------------------------------------------------------ */
/* Cloud functions, setData, budgets                                                            */
/* ------------------------------------------------------------------------------------------ */

/** Each function bundled exactly as `npm run build` does it, into a temporary folder. */
export async function functionSizes(): Promise<{ name: string; bytes: number }[]> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'size-functions-'));
  try {
    const out: { name: string; bytes: number }[] = [];
    for (const name of functionNames()) out.push(await buildFunction(name, outDir));
    return out;
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

export interface SetDataRecord {
  /** Page route → largest payload in bytes, over every page test file that recorded it. */
  pages: Record<string, number>;
  /** When the newest record was written; undefined if the page tests have not run. */
  at?: Date;
}

export function readSetDataRecord(): SetDataRecord {
  const pages: Record<string, number> = {};
  let at: Date | undefined;
  if (!fs.existsSync(SETDATA_RECORD_DIR)) return { pages };
  for (const file of fs.readdirSync(SETDATA_RECORD_DIR)) {
    if (!file.endsWith('.json')) continue;
    const full = path.join(SETDATA_RECORD_DIR, file);
    const mtime = fs.statSync(full).mtime;
    if (!at || mtime > at) at = mtime;
    const record = readJson<Record<string, number>>(full);
    for (const [route, bytes] of Object.entries(record)) pages[route] = Math.max(pages[route] ?? 0, bytes);
  }
  return { pages, at };
}

export interface SizeReport {
  packages: PackageSize[];
  functions: { name: string; bytes: number }[];
  setData: SetDataRecord;
}

export async function sizeReport(): Promise<SizeReport> {
  return { packages: miniprogramSizes(), functions: await functionSizes(), setData: readSetDataRecord() };
}

/** Every budget the report exceeds, as sentences; empty when all fit. */
export function overBudget(report: SizeReport, budgets: Budgets = loadBudgets()): string[] {
  const out: string[] = [];
  for (const p of report.packages) {
    const limit = p.root === '' ? budgets.mainPackageBytes : budgets.subpackageBytes;
    if (p.bytes > limit) out.push(`mini-program package ${p.name}: ${kb(p.bytes)} > ${kb(limit)}`);
  }
  for (const f of report.functions)
    if (f.bytes > budgets.functionBundleBytes)
      out.push(`function ${f.name}: ${kb(f.bytes)} > ${kb(budgets.functionBundleBytes)}`);
  for (const [route, bytes] of Object.entries(report.setData.pages))
    if (bytes > budgets.setDataBytes) out.push(`setData of ${route}: ${kb(bytes)} > ${kb(budgets.setDataBytes)}`);
  return out;
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

function print(report: SizeReport, budgets: Budgets): void {
  const row = (label: string, bytes: number, limit: number, note = '') =>
    console.log(
      `  ${label.padEnd(14)} ${kb(bytes).padStart(10)} / ${kb(limit).padEnd(10)} ${String(Math.round((bytes / limit) * 100)).padStart(3)}%  ${note}`,
    );
  console.log('mini-program packages (compiled, only used files; docs/quality.md):');
  for (const p of report.packages) {
    const own = p.bytes - p.npmBytes;
    const note =
      p.root === ''
        ? `own ${kb(own)}, npm ${kb(p.npmBytes)} (of which used only by subpackages ${kb(p.npmSubpackageOnlyBytes)}); ${p.files.length} files`
        : `${p.root}; ${p.files.length} files`;
    row(p.name, p.bytes, p.root === '' ? budgets.mainPackageBytes : budgets.subpackageBytes, note);
  }
  const total = report.packages.reduce((s, p) => s + p.bytes, 0);
  console.log(`  ${'all packages'.padEnd(14)} ${kb(total).padStart(10)}`);
  console.log('cloud functions (esbuild bundles, scripts/build.ts):');
  for (const f of report.functions) row(f.name, f.bytes, budgets.functionBundleBytes, `dist/cloudfunctions/${f.name}/index.js`);
  console.log('setData (largest payload per call, recorded by the last page test run):');
  const pages = Object.entries(report.setData.pages).sort(([, a], [, b]) => b - a);
  if (pages.length === 0) {
    console.log('  no record yet: run `npx jest --selectProjects miniprogram` (or npm test) first');
  } else {
    const [route, bytes] = pages[0];
    row('largest', bytes, budgets.setDataBytes, `${route} (recorded ${report.setData.at?.toISOString()})`);
    for (const [r, b] of pages.slice(1, 4)) console.log(`  ${''.padEnd(14)} ${kb(b).padStart(10)}  ${r}`);
  }
}

async function main(): Promise<void> {
  const budgets = loadBudgets();
  const report = await sizeReport();
  print(report, budgets);
  const over = overBudget(report, budgets);
  if (over.length) {
    console.error(`\nover budget (budgets.json):\n${over.map((o) => `  ${o}`).join('\n')}`);
    process.exit(1);
  }
  console.log('\nall within budgets.json');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
