// Voice orders (docs/orders.md, "Voice orders"): orders.create takes a recording the caller
// uploaded instead of a description; only their own upload, existing, audio, within size and
// length; WeChat's asynchronous audio check (mediaCheckAsync, the local stand-in) starts before
// anything is written and its pushed verdict decides who may play it. Worker and volunteer get a
// playable temporary address; a refused recording is played to nobody.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import { uploadPrefix } from '../../cloudfunctions/common/files';
import { sdkFor, startTestCloud, uploadAs, uploadVoiceAs, fixtureAudio } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';

let cloud: LocalCloud;
let orders: ReturnType<typeof caller<OrdersApi>>;

const WORKER = 'demo-worker';
const V2 = 'demo-volunteer-2';
const ELDER = 'demo-resident-1';
const R2 = 'demo-resident-2';
const R3 = 'demo-resident-3';

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  orders = caller<OrdersApi>(cloud, 'orders');
});
afterAll(() => cloud.close());
beforeEach(() => forgetLimits());

let seq = 0;
const rid = () => `voice-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

async function voiceOrder(openid = ELDER, file = fixtureAudio(), extra: Record<string, unknown> = {}) {
  const fileId = await uploadVoiceAs(cloud, openid, file);
  const res = await orders(openid, 'create', {
    serviceId: 'demo:errand',
    requestId: rid(),
    voice: { fileId, seconds: 12 },
    ...extra,
  } as never);
  return { fileId, order: data(res) };
}

async function playable(url: string | undefined): Promise<Buffer> {
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/uploads\/[0-9a-f]{16}\/voice\//);
  const res = await fetch(url!);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

test('an order by voice alone: checked by WeChat, then played to the worker, the volunteer and the elder', async () => {
  cloud.wechat.holdPushes = true;
  const checks = cloud.wechat.calls('security.mediaCheckAsync');
  const { order } = await voiceOrder();
  expect(cloud.wechat.calls('security.mediaCheckAsync')).toBe(checks + 1);
  expect(order.description).toBe('');
  expect(order.voiceSeconds).toBe(12);
  expect(order.voice).toMatchObject({ seconds: 12, check: 'checking', checkLabel: '语音内容检查中' });
  // The file id never leaves the server; the one who ordered hears it while it is checked.
  expect(JSON.stringify(order)).not.toContain('cloud://');
  await playable(order.voice!.url);

  // While WeChat checks: the worker hears it, a volunteer on duty in the hall does not yet.
  data(await orders(WORKER, 'release', { orderId: order._id }));
  expect(data(await orders(WORKER, 'get', { orderId: order._id })).voice?.url).toBeDefined();
  const hall = data(await orders(V2, 'get', { orderId: order._id }));
  expect(hall.voice).toMatchObject({ check: 'checking' });
  expect(hall.voice?.url).toBeUndefined();

  cloud.wechat.holdPushes = false;
  await cloud.wechat.releasePushes();
  const passed = data(await orders(V2, 'get', { orderId: order._id }));
  expect(passed.voice).toMatchObject({ check: 'pass', checkLabel: '' });
  const bytes = await playable(passed.voice!.url);
  expect(bytes.subarray(0, 3).toString('latin1')).toBe('ID3');

  // Grabbed: the assigned volunteer still hears it; the list shows it is a voice order.
  data(await orders(V2, 'accept', { orderId: order._id }));
  expect(data(await orders(V2, 'get', { orderId: order._id })).voice?.url).toBeDefined();
  const mine = data(await orders(ELDER, 'listMine', {}));
  expect(mine.items.find((o) => o._id === order._id)?.voiceSeconds).toBe(12);
});

test('a refused recording: nobody hears it, the one who ordered and the workers are told, once', async () => {
  const { order } = await voiceOrder(ELDER, fixtureAudio('refused.mp3'));
  await cloud.wechat.settled();
  for (const who of [ELDER, WORKER]) {
    const seen = data(await orders(who, 'get', { orderId: order._id }));
    expect(seen.voice).toMatchObject({ check: 'rejected', checkLabel: '语音未通过内容安全检查，已不能播放' });
    expect(seen.voice?.url).toBeUndefined();
  }
  const told = await sdkFor(cloud)
    .database()
    .collection('messages')
    .where({ type: 'order.voice_rejected', link: `/packages/orders/detail/index?id=${order._id}` })
    .limit(10)
    .get();
  expect((told.data as { openid: string }[]).map((m) => m.openid).sort()).toEqual([ELDER, WORKER].sort());
  const audit = await sdkFor(cloud)
    .database()
    .collection('audit')
    .where({ what: 'push.voiceCheck', target: `order:${order._id}` })
    .limit(5)
    .get();
  expect(audit.data).toHaveLength(1);
});

test('a push nobody started, or one sent by a resident, changes nothing; a repeated push is taken once', async () => {
  cloud.wechat.holdPushes = true;
  const { order } = await voiceOrder();
  const forged = {
    MsgType: 'event',
    Event: 'wxa_media_check',
    trace_id: 'made-up-trace',
    errcode: 0,
    result: { suggest: 'risky' },
  };
  const before = await snapshot();
  expect(await cloud.invoke('orders', forged, R2)).toEqual({ ok: true, data: { matched: false } });
  expect(await cloud.invoke('orders', forged)).toEqual({ ok: true, data: { matched: false } });
  expect(await snapshot()).toEqual(before);
  cloud.wechat.holdPushes = false;
  await cloud.wechat.releasePushes();
  expect(data(await orders(ELDER, 'get', { orderId: order._id })).voice?.check).toBe('pass');
  // The trace id is spent: nothing can turn the verdict afterwards.
  const stored = await sdkFor(cloud).database().collection('orders').doc(order._id).get();
  expect((stored.data as { voiceTraceId: unknown }[])[0].voiceTraceId).toBeNull();
});

test('a transcript goes with the recording; a description, a recording, or both — never neither', async () => {
  const fileId = await uploadVoiceAs(cloud, R2);
  const both = data(
    await orders(R2, 'create', {
      serviceId: 'demo:errand',
      requestId: rid(),
      description: '买菜',
      voice: { fileId, seconds: 5 },
      transcript: '帮我买两斤鸡蛋',
    }),
  );
  expect(both.description).toBe('买菜');
  expect(both.voice?.transcript).toBe('帮我买两斤鸡蛋');

  const before = await snapshot();
  const neither = await orders(R2, 'create', { serviceId: 'demo:errand', requestId: rid() });
  expect(errorCode(neither)).toBe('E_VALIDATION');
  expect(!neither.ok && neither.error.message).toContain('录一段语音');
  // The transcript is person-written text: the content check sees it.
  const risky = await orders(R2, 'create', {
    serviceId: 'demo:errand',
    requestId: rid(),
    voice: { fileId: await uploadVoiceAs(cloud, R2), seconds: 5 },
    transcript: '代开发票',
  });
  expect(errorCode(risky)).toBe('E_CONTENT_REJECTED');
  expect(!risky.ok && risky.error.message).toContain('语音文字');
  expect(await snapshot()).toEqual(before);
});

test('repeating a voice order answers the first; the same request id with another recording is a conflict', async () => {
  const fileId = await uploadVoiceAs(cloud, R2);
  const requestId = rid();
  const payload = { serviceId: 'demo:errand', requestId, voice: { fileId, seconds: 9 } };
  const [a, b] = await Promise.all([orders(R2, 'create', payload), orders(R2, 'create', payload)]);
  expect(data(a)._id).toBe(data(b)._id);
  const other = await orders(R2, 'create', { ...payload, voice: { fileId: await uploadVoiceAs(cloud, R2), seconds: 9 } });
  expect(errorCode(other)).toBe('E_CONFLICT');
});

describe('what may not be sent as a voice message, refused with nothing written', () => {
  test.each([
    ['someone else’s recording', async () => uploadVoiceAs(cloud, R3), 'E_FORBIDDEN', '只能发送自己录的语音，请重新录音'],
    [
      'a picture under the caller’s folder',
      async () => uploadAs(cloud, R2, 'order'),
      'E_VALIDATION',
      '语音需要先上传，请重新录音',
    ],
    [
      'a made-up id',
      async () => `cloud://local.bucket/${uploadPrefix(R2)}voice/madeupname1.mp3`,
      'E_VALIDATION',
      '语音已失效或上传没有完成，请重新录音',
    ],
    ['an https address', async () => 'https://evil.example/a.mp3', 'E_VALIDATION', undefined],
    [
      'a file that is no audio',
      async () => uploadVoiceAs(cloud, R2, require('path').join(__dirname, '../fixtures/pictures/done.png')),
      'E_VALIDATION',
      '所选文件不是语音，请重新录音',
    ],
    [
      'a file over 1 MB',
      async () => {
        const name = `big${Date.now().toString(36)}xyz.mp3`;
        const big = Buffer.concat([Buffer.from('ID3\x03\x00'), Buffer.alloc(1024 * 1024 + 10)]);
        return (await cloud.storage.put(`${uploadPrefix(R2)}voice/${name}`, big, R2)).fileID;
      },
      'E_VALIDATION',
      '语音太大了，请录 60 秒以内的语音',
    ],
  ])('%s', async (_what, make, code, message) => {
    const fileId = await make();
    const checks = cloud.wechat.calls('security.mediaCheckAsync');
    const before = await snapshot();
    const res = await orders(R2, 'create', { serviceId: 'demo:errand', requestId: rid(), voice: { fileId, seconds: 10 } });
    expect(errorCode(res)).toBe(code);
    if (message) expect(!res.ok && res.error.message).toBe(message);
    expect(await snapshot()).toEqual(before);
    expect(cloud.wechat.calls('security.mediaCheckAsync')).toBe(checks);
  });

  test('longer than 60 seconds, or no length', async () => {
    const fileId = await uploadVoiceAs(cloud, R2);
    for (const seconds of [61, 0, 2.5]) {
      const res = await orders(R2, 'create', { serviceId: 'demo:errand', requestId: rid(), voice: { fileId, seconds } });
      expect(errorCode(res)).toBe('E_VALIDATION');
    }
  });

  test('WeChat does not take the check: refused, nothing written (fail closed)', async () => {
    const fileId = await uploadVoiceAs(cloud, R2);
    cloud.wechat.failNext('security.mediaCheckAsync', { errcode: 45009, errmsg: 'reach max api daily quota limit' });
    const before = await snapshot();
    const res = await orders(R2, 'create', { serviceId: 'demo:errand', requestId: rid(), voice: { fileId, seconds: 10 } });
    expect(errorCode(res)).toBe('E_CONTENT_REJECTED');
    expect(!res.ok && res.error.message).toBe('暂时无法完成语音的内容安全检查，语音没有提交，请稍后再试');
    expect(await snapshot()).toEqual(before);
  });
});

test('erasing one’s data takes the recording with it: off the order and out of storage', async () => {
  const R4 = 'demo-resident-4';
  const { order, fileId } = await voiceOrder(R4);
  await cloud.wechat.settled();
  data(await cloud.invoke('member', { action: 'erase', payload: {} }, R4));
  const stored = (await sdkFor(cloud).database().collection('orders').doc(order._id).get()).data[0] as Record<string, unknown>;
  expect(stored.voice).toBeNull();
  expect(JSON.stringify(stored)).not.toContain(fileId);
  const gone = await sdkFor(cloud).getTempFileURL({ fileList: [fileId] });
  expect(gone.fileList[0].code).not.toBe('SUCCESS');
  expect(data(await orders(WORKER, 'get', { orderId: order._id })).voice).toBeUndefined();
});
