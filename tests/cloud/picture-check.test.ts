// The picture check as CloudBase runs it: an attached upload is read from storage and shown to
// WeChat's imgSecCheck (the local cloud's stand-in refuses the known test picture). A refused
// picture, one that is no picture or too large, and any unclear answer write nothing.
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { LocalCloud } from '../../local/cloud';
import type { Fault } from '../../local/wechat';
import { seedIfEmpty } from '../../local/seed';
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { ParkingApi } from '../../cloudfunctions/parking/api';
import { fixturePicture, startTestCloud, uploadAs } from '../helpers/local';
import { caller, data } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';

let cloud: LocalCloud;
let orders: ReturnType<typeof caller<OrdersApi>>;
let notices: ReturnType<typeof caller<NoticesApi>>;
let parking: ReturnType<typeof caller<ParkingApi>>;
let scratch: string;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  orders = caller<OrdersApi>(cloud, 'orders');
  notices = caller<NoticesApi>(cloud, 'notices');
  parking = caller<ParkingApi>(cloud, 'parking');
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pictures-'));
});
afterAll(async () => {
  await cloud.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const R2 = 'demo-resident-2';
const WORKER = 'demo-worker';
let seq = 0;
const rid = () => `pic-${++seq}-${Date.now()}`;
const error = (res: { ok: boolean; error?: { code: string; message: string } }) => (res.ok ? 'OK' : res.error);

/** A file written to the scratch folder, to upload as a picture. */
function scratchFile(name: string, bytes: Buffer): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, bytes);
  return file;
}

test('a clean picture is read and checked once, then attached', async () => {
  const photo = await uploadAs(cloud, R2, 'order');
  const before = cloud.wechat.calls('security.imgSecCheck');
  const order = data(
    await orders(R2, 'create', { serviceId: 'demo:repair', description: '水管漏水', requestId: rid(), photos: [photo] }),
  );
  expect(order.photos).toEqual([photo]);
  expect(cloud.wechat.calls('security.imgSecCheck') - before).toBe(1);
});

describe('the known test picture is refused everywhere a picture attaches, and nothing is written', () => {
  const refused = fixturePicture('refused.png');

  test('an order', async () => {
    const photos = [await uploadAs(cloud, R2, 'order'), await uploadAs(cloud, R2, 'order', refused)];
    const before = await snapshot();
    const res = await orders(R2, 'create', { serviceId: 'demo:repair', description: '水管漏水', requestId: rid(), photos });
    expect(error(res)).toEqual({ code: 'E_CONTENT_REJECTED', message: '第 2 张图片含有不当内容，请换一张' });
    expect(await snapshot()).toEqual(before);
  });

  test('a notice', async () => {
    const images = [await uploadAs(cloud, WORKER, 'notice', refused)];
    const before = await snapshot();
    const res = await notices(WORKER, 'post', { title: '楼道清理', body: '周六上午清理楼道杂物。', category: '通知', images });
    expect(error(res)).toEqual({ code: 'E_CONTENT_REJECTED', message: '图片含有不当内容，请换一张' });
    expect(await snapshot()).toEqual(before);
  });

  test('a parking spot', async () => {
    const photo = await uploadAs(cloud, R2, 'spot', refused);
    const before = await snapshot();
    const res = await parking(R2, 'registerSpot', { code: 'B2-777', location: '地下二层', photo });
    expect(error(res)).toMatchObject({ code: 'E_CONTENT_REJECTED' });
    expect(await snapshot()).toEqual(before);
  });
});

test('what is no picture, or is over the check’s 1 MB, is refused with what to do', async () => {
  const text = await uploadAs(cloud, R2, 'order', scratchFile('not-a-picture.png', Buffer.from('hello, not a picture')));
  const png = fs.readFileSync(fixturePicture());
  const large = await uploadAs(cloud, R2, 'order', scratchFile('large.png', Buffer.concat([png, Buffer.alloc(1024 * 1024)])));
  const before = await snapshot();
  for (const [photo, message] of [
    [text, '所选文件不是图片，请重新选择'],
    [large, '图片太大了，请选择 1 MB 以内的图片'],
  ]) {
    const res = await orders(R2, 'create', {
      serviceId: 'demo:repair',
      description: '水管漏水',
      requestId: rid(),
      photos: [photo],
    });
    expect(error(res)).toEqual({ code: 'E_VALIDATION', message });
  }
  expect(await snapshot()).toEqual(before);
});

test.each<[string, Fault]>([
  ['a WeChat errcode (45009, daily quota)', { errcode: 45009 }],
  ['no 云调用 permission (-604101)', { errorCode: -604101 }],
  ['a dropped connection', { network: true }],
])('%s: fail closed, nothing written', async (_, fault) => {
  const photo = await uploadAs(cloud, R2, 'order');
  const before = await snapshot();
  cloud.wechat.failNext('security.imgSecCheck', fault);
  const res = await orders(R2, 'create', {
    serviceId: 'demo:repair',
    description: '水管漏水',
    requestId: rid(),
    photos: [photo],
  });
  expect(error(res)).toEqual({ code: 'E_CONTENT_REJECTED', message: '暂时无法完成内容安全检查，内容没有提交，请稍后再试' });
  expect(await snapshot()).toEqual(before);
});
