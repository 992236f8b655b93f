// Renders every scene of tests/preview/scenes.ts with miniprogram-simulate against the real
// functions on a fresh, seeded local cloud and writes each as a self-contained HTML page, plus
// manifest.json, to $PREVIEW_OUT (default .preview/html). Run by scripts/preview.ts through
// scripts/preview/jest.config.js; $PREVIEW_SCENES (comma-separated names) renders only those.
import fs from 'fs';
import path from 'path';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { cmd, collection } from '../../cloudfunctions/common/db';
import { startTestCloud } from '../helpers/local';
import { MINIPROGRAM_ROOT, ROOT, cleanup, closeCloud, renderPage, wireCloud } from '../helpers/miniprogram';
import { pageHtml, type Chrome } from './html';
import { linkSteps } from './relations';
import { ELDER_SUFFIX } from './scene-types';
import { PREVIEW_NOW, SCENES, prepareOrders, prepareOthers, type Scene, type SceneContext } from './scenes';
import { prepareVotes } from './vote-scenes';
import { prepareTopics } from './topic-scenes';
import { prepareLedger } from './ledger-scenes';
import { prepareDesk } from './desk-scenes';
import { prepareProperty } from './property-scenes';
import { prepareFamily } from './family-scenes';
import { prepareVoice } from './voice-scenes';

export interface ManifestEntry {
  name: string;
  caption: string;
  route: string;
  openid: string;
  file: string;
}

const OUT = path.resolve(process.env.PREVIEW_OUT ?? path.join(ROOT, '.preview/html'));
const only = (process.env.PREVIEW_SCENES ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const exists = (scene: Scene) => fs.existsSync(path.join(MINIPROGRAM_ROOT, `${scene.route}.json`));
const wanted = SCENES.filter((s) => !only.length || only.includes(s.name));
const scenes = wanted.filter(exists);
const missing = wanted.filter((s) => !exists(s));

const CLOCK: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: [
    'nextTick',
    'setImmediate',
    'setTimeout',
    'setInterval',
    'clearTimeout',
    'clearInterval',
    'queueMicrotask',
    'hrtime',
    'performance',
  ],
};
const BASE = new Date(PREVIEW_NOW).getTime();

let cloud: LocalCloud;
const ctx = { ids: {} } as SceneContext;
const manifest: ManifestEntry[] = [];
/** What the current page did to the window: navigation bar title, tab bar badges. */
let chrome: Chrome = {};

type Callbacks = { success?: (r: unknown) => void; complete?: (r: unknown) => void };

/** The wx APIs these pages use beyond the harness's spies, recording what shows in the chrome. */
function installWindowApis() {
  const storage = new Map<string, unknown>();
  const badge = (index: number, text: string | undefined) => {
    chrome.badges ??= {};
    if (text === undefined) delete chrome.badges[index];
    else chrome.badges[index] = text;
  };
  const done = (o?: Callbacks) => {
    o?.success?.({ errMsg: 'ok' });
    o?.complete?.({ errMsg: 'ok' });
    return Promise.resolve({ errMsg: 'ok' });
  };
  Object.assign(wx, {
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    showShareMenu: done,
    makePhoneCall: done,
    previewImage: done,
    setNavigationBarTitle: (o: { title: string } & Callbacks) => {
      chrome.title = o.title;
      return done(o);
    },
    setTabBarBadge: (o: { index: number; text: string } & Callbacks) => (badge(o.index, o.text), done(o)),
    removeTabBarBadge: (o: { index: number } & Callbacks) => (badge(o.index, undefined), done(o)),
    showTabBarRedDot: (o: { index: number } & Callbacks) => (badge(o.index, ''), done(o)),
    hideTabBarRedDot: (o: { index: number } & Callbacks) => (badge(o.index, undefined), done(o)),
    // The voice form's recorder and player: nothing is recorded or played in a screenshot.
    getRecorderManager: () => ({
      start: () => undefined,
      stop: () => undefined,
      onStop: () => undefined,
      onError: () => undefined,
    }),
    createInnerAudioContext: () => ({
      src: '',
      play: () => undefined,
      stop: () => undefined,
      destroy: () => undefined,
      onEnded: () => undefined,
      onError: () => undefined,
    }),
    requestSubscribeMessage: (o: { tmplIds: string[]; success?: (r: unknown) => void }) => {
      const res: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
      for (const id of o.tmplIds) res[id] = 'reject';
      o.success?.(res);
      return Promise.resolve(res);
    },
  });
}

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  jest.setSystemTime(BASE);
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wireCloud(cloud);
  Object.assign(ctx, {
    cloud,
    at: (minutes: number) => jest.setSystemTime(BASE + minutes * 60_000),
    async invoke(fn: string, action: string, payload: unknown, openid: string) {
      const res = await cloud.invoke(fn, { action, payload }, openid);
      if (!res.ok) throw new Error(`${fn}.${action} as ${openid}: ${res.error.code} ${res.error.message}`);
      return res.data;
    },
  });
  await prepareOrders(ctx);
  await prepareOthers(ctx);
  await prepareVotes(ctx);
  await prepareTopics(ctx);
  await prepareLedger(ctx);
  await prepareDesk(ctx);
  await prepareProperty(ctx);
  await prepareFamily(ctx);
  await prepareVoice(ctx);
  fs.mkdirSync(OUT, { recursive: true });
});

afterAll(async () => {
  fs.writeFileSync(
    path.join(OUT, 'manifest.json'),
    JSON.stringify({ now: PREVIEW_NOW, pages: manifest, missing: missing.map((s) => s.route) }, null, 2),
  );
  await closeCloud(cloud);
  jest.useRealTimers();
});

beforeEach(() => {
  chrome = {};
  installWindowApis();
});
afterEach(cleanup);

if (missing.length) {
  // Pages not written yet are listed in the manifest and left out of the run.
  console.warn(`preview: not in the mini-program yet: ${missing.map((s) => s.route).join(', ')}`);
}

/**
 * Sets 长辈模式 for `openid` (each membership, as if they had switched it; written straight to the
 * store so no audit entry shows on the audit page) and on the phone; answers the undo. The plain
 * render has it off — 赵秀兰 (高龄) would otherwise have it on by default — the `-elder` one on.
 */
async function elderFor(openid: string, on: boolean): Promise<() => Promise<void>> {
  wx.setStorageSync('elderMode', on ? 'on' : 'off');
  const docs = (await collection('members').where({ openid }).limit(20).get()).data as { _id: string; elderMode?: string }[];
  for (const d of docs)
    await collection('members')
      .doc(d._id)
      .update({ elderMode: on ? 'on' : 'off' });
  return async () => {
    for (const d of docs)
      await collection('members')
        .doc(d._id)
        .update({ elderMode: d.elderMode ?? cmd().remove() });
  };
}

const runs = scenes.flatMap((s) => [[s.name, s, false] as const, [`${s.name}${ELDER_SUFFIX}`, s, true] as const]);

test.each(runs)('%s', async (name, scene, elder) => {
  ctx.at(0);
  const undo = await elderFor(scene.openid, elder);
  try {
    await renderScene(name, scene);
  } finally {
    await undo();
  }
});

async function renderScene(name: string, scene: Scene) {
  const page = await renderPage(scene.route, { openid: scene.openid, query: scene.query?.(ctx) ?? {} });
  await scene.interact?.(page);
  linkSteps((page.comp as unknown as { _exparserNode: Parameters<typeof linkSteps>[0] })._exparserNode);
  const file = path.join(OUT, `${name}.html`);
  fs.writeFileSync(file, pageHtml(page, chrome));
  manifest.push({ name, caption: scene.caption, route: scene.route, openid: scene.openid, file: path.relative(OUT, file) });
  // The page showed something, not a load error.
  expect(page.text()).not.toBe('');
}
