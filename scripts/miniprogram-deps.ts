// The npm packages the mini-program's own code uses: bare imports in miniprogram/**/*.ts|js
// (`import type` ships nothing and is left out) and npm-style usingComponents in its .json files
// (`tdesign-miniprogram/button/button` → tdesign-miniprogram). miniprogram/package.json must list
// exactly these (tests/cloud/devtools.test.ts); scripts/build-miniprogram-npm.ts refuses otherwise.
import fs from 'fs';
import path from 'path';

const packageOf = (spec: string): string => {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
};

/** Is a usingComponents value an npm package path (not a relative, absolute or plugin path)? */
const isNpmComponent = (spec: string): boolean => !/^(\.|\/|plugin:\/\/|plugin-private:\/\/)/.test(spec);

export function importedPackages(dir: string, found = new Set<string>()): Set<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'miniprogram_npm' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      importedPackages(full, found);
    } else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      const source = fs.readFileSync(full, 'utf8');
      const re = /(?:^|[^.\w])(?:import\s+(?!type\b)[^'"]*?from\s*|import\s*|require\s*\(\s*)['"]([^'"./][^'"]*)['"]/g;
      for (let m = re.exec(source); m; m = re.exec(source)) found.add(packageOf(m[1]));
    } else if (entry.name.endsWith('.json') && entry.name !== 'package.json') {
      const json = JSON.parse(fs.readFileSync(full, 'utf8')) as { usingComponents?: Record<string, string> };
      for (const spec of Object.values(json.usingComponents ?? {}))
        if (typeof spec === 'string' && isNpmComponent(spec)) found.add(packageOf(spec));
    }
  }
  return found;
}
