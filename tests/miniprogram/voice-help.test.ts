// Voice orders and 一键求助 through the pages, against the real functions on the local cloud. Only
// the phone's recorder and audio player are stand-ins (at the wx boundary): the recorder "records"
// the fixture mp3, which the page uploads through services/files.ts into the local cloud's storage.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { CLOCK, at } from '../helpers/clock';
import { fixtureAudio, startTestCloud, uploadVoiceAs } from '../helpers/local';
import {
  cleanup,
  closeCloud,
  installPhoneSpies,
  renderPage,
  settle,
  wireCloud,
  wxSpies,
  type CloudCall,
  type PageHandle,
} from '../helpers/miniprogram';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import { invokeData } from '../helpers/call';
import { forgetLimits } from '../helpers/limits';

const HOME = 'pages/home/index';
const VOICE = 'packages/orders/voice/index';
const DETAIL = 'packages/orders/detail/index';
const ELDER = 'demo-resident-1';
const R2 = 'demo-resident-2';
const WORKER = 'demo-worker';

let cloud: LocalCloud;
let wiring: ReturnType<typeof wireCloud>;
let calls: CloudCall[];
let phone: ReturnType<typeof installPhoneSpies>;

/** The phone's recorder: start/stop as WeChat's RecorderManager, "recording" the fixture file. */
function installRecorder(durationMs = 5000, file = fixtureAudio()) {
  let onStop: ((r: { tempFilePath: string; duration: number; fileSize: number }) => void) | undefined;
  const rec: {
    started: unknown[];
    stops: number;
    duration: number;
    start: jest.Mock;
    stop: jest.Mock;
    onStop: jest.Mock;
    onError: jest.Mock;
  } = {
    started: [] as unknown[],
    stops: 0,
    duration: durationMs,
    start: jest.fn((o: unknown): void => {
      rec.started.push(o);
    }),
    stop: jest.fn((): void => {
      rec.stops += 1;
      Promise.resolve().then(() => onStop?.({ tempFilePath: file, duration: rec.duration, fileSize: 8350 }));
    }),
    onStop: jest.fn((fn: typeof onStop) => (onStop = fn)),
    onError: jest.fn(),
  };
  const audio = { src: '', play: jest.fn(), stop: jest.fn(), destroy: jest.fn(), onEnded: jest.fn(), onError: jest.fn() };
  const w = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  w.getRecorderManager = jest.fn(() => rec);
  w.createInnerAudioContext = jest.fn(() => audio);
  return { rec, audio };
}

const touch = async (page: PageHandle, selector: string, event: string, y = 500) => {
  (page.comp.querySelector(selector) as unknown as { dispatchEvent(n: string, o: unknown): void }).dispatchEvent(event, {
    touches: event === 'touchend' ? [] : [{ x: 100, y }],
    changedTouches: [{ x: 100, y }],
  });
  await settle();
};

const created = () => calls.filter((c) => c.name === 'orders' && c.action === 'create');

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2030-01-07T09:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  wiring = wireCloud(cloud);
  calls = wiring.calls;
});
afterAll(async () => {
  await closeCloud(cloud);
  jest.useRealTimers();
});
beforeEach(async () => {
  phone = installPhoneSpies();
  calls.length = 0;
  await forgetLimits();
});
afterEach(() => cleanup());

describe('语音点单', () => {
  test('two taps: the service, then hold to speak — released, it sends itself after 3 seconds', async () => {
    const { rec } = installRecorder(7400);
    const page = await renderPage(VOICE, { openid: ELDER });
    await page.instance.onLoad({});
    await settle();
    expect(page.count('.service')).toBeGreaterThan(3);
    expect(page.text('#record')).toContain('按住 说话');

    await page.tap('#service-0'); // 1
    await touch(page, '#record', 'touchstart'); // 2: hold…
    expect(rec.start).toHaveBeenCalledWith(expect.objectContaining({ format: 'mp3', duration: 60000 }));
    expect(page.text('#record')).toContain('正在录音');
    await touch(page, '#record', 'touchend'); // …and let go
    expect(page.text('#review-title')).toBe('3 秒后自动发送');
    expect(page.text('#review')).toContain('语音 7″');

    await new Promise((r) => setTimeout(r, 3300));
    await settle();
    expect(created()).toHaveLength(1);
    const payload = created()[0].payload as { voice: { fileId: string; seconds: number }; description?: string };
    expect(payload.voice.seconds).toBe(7);
    expect(payload.voice.fileId).toMatch(/\/voice\/[A-Za-z0-9]+\.mp3$/);
    expect(payload.description).toBeUndefined();
    const url = wxSpies.redirectTo.mock.calls[0][0].url as string;
    expect(url).toMatch(/^\/packages\/orders\/detail\/index\?id=o_/);

    // The worker opens it and plays it.
    const orderId = decodeURIComponent(url.split('id=')[1]);
    await cloud.wechat.settled();
    const detail = await renderPage(DETAIL, { openid: WORKER });
    const { audio } = installRecorder();
    await detail.instance.onLoad({ id: orderId });
    await settle();
    expect(detail.text('#play-voice')).toBe('▶ 播放语音 7″');
    await detail.tap('#play-voice');
    expect(audio.play).toHaveBeenCalled();
    expect(audio.src).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/uploads\/[0-9a-f]{16}\/voice\//);
    expect(detail.text('#play-voice')).toContain('停止播放');
  }, 60_000);

  test('play back before sending, then send now; sliding up cancels; a slip is too short', async () => {
    const { rec, audio } = installRecorder(4000);
    const page = await renderPage(VOICE, { openid: ELDER });
    await page.instance.onLoad({ serviceId: 'demo:errand' });
    await settle();
    expect(page.text('#hint')).toBe('要办：代买代办');

    // Slide up while holding: cancelled, nothing sent.
    await touch(page, '#record', 'touchstart', 500);
    await touch(page, '#record', 'touchmove', 400);
    expect(page.text('#record')).toContain('松开手指，取消录音');
    await touch(page, '#record', 'touchend', 400);
    expect(page.exists('#review')).toBe(false);
    expect(page.text('#hint')).toContain('已取消');

    // Too short.
    rec.duration = 400;
    await touch(page, '#record', 'touchstart');
    await touch(page, '#record', 'touchend');
    expect(page.text('#hint')).toContain('说话时间太短');

    // Listen first (the countdown stops), then send.
    rec.duration = 4000;
    await touch(page, '#record', 'touchstart');
    await touch(page, '#record', 'touchend');
    await page.tap('#play');
    expect(audio.src).toBe(fixtureAudio());
    expect(page.text('#review-title')).toBe('录好了，可以发送');
    await new Promise((r) => setTimeout(r, 1200));
    expect(created()).toHaveLength(0);
    await page.tap('#send-now');
    expect(created()).toHaveLength(1);
    expect(wxSpies.redirectTo).toHaveBeenCalledTimes(1);
    expect(page.maxSetDataBytes()).toBeLessThan(10 * 1024);
  }, 60_000);

  test('holding before choosing a service asks for the service first', async () => {
    const { rec } = installRecorder();
    const page = await renderPage(VOICE, { openid: R2 });
    await page.instance.onLoad({});
    await settle();
    await touch(page, '#record', 'touchstart');
    expect(rec.start).not.toHaveBeenCalled();
    expect(page.text('#hint')).toBe('请先点一下上面要办的事，再按住说话');
  });
});

test('the usual order form: hold to speak instead of typing, listen, send without text', async () => {
  const { audio } = installRecorder(6200);
  const page = await renderPage('packages/orders/create/index', { openid: R2 });
  await page.instance.onLoad({ serviceId: 'demo:repair' });
  await settle();
  // Neither text nor voice: the form says both ways.
  await page.tap('#submit');
  expect(page.text('#description-error')).toContain('也可以按住按钮说');
  expect(page.text('#voice-hold')).toBe('不想打字？按住这里说');
  await touch(page, '#voice-hold', 'touchstart');
  expect(page.text('#voice-hold')).toContain('正在录音');
  await touch(page, '#voice-hold', 'touchend');
  expect(page.text('#voice-text')).toBe('语音 6″');
  await page.tap('#voice-play');
  expect(audio.play).toHaveBeenCalled();
  await page.tap('#submit');
  expect(created()).toHaveLength(1);
  const payload = created()[0].payload as { voice?: { seconds: number }; description?: string };
  expect(payload.voice?.seconds).toBe(6);
  expect(payload.description).toBeUndefined();
  expect((created()[0].result as { ok: boolean }).ok).toBe(true);
  expect(wxSpies.redirectTo.mock.calls[0][0].url).toMatch(/^\/packages\/orders\/detail\/index\?id=o_/);
}, 60_000);

describe('一键求助', () => {
  test('the elder: a big confirm, the urgent order, then the duty phone', async () => {
    const page = await renderPage(HOME, { openid: ELDER });
    await page.show();
    expect(page.text('#help')).toContain('一键求助');
    await page.tap('#help');
    expect(page.text('#help-confirm')).toBe('确定要求助吗？');
    await page.tap('#help-yes');
    expect(page.text('#help-text')).toContain('共 2 人');
    const help = calls.filter((c) => c.action === 'help');
    expect(help).toHaveLength(1);
    await page.tap('#call-duty');
    expect(phone.makePhoneCall).toHaveBeenCalledWith({ phoneNumber: '02888886666' });
    await page.tap('#help-order');
    expect(wxSpies.navigateTo.mock.calls[0][0].url).toMatch(/^\/packages\/orders\/detail\/index\?id=o_/);
  });

  test('不用了 sends nothing; 说话点单 and, in elder mode, a service open the voice form; a resident who is not an elder sees no help button', async () => {
    const elder = await renderPage(HOME, { openid: ELDER });
    await elder.show();
    await elder.tap('#help');
    await elder.tap('#help-no');
    expect(elder.exists('#help-sheet')).toBe(false);
    expect(calls.filter((c) => c.action === 'help')).toHaveLength(0);
    await elder.tap('#voice-order');
    expect(wxSpies.navigateTo.mock.calls[0][0].url).toBe('/packages/orders/voice/index');
    // Elder mode on (pageBehavior's elderStyle): a tapped service opens the voice form with it picked.
    elder.instance.setData({ elderStyle: '--text-zoom: 1.3; --text-min: 18px' });
    await elder.tap('#item-0');
    expect(wxSpies.navigateTo.mock.calls[1][0].url).toMatch(/^\/packages\/orders\/voice\/index\?serviceId=/);
    cleanup();

    const other = await renderPage(HOME, { openid: R2 });
    await other.show();
    expect(other.exists('#help')).toBe(false);
    await other.tap('#item-0');
    expect(wxSpies.navigateTo.mock.calls[0][0].url).toMatch(/^\/packages\/orders\/create\/index\?serviceId=/);
  });
});

test('the order detail: a voice order still being checked tells the volunteer why it does not play', async () => {
  cloud.wechat.holdPushes = true;
  try {
    const fileId = await uploadVoiceAs(cloud, ELDER);
    const input: OrdersApi['create']['input'] = {
      serviceId: 'demo:errand',
      requestId: `vh-${Date.now()}`,
      voice: { fileId, seconds: 3 },
    };
    const order = await invokeData(cloud, 'orders', 'create', input, ELDER);
    await invokeData(cloud, 'orders', 'release', { orderId: order._id }, WORKER);
    installRecorder();
    const page = await renderPage(DETAIL, { openid: 'demo-volunteer-2' });
    await page.instance.onLoad({ id: order._id });
    await settle();
    expect(page.exists('#play-voice')).toBe(false);
    expect(page.text('#voice-note')).toBe('语音 3″：语音内容检查中');
  } finally {
    cloud.wechat.holdPushes = false;
    await cloud.wechat.releasePushes();
  }
});
