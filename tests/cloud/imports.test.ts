// The shape of the imports: no cycle anywhere (type-only imports count too: a cycle of types is
// still two modules that cannot be understood apart), and the common floor of the functions
// imports no domain.
import fs from 'fs';
import path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const TREES = ['cloudfunctions', 'local', 'miniprogram', 'scripts', 'tests'];
const SKIP = /(^|\/)(node_modules|miniprogram_npm|dist)(\/|$)/;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (SKIP.test(path.relative(ROOT, full))) return [];
    if (e.isDirectory()) return sources(full);
    return /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile() && candidate.endsWith('.ts')) return candidate;
  }
  return undefined;
}

const files = TREES.flatMap((t) => sources(path.join(ROOT, t)));
const graph = new Map<string, string[]>();
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const deps = new Set<string>();
  for (const m of text.matchAll(SPECIFIER)) {
    const target = resolve(file, m[1] ?? m[2] ?? m[3]);
    if (target) deps.add(target);
  }
  graph.set(file, [...deps]);
}
const rel = (f: string) => path.relative(ROOT, f);

test('the import graph covers the code', () => {
  expect(files.length).toBeGreaterThan(100);
  expect([...graph.values()].flat().length).toBeGreaterThan(300);
});

test('no import cycle', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const dep of graph.get(file) ?? []) {
      if (state.get(dep) === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), dep].map(rel).join(' → '));
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  expect(cycles).toEqual([]);
});

test('cloudfunctions/common imports nothing but common and the shared modules (and packages)', () => {
  const common = path.join(ROOT, 'cloudfunctions', 'common') + path.sep;
  const shared = path.join(ROOT, 'miniprogram', 'shared') + path.sep;
  const leaks = [...graph.entries()]
    .filter(([file]) => file.startsWith(common))
    .flatMap(([file, deps]) =>
      deps.filter((d) => !d.startsWith(common) && !d.startsWith(shared)).map((d) => `${rel(file)} → ${rel(d)}`),
    );
  expect(leaks).toEqual([]);
});

test('miniprogram/shared (run by the functions and the phone alike) imports only itself', () => {
  const shared = path.join(ROOT, 'miniprogram', 'shared') + path.sep;
  const leaks = [...graph.entries()]
    .filter(([file]) => file.startsWith(shared))
    .flatMap(([file, deps]) => deps.filter((d) => !d.startsWith(shared)).map((d) => `${rel(file)} → ${rel(d)}`));
  expect(leaks).toEqual([]);
  for (const file of graph.keys()) {
    if (file.startsWith(shared)) expect(fs.readFileSync(file, 'utf8')).not.toMatch(/\b(wx|process|require|Buffer)\b[.(]/);
  }
});

test('production code never imports tests, and functions never import the local cloud', () => {
  const bad = [...graph.entries()].flatMap(([file, deps]) =>
    deps
      .filter((d) => {
        const from = rel(file);
        const to = rel(d);
        if (!from.startsWith('tests/') && to.startsWith('tests/')) return true;
        return (from.startsWith('cloudfunctions/') || from.startsWith('miniprogram/')) && to.startsWith('local/');
      })
      .map((d) => `${rel(file)} → ${rel(d)}`),
  );
  expect(bad).toEqual([]);
});

test("no code imports a function's entry: the host loads each function, nothing imports it", () => {
  // cloudfunctions/<fn>/index.ts holds the action table and `main`; what other code needs lives in
  // the function's other modules (model, rules, sweep …). Tests reach a function through the local
  // cloud (fuzz.test.ts loads each entry by a computed path, which this graph does not see).
  const entry = /^cloudfunctions\/(?!common\/)[^/]+\/index\.ts$/;
  const bad = [...graph.entries()].flatMap(([file, deps]) =>
    deps.filter((d) => entry.test(rel(d))).map((d) => `${rel(file)} → ${rel(d)}`),
  );
  expect(bad).toEqual([]);
});
