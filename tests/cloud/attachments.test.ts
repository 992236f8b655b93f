// Pictures attach only when the caller uploaded them: orders (create, complete), notices (post,
// update) and parking spots (registerSpot) take a picture the caller uploaded, and refuse someone
// else's, a made-up id, an https address and a deleted file without writing anything.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { ParkingApi } from '../../cloudfunctions/parking/api';
import { uploadPrefix } from '../../cloudfunctions/common/files';
import { sdkFor, startTestCloud, uploadAs } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';

let cloud: LocalCloud;
let orders: ReturnType<typeof caller<OrdersApi>>;
let notices: ReturnType<typeof caller<NoticesApi>>;
let parking: ReturnType<typeof caller<ParkingApi>>;
let member: ReturnType<typeof caller<MemberApi>>;

const WORKER = 'demo-worker';
const V1 = 'demo-volunteer-1';
const R2 = 'demo-resident-2';
const R3 = 'demo-resident-3';

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  orders = caller<OrdersApi>(cloud, 'orders');
  notices = caller<NoticesApi>(cloud, 'notices');
  parking = caller<ParkingApi>(cloud, 'parking');
  member = caller<MemberApi>(cloud, 'member');
});
afterAll(() => cloud.close());

let seq = 0;
const rid = () => `att-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

async function deleted(openid: string, kind: 'order' | 'notice' | 'spot'): Promise<string> {
  const id = await uploadAs(cloud, openid, kind);
  const res = await sdkFor(cloud).deleteFile({ fileList: [id] });
  expect(res.fileList[0].code).toBe('SUCCESS');
  return id;
}

/** The ids a caller may not attach, each with the code it is refused with. */
async function refusedFor(openid: string, kind: 'order' | 'notice' | 'spot'): Promise<[string, string, string][]> {
  const own = await uploadAs(cloud, openid, kind);
  return [
    ['someone else’s upload', await uploadAs(cloud, R3, kind), 'E_FORBIDDEN'],
    ['a made-up id under the caller’s own folder', `${own.slice(0, own.lastIndexOf('/') + 1)}madeupname.png`, 'E_VALIDATION'],
    ['a made-up id elsewhere', 'cloud://env-1.bucket/orders/leak.jpg', 'E_VALIDATION'],
    ['another environment’s id', own.replace('cloud://local.', 'cloud://prod-1a2b.'), 'E_VALIDATION'],
    ['an https address', 'https://evil.example/x.jpg', 'E_VALIDATION'],
    ['a deleted file', await deleted(openid, kind), 'E_VALIDATION'],
  ];
}

test("member.me answers the caller's upload folder, which gives nothing of the openid away", async () => {
  const me = data(await member(R2, 'me', {}))!;
  expect(me.uploadPrefix).toBe(uploadPrefix(R2));
  expect(me.uploadPrefix).toMatch(/^uploads\/[0-9a-f]{16}\/$/);
  expect(me.uploadPrefix).not.toContain(R2);
  expect(data(await member(R3, 'me', {}))!.uploadPrefix).not.toBe(me.uploadPrefix);
});

describe('orders', () => {
  test('a picture the resident uploaded goes with the order; the volunteer’s own with the completion', async () => {
    const photo = await uploadAs(cloud, R2, 'order');
    const order = data(
      await orders(R2, 'create', { serviceId: 'demo:repair', description: '水龙头漏水', requestId: rid(), photos: [photo] }),
    );
    expect(order.photos).toEqual([photo]);
    data(await orders(WORKER, 'dispatch', { orderId: order._id, volunteerOpenid: V1 }));
    data(await orders(V1, 'accept', { orderId: order._id }));
    data(await orders(V1, 'start', { orderId: order._id }));

    // The resident's picture is not the volunteer's to attach.
    const before = await snapshot();
    const borrowed = await orders(V1, 'complete', { orderId: order._id, note: '已修好', photos: [photo] });
    expect(errorCode(borrowed)).toBe('E_FORBIDDEN');
    expect(!borrowed.ok && borrowed.error.message).toBe('只能添加自己上传的图片，请重新选择图片');
    expect(await snapshot()).toEqual(before);

    const done = await uploadAs(cloud, V1, 'order');
    const completed = data(await orders(V1, 'complete', { orderId: order._id, note: '已修好', photos: [done] }));
    expect(completed.completion?.photos).toEqual([done]);
    expect(data(await orders(R2, 'get', { orderId: order._id })).completion?.photos).toEqual([done]);
  });

  test('create refuses what the caller did not upload, and writes nothing', async () => {
    for (const [what, id, code] of await refusedFor(R2, 'order')) {
      const before = await snapshot();
      const res = await orders(R2, 'create', { serviceId: 'demo:repair', description: '漏水', requestId: rid(), photos: [id] });
      expect([what, errorCode(res)]).toEqual([what, code]);
      expect(!res.ok && res.error.message).toMatch(/请重新选择图片$/);
      expect(await snapshot()).toEqual(before);
    }
  });

  test('complete refuses a deleted file and a made-up id, and the order stays in service', async () => {
    const order = data(await orders(R2, 'create', { serviceId: 'demo:repair', description: '灯不亮', requestId: rid() }));
    data(await orders(WORKER, 'dispatch', { orderId: order._id, volunteerOpenid: V1 }));
    data(await orders(V1, 'accept', { orderId: order._id }));
    data(await orders(V1, 'start', { orderId: order._id }));
    for (const id of [await deleted(V1, 'order'), 'cloud://env-1.bucket/orders/done.jpg']) {
      const before = await snapshot();
      const good = await uploadAs(cloud, V1, 'order');
      const res = await orders(V1, 'complete', { orderId: order._id, note: '已修好', photos: [good, id] });
      expect(errorCode(res)).toBe('E_VALIDATION');
      const after = await snapshot();
      expect(after).toEqual(before);
    }
    expect(data(await orders(R2, 'get', { orderId: order._id })).status).toBe('in_service');
  });
});

describe('notices', () => {
  const post = (openid: string, images: string[], extra: Partial<NoticesApi['post']['input']> = {}) =>
    notices(openid, 'post', { title: '楼道清理', body: '周六上午清理楼道杂物。', category: '通知', images, ...extra });

  test("a worker's own pictures post with the notice; anything else is refused and nothing is written", async () => {
    const image = await uploadAs(cloud, WORKER, 'notice');
    const notice = data(await post(WORKER, [image]));
    expect(notice.images).toEqual([image]);

    for (const [what, id, code] of await refusedFor(WORKER, 'notice')) {
      const before = await snapshot();
      const res = await post(WORKER, [image, id]);
      expect([what, errorCode(res)]).toEqual([what, code]);
      expect(await snapshot()).toEqual(before);
    }
  });

  test('an update keeps pictures already attached, even one no longer in storage, and checks new ones', async () => {
    const first = await uploadAs(cloud, WORKER, 'notice');
    const draft = data(await post(WORKER, [first], { draft: true }));
    // The file goes away later (cleaned up by hand): keeping it in an edit still works.
    await sdkFor(cloud).deleteFile({ fileList: [first] });
    const edit = (images: string[]) =>
      notices(WORKER, 'update', {
        noticeId: draft._id,
        title: '楼道清理（改）',
        body: '周日上午清理。',
        category: '通知',
        draft: true,
        images,
      });
    expect(data(await edit([first])).images).toEqual([first]);

    const before = await snapshot();
    expect(errorCode(await edit([first, await uploadAs(cloud, R3, 'notice')]))).toBe('E_FORBIDDEN');
    expect(await snapshot()).toEqual(before);

    const second = await uploadAs(cloud, WORKER, 'notice');
    expect(data(await edit([first, second])).images).toEqual([first, second]);
  });
});

describe('parking', () => {
  test("registerSpot takes the owner's own photo and refuses anything else without writing", async () => {
    const photo = await uploadAs(cloud, R2, 'spot');
    const spot = data(await parking(R2, 'registerSpot', { code: 'B2-888', location: '地下一层', photo }));
    expect(spot.photo).toBe(photo);
    // Claiming again with the same photo is fine.
    expect(data(await parking(R2, 'registerSpot', { code: 'B2-888', location: '地下一层', photo })).photo).toBe(photo);

    let n = 0;
    for (const [what, id, code] of await refusedFor(R2, 'spot')) {
      const before = await snapshot();
      const res = await parking(R2, 'registerSpot', { code: `B2-9${++n}`, location: '地下二层', photo: id });
      expect([what, errorCode(res)]).toEqual([what, code]);
      expect(await snapshot()).toEqual(before);
    }
  });
});
