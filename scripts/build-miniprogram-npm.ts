// Builds miniprogram/miniprogram_npm the way WeChat DevTools' "构建 npm" does for this project
// (packNpmManually, packNpmRelationList → ./package.json, dist dir ./miniprogram/):
//   - a dependency whose package.json declares `miniprogram` is copied from that folder
//     (tdesign-miniprogram → miniprogram_dist) into miniprogram_npm/<name>/;
//   - its own dependencies follow the same rules, placed beside it in miniprogram_npm/;
//   - a dependency without `miniprogram` is bundled into miniprogram_npm/<name>/index.js, but
//     only when the mini-program's code imports it: the root package.json also lists Node-only
//     packages for the cloud functions and the local cloud, which must never ship.
// Usage: npm run build:npm   (node -r ./local/register.js scripts/build-miniprogram-npm.ts)
import fs from 'fs';
import path from 'path';
import { buildSync } from 'esbuild';

const root = path.resolve(__dirname, '..');
const miniprogramRoot = path.join(root, 'miniprogram');
const outDir = path.join(miniprogramRoot, 'miniprogram_npm');

interface PackageJson {
  name: string;
  version?: string;
  main?: string;
  module?: string;
  miniprogram?: string;
  dependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** Finds a package the way Node does, starting from the requiring package's folder. */
function resolvePackageDir(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(candidate)) return path.dirname(candidate);
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Bare module names the mini-program's own code imports (`tdesign-miniprogram/...` → `tdesign-miniprogram`). */
function importedPackages(dir: string, found = new Set<string>()): Set<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'miniprogram_npm' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      importedPackages(full, found);
    } else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      const source = fs.readFileSync(full, 'utf8');
      // `import type` is erased at compile time and ships nothing.
      const re = /(?:^|[^.\w])(?:import\s+(?!type\b)[^'"]*?from\s*|import\s*|require\s*\(\s*)['"]([^'"./][^'"]*)['"]/g;
      for (let m = re.exec(source); m; m = re.exec(source)) {
        const spec = m[1];
        const parts = spec.split('/');
        found.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
      }
    }
  }
  return found;
}

function dirSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = dirSize(full);
      files += sub.files;
      bytes += sub.bytes;
    } else {
      files += 1;
      bytes += fs.statSync(full).size;
    }
  }
  return { files, bytes };
}

interface Built {
  name: string;
  how: 'copied' | 'bundled';
  files: number;
  bytes: number;
}

function main(): void {
  const rootPkg = readJson<PackageJson>(path.join(root, 'package.json'));
  const rootDeps = Object.keys(rootPkg.dependencies ?? {});
  const imported = importedPackages(miniprogramRoot);

  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });

  const built: Built[] = [];
  const skipped: string[] = [];
  const done = new Set<string>();

  const visit = (name: string, fromDir: string, isRoot: boolean): void => {
    if (done.has(name)) return;
    done.add(name);
    const pkgDir = resolvePackageDir(name, fromDir);
    if (!pkgDir) throw new Error(`${name} is not installed; run npm install first`);
    const pkg = readJson<PackageJson>(path.join(pkgDir, 'package.json'));
    const target = path.join(outDir, name);

    if (pkg.miniprogram) {
      const source = path.join(pkgDir, pkg.miniprogram);
      if (!fs.existsSync(source)) throw new Error(`${name}: its "miniprogram" folder ${pkg.miniprogram} is missing`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.cpSync(source, target, { recursive: true });
      built.push({ name, how: 'copied', ...dirSize(target) });
    } else if (!isRoot || imported.has(name)) {
      const outfile = path.join(target, 'index.js');
      buildSync({
        entryPoints: [require.resolve(name, { paths: [fromDir] })],
        bundle: true,
        format: 'cjs',
        platform: 'neutral',
        mainFields: ['miniprogram', 'browser', 'module', 'main'],
        target: 'es2017',
        minify: true,
        outfile,
        logLevel: 'error',
      });
      built.push({ name, how: 'bundled', ...dirSize(target) });
      return; // the bundle already holds its dependencies
    } else {
      skipped.push(name);
      return;
    }
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, pkgDir, false);
  };

  for (const name of rootDeps) visit(name, root, true);

  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const b of built)
    console.log(`  ${b.how.padEnd(8)} ${b.name.padEnd(24)} ${String(b.files).padStart(5)} files  ${kb(b.bytes)}`);
  if (skipped.length) console.log(`  skipped  ${skipped.join(', ')} (no "miniprogram" field and not imported by miniprogram/)`);
  const total = dirSize(outDir);
  console.log(`miniprogram_npm: ${total.files} files, ${kb(total.bytes)} → ${path.relative(root, outDir)}`);
}

main();
