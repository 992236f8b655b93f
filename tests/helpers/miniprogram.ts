// Test harness for mini-program pages: loads a real page (written with Component()) and the real
// tdesign components with miniprogram-simulate, wires wx.cloud.callFunction to a real cloud
// function and wx.cloud.uploadFile / getTempFileURL to the storage of the local cloud, and records
// every setData payload of the page.
//
//   const cloud = await startTestCloud();
//   wireCloud(cloud);
//   const page = await renderPage('pages/join/index', { query: { code }, openid: 'stranger-1' });
//   await page.input('#name-input', '王阿姨');
//   await page.tap('#submit');
//   expect(page.text()).toContain('等待社区审核');
//   expect(page.maxSetDataBytes()).toBeLessThan(100 * 1024);
//
// Every test that renders a page also fails when one of its setData payloads exceeds
// budgets.json's setDataBytes (an afterEach registered by importing this file), and the largest
// payload per page is written to dist/size/setdata/ for `npm run size`.
import fs from 'fs';
import http from 'http';
import path from 'path';
import simulate, { type RootComponent } from 'miniprogram-simulate';
import { cloudPathOf, type LocalStorage } from '../../local/storage';

export const ROOT = path.resolve(__dirname, '../..');
export const MINIPROGRAM_ROOT = path.join(ROOT, 'miniprogram');
export const TDESIGN_DIST = path.join(ROOT, 'node_modules/tdesign-miniprogram/miniprogram_dist');
const TDESIGN_PREFIX = 'tdesign-miniprogram/';

/* ------------------------------------------------------------------------------------------ */
/* wx: what cannot run here is a jest spy; wx.cloud goes to the real function.                */
/* ------------------------------------------------------------------------------------------ */

type Wx = typeof wx & Record<string, unknown>;
const wxAny = (): Wx => (globalThis as unknown as { wx: Wx }).wx;

const ok = (name: string, extra: Record<string, unknown> = {}) => ({ errMsg: `${name}:ok`, ...extra });

/** A jest spy standing in for an async wx API: answers in both callback and promise style. */
function asyncSpy(name: string, answer: (options: Record<string, unknown>) => Record<string, unknown> = () => ({})) {
  return jest.fn((options: Record<string, unknown> = {}) => {
    const res = ok(name, answer(options));
    const success = options.success as ((r: unknown) => void) | undefined;
    const complete = options.complete as ((r: unknown) => void) | undefined;
    return Promise.resolve().then(() => {
      success?.(res);
      complete?.(res);
      return res;
    });
  });
}

export interface WxSpies {
  navigateTo: jest.Mock;
  redirectTo: jest.Mock;
  switchTab: jest.Mock;
  reLaunch: jest.Mock;
  navigateBack: jest.Mock;
  showToast: jest.Mock;
  showModal: jest.Mock;
  showLoading: jest.Mock;
  hideLoading: jest.Mock;
  stopPullDownRefresh: jest.Mock;
}

/**
 * Replaces the WeChat UI and navigation APIs with fresh spies. showModal confirms with empty
 * content unless a test says otherwise (`wxSpies.showModal.mockResolvedValueOnce(...)`).
 */
export function installWxSpies(): WxSpies {
  const spies: WxSpies = {
    navigateTo: asyncSpy('navigateTo'),
    redirectTo: asyncSpy('redirectTo'),
    switchTab: asyncSpy('switchTab'),
    reLaunch: asyncSpy('reLaunch'),
    navigateBack: asyncSpy('navigateBack'),
    showToast: asyncSpy('showToast'),
    showModal: asyncSpy('showModal', () => ({ confirm: true, cancel: false, content: '' })),
    showLoading: asyncSpy('showLoading'),
    hideLoading: asyncSpy('hideLoading'),
    stopPullDownRefresh: asyncSpy('stopPullDownRefresh'),
  };
  Object.assign(wxAny(), spies);
  return spies;
}

export let wxSpies: WxSpies = installWxSpies();

/** A picture a test can "pick": wx.chooseMedia answers it by default. */
export const FIXTURE_PICTURE = path.join(ROOT, 'tests/fixtures/pictures/leak.png');

/**
 * The phone's other platform APIs the pages use: share menu, titles, tab badges, calls, image
 * preview, storage (fresh and empty), subscribe consent (every template accepted) and the media
 * picker (one fixture picture). Install in beforeEach; tests replace single spies where they need
 * another answer.
 */
export function installPhoneSpies() {
  const storage = new Map<string, unknown>();
  const spies = {
    chooseMedia: jest.fn(async (_options?: unknown) => ({
      tempFiles: [{ tempFilePath: FIXTURE_PICTURE, size: fs.statSync(FIXTURE_PICTURE).size, fileType: 'image' }],
      type: 'image',
      errMsg: 'chooseMedia:ok',
    })),
    showShareMenu: jest.fn(),
    setNavigationBarTitle: jest.fn(),
    setTabBarBadge: jest.fn(),
    removeTabBarBadge: jest.fn(),
    showTabBarRedDot: jest.fn(),
    hideTabBarRedDot: jest.fn(),
    makePhoneCall: jest.fn(),
    previewImage: jest.fn(),
    requestSubscribeMessage: jest.fn((o: { tmplIds: string[]; success?: (r: unknown) => void }) => {
      const res: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
      for (const id of o.tmplIds) res[id] = 'accept';
      o.success?.(res);
    }),
    getStorageSync: jest.fn((key: string) => (storage.has(key) ? storage.get(key) : '')),
    setStorageSync: jest.fn((key: string, value: unknown) => storage.set(key, value)),
  };
  Object.assign(wxAny(), spies);
  return spies;
}

/** What the harness needs of the local cloud (tests/helpers/local.ts startTestCloud()). */
export interface InvokableCloud {
  invoke(name: string, event: { action: string; payload?: unknown }, openid?: string): Promise<unknown>;
  /** Cloud storage (local/storage.ts): where wx.cloud.uploadFile puts files. */
  storage?: Pick<LocalStorage, 'put' | 'stat' | 'tempFileURL'>;
}

export interface CloudCall {
  name: string;
  action: string;
  payload: unknown;
  openid: string | undefined;
  result?: unknown;
}

interface Wiring {
  cloud: InvokableCloud;
  openid: string | undefined;
  calls: CloudCall[];
}

let wiring: Wiring | undefined;
/** Cloud calls and HTTP requests still running; settle() waits for them. */
let inflight = 0;

const roundTrip = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

/**
 * Sends wx.cloud.callFunction to the real function through the local cloud, as `openid`
 * (the caller identity the platform would put in the context). Data crosses as JSON both
 * ways, and the answer comes back as `{ result }`, as WeChat resolves it.
 */
export function wireCloud(cloud: InvokableCloud, openid?: string): { calls: CloudCall[]; setOpenid(openid?: string): void } {
  const w: Wiring = { cloud, openid, calls: [] };
  wiring = w;
  const callFunction = jest.fn(async (options: WechatMiniprogram.IAnyObject) => {
    const { name, data, success, fail, complete } = options as {
      name: string;
      data?: { action: string; payload?: unknown };
      success?: (r: unknown) => void;
      fail?: (e: unknown) => void;
      complete?: (r: unknown) => void;
    };
    const event = roundTrip(data ?? { action: '' });
    const call: CloudCall = { name, action: event.action, payload: event.payload, openid: w.openid };
    w.calls.push(call);
    inflight += 1;
    try {
      const result = roundTrip(await w.cloud.invoke(name, event, w.openid));
      call.result = result;
      const res = { result, errMsg: 'cloud.callFunction:ok', requestID: `test-${w.calls.length}` };
      success?.(res);
      complete?.(res);
      return res;
    } catch (err) {
      const res = { errMsg: `cloud.callFunction:fail ${(err as Error).message}` };
      fail?.(res);
      complete?.(res);
      if (!fail && !complete) throw res;
      return res;
    } finally {
      inflight -= 1;
    }
  });
  /** A settled wx.cloud call: success/complete, or fail/complete (rejecting when neither is given). */
  const answer = async (name: string, options: WechatMiniprogram.IAnyObject, run: () => Promise<Record<string, unknown>>) => {
    const { success, fail, complete } = options as Record<string, ((r: unknown) => void) | undefined>;
    inflight += 1;
    try {
      const res = { ...(await run()), errMsg: `cloud.${name}:ok` };
      success?.(res);
      complete?.(res);
      return res;
    } catch (err) {
      const res = { errMsg: `cloud.${name}:fail ${(err as Error).message}` };
      fail?.(res);
      complete?.(res);
      if (!fail && !complete) throw res;
      return res;
    } finally {
      inflight -= 1;
    }
  };
  const storage = () => {
    if (!w.cloud.storage) throw new Error('this cloud has no storage');
    return w.cloud.storage;
  };
  /** Stores the test's local file (filePath) at cloudPath with the current openid as uploader. */
  const uploadFile = jest.fn((options: WechatMiniprogram.IAnyObject) =>
    answer('uploadFile', options, async () => {
      const { cloudPath, filePath } = options as { cloudPath: string; filePath: string };
      const meta = await storage().put(cloudPath, fs.readFileSync(filePath), w.openid ?? null);
      return { fileID: meta.fileID, statusCode: 200 };
    }),
  );
  const getTempFileURL = jest.fn((options: WechatMiniprogram.IAnyObject) =>
    answer('getTempFileURL', options, async () => {
      const list = (options as { fileList: (string | { fileID: string; maxAge?: number })[] }).fileList;
      const fileList = [];
      for (const item of list) {
        const fileID = typeof item === 'string' ? item : item.fileID;
        const cloudPath = cloudPathOf(fileID);
        const meta = cloudPath ? await storage().stat(cloudPath) : undefined;
        fileList.push(
          meta
            ? { fileID, tempFileURL: storage().tempFileURL(meta.cloudPath), maxAge: 86400, status: 0, errMsg: 'ok' }
            : { fileID, tempFileURL: '', maxAge: 0, status: -1, errMsg: 'STORAGE_FILE_NONEXIST' },
        );
      }
      return { fileList };
    }),
  );
  wxAny().cloud = { init: jest.fn(), callFunction, uploadFile, getTempFileURL } as unknown as typeof wx.cloud;
  return {
    calls: w.calls,
    setOpenid(next?: string) {
      w.openid = next;
    },
  };
}

/**
 * Runs `fn` with Node's own timers as the globals. Under jsdom, setTimeout answers a number, and
 * code written for Node (the local cloud calls `setTimeout(...).unref()` while closing) breaks.
 */
export async function withNodeTimers<T>(fn: () => Promise<T>): Promise<T> {
  const timers = require('timers') as typeof import('timers');
  const globals = globalThis as unknown as Record<string, unknown>;
  const names = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] as const;
  const saved = names.map((n) => globals[n]);
  names.forEach((n) => (globals[n] = timers[n]));
  try {
    return await fn();
  } finally {
    names.forEach((n, i) => (globals[n] = saved[i]));
  }
}

/** Closes a local cloud started in a jsdom test (see withNodeTimers). */
export const closeCloud = (cloud: { close(): Promise<void> } | undefined): Promise<void> =>
  cloud ? withNodeTimers(() => cloud.close()) : Promise.resolve();

/**
 * Makes wx.request a real HTTP client (Node's http), for the services' local-cloud switch
 * (`config.localCloud`), which POSTs to the local cloud's gateway instead of using wx.cloud.
 */
export function wireHttpRequest(): jest.Mock {
  const request = jest.fn((options: WechatMiniprogram.RequestOption) => {
    const body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data ?? {});
    const headers: Record<string, string | number> = { ...(options.header as Record<string, string>) };
    if ((options.method ?? 'GET') !== 'GET') headers['content-length'] = Buffer.byteLength(body);
    inflight += 1;
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      inflight -= 1;
      fn();
    };
    const req = http.request(options.url, { method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let data: unknown = text;
        if (options.dataType !== '其他') {
          try {
            data = JSON.parse(text);
          } catch {
            data = text;
          }
        }
        const result = { data, statusCode: res.statusCode ?? 0, header: res.headers, cookies: [], errMsg: 'request:ok' };
        finish(() => {
          (options.success as ((r: unknown) => void) | undefined)?.(result);
          (options.complete as ((r: unknown) => void) | undefined)?.(result);
        });
      });
    });
    req.on('error', (err: Error) => {
      const result = { errMsg: `request:fail ${err.message}` };
      finish(() => {
        (options.fail as ((r: unknown) => void) | undefined)?.(result);
        (options.complete as ((r: unknown) => void) | undefined)?.(result);
      });
    });
    req.end((options.method ?? 'GET') === 'GET' ? undefined : body);
    return { abort: () => req.destroy() };
  });
  wxAny().request = request as unknown as typeof wx.request;
  return request;
}

/**
 * Makes wx.uploadFile a real multipart upload over Node's http (the services' local-cloud switch
 * posts pictures to the local cloud's /storage/upload). `filePath` is a file on this machine.
 */
export function wireHttpUpload(): jest.Mock {
  const uploadFile = jest.fn((options: WechatMiniprogram.UploadFileOption) => {
    const boundary = `----harness${Date.now().toString(16)}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(options.formData ?? {}))
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${String(v)}\r\n`));
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${options.name}"; filename="${path.basename(options.filePath)}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      fs.readFileSync(options.filePath),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    const body = Buffer.concat(parts);
    const headers = {
      ...(options.header as Record<string, string>),
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': body.length,
    };
    inflight += 1;
    const req = http.request(options.url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        inflight -= 1;
        const result = { data: Buffer.concat(chunks).toString('utf8'), statusCode: res.statusCode ?? 0, errMsg: 'uploadFile:ok' };
        options.success?.(result as WechatMiniprogram.UploadFileSuccessCallbackResult);
        options.complete?.(result);
      });
    });
    req.on('error', (err: Error) => {
      inflight -= 1;
      const result = { errMsg: `uploadFile:fail ${err.message}` };
      options.fail?.(result);
      options.complete?.(result);
    });
    req.end(body);
    return { abort: () => req.destroy() };
  });
  wxAny().uploadFile = uploadFile as unknown as typeof wx.uploadFile;
  return uploadFile;
}

/** Waits until no cloud call is in flight and the resulting setData calls have run. */
export async function settle(timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let quiet = 0; quiet < 3;) {
    await simulate.sleep(inflight > 0 ? 5 : 0);
    quiet = inflight > 0 ? 0 : quiet + 1;
    if (Date.now() > deadline) throw new Error('settle(): cloud calls still in flight');
  }
}

/* ------------------------------------------------------------------------------------------ */
/* App and page stack                                                                           */
/* ------------------------------------------------------------------------------------------ */

interface Global {
  __app?: WechatMiniprogram.App.Instance<IAppOption>;
  __pages: WechatMiniprogram.IAnyObject[];
}
const g = globalThis as unknown as Global;

/** Runs miniprogram/app.ts once (App() is captured by tests/miniprogram/setup.ts) and its onLaunch. */
export function launchApp(): WechatMiniprogram.App.Instance<IAppOption> {
  if (!g.__app) {
    jest.isolateModules(() => {
      require(path.join(MINIPROGRAM_ROOT, 'app'));
    });
    const app = g.__app as WechatMiniprogram.App.Instance<IAppOption> | undefined;
    if (!app) throw new Error('miniprogram/app did not call App()');
    (app as unknown as { onLaunch?: (o: unknown) => void }).onLaunch?.({ path: 'pages/home/index', query: {}, scene: 1001 });
  }
  return g.__app!;
}

/* ------------------------------------------------------------------------------------------ */
/* Loading components                                                                           */
/* ------------------------------------------------------------------------------------------ */

const tdesignIds = new Map<string, string>();

function filesUnder(dir: string, ext: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'miniprogram_npm' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(full, ext, out);
    else if (entry.name.endsWith(ext)) out.push(path.relative(ROOT, full).replace(/\\/g, '/'));
  }
  return out;
}

let compileOptions:
  | { compiler: 'official'; rootPath: string; compilerOptions: { wxmlList: string[]; wxsList: string[]; maxBuffer: number } }
  | undefined;

/**
 * One official (wcc) compile for the project's templates and tdesign's together. wcc keeps its
 * expression tables in a page-wide `__WXML_GLOBAL__` keyed by file index, so two separate
 * compiles (one per root) overwrite each other's tables and render the wrong template.
 */
function officialCompile() {
  compileOptions ??= {
    compiler: 'official',
    rootPath: ROOT,
    compilerOptions: {
      wxmlList: [...filesUnder(MINIPROGRAM_ROOT, '.wxml'), ...filesUnder(TDESIGN_DIST, '.wxml')],
      wxsList: [...filesUnder(MINIPROGRAM_ROOT, '.wxs'), ...filesUnder(TDESIGN_DIST, '.wxs')],
      // wcc writes all the templates as one script to stdout: past the compiler's 1 MB default
      // buffer, spawnSync fails with ENOBUFS.
      maxBuffer: 64 * 1024 * 1024,
    },
  };
  return compileOptions;
}

/**
 * Registers a tdesign component from node_modules/tdesign-miniprogram/miniprogram_dist with the
 * official compiler (its templates use <wxs>, <import>, <template is>), once per test file.
 */
export function loadTdesign(spec: string, tagName: string): string {
  const rel = spec.slice(TDESIGN_PREFIX.length);
  const cached = tdesignIds.get(rel);
  if (cached) return cached;
  const id = loadIsolated(() => simulate.load(path.join(TDESIGN_DIST, rel), tagName, officialCompile()));
  tdesignIds.set(rel, id);
  return id;
}

/**
 * simulate require()s the component's js; a cached module would never call Component() again, so
 * each load runs in its own module registry. Not jest.resetModules(): that also dropped the cloud
 * functions, the SDK and the local cloud the test file had loaded, and the next cloud call then
 * evaluated them all again (a page test spent most of its CPU there; under load the first test
 * of a page file ran past its timeout).
 */
function loadIsolated(load: () => string): string {
  let id = '';
  jest.isolateModules(() => {
    id = load();
  });
  return id;
}

interface PageJson {
  usingComponents?: Record<string, string>;
}

const ownIds = new Map<string, string>();

/**
 * Maps a component's `usingComponents` to registered ids: tdesign tags to the tdesign
 * components, the project's own components (absolute `/components/x/index` from the
 * mini-program root, or relative to the json) to ids loaded the same way, depth first.
 * Each simulate.load() then loads exactly one file, so the ids it is handed never cycle.
 */
function usingIds(file: string, seen: string[]): Record<string, string> {
  const json = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as PageJson;
  const ids: Record<string, string> = {};
  for (const [tag, spec] of Object.entries(json.usingComponents ?? {})) {
    if (spec.startsWith(TDESIGN_PREFIX)) {
      ids[tag] = loadTdesign(spec, tag);
    } else if (spec.startsWith('plugin://') || spec.startsWith('weui-miniprogram/')) {
      throw new Error(`${path.relative(ROOT, file)}: the harness cannot load ${spec}`);
    } else {
      const target = spec.startsWith('/') ? path.join(MINIPROGRAM_ROOT, spec) : path.resolve(path.dirname(file), spec);
      ids[tag] = loadOwn(target, tag, seen);
    }
  }
  return ids;
}

function loadOwn(file: string, tagName: string, seen: string[] = []): string {
  const key = `${file}#${tagName}`;
  const cached = ownIds.get(key);
  if (cached) return cached;
  if (seen.includes(file))
    throw new Error(`usingComponents cycle: ${[...seen, file].map((f) => path.relative(ROOT, f)).join(' → ')}`);
  const usingComponents = usingIds(file, [...seen, file]);
  const id = loadIsolated(() => simulate.load(file, tagName, { ...officialCompile(), usingComponents }));
  ownIds.set(key, id);
  return id;
}

/** Loads a page by its route (`pages/join/index`) with its tdesign and own components. */
export function loadPage(route: string): string {
  return loadOwn(path.join(MINIPROGRAM_ROOT, route), 'main');
}

/* ------------------------------------------------------------------------------------------ */
/* Rendering and driving a page                                                                 */
/* ------------------------------------------------------------------------------------------ */

/** j-component's root component; its typings leave out triggerPageLifeTime. */
type SimComponent = RootComponent<WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject, WechatMiniprogram.IAnyObject> & {
  triggerPageLifeTime(name: string, ...args: unknown[]): void;
};
type AnyNode = {
  dom?: Element;
  instance?: WechatMiniprogram.IAnyObject;
  data?: WechatMiniprogram.IAnyObject;
  dispatchEvent(name: string, options?: { detail?: unknown }): void;
  querySelector(sel: string): AnyNode | undefined;
  querySelectorAll(sel: string): AnyNode[];
};

export interface RenderOptions {
  query?: Record<string, string>;
  /** Caller identity for the wired cloud from now on. */
  openid?: string;
}

export interface PageHandle {
  route: string;
  comp: SimComponent;
  /** The page's `this`. */
  instance: WechatMiniprogram.Component.TrivialInstance;
  /** The page's data right now. */
  readonly data: WechatMiniprogram.IAnyObject;
  /** Bytes of each setData payload the page made (JSON, UTF-8). */
  setDataSizes: number[];
  maxSetDataBytes(): number;
  /** Text of the whole page, or of the first node matching `selector`; whitespace collapsed. */
  text(selector?: string): string;
  /** Texts of every node matching `selector`. */
  texts(selector: string): string[];
  exists(selector: string): boolean;
  count(selector: string): number;
  /** Taps an element, or the inner control of a tdesign component (t-button …). */
  tap(selector: string, index?: number): Promise<void>;
  /** Types into a t-input (or a native input) as a person would. */
  input(selector: string, value: string, index?: number): Promise<void>;
  /** The page's tdesign toast: visible and message. */
  toast(): { visible: boolean; message: string };
  show(): Promise<void>;
  reachBottom(): Promise<void>;
  pullDownRefresh(): Promise<void>;
  detach(): void;
}

const rendered: PageHandle[] = [];

/* ------------------------------------------------------------------------------------------ */
/* setData budget (budgets.json): every test that renders a page fails when one payload is over */
/* ------------------------------------------------------------------------------------------ */

const SET_DATA_BUDGET = (JSON.parse(fs.readFileSync(path.join(ROOT, 'budgets.json'), 'utf8')) as { setDataBytes: number })
  .setDataBytes;
/** Where `npm run size` reads the largest payloads from (scripts/size.ts SETDATA_RECORD_DIR). */
const SET_DATA_RECORD_DIR = path.join(ROOT, 'dist', 'size', 'setdata');
/** Pages rendered by the current test (kept apart from `rendered`, which cleanup() empties). */
const measured: PageHandle[] = [];
/** Largest payload per route in this test file. */
const largest: Record<string, number> = {};

function recordLargest(): void {
  const testPath = expect.getState().testPath ?? 'unknown';
  const name = path.relative(ROOT, testPath).replace(/[\\/]/g, '__');
  fs.mkdirSync(SET_DATA_RECORD_DIR, { recursive: true });
  const file = path.join(SET_DATA_RECORD_DIR, `${name}.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(largest, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

/** The pages whose largest setData payload exceeds the budget, as `route: N bytes`. */
export function setDataOverBudget(
  pages: Pick<PageHandle, 'route' | 'maxSetDataBytes'>[],
  budget: number = SET_DATA_BUDGET,
): string[] {
  return pages.filter((p) => p.maxSetDataBytes() > budget).map((p) => `${p.route}: ${p.maxSetDataBytes()} bytes`);
}

// Registered by importing the harness, so it runs after every test of every page test file:
// records the largest payloads for `npm run size` and fails the test over the budget.
afterEach(() => {
  const pages = measured.splice(0);
  if (pages.length === 0) return;
  for (const page of pages) largest[page.route] = Math.max(largest[page.route] ?? 0, page.maxSetDataBytes());
  recordLargest();
  const over = setDataOverBudget(pages);
  if (over.length)
    throw new Error(`setData payload over the budget of ${SET_DATA_BUDGET} bytes (budgets.json): ${over.join('; ')}`);
});

const collapse = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

function domOf(node: AnyNode): Element | undefined {
  return node.dom;
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/**
 * Renders a page: launches the app once, loads the page with its tdesign components, records
 * setData sizes, calls onLoad(query) and onShow() like the framework, and waits for its calls.
 */
export async function renderPage(route: string, options: RenderOptions = {}): Promise<PageHandle> {
  launchApp();
  if (options.openid !== undefined) {
    if (!wiring) throw new Error('renderPage({ openid }) needs wireCloud() first');
    wiring.openid = options.openid;
  }
  const id = loadPage(route);
  const comp = simulate.render(id) as unknown as SimComponent;
  const parent = document.createElement('parent-wrapper');
  comp.attach(parent);
  const instance = comp.instance as unknown as WechatMiniprogram.Component.TrivialInstance & WechatMiniprogram.IAnyObject;
  const query = options.query ?? {};

  const sizes: number[] = [];
  const originalSetData = instance.setData.bind(instance);
  instance.setData = ((data: WechatMiniprogram.IAnyObject, callback?: () => void) => {
    sizes.push(byteLength(data));
    return originalSetData(data, callback);
  }) as typeof instance.setData;
  instance.route = route;
  instance.options = query;
  g.__pages.push(instance);

  const root = comp as unknown as AnyNode;
  const find = (selector: string, index = 0): AnyNode => {
    const nodes = root.querySelectorAll(selector);
    const node = nodes[index];
    if (!node) throw new Error(`${route}: no node matches ${selector}${index ? ` [${index}]` : ''}`);
    return node;
  };

  const textOf = (node: AnyNode): string => {
    const dom = domOf(node);
    if (dom) return collapse(dom.textContent);
    // A virtual-host tdesign component has no node of its own: read its root element, which
    // the rendered (composed) DOM shows with the slotted text in place.
    const prefix = node.instance?.data?.classPrefix as string | undefined;
    const inner = prefix ? node.querySelector(`.${prefix}`) : undefined;
    if (inner && domOf(inner)) return collapse(domOf(inner)!.textContent);
    return collapse(
      node
        .querySelectorAll('*')
        .map((n) => domOf(n)?.textContent ?? '')
        .join(' '),
    );
  };

  const handle: PageHandle = {
    route,
    comp,
    instance,
    get data() {
      return comp.data as WechatMiniprogram.IAnyObject;
    },
    setDataSizes: sizes,
    maxSetDataBytes: () => (sizes.length ? Math.max(...sizes) : 0),
    text(selector?: string) {
      if (!selector) return collapse(comp.dom?.textContent);
      const node = root.querySelector(selector);
      return node ? textOf(node) : '';
    },
    texts(selector: string) {
      return root.querySelectorAll(selector).map(textOf);
    },
    exists(selector: string) {
      return !!root.querySelector(selector);
    },
    count(selector: string) {
      return root.querySelectorAll(selector).length;
    },
    async tap(selector: string, index = 0) {
      const node = find(selector, index);
      if (domOf(node)) {
        node.dispatchEvent('tap');
      } else {
        const prefix = node.instance?.data?.classPrefix as string | undefined;
        const inner = prefix ? node.querySelector(`.${prefix}`) : undefined;
        if (!inner) throw new Error(`${route}: ${selector} has no tappable inner node`);
        inner.dispatchEvent('tap');
      }
      await settle();
    },
    async input(selector: string, value: string, index = 0) {
      const node = find(selector, index);
      const control = domOf(node)
        ? node
        : (node.querySelector('.t-input__control') ?? node.querySelector('.t-textarea__wrapper-inner'));
      if (!control) throw new Error(`${route}: ${selector} is not an input`);
      control.dispatchEvent('input', { detail: { value, cursor: value.length, keyCode: 0 } });
      await settle();
    },
    toast() {
      const node = root.querySelector('#t-toast');
      const data = (node?.instance?.data ?? {}) as { visible?: boolean; message?: string };
      return { visible: !!data.visible, message: data.message ?? '' };
    },
    async show() {
      comp.triggerPageLifeTime('show');
      await (instance as WechatMiniprogram.IAnyObject).onShow?.();
      await settle();
    },
    async reachBottom() {
      await (instance as WechatMiniprogram.IAnyObject).onReachBottom?.();
      await settle();
    },
    async pullDownRefresh() {
      await (instance as WechatMiniprogram.IAnyObject).onPullDownRefresh?.();
      await settle();
    },
    detach() {
      const at = g.__pages.indexOf(instance);
      if (at >= 0) g.__pages.splice(at, 1);
      comp.detach();
    },
  };
  rendered.push(handle);
  measured.push(handle);

  await (instance as WechatMiniprogram.IAnyObject).onLoad?.(query);
  await handle.show();
  return handle;
}

/** Detaches every rendered page and gives the next test fresh wx spies. Call in afterEach. */
export function cleanup(): void {
  while (rendered.length) rendered.pop()!.detach();
  g.__pages.length = 0;
  wxSpies = installWxSpies();
}

export { simulate };
