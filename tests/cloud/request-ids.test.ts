// Client request ids (issue #14.3) through the real functions: in orders.create, parking.book and
// notices.post a repeat with the same body answers the first result; the same id with another body
// answers E_CONFLICT and writes nothing — one after the other and when both race.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { ParkingApi, PublishWindowInput } from '../../cloudfunctions/parking/api';
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import type { Result } from '../../cloudfunctions/common/envelope';
import { cmd, collection } from '../../cloudfunctions/common/db';
import { startTestCloud, uploadAs } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';
import { CLOCK, t } from '../helpers/parking';

const MON = '2030-01-07';
const TUE = '2030-01-08';

let cloud: LocalCloud;
let orders: ReturnType<typeof caller<OrdersApi>>;
let parking: ReturnType<typeof caller<ParkingApi>>;
let notices: ReturnType<typeof caller<NoticesApi>>;
let seq = 0;
const rid = () => `rid-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  jest.setSystemTime(new Date(t(MON, '07:00')));
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  orders = caller<OrdersApi>(cloud, 'orders');
  parking = caller<ParkingApi>(cloud, 'parking');
  notices = caller<NoticesApi>(cloud, 'notices');
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});
beforeEach(forgetLimits);

async function count(name: string, where: Record<string, unknown>): Promise<number> {
  return (await collection(name).where(where).count()).total;
}

/**
 * Sends `bodies` alternately, `times` calls at once, all under one request id; answers who won and
 * checks every answer: the winner's body gets the stored id, every other body E_CONFLICT.
 */
async function race<B>(
  send: (body: B) => Promise<Result<{ _id: string }>>,
  bodies: B[],
  stored: () => Promise<{ _id: string }[]>,
  times = 8,
): Promise<void> {
  const sent = Array.from({ length: times }, (_, i) => bodies[i % bodies.length]);
  const answers = await Promise.all(sent.map(send));
  const docs = await stored();
  expect(docs).toHaveLength(1);
  const winners = answers.map((a, i) => (a.ok ? sent[i] : null)).filter((b) => b !== null);
  expect(new Set(winners).size).toBe(1); // only one body was answered with a document
  answers.forEach((a, i) => {
    if (sent[i] === winners[0]) expect(data(a)._id).toBe(docs[0]._id);
    else {
      expect(errorCode(a)).toBe('E_CONFLICT');
      expect(refusal(a).message).toContain('请求编号已用于');
    }
  });
}

describe('orders.create', () => {
  const R = 'demo-resident-2';
  const create = (body: Partial<OrdersApi['create']['input']>, requestId: string, openid = R) =>
    orders(openid, 'create', { serviceId: 'demo:errand', description: '买菜', requestId, ...body });

  it('a repeat with the same body answers the first order, writing nothing', async () => {
    const requestId = rid();
    const photo = await uploadAs(cloud, R, 'order');
    const first = data(await create({ photos: [photo] }, requestId));
    const before = await snapshot();
    // `forOpenid` of oneself is the same as none.
    const again = data(await create({ photos: [photo], forOpenid: R }, requestId));
    expect(again._id).toBe(first._id);
    expect(await snapshot()).toEqual(before);
  });

  it('the same id with another body is E_CONFLICT, writing nothing', async () => {
    const requestId = rid();
    const first = data(await create({}, requestId));
    const before = await snapshot();
    const others: Partial<OrdersApi['create']['input']>[] = [
      { serviceId: 'demo:haircut' },
      { description: '买菜和水果' },
      { photos: [await uploadAs(cloud, R, 'order')] },
    ];
    for (const body of others) {
      const res = await create(body, requestId);
      expect(errorCode(res)).toBe('E_CONFLICT');
      expect(refusal(res).message).toBe(
        '这个请求编号已用于另一笔内容不同的订单。请先到“我的订单”查看上一笔是否已提交；确需再下一单，请重新提交',
      );
    }
    // A worker ordering for someone else under the id they first used for themselves.
    const mine = rid();
    data(await create({}, mine, 'demo-worker'));
    const snap = await snapshot();
    expect(errorCode(await create({ forOpenid: 'demo-resident-1' }, mine, 'demo-worker'))).toBe('E_CONFLICT');
    expect(await snapshot()).toEqual(snap);
    expect(data(await orders(R, 'get', { orderId: first._id })).description).toBe('买菜');
    expect(before.orders.length).toBe(snap.orders.length - 1);
    // Another caller's same id is another request.
    expect(data(await create({ description: '买药' }, requestId, 'demo-resident-3'))._id).not.toBe(first._id);
  });

  it('racing bodies under one id: one order, its body answered, the other refused', async () => {
    const requestId = rid();
    const texts = [`买菜${seq}`, `买米${seq}`];
    await race(
      (description) => create({ description }, requestId),
      texts,
      async () =>
        (
          await collection('orders')
            .where({ orderedBy: R, description: cmd().in(texts) })
            .get()
        ).data as never,
    );
    // The same body racing itself: one order, every answer that order.
    const again = rid();
    const answers = await Promise.all(Array.from({ length: 6 }, () => create({ description: '买牛奶' }, again)));
    expect(new Set(answers.map((a) => data(a)._id)).size).toBe(1);
  });
});

describe('parking.book', () => {
  const OWNER = 'demo-resident-2';
  const BOOKER = 'demo-resident-1';
  type Body = { start: string; end: string; plate: string };
  const usual: Body = { start: t(TUE, '08:00'), end: t(TUE, '10:00'), plate: '粤B12345' };
  const book = (spotId: string, body: Body, requestId: string) => parking(BOOKER, 'book', { spotId, ...body, requestId });

  let codes = 0;
  async function spot(): Promise<string> {
    const s = data(await parking(OWNER, 'registerSpot', { code: `RQ-${++codes}`, location: '地下一层' }));
    data(await parking('demo-worker', 'verifySpot', { spotId: s._id }));
    const window: PublishWindowInput = { spotId: s._id, weekdays: [1, 2, 3, 4, 5], from: '08:00', to: '20:00' };
    data(await parking(OWNER, 'publishWindow', window));
    return s._id;
  }

  it('the same body answers the first booking; another plate or range is E_CONFLICT, writing nothing', async () => {
    const spotId = await spot();
    const requestId = rid();
    const first = data(await book(spotId, usual, requestId));
    const before = await snapshot();
    // The plate as stored: lower case and spaces are the same plate.
    expect(data(await book(spotId, { ...usual, plate: '粤b 12345' }, requestId))._id).toBe(first._id);
    for (const other of [
      { ...usual, plate: '粤B54321' },
      { ...usual, end: t(TUE, '11:00') },
    ]) {
      const res = await book(spotId, other, requestId);
      expect(errorCode(res)).toBe('E_CONFLICT');
      expect(refusal(res).message).toContain('这个请求编号已用于另一笔预约（车位、时段或车牌不同）');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('racing bodies under one id: one booking, its body answered, the other refused', async () => {
    // Each race on its own day: the booker holds one spot at a time (docs/parking.md).
    const wed = { ...usual, start: t('2030-01-09', '08:00'), end: t('2030-01-09', '10:00') };
    const plates = await spot();
    const first = rid();
    await race(
      (plate) => book(plates, { ...wed, plate }, first),
      ['粤B11111', '粤B22222'],
      async () => (await collection('parking_bookings').where({ spotId: plates }).get()).data as never,
    );
    const ranges = await spot();
    const second = rid();
    await race(
      (end) => book(ranges, { ...usual, start: t('2030-01-10', '08:00'), end }, second),
      [t('2030-01-10', '10:00'), t('2030-01-10', '12:00')],
      async () => (await collection('parking_bookings').where({ spotId: ranges }).get()).data as never,
    );
    expect(await count('parking_slots', { spotId: ranges })).toBeGreaterThanOrEqual(4);
  });
});

describe('notices.post', () => {
  const W = 'demo-worker';
  type Input = NoticesApi['post']['input'];
  const post = (body: Partial<Input>, requestId: string) =>
    notices(W, 'post', { title: '停水通知', body: '周二上午检修水管。', category: '停水停电', requestId, ...body });

  it('the same body answers the first notice, even after the draft was edited; another body is E_CONFLICT', async () => {
    const requestId = rid();
    const first = data(await post({ buildings: ['2栋', '1栋', '2栋'], draft: true }, requestId));
    const before = await snapshot();
    // Buildings are a set: another order or a repeat is the same choice.
    expect(data(await post({ buildings: ['1栋', '2栋'], draft: true }, requestId))._id).toBe(first._id);
    for (const other of [{ title: '停电通知' }, { pinned: true }, { draft: false }, { buildings: ['1栋'] }] as Partial<Input>[]) {
      const res = await post({ buildings: ['1栋', '2栋'], draft: true, ...other }, requestId);
      expect(errorCode(res)).toBe('E_CONFLICT');
      expect(refusal(res).message).toContain('这个请求编号已用于另一条内容不同的通知');
    }
    expect(await snapshot()).toEqual(before);
    // The draft is edited; a late retry of the post still answers it, as it is now.
    data(
      await notices(W, 'update', {
        noticeId: first._id,
        title: '停水通知（改期）',
        body: '改到周三。',
        category: '停水停电',
        draft: true,
      }),
    );
    const late = data(await post({ buildings: ['1栋', '2栋'], draft: true }, requestId));
    expect(late).toMatchObject({ _id: first._id, title: '停水通知（改期）' });
  });

  it('racing bodies under one id: one notice, its body answered, the other refused', async () => {
    const requestId = rid();
    const titles = [`竞速甲${seq}`, `竞速乙${seq}`];
    await race(
      (title) => post({ title }, requestId),
      titles,
      async () =>
        (
          await collection('notices')
            .where({ title: cmd().in(titles) })
            .get()
        ).data as never,
    );
  });
});
