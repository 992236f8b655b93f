// The console's (社区工作台) static files for `npm start` and the browser tests: dist/console/ as
// CloudBase static hosting would serve it, with a config.js pointing the web SDK at the local cloud,
// and one local-only control: POST /__local/scan?session=<id> confirms that login as the demo
// worker, standing in for the worker's scan and confirmation in the mini-program. The console runs
// on its own origin, which the cloud allows (its stand-in for the security domains).
import fs from 'fs';
import http from 'http';
import path from 'path';
import type { AddressInfo } from 'net';
import type { LocalCloud } from './cloud';
import { send } from './http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

export interface ConsoleServerOptions {
  /** The built console (npm run build:console). */
  dir: string;
  port?: number;
  host?: string;
  /** Who the simulated scan confirms as. Default demo-worker. */
  scanAs?: string;
}

export async function startConsoleServer(cloud: LocalCloud, opts: ConsoleServerOptions): Promise<ConsoleServer> {
  const dir = path.resolve(opts.dir);
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`${dir}/index.html is missing: run npm run build:console`);
  const apiHost = new URL(cloud.url).host;
  const config = `window.CONSOLE_CONFIG = ${JSON.stringify({ env: 'local', apiHost, local: true })};\n`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/__local/scan' && req.method === 'POST') {
      const sessionId = url.searchParams.get('session') ?? '';
      return void cloud
        .invoke('desk', { action: 'confirmLogin', payload: { sessionId } }, opts.scanAs ?? 'demo-worker')
        .then((answer) => send(res, 200, answer), () => send(res, 500, { ok: false }));
    }
    if (url.pathname === '/config.js') {
      res.writeHead(200, { 'content-type': TYPES['.js'], 'cache-control': 'no-store' });
      return void res.end(config);
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(dir, rel);
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile())
      return send(res, 404, { ok: false, error: 'not found' });
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`;
  cloud.webAuth.allowOrigin(url);
  // The same server opened as localhost is another origin to the browser.
  if (url.includes('//127.0.0.1:')) cloud.webAuth.allowOrigin(url.replace('//127.0.0.1:', '//localhost:'));
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
