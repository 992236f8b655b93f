// Bundles each cloud function into dist/cloudfunctions/<fn>/ (index.js + package.json +
// config.json): the folder CloudBase uploads. @cloudbase/node-sdk and wx-server-sdk stay external and are
// installed by the platform from the function's package.json. Prints each bundle's size.
import { build, type Plugin } from 'esbuild';
import fs from 'fs';
import path from 'path';

const root = path.resolve(__dirname, '..');
const src = path.join(root, 'cloudfunctions');
const out = path.join(root, 'dist', 'cloudfunctions');

export function functionNames(): string[] {
  return fs
    .readdirSync(src, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'common' && fs.existsSync(path.join(src, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

/**
 * zod re-exports every message locale (about 250 KB minified) through `z.locales`; the functions
 * never use them (messages are built in common/validation.ts), so the bundle gets an empty module.
 */
const dropZodLocales: Plugin = {
  name: 'drop-zod-locales',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: 'zod-locales', namespace: 'empty' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {}', loader: 'js' }));
  },
};

export async function buildFunction(name: string, outDir = out): Promise<{ name: string; bytes: number }> {
  const target = path.join(outDir, name);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  await build({
    plugins: [dropZodLocales],
    entryPoints: [path.join(src, name, 'index.ts')],
    outfile: path.join(target, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    external: ['@cloudbase/node-sdk', 'wx-server-sdk'],
    logLevel: 'warning',
  });
  for (const file of ['package.json', 'config.json']) {
    const from = path.join(src, name, file);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(target, file));
  }
  return { name, bytes: fs.statSync(path.join(target, 'index.js')).size };
}

async function buildAll(): Promise<void> {
  for (const name of functionNames()) {
    const { bytes } = await buildFunction(name);
    console.log(`${name.padEnd(10)} ${(bytes / 1024).toFixed(1).padStart(7)} KB  dist/cloudfunctions/${name}/index.js`);
  }
}

if (require.main === module) {
  buildAll().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
