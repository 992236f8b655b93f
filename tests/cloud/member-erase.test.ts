// member.erase through the real functions: a resident with orders (as orderer and as the one
// served), parking bookings, a spot with a photo, messages, notice receipts and audit entries
// erases their data; afterwards no collection of the store (found on disk, not listed here) and
// no stored file holds their name, phone, room, plate, pictures or openid, and the statistics
// (how many orders, bookings, points, reads) are what they were.
import fs from 'fs';
import path from 'path';
import type { LocalCloud, DataCallRecord } from '../../local/cloud';
import { seedIfEmpty, DEMO_INVITES } from '../../local/seed';
import { collection, findById } from '../../cloudfunctions/common/db';
import { VOLUNTEER_BOARDS, volunteerBoardId, type VolunteerBoardDoc } from '../../cloudfunctions/orders/counters';
import { startTestCloud, uploadAs } from '../helpers/local';
import { dayAfterTomorrowAt } from '../helpers/clock';
import { errorCode, invokeData, refusal } from '../helpers/call';
import { dateText } from '../../miniprogram/shared/clock';

const R = 'erase-resident';
const NAME = '钱小满';
const PHONE = '13911112222';
const ROOM = '东1208';
const PLATE = '粤B8E123';

let cloud: LocalCloud;
const calls: DataCallRecord[] = [];
let counting = false;

beforeAll(async () => {
  cloud = await startTestCloud({
    observe: {
      dataCall: (r) => {
        if (counting) calls.push(r);
      },
    },
  });
  await seedIfEmpty(cloud);
}, 30_000);
afterAll(() => cloud.close());

/** Every collection the store has on disk, with all its documents (through the SDK). */
async function everything(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const file of fs.readdirSync(cloud.dataDir).filter((f) => f.endsWith('.db'))) {
    const name = file.slice(0, -3);
    const all: unknown[] = [];
    for (let skip = 0; ; skip += 1000) {
      const res = await collection(name).orderBy('_id', 'asc').skip(skip).limit(1000).get();
      all.push(...res.data);
      if (res.data.length < 1000) break;
    }
    out[name] = all;
  }
  return out;
}

/** Every stored file's record and bytes, as text. */
function storageText(): string {
  const root = path.join(cloud.dataDir, 'storage');
  const parts: string[] = [];
  for (const dir of ['meta', 'objects']) {
    const full = path.join(root, dir);
    if (!fs.existsSync(full)) continue;
    for (const f of fs.readdirSync(full)) parts.push(fs.readFileSync(path.join(full, f)).toString('latin1'));
  }
  return parts.join('\n');
}

const counts = async () => ({
  orders: (await collection('orders').count()).total,
  bookings: (await collection('parking_bookings').count()).total,
  points: (await collection('points_ledger').count()).total,
  spots: (await collection('parking_spots').count()).total,
  readCount: ((await collection('notices').where({ _id: 'demo-notice-activity' }).get()).data[0] as { readCount: number })
    .readCount,
});

let files: string[] = [];

describe('a resident with a history erases their data', () => {
  it('builds the history', async () => {
    await invokeData(cloud, 'member', 'join', { inviteCode: DEMO_INVITES.autoApprove, name: NAME, room: ROOM, phone: PHONE }, R);
    // A worker verifies their room, and they confirm a family member who joins it: the relative's
    // proof names them.
    await invokeData(cloud, 'member', 'verifyHousehold', { openid: R, note: '查看房产证' }, 'demo-worker');
    await invokeData(
      cloud,
      'member',
      'join',
      { inviteCode: DEMO_INVITES.autoApprove, name: '钱多多', room: ROOM },
      'erase-relative',
    );
    const relative = await invokeData(cloud, 'member', 'confirmHousehold', { openid: 'erase-relative', confirm: true }, R);
    expect(relative.household).toMatchObject({ status: 'verified' });
    // An order of their own, with a picture and their phone in the description.
    const photo = await uploadAs(cloud, R, 'order');
    const own = await invokeData(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:repair', description: `${NAME}家水管漏水，电话${PHONE}`, requestId: 'erase-own-1', photos: [photo] },
      R,
    );
    // An order a worker placed for them, served to the end and rated.
    const forR = await invokeData(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:errand', description: '代买药品', requestId: 'erase-for-1', forOpenid: R },
      'demo-worker',
    );
    await invokeData(cloud, 'orders', 'dispatch', { orderId: forR._id, volunteerOpenid: 'demo-volunteer-1' }, 'demo-worker');
    await invokeData(cloud, 'orders', 'accept', { orderId: forR._id }, 'demo-volunteer-1');
    await invokeData(cloud, 'orders', 'start', { orderId: forR._id }, 'demo-volunteer-1');
    const done = await uploadAs(cloud, 'demo-volunteer-1', 'order');
    await invokeData(cloud, 'orders', 'complete', { orderId: forR._id, note: '已送到', photos: [done] }, 'demo-volunteer-1');
    await invokeData(cloud, 'orders', 'rate', { orderId: forR._id, stars: 5, comment: `谢谢，我是${NAME}` }, R);
    // A spot with a photo, verified, booked by a neighbour; and a booking of their own.
    const spotPhoto = await uploadAs(cloud, R, 'spot');
    const spot = await invokeData(
      cloud,
      'parking',
      'registerSpot',
      { code: 'E-1208', location: '地下二层', photo: spotPhoto },
      R,
    );
    await invokeData(cloud, 'parking', 'verifySpot', { spotId: spot._id }, 'demo-worker');
    await invokeData(
      cloud,
      'parking',
      'publishWindow',
      { spotId: spot._id, weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' },
      R,
    );
    await invokeData(
      cloud,
      'parking',
      'book',
      {
        spotId: spot._id,
        start: dayAfterTomorrowAt(10),
        end: dayAfterTomorrowAt(11),
        plate: '粤B12345',
        requestId: 'erase-nb-1',
      },
      'demo-resident-3',
    );
    const spots = await invokeData(cloud, 'parking', 'search', { start: dayAfterTomorrowAt(12), end: dayAfterTomorrowAt(13) }, R);
    expect(spots.items.length).toBeGreaterThan(0);
    await invokeData(
      cloud,
      'parking',
      'book',
      {
        spotId: spots.items[0].spotId,
        start: dayAfterTomorrowAt(12),
        end: dayAfterTomorrowAt(13),
        plate: PLATE,
        requestId: 'erase-own-b1',
      },
      R,
    );
    // A notice read, a tag set by a worker (audited), a message or two.
    await invokeData(cloud, 'notices', 'get', { noticeId: 'demo-notice-activity' }, R);
    await invokeData(cloud, 'member', 'setTags', { openid: R, tags: ['低保'] }, 'demo-worker');
    await invokeData(cloud, 'member', 'setElderMode', { openid: R, mode: 'on' }, 'demo-worker');
    // A topic they proposed with a picture, one they seconded and commented on (线上议事).
    const topicPhoto = await uploadAs(cloud, R, 'affairs');
    await invokeData(
      cloud,
      'affairs',
      'propose',
      {
        title: '单元门口装扶手',
        body: `${NAME}腿脚不便，住${ROOM}，电话${PHONE}`,
        images: [topicPhoto],
        requestId: 'erase-topic-1',
      },
      R,
    );
    const theirTopic = await invokeData(
      cloud,
      'affairs',
      'propose',
      { title: '加装充电桩', body: '楼道充电不安全', requestId: 'erase-topic-2' },
      'demo-resident-3',
    );
    await invokeData(cloud, 'affairs', 'second', { topicId: theirTopic._id }, R);
    await invokeData(cloud, 'affairs', 'comment', { topicId: theirTopic._id, text: `赞成，${NAME}`, requestId: 'erase-c-1' }, R);
    files = [photo, spotPhoto, topicPhoto];
    // 玻璃口袋: a question on an approved entry and a rating of a closed month (40 days ago is always an earlier month).
    await collection('members')
      .where({ _id: 'demo:demo-volunteer-3' })
      .update({ roles: ['resident', 'volunteer', 'worker'] });
    const day = dateText(Date.now() - 40 * 86400_000);
    const entry = await invokeData(
      cloud,
      'ledger',
      'record',
      { account: 'demo:public', direction: 'in', amountFen: 100, date: day, summary: '车位租金', requestId: 'erase-ledger-1' },
      'demo-worker',
    );
    await invokeData(cloud, 'ledger', 'approve', { entryId: entry._id }, 'demo-volunteer-3');
    await invokeData(cloud, 'ledger', 'ask', { entryId: entry._id, question: '哪个车位？' }, R);
    await invokeData(cloud, 'ledger', 'close', { month: day.slice(0, 7) }, 'demo-worker');
    await invokeData(cloud, 'ledger', 'rate', { month: day.slice(0, 7), stars: 4 }, R);

    // 房屋台账: as a worker for a moment, R imports a register file (the import log names them).
    await collection('members')
      .where({ _id: `demo:${R}` })
      .update({ roles: ['resident', 'worker'] });
    await invokeData(
      cloud,
      'affairs',
      'importPartRows',
      {
        importId: 'erase-import-1',
        fileName: '台账.xlsx',
        chunk: 1,
        chunks: 1,
        rows: [{ line: 2, building: '1栋', room: 'E-9', area: '50' }],
      },
      R,
    );
    await collection('members')
      .where({ _id: `demo:${R}` })
      .update({ roles: ['resident'] });

    const all = JSON.stringify(await everything());
    for (const secret of [NAME, PHONE, ROOM, PLATE, R, ...files]) expect(all).toContain(secret);
    expect(storageText()).toContain(spotPhoto.split('/').pop());
    expect(own.status).toBe('pending');
  }, 60_000);

  let before: Awaited<ReturnType<typeof counts>>;

  it('erases: no collection and no file holds anything of them, the statistics stay', async () => {
    before = await counts();
    counting = true;
    const res = await invokeData(cloud, 'member', 'erase', {}, R);
    counting = false;
    expect(res).toMatchObject({ communities: 1, orders: 2, bookings: 1 });
    expect(res.files).toBeGreaterThanOrEqual(2);

    const store = await everything();
    const text = JSON.stringify(store);
    // The relative's own membership (and its audit) keeps the room they live in: it is theirs as
    // much as it was R's. Nothing of theirs names R.
    const relative = (doc: unknown) => {
      const d = doc as { openid?: string; target?: string };
      return d.openid === 'erase-relative' || d.target === 'member:demo:erase-relative';
    };
    const others = Object.fromEntries(Object.entries(store).map(([name, docs]) => [name, docs.filter((d) => !relative(d))]));
    const theirs = Object.values(store).flatMap((docs) => docs.filter(relative));
    expect(theirs.length).toBeGreaterThan(1);
    expect(JSON.stringify(theirs)).not.toContain(NAME);
    for (const secret of [NAME, PHONE, ROOM, PLATE, R, ...files]) {
      const where = Object.entries(others)
        .filter(([, docs]) => JSON.stringify(docs).includes(secret))
        .map(([name]) => name);
      expect({ secret, where }).toEqual({ secret, where: [] });
    }
    expect(text).toContain('已注销用户');
    const stored = storageText();
    for (const f of files) expect(stored).not.toContain(f.split('/').pop());
    expect(stored).not.toContain(R);

    expect(await counts()).toEqual(before);
    // 长辈模式, like the tags, says something about age: gone from the audit of the membership.
    const elder = (await collection('audit').where({ what: 'member.setElderMode' }).get()).data as {
      target: string;
      before?: object;
      after?: object;
    }[];
    expect(elder.length).toBeGreaterThan(0);
    for (const e of elder)
      expect([e.target, 'elderMode' in (e.after ?? {}), 'elderMode' in (e.before ?? {})]).toEqual([e.target, false, false]);
    // The audit keeps that it happened, naming nobody.
    // On the membership: the departure from the community, and the erasure itself; besides, one
    // entry per order, booking and spot the departure changed — all by the token.
    const log = (await collection('audit').where({ what: 'member.erase' }).get()).data as {
      actor: string;
      target: string;
      communityId: string;
      after: { erased?: boolean; status?: string };
    }[];
    const onMember = log.filter((e) => e.target.startsWith('member:'));
    expect(onMember.map((e) => String(e.after.erased ?? e.after.status)).sort()).toEqual(['left', 'true']);
    expect(
      log
        .filter((e) => !e.target.startsWith('member:'))
        .map((e) => e.target.split(':')[0])
        .sort(),
    ).toEqual(['order', 'parking_booking', 'parking_booking', 'parking_spot']);
    expect(new Set(log.map((e) => e.actor)).size).toBe(1);
    expect(log[0].actor).toMatch(/^erased-[0-9a-f]{24}$/);
    expect(log[0].communityId).toBe('demo');

    const byCollection = new Map<string, number>();
    for (const c of calls) byCollection.set(c.collection ?? c.action, (byCollection.get(c.collection ?? c.action) ?? 0) + 1);
    console.log(`erase: ${calls.length} data calls`, Object.fromEntries(byCollection));
    // Batched: a bounded number of calls, whatever the history (orders: one write each).
    expect(calls.length).toBeLessThan(120);
  }, 60_000);

  it('the orders stay for the statistics, without the person', async () => {
    const orders = (await collection('orders').where({ 'beneficiary.name': '已注销用户' }).get()).data as {
      status: string;
      forOpenid: string;
      description: string;
    }[];
    expect(orders.map((o) => o.status).sort()).toEqual(['cancelled', 'rated']);
    expect(new Set(orders.map((o) => o.forOpenid)).size).toBe(1);
    expect(orders[0].forOpenid).toMatch(/^erased-/);
  });

  it('erasing twice is fine, and the person is a stranger afterwards', async () => {
    const snapshot = JSON.stringify(await counts());
    const again = await invokeData(cloud, 'member', 'erase', {}, R);
    expect(again).toEqual({ communities: 0, orders: 0, bookings: 0, files: 0 });
    expect(JSON.stringify(await counts())).toBe(snapshot);
    expect(await invokeData(cloud, 'member', 'me', {}, R)).toBeNull();
    expect(errorCode(await cloud.invoke('orders', { action: 'listMine', payload: {} }, R))).toBe('E_NOT_MEMBER');
    // They may join again, as someone new.
    const back = await invokeData(
      cloud,
      'member',
      'join',
      { inviteCode: DEMO_INVITES.autoApprove, name: '新邻居', room: '101' },
      R,
    );
    expect(back).toMatchObject({ status: 'active', roles: ['resident'], tags: [] });
  });

  it('the only worker cannot erase (the community keeps a worker), and nothing changes', async () => {
    const before = JSON.stringify(await everything());
    const res = await cloud.invoke('member', { action: 'erase', payload: {} }, 'other-worker');
    expect(refusal(res)).toMatchObject({ code: 'E_CONFLICT' });
    expect(refusal(res).message).toContain('社区工作者');
    expect(JSON.stringify(await everything())).toBe(before);
  });

  it('batched: a longer history costs one write per extra order, nothing more', async () => {
    const history = async (openid: string, orders: number): Promise<number> => {
      await invokeData(
        cloud,
        'member',
        'join',
        { inviteCode: DEMO_INVITES.autoApprove, name: `历史${orders}`, room: '9' },
        openid,
      );
      for (let i = 0; i < orders; i++) {
        const o = await invokeData(
          cloud,
          'orders',
          'create',
          { serviceId: 'demo:repair', description: '修理', requestId: `batch-${openid}-${i}` },
          openid,
        );
        await invokeData(cloud, 'orders', 'cancel', { orderId: o._id, reason: '不需要了' }, openid);
      }
      calls.length = 0;
      counting = true;
      await invokeData(cloud, 'member', 'erase', {}, openid);
      counting = false;
      return calls.length;
    };
    const one = await history('erase-batch-1', 1);
    const seven = await history('erase-batch-7', 7);
    console.log(`erase of a resident with 1 cancelled order: ${one} data calls; with 7: ${seven}`);
    expect(seven - one).toBe(6);
  }, 60_000);

  it('an interrupted erasure resumes with the token it started with, and forgets it at the end', async () => {
    const P = 'erase-resume';
    const token = `erased-${'ab'.repeat(12)}`;
    await invokeData(cloud, 'member', 'join', { inviteCode: DEMO_INVITES.autoApprove, name: '周续', room: '南0505' }, P);
    await invokeData(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:repair', description: '换灯泡', requestId: 'erase-resume-1' },
      P,
    );
    // What an erasure that died after its first step leaves behind.
    await collection('erasures').add({ _id: P, token, startedAt: new Date() });
    await invokeData(cloud, 'member', 'erase', {}, P);
    expect((await collection('orders').where({ orderedBy: token }).get()).data).toHaveLength(1);
    expect((await collection('members').where({ openid: token }).get()).data).toEqual([
      expect.objectContaining({ name: '已注销用户', status: 'left', room: '' }),
    ]);
    expect((await collection('erasures').where({ _id: P }).get()).data).toHaveLength(0);
  });

  it('two erasures at once end in one erased person', async () => {
    const P = 'erase-twice';
    await invokeData(
      cloud,
      'member',
      'join',
      { inviteCode: DEMO_INVITES.autoApprove, name: '孙二娘', room: '西0303', phone: '13933334444' },
      P,
    );
    await invokeData(cloud, 'orders', 'create', { serviceId: 'demo:repair', description: '修灯', requestId: 'erase-twice-1' }, P);
    const results = await Promise.all([1, 2, 3].map(() => cloud.invoke('member', { action: 'erase', payload: {} }, P)));
    expect(results.every((r) => r.ok)).toBe(true);
    const text = JSON.stringify(await everything());
    for (const secret of ['孙二娘', '13933334444', '西0303', P]) expect(text).not.toContain(secret);
  }, 30_000);

  it('a volunteer’s served minutes move to the token on every month’s board, also when an erasure resumes', async () => {
    const V = 'erase-volunteer';
    const token = `erased-${'cd'.repeat(12)}`;
    await invokeData(cloud, 'member', 'join', { inviteCode: DEMO_INVITES.autoApprove, name: '吴帮忙', room: '北0707' }, V);
    await invokeData(cloud, 'member', 'setRoles', { openid: V, roles: ['volunteer'] }, 'demo-worker');
    await invokeData(cloud, 'orders', 'setDuty', { onDuty: true }, V);
    const o = await invokeData(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:errand', description: '取快递', requestId: 'erase-volunteer-1' },
      'demo-resident-3',
    );
    await invokeData(cloud, 'orders', 'dispatch', { orderId: o._id, volunteerOpenid: V }, 'demo-worker');
    for (const step of ['accept', 'start'] as const) await invokeData(cloud, 'orders', step, { orderId: o._id }, V);
    await invokeData(cloud, 'orders', 'complete', { orderId: o._id, note: '已送到' }, V);
    await invokeData(cloud, 'orders', 'rate', { orderId: o._id, stars: 5 }, 'demo-resident-3');
    await invokeData(cloud, 'orders', 'review', { orderId: o._id, result: 'pass' }, 'demo-worker');
    const month = dateText(new Date()).slice(0, 7);
    const current = volunteerBoardId('demo', month);
    const served = (await findById<VolunteerBoardDoc>(VOLUNTEER_BOARDS, current))!.volunteers[V];
    expect(served).toEqual({ minutes: 0, orders: 1 }); // served within the minute: the entry still counts the order
    // Two older months: one the erasure that died (its token recorded) already moved, one it did not.
    const old = (m: string, volunteers: VolunteerBoardDoc['volunteers']) =>
      collection(VOLUNTEER_BOARDS).add({
        _id: volunteerBoardId('demo', m),
        communityId: 'demo',
        month: m,
        volunteers,
        updatedAt: new Date(),
      });
    await old('2020-01', { [V]: { minutes: 40, orders: 2 }, 'demo-volunteer-2': { minutes: 10, orders: 1 } });
    await old('2020-02', { [token]: { minutes: 30, orders: 1 } });
    await collection('erasures').add({ _id: V, token, startedAt: new Date() });

    await invokeData(cloud, 'member', 'erase', {}, V);
    const boards = (await collection(VOLUNTEER_BOARDS).limit(1000).get()).data as VolunteerBoardDoc[];
    expect(JSON.stringify(boards)).not.toContain(V);
    const on = (id: string) => boards.find((b) => b._id === id)!.volunteers;
    expect(on(volunteerBoardId('demo', '2020-01'))).toEqual({
      [token]: { minutes: 40, orders: 2 },
      'demo-volunteer-2': { minutes: 10, orders: 1 },
    });
    expect(on(volunteerBoardId('demo', '2020-02'))).toEqual({ [token]: { minutes: 30, orders: 1 } });
    expect(on(current)[token]).toEqual(served);
    // The statistics still count them, under the name every erased person has.
    const stats = await invokeData(cloud, 'stats', 'community', { fromMonth: '2020-01', toMonth: '2020-02' }, 'demo-worker');
    expect(stats.topVolunteers.map((t) => [t.name, t.minutes, t.orders])).toEqual([
      ['已注销用户', 70, 3],
      ['刘芳', 10, 1],
    ]);
  }, 30_000);
});
