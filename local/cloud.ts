// The local cloud: one HTTP server that answers @cloudbase/node-sdk's API under /tcb from an
// embedded persistent store, hosts the cloud functions under /functions/<name>, and runs their
// timer triggers; /storage/… serves cloud storage's files and uploads (local/storage-http.ts). Tests and
// `npm start` use startLocalCloud().
import fs from 'fs';
import http from 'http';
import path from 'path';
import type { AddressInfo } from 'net';
import { DataApi, type DataCallRecord } from './data-api';
import { DEFAULT_DATABASE_CONFIG, loadDatabaseConfig } from './database-config';
import { FunctionError, FunctionHost, LOCAL_ENV, type InvocationRecord } from './functions';
import { LocalStorage } from './storage';
import { storageHttp } from './storage-http';
import { lockDataDir } from './lock';
import { ObserveBuffer } from './observe';
import { Store } from './store';
import { depthOver, MAX_EVENT_DEPTH, parseMultipart, readBody, readRaw, safeJson, send } from './http';
import { WechatStandIn } from './wechat';
import { WebAuth } from './web-auth';
import type { ErrorCode, Result } from '../cloudfunctions/common/envelope';
import type { LocalCloud, LocalCloudOptions } from './cloud-types';

/** The function WeChat's `wxa_media_check` pushes go to (消息推送, docs/deploy.md). */
export const MEDIA_CHECK_PUSH_FUNCTION = 'orders';

export type { DataCallRecord, InvocationRecord, LocalCloud, LocalCloudOptions };

const DEFAULT_FUNCTIONS_DIR = path.resolve(__dirname, '../cloudfunctions');
const MAX_DATA_BODY = 10 * 1024 * 1024;
const MAX_FUNCTION_BODY = 1024 * 1024;
const OPENID = /^[A-Za-z0-9_-]{1,128}$/;

/** The gateway answers in the functions' own envelope, in Chinese, like every function does. */
const gatewayError = (code: ErrorCode, message: string) => ({ ok: false, error: { code, message } });

/** A name the caller sent, cut for a message. */
const cut = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

const FUNCTION_FAILURES: Record<FunctionError['code'], string> = {
  FUNCTION_NOT_FOUND: '没有这个云函数，请检查函数名',
  FUNCTION_TIMEOUT: '云函数运行超时，请稍后再试',
  FUNCTION_ERROR: '云函数运行出错，请稍后再试',
  FUNCTION_INVALID: '云函数没有导出 main，请检查它的 index.ts',
};

export async function startLocalCloud(opts: LocalCloudOptions): Promise<LocalCloud> {
  const log: (line: string) => void =
    typeof opts.log === 'function' ? opts.log : opts.log ? (line) => console.log(`[local-cloud] ${line}`) : () => undefined;
  const dataDir = path.resolve(opts.dataDir);
  const functionsDir = path.resolve(opts.functionsDir ?? DEFAULT_FUNCTIONS_DIR);
  const checkLatency = (ms: number) => {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`latencyMs must be >= 0, got ${ms}`);
    return ms;
  };
  let latencyMs = checkLatency(opts.latencyMs ?? 0);
  fs.mkdirSync(dataDir, { recursive: true });
  // Two processes appending to the same nedb files would corrupt them: one cloud per data dir.
  const lock = lockDataDir(dataDir);

  const store = new Store(dataDir, loadDatabaseConfig(opts.databaseConfig ?? DEFAULT_DATABASE_CONFIG), {
    compactEvery: opts.compactEvery,
  });
  try {
    await store.open();
  } catch (err) {
    lock.release();
    throw err;
  }
  const functions = new FunctionHost(functionsDir, log);
  try {
    functions.discover();
  } catch (err) {
    await store.close();
    lock.release();
    throw err;
  }
  let health: 'starting' | 'ready' | 'failed' = opts.ready ? 'starting' : 'ready';
  opts.ready?.then(
    () => {
      if (health === 'starting') health = 'ready';
    },
    () => {
      health = 'failed';
    },
  );
  const storage = new LocalStorage(dataDir);
  const observer = opts.observeEndpoint ? new ObserveBuffer(opts.observe) : undefined;
  const observe = observer?.hooks ?? opts.observe;
  const api = new DataApi(store, functions, observe?.dataCall, storage);
  const wechat = new WechatStandIn();
  const webAuth = new WebAuth(
    LOCAL_ENV,
    opts.allowedOrigins ?? [],
    (name, event, web) => functions.invoke(name, event, { web, source: 'web' }),
    (body) => storage.action(body),
  );
  const onInvocation = observe?.invocation;
  if (onInvocation) functions.meter = { dataCalls: () => api.calls, report: onInvocation };

  const server = http.createServer((req, res) => {
    const started = Date.now();
    let label = '';
    res.on('finish', () =>
      log(`${req.method} ${(req.url ?? '').split('?')[0]}${label} ${res.statusCode} ${Date.now() - started}ms`),
    );
    handle(req, res, (l) => {
      label = l;
    }).catch((err: Error) => {
      log(`request failed: ${err.stack ?? err.message}`);
      if (!res.headersSent) send(res, 500, gatewayError('E_INTERNAL', '本地云出错了，请稍后再试'));
      else res.destroy();
    });
  });
  // Clients close an idle keep-alive socket first (the SDK's agent after 4.8 s, fetch after ~4 s):
  // a server closing at nearly the same moment resets a request sent on it, and under a busy
  // event loop both timers fire together.
  server.keepAliveTimeout = 30_000;

  const roundTrip = () => (latencyMs > 0 ? new Promise((resolve) => setTimeout(resolve, latencyMs)) : Promise.resolve());

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, setLabel: (l: string) => void): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://local').pathname;
    if (await webAuth.handle(req, res, pathname)) return;
    if (pathname === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return send(res, 405, gatewayError('E_VALIDATION', '请用 GET 请求查看本地云的状态'));
      if (health !== 'ready') {
        const message =
          health === 'failed'
            ? '本地云启动失败，请查看运行 npm start 的终端里的报错'
            : '本地云正在启动、准备演示数据，请稍后再试';
        return send(res, 503, { ...gatewayError('E_INTERNAL', message), status: health });
      }
      return send(res, 200, { ok: true });
    }
    if (pathname === '/tcb' || pathname.startsWith('/tcb/')) {
      if (req.method !== 'POST') return send(res, 405, { code: 'INVALID_PARAM', message: 'use POST' });
      // Every SDK call costs a round trip, whatever its action (data, 云调用, storage).
      await roundTrip();
      const contentType = req.headers['content-type'] ?? '';
      if (contentType.startsWith('multipart/form-data')) return openApi(req, res, contentType, setLabel);
      const raw = await readBody(req, MAX_DATA_BODY);
      if (raw === undefined) return send(res, 413, { code: 'INVALID_PARAM', message: 'request body too large' });
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 200, { requestId: '', code: 'INVALID_PARAM', message: 'request body is not JSON' });
      }
      const b = body as { action?: unknown; collectionName?: unknown; function_name?: unknown };
      setLabel(
        ` ${String(b?.action ?? '')}${b?.collectionName ? `:${String(b.collectionName)}` : ''}${b?.function_name ? `:${String(b.function_name)}` : ''}`,
      );
      return send(res, 200, await api.handle(body));
    }
    if (pathname === '/observe' && observer && req.method === 'GET') return send(res, 200, observer.drain());
    // A benchmark in another process sets the SDK-call latency and runs a timer between its calls.
    if (pathname === '/observe/latency' && observer && req.method === 'POST') {
      const ms = Number((safeJson((await readBody(req, 1024)) ?? '') as { ms?: unknown } | undefined)?.ms);
      if (!Number.isFinite(ms) || ms < 0) return send(res, 400, { ok: false, error: 'body must be {"ms": <number >= 0>}' });
      latencyMs = ms;
      return send(res, 200, { ok: true, latencyMs });
    }
    const timerMatch = /^\/observe\/timer\/([^/]+)$/.exec(pathname);
    if (timerMatch && observer && req.method === 'POST') {
      const name = decodeURIComponent(timerMatch[1]);
      if (!functions.lookup(name)) return send(res, 404, { ok: false, error: `no function ${cut(name)}` });
      return send(res, 200, await functions.runTimer(name));
    }
    if (pathname === '/wechat/subscribe-sends' && req.method === 'GET')
      return send(res, 200, { items: wechat.sends.slice(-100).reverse() });
    if (pathname === '/wechat/group-cloudid' && req.method === 'POST') {
      const raw = await readBody(req, 4096);
      const openGId = raw === undefined ? undefined : (safeJson(raw) as { openGId?: unknown } | undefined)?.openGId;
      if (typeof openGId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(openGId))
        return send(res, 400, {
          ok: false,
          error: { code: 'E_VALIDATION', message: 'body must be {"openGId": "<letters, digits, - or _>"}' },
        });
      return send(res, 200, { cloudID: wechat.issueGroupCloudId(openGId) });
    }
    if (pathname === '/storage' || pathname.startsWith('/storage/')) {
      const header = req.headers['x-openid'];
      const openid = Array.isArray(header) ? header[0] : header;
      if (openid !== undefined && openid !== '' && !OPENID.test(openid)) {
        req.resume();
        return send(res, 400, { code: 'INVALID_PARAM', message: 'x-openid must be 1-128 letters, digits, - or _' });
      }
      await roundTrip(); // an upload or a download of a file is a round trip too
      if (await storageHttp(storage, req, res, pathname, openid || undefined)) return;
    }
    const fnMatch = /^\/functions\/([^/]+)\/?$/.exec(pathname);
    if (fnMatch) {
      if (req.method !== 'POST') return send(res, 405, gatewayError('E_VALIDATION', '请用 POST 请求调用云函数'));
      const name = decodeURIComponent(fnMatch[1]);
      if (!functions.lookup(name))
        return send(res, 404, gatewayError('E_NOT_FOUND', `没有名为「${cut(name)}」的云函数，请检查函数名`));
      const header = req.headers['x-openid'];
      const openid = Array.isArray(header) ? header[0] : header;
      if (openid !== undefined && openid !== '' && !OPENID.test(openid)) {
        return send(res, 400, gatewayError('E_VALIDATION', 'x-openid 只能由 1–128 个字母、数字、- 或 _ 组成'));
      }
      const raw = await readBody(req, MAX_FUNCTION_BODY);
      if (raw === undefined)
        return send(res, 413, gatewayError('E_VALIDATION', `请求内容超过 ${MAX_FUNCTION_BODY / 1024} KB，请精简后重试`));
      let event: unknown;
      try {
        event = raw.trim() === '' ? {} : JSON.parse(raw);
      } catch {
        return send(res, 400, gatewayError('E_VALIDATION', '请求内容不是有效的 JSON，请检查后重试'));
      }
      if (!event || typeof event !== 'object' || Array.isArray(event)) {
        return send(res, 400, gatewayError('E_VALIDATION', '请求内容应为 JSON 对象 { action, payload }'));
      }
      if (depthOver(event, MAX_EVENT_DEPTH)) {
        // Copying the event as JSON is recursive: thousands of levels would overflow the stack.
        return send(res, 400, gatewayError('E_VALIDATION', `请求内容嵌套超过 ${MAX_EVENT_DEPTH} 层，请检查后重试`));
      }
      try {
        const result = await functions.invoke(name, event, { openid: openid || undefined, source: 'http' });
        return send(res, 200, result);
      } catch (err) {
        if (err instanceof FunctionError) {
          log(`function ${cut(name)} failed: ${err.message}`); // the detail is for the developer's terminal
          const status = err.code === 'FUNCTION_NOT_FOUND' ? 404 : err.code === 'FUNCTION_TIMEOUT' ? 504 : 500;
          return send(res, status, gatewayError(status === 404 ? 'E_NOT_FOUND' : 'E_INTERNAL', FUNCTION_FAILURES[err.code]));
        }
        throw err;
      }
    }
    return send(res, 404, gatewayError('E_NOT_FOUND', `本地云没有这个地址：${req.method} ${cut(pathname)}`));
  }

  /** 云调用 (wx-server-sdk → node-sdk `callCompatibleWxOpenApi`): multipart in, protobuf out. */
  async function openApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    contentType: string,
    setLabel: (l: string) => void,
  ) {
    const raw = await readRaw(req, MAX_DATA_BODY);
    if (raw === undefined) return send(res, 413, { code: 'INVALID_PARAM', message: 'request body too large' });
    let parts: Map<string | undefined, Buffer>;
    try {
      parts = new Map(parseMultipart(raw, contentType).map((p) => [p.name, p.content]));
    } catch {
      return send(res, 200, { code: 'INVALID_PARAM', message: 'malformed multipart body' });
    }
    const action = parts.get('action')?.toString('utf8');
    const apiName = parts.get('apiName')?.toString('utf8') ?? '';
    setLabel(` ${action ?? ''}:${apiName}`);
    if (action !== 'wx.openApi')
      return send(res, 200, { code: 'INVALID_PARAM', message: `the local cloud does not answer ${action}` });
    let answer;
    try {
      answer = wechat.handle(apiName, parts.get('requestData') ?? Buffer.alloc(0));
    } catch {
      return send(res, 200, { code: 'INVALID_PARAM', message: 'requestData is not a CommApiData message' });
    }
    if (answer.kind === 'drop') return void res.destroy();
    if (answer.kind === 'json') return send(res, 200, answer.body);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': answer.body.length });
    res.end(answer.body);
  }

  const host = opts.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await store.close();
    lock.release();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  storage.baseUrl = url;
  webAuth.allowOrigin(url);
  // The environment's custom-login key, which only the desk function's settings hold in CloudBase.
  process.env.DESK_LOGIN_KEY = JSON.stringify(webAuth.loginKey);

  // What the functions' SDK talks to. The SDK also needs credentials outside CloudBase, or it
  // raises an unhandled rejection; any value does for the local cloud.
  process.env.TCB_SERVICE_URL = `${url}/tcb`;
  process.env.TCB_ENV = LOCAL_ENV;
  if (!process.env.TENCENTCLOUD_SECRETID) process.env.TENCENTCLOUD_SECRETID = 'local';
  if (!process.env.TENCENTCLOUD_SECRETKEY) process.env.TENCENTCLOUD_SECRETKEY = 'local';
  // Outside Tencent Cloud the SDK probes metadata.tencentyun.com (30 ms timeout) twice on every
  // call, which makes each call take ~65 ms once DNS stops failing fast. This tells it where it
  // "is"; with serviceUrl set it changes nothing else (the URL is ours either way).
  if (process.env.TENCENTCLOUD === undefined) process.env.TENCENTCLOUD = 'true';

  // WeChat's asynchronous media check: it fetches the temporary URL (our storage) and pushes the
  // verdict to the function 消息推送 is configured for (docs/deploy.md), with no caller's openid.
  wechat.readMedia = async (mediaUrl) => {
    const m = /\/storage\/([^?]+)/.exec(new URL(mediaUrl, url).pathname);
    if (!m || !mediaUrl.startsWith(url)) return undefined;
    return (await storage.read(decodeURIComponent(m[1])))?.content;
  };
  wechat.mediaPush = async (event) => {
    await functions.invoke(MEDIA_CHECK_PUSH_FUNCTION, event, { source: 'local' });
  };

  if (opts.timers) functions.startTimers();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      functions.stopTimers();
      wechat.mediaPush = undefined;
      await wechat.settled();
      await functions.drain(5000);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      try {
        await api.close();
        await store.close();
      } finally {
        lock.release();
      }
    })();
    return closing;
  };

  return {
    url,
    port,
    dataDir,
    storage,
    invoke: (name, event, openid) => {
      if (closing) return Promise.reject(new Error('the local cloud is closed'));
      return functions.invoke(name, event, { openid, source: 'local' }) as Promise<Result<unknown>>;
    },
    wechat,
    webAuth,
    runTimer: (name, triggerName) => {
      if (closing) return Promise.reject(new Error('the local cloud is closed'));
      return functions.runTimer(name, triggerName) as Promise<Result<unknown>>;
    },
    setLatency: (ms) => {
      latencyMs = checkLatency(ms);
    },
    close,
  };
}
