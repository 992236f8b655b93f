// The mini-program's main package and each subpackage as WeChat counts them, for the size report
// (scripts/size.ts).
//
// Mini-program packages: starting from app.json (the app files, its pages, every subpackage's
// pages), follow what WeChat DevTools follows to ship only used files ("filter unused files"):
// a component's .json usingComponents, .wxml <import>/<include>/<wxs src>, .wxss @import, and
// the JS require graph (.ts compiled per file with esbuild, minified, as DevTools' TypeScript
// compile and minified upload would). npm components resolve through miniprogram_npm, read from
// each package's `miniprogram` folder in node_modules — what `npm run build:npm` copies — so no
// build step is needed. A file belongs to the package its path lies in: miniprogram_npm sits in
// the main package root (packNpmRelationList → ./miniprogram/), so every npm component counts to
// main, also one used only by a subpackage (reported apart). Images under a package root count
// to that package whether referenced or not.
import fs from 'fs';
import path from 'path';
import { buildSync, transformSync } from 'esbuild';
import { NPM_BUNDLE_OPTIONS } from './build-miniprogram-npm';

const ROOT = path.resolve(__dirname, '..');
const MINIPROGRAM_ROOT = path.join(ROOT, 'miniprogram');

export interface FileSize {
  /** Path inside the mini-program as shipped (`pages/home/index.js`, `miniprogram_npm/…`). */
  path: string;
  bytes: number;
}

export interface PackageSize {
  /** `main` or the subpackage's name. */
  name: string;
  /** '' for main, else the subpackage root (`packages/parking`). */
  root: string;
  /** Page routes declared for this package (`pages/home/index`). */
  pages: string[];
  bytes: number;
  files: FileSize[];
  /** Of `bytes`: files under miniprogram_npm (main only). */
  npmBytes: number;
  /** Of `npmBytes`: npm files no main-package page or component uses (only subpackages do). */
  npmSubpackageOnlyBytes: number;
}

interface AppJson {
  pages: string[];
  subPackages?: { root: string; name?: string; pages: string[] }[];
  subpackages?: { root: string; name?: string; pages: string[] }[];
  usingComponents?: Record<string, string>;
  sitemapLocation?: string;
  tabBar?: { list: { pagePath: string; iconPath?: string; selectedIconPath?: string }[] };
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const posix = (p: string) => p.split(path.sep).join('/');
const IMAGE = /\.(png|jpe?g|gif|svg|webp)$/i;

/** The folder a package's miniprogram_npm copy comes from (its `miniprogram` field), if any. */
function npmSourceDir(pkgName: string): string | undefined {
  const pkgJson = path.join(ROOT, 'node_modules', pkgName, 'package.json');
  if (!fs.existsSync(pkgJson)) return undefined;
  const pkg = readJson<{ miniprogram?: string }>(pkgJson);
  return pkg.miniprogram ? path.join(path.dirname(pkgJson), pkg.miniprogram) : undefined;
}

/**
 * The mini-program as shipped, as a virtual tree: `miniprogram_npm/<pkg>/…` maps to the
 * package's `miniprogram` folder (nested miniprogram_npm folders come with it), a non-miniprogram
 * package to the esbuild bundle build:npm would make, everything else to miniprogram/.
 */
class ShippedTree {
  private readonly bundles = new Map<string, number>();

  /** Real file behind a virtual path, or a bundle marker; undefined when it does not exist. */
  real(v: string): string | undefined {
    const m = /^miniprogram_npm\/((?:@[^/]+\/)?[^/]+)(?:\/(.*))?$/.exec(v);
    let file: string;
    if (m) {
      const source = npmSourceDir(m[1]);
      if (!source) return this.bundleOf(m[1], m[2]);
      file = path.join(source, m[2] ?? '');
    } else {
      file = path.join(MINIPROGRAM_ROOT, v);
    }
    return fs.existsSync(file) && fs.statSync(file).isFile() ? file : undefined;
  }

  /** build:npm bundles a package without `miniprogram` into miniprogram_npm/<name>/index.js. */
  private bundleOf(pkgName: string, rest: string | undefined): string | undefined {
    if (rest !== 'index.js') return undefined;
    if (!fs.existsSync(path.join(ROOT, 'node_modules', pkgName, 'package.json'))) return undefined;
    if (!this.bundles.has(pkgName)) {
      const out = buildSync({
        entryPoints: [require.resolve(pkgName, { paths: [ROOT] })],
        ...NPM_BUNDLE_OPTIONS,
        mainFields: [...NPM_BUNDLE_OPTIONS.mainFields],
        write: false,
        logLevel: 'silent',
      });
      this.bundles.set(pkgName, out.outputFiles[0].contents.byteLength);
    }
    return `bundle:${pkgName}`;
  }

  exists(v: string): boolean {
    return this.real(v) !== undefined;
  }

  /** Shipped bytes and the shipped text (for following references). */
  read(v: string): { bytes: number; text: string } {
    const file = this.real(v);
    if (!file) throw new Error(`size: ${v} does not exist`);
    if (file.startsWith('bundle:')) return { bytes: this.bundles.get(file.slice(7))!, text: '' };
    if (file.endsWith('.ts')) {
      const { code } = transformSync(fs.readFileSync(file, 'utf8'), {
        loader: 'ts',
        format: 'cjs',
        target: 'es2017',
        minify: true,
        sourcefile: file,
      });
      return { bytes: Buffer.byteLength(code), text: code };
    }
    const buf = fs.readFileSync(file);
    return { bytes: buf.byteLength, text: IMAGE.test(file) ? '' : buf.toString('utf8') };
  }
}

const join = (dir: string, spec: string) => path.posix.normalize(path.posix.join(dir, spec)).replace(/^\/+/, '');

/** Collects every shipped file reachable from a set of entries (pages, components, app). */
class Walker {
  readonly files = new Map<string, number>();
  private readonly seenComponents = new Set<string>();

  constructor(private readonly tree: ShippedTree) {}

  /** A page or component by its base path without extension (`pages/home/index`). */
  component(base: string): void {
    if (this.seenComponents.has(base)) return;
    this.seenComponents.add(base);
    const script = [`${base}.ts`, `${base}.js`].find((f) => this.tree.exists(f));
    if (script) this.script(script);
    if (this.tree.exists(`${base}.json`)) {
      this.add(`${base}.json`);
      const json = readJson<{ usingComponents?: Record<string, string> }>(this.tree.real(`${base}.json`)!);
      for (const spec of Object.values(json.usingComponents ?? {})) {
        const target = this.componentPath(spec, path.posix.dirname(base));
        if (target) this.component(target);
      }
    }
    if (this.tree.exists(`${base}.wxml`)) this.wxml(`${base}.wxml`);
    if (this.tree.exists(`${base}.wxss`)) this.wxss(`${base}.wxss`);
  }

  /** Resolves a usingComponents entry: absolute, relative or an npm path. */
  private componentPath(spec: string, fromDir: string): string | undefined {
    if (spec.startsWith('plugin://') || spec.startsWith('plugin-private://')) return undefined;
    if (spec.startsWith('/')) return join('', spec);
    if (spec.startsWith('.')) return join(fromDir, spec);
    for (const dir of ancestors(fromDir)) {
      const base = join(dir, `miniprogram_npm/${spec}`);
      if (this.tree.exists(`${base}.json`)) return base;
      if (this.tree.exists(`${base}/index.json`)) return `${base}/index`;
    }
    throw new Error(`size: component ${spec} (used in ${fromDir || 'app.json'}) not found in miniprogram_npm`);
  }

  add(v: string): { bytes: number; text: string } | undefined {
    if (this.files.has(v)) return undefined;
    const read = this.tree.read(v);
    this.files.set(v, read.bytes);
    return read;
  }

  script(v: string): void {
    const read = this.add(v);
    if (!read) return;
    const dir = path.posix.dirname(v);
    const re =
      /(?:\brequire\s*\(\s*|\bimport\s*(?:[\w*{}\s,$]*?\bfrom\s*)?|\bexport\s*(?:\*|\{[^}]*\})\s*from\s*)["']([^"']+)["']/g;
    for (let m = re.exec(read.text); m; m = re.exec(read.text)) {
      const target = this.resolveScript(m[1], dir);
      if (target) this.script(target);
    }
  }

  private resolveScript(spec: string, dir: string): string | undefined {
    const candidates = (base: string) => [base, `${base}.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`];
    const pick = (base: string) => candidates(base).find((c) => /\.(ts|js|wxs)$/.test(c) && this.tree.exists(c));
    if (spec.startsWith('.') || spec.startsWith('/')) return pick(spec.startsWith('/') ? join('', spec) : join(dir, spec));
    for (const d of ancestors(dir)) {
      const found = pick(join(d, `miniprogram_npm/${spec}`));
      if (found) return found;
    }
    // Unresolvable (a module a component imports but never reaches at run time); DevTools warns.
    return undefined;
  }

  private wxml(v: string): void {
    const read = this.add(v);
    if (!read) return;
    const dir = path.posix.dirname(v);
    const re = /<(import|include|wxs)\b[^>]*?\bsrc\s*=\s*["']([^"'{}]+)["']/g;
    for (let m = re.exec(read.text); m; m = re.exec(read.text)) {
      const [, tag, spec] = m;
      let target = spec.startsWith('/') ? join('', spec) : join(dir, spec);
      if (tag === 'wxs') {
        if (!target.endsWith('.wxs')) target += '.wxs';
        if (this.tree.exists(target)) this.script(target);
      } else {
        if (!target.endsWith('.wxml')) target += '.wxml';
        if (this.tree.exists(target)) this.wxml(target);
      }
    }
  }

  private wxss(v: string): void {
    const read = this.add(v);
    if (!read) return;
    const dir = path.posix.dirname(v);
    const re = /@import\s+(?:url\()?\s*["']([^"']+)["']/g;
    for (let m = re.exec(read.text); m; m = re.exec(read.text)) {
      let target = m[1].startsWith('/') ? join('', m[1]) : join(dir, m[1]);
      if (!target.endsWith('.wxss')) target += '.wxss';
      if (this.tree.exists(target)) this.wxss(target);
    }
  }
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = path.posix.dirname(d)) {
    out.push(d === '.' ? '' : d);
    if (d === '' || d === '.' || d === '/') break;
  }
  return [...new Set(out)];
}

function imagesUnder(dir: string, skip: (rel: string) => boolean, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = posix(path.relative(MINIPROGRAM_ROOT, full));
    if (skip(rel) || entry.name === 'node_modules') continue;
    if (entry.isDirectory()) imagesUnder(full, skip, out);
    else if (IMAGE.test(entry.name)) out.push(rel);
  }
  return out;
}

export function miniprogramSizes(): PackageSize[] {
  const app = readJson<AppJson>(path.join(MINIPROGRAM_ROOT, 'app.json'));
  const subs = app.subPackages ?? app.subpackages ?? [];
  const tree = new ShippedTree();
  const inSub = (v: string) => subs.find((s) => v === s.root || v.startsWith(`${s.root.replace(/\/+$/, '')}/`));

  // Everything the main package's pages and the app use.
  const mainWalk = new Walker(tree);
  mainWalk.component('app');
  mainWalk.add(app.sitemapLocation ?? 'sitemap.json');
  for (const spec of Object.values(app.usingComponents ?? {})) {
    mainWalk.component(spec.startsWith('/') ? join('', spec) : spec.startsWith('.') ? join('', spec) : `miniprogram_npm/${spec}`);
  }
  for (const page of app.pages) mainWalk.component(page);
  for (const item of app.tabBar?.list ?? [])
    for (const icon of [item.iconPath, item.selectedIconPath]) if (icon && tree.exists(icon)) mainWalk.add(icon);

  // Everything each subpackage's pages use (some of it lies in the main package).
  const subWalks = subs.map((s) => {
    const walk = new Walker(tree);
    for (const page of s.pages) walk.component(join(s.root, page));
    return walk;
  });

  const all = new Map<string, number>(mainWalk.files);
  for (const w of subWalks) for (const [f, b] of w.files) all.set(f, b);
  for (const img of imagesUnder(MINIPROGRAM_ROOT, (rel) => rel === 'miniprogram_npm')) all.set(img, tree.read(img).bytes);

  const packages: PackageSize[] = [
    { name: 'main', root: '', pages: [...app.pages], bytes: 0, files: [], npmBytes: 0, npmSubpackageOnlyBytes: 0 },
    ...subs.map((s) => ({
      name: s.name ?? s.root,
      root: s.root,
      pages: s.pages.map((p) => join(s.root, p)),
      bytes: 0,
      files: [] as FileSize[],
      npmBytes: 0,
      npmSubpackageOnlyBytes: 0,
    })),
  ];
  for (const [file, bytes] of [...all].sort(([a], [b]) => a.localeCompare(b))) {
    const sub = inSub(file);
    const pkg = sub ? packages[subs.indexOf(sub) + 1] : packages[0];
    pkg.bytes += bytes;
    pkg.files.push({ path: file.replace(/\.ts$/, '.js'), bytes });
    if (file.startsWith('miniprogram_npm/')) {
      pkg.npmBytes += bytes;
      if (!mainWalk.files.has(file)) pkg.npmSubpackageOnlyBytes += bytes;
    }
  }
  return packages;
}
