// npm run build:console — the console (社区工作台) as static files in dist/console/: index.html,
// config.js (which CloudBase environment; `npm start` serves its own pointing at the local cloud),
// assets/app.js and assets/app.css (React, TDesign React, @cloudbase/js-sdk's modular build: app,
// auth, functions), and assets/chunks/ for what loads on first use (statistics with ECharts, the
// street view, the Excel libraries). Prints each file's size, raw and gzipped (the README's size table).
import { build } from 'esbuild';
import fs from 'fs';
import path from 'path';
import { gzipSync } from 'zlib';

const root = path.resolve(__dirname, '..');
export const CONSOLE_OUT = path.join(root, 'dist', 'console');

export interface ConsoleFile {
  file: string;
  bytes: number;
  gzip: number;
}

/** config.js for a CloudBase environment (deploy) or the local cloud (`apiHost`, `local`). */
export function configJs(config: { env: string; region?: string; apiHost?: string; local?: boolean }): string {
  return `window.CONSOLE_CONFIG = ${JSON.stringify(config)};\n`;
}

export async function buildConsole(env = process.env.ENV_ID || 'local', out = CONSOLE_OUT): Promise<ConsoleFile[]> {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'assets'), { recursive: true });
  const result = await build({
    entryPoints: { app: path.join(root, 'console/src/main.tsx') },
    outdir: path.join(out, 'assets'),
    bundle: true,
    platform: 'browser',
    // ES modules with splitting: the statistics (ECharts) and the Excel libraries are chunks loaded on use.
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: 'es2020',
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file', '.png': 'file' },
    logLevel: 'warning',
    metafile: true,
  });
  // esbuild writes a lazy chunk's CSS beside it but does not load it: index.html names each one for
  // console/src/lazy.ts, which adds the stylesheet before the chunk renders.
  const lazyCss: Record<string, string> = {};
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    const name = meta.entryPoint && /console\/src\/(\w+)\.tsx$/.exec(meta.entryPoint)?.[1];
    if (name && meta.cssBundle && !file.endsWith('/app.js'))
      lazyCss[name] = './' + path.relative(out, path.resolve(root, meta.cssBundle)).split(path.sep).join('/');
  }
  const html = fs.readFileSync(path.join(root, 'console/index.html'), 'utf8');
  fs.writeFileSync(
    path.join(out, 'index.html'),
    html.replace('<!-- lazy-css -->', `<script>window.CONSOLE_LAZY_CSS = ${JSON.stringify(lazyCss)};</script>`),
  );
  fs.writeFileSync(path.join(out, 'config.js'), configJs({ env }));
  const files: ConsoleFile[] = [];
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) walk(full);
      else {
        const content = fs.readFileSync(full);
        files.push({ file: path.relative(out, full), bytes: content.length, gzip: gzipSync(content).length });
      }
    }
  };
  walk(out);
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

if (require.main === module) {
  buildConsole().then(
    (files) => {
      for (const f of files)
        console.log(
          `${f.file.padEnd(20)} ${(f.bytes / 1024).toFixed(1).padStart(8)} KB  gzip ${(f.gzip / 1024).toFixed(1).padStart(7)} KB`,
        );
      console.log(`dist/console/ ready (static files for CloudBase static hosting)`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
