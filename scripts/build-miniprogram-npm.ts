// Builds miniprogram/miniprogram_npm the way WeChat DevTools' "构建 npm" does for this project
// (packNpmManually, packNpmRelationList → ./miniprogram/package.json, dist dir ./miniprogram/):
//   - every dependency of miniprogram/package.json — only what the mini-program imports, a test
//     keeps it so — and, transitively, theirs;
//   - a package whose package.json declares `miniprogram` is copied from that folder
//     (tdesign-miniprogram → miniprogram_dist) into miniprogram_npm/<name>/;
//   - a package without `miniprogram` is bundled into miniprogram_npm/<name>/index.js.
// Packages resolve from miniprogram/node_modules (where DevTools needs them: `npm install
// --prefix miniprogram`) and otherwise from the root node_modules, so a plain `npm install` is
// enough here. Usage: npm run build:npm
import fs from 'fs';
import path from 'path';
import { buildSync } from 'esbuild';
import { importedPackages } from './miniprogram-deps';

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

/** How a package without `miniprogram` is bundled (scripts/size-packages.ts counts it the same way). */
export const NPM_BUNDLE_OPTIONS = {
  bundle: true,
  format: 'cjs',
  platform: 'neutral',
  mainFields: ['miniprogram', 'browser', 'module', 'main'],
  target: 'es2017',
  minify: true,
} as const;

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
  const miniprogramPkg = readJson<PackageJson>(path.join(miniprogramRoot, 'package.json'));
  const deps = Object.keys(miniprogramPkg.dependencies ?? {});
  const imported = importedPackages(miniprogramRoot);
  const unlisted = [...imported].filter((name) => !deps.includes(name));
  if (unlisted.length)
    throw new Error(`miniprogram/package.json does not list ${unlisted.join(', ')}, which the mini-program imports`);

  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });

  const built: Built[] = [];
  const done = new Set<string>();

  const visit = (name: string, fromDir: string): void => {
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
    } else {
      const outfile = path.join(target, 'index.js');
      buildSync({
        entryPoints: [require.resolve(name, { paths: [fromDir] })],
        ...NPM_BUNDLE_OPTIONS,
        mainFields: [...NPM_BUNDLE_OPTIONS.mainFields],
        outfile,
        logLevel: 'error',
      });
      built.push({ name, how: 'bundled', ...dirSize(target) });
      return; // the bundle already holds its dependencies
    }
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, pkgDir);
  };

  for (const name of deps) visit(name, miniprogramRoot);

  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  for (const b of built)
    console.log(`  ${b.how.padEnd(8)} ${b.name.padEnd(24)} ${String(b.files).padStart(5)} files  ${kb(b.bytes)}`);
  const total = dirSize(outDir);
  console.log(`miniprogram_npm: ${total.files} files, ${kb(total.bytes)} → ${path.relative(root, outDir)}`);
}

if (require.main === module) main();
