// member.leave and member.remove through the real functions: what a departure does to orders,
// bookings and spots, the current community, the last-worker rule, rejoining, and races.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty, DEMO_INVITES } from '../../local/seed';
import { DEMO_SPOTS } from '../../local/seed/parking';
import { collection } from '../../cloudfunctions/common/db';
import type { OrderDoc } from '../../cloudfunctions/orders/model';
import type { BookingDoc, SpotDoc } from '../../cloudfunctions/parking/model';
import type { MemberDoc } from '../../cloudfunctions/common/model';
import { startTestCloud } from '../helpers/local';
import { dayAfterTomorrowAt } from '../helpers/clock';
import { errorCode, invokeAs, invokeData, refusal } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
}, 30_000);
afterAll(() => cloud.close());

const join = (openid: string, name: string, room: string) =>
  invokeData(cloud, 'member', 'join', { inviteCode: DEMO_INVITES.autoApprove, name, room }, openid);
const one = async <T>(name: string, id: string) => (await collection(name).where({ _id: id }).get()).data[0] as T;
const inbox = async (openid: string, type: string) =>
  (await collection('messages').where({ openid, type }).get()).data as { title: string; body?: string }[];
const member = (communityId: string, openid: string) => one<MemberDoc>('members', `${communityId}:${openid}`);

describe('leave', () => {
  it('cancels what the resident ordered, their bookings and the bookings of their spot, and withdraws its windows', async () => {
    const L = 'leave-resident';
    await join(L, '林一', '201');
    const order = await invokeData(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:repair', description: '灯坏了', requestId: 'request-lv-1' },
      L,
    );
    const spot = await invokeData(cloud, 'parking', 'registerSpot', { code: 'L-201', location: '地下一层' }, L);
    await invokeData(cloud, 'parking', 'verifySpot', { spotId: spot._id }, 'demo-worker');
    await invokeData(
      cloud,
      'parking',
      'publishWindow',
      { spotId: spot._id, weekdays: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '00:00' },
      L,
    );
    const theirs = await invokeData(
      cloud,
      'parking',
      'book',
      {
        spotId: spot._id,
        start: dayAfterTomorrowAt(10),
        end: dayAfterTomorrowAt(11),
        plate: '粤B12345',
        requestId: 'request-lv-b1',
      },
      'demo-resident-5',
    );
    const mine = await invokeData(
      cloud,
      'parking',
      'book',
      {
        spotId: DEMO_SPOTS.resident4,
        start: dayAfterTomorrowAt(10),
        end: dayAfterTomorrowAt(11),
        plate: '粤B54321',
        requestId: 'request-lv-b2',
      },
      L,
    );

    const res = await invokeData(cloud, 'member', 'leave', {}, L);
    expect(res).toEqual({
      communityId: 'demo',
      status: 'left',
      cancelledOrders: 1,
      returnedOrders: 0,
      cancelledBookings: 2,
      withdrawnSpots: 1,
      currentCommunityId: null,
    });
    expect((await one<OrderDoc>('orders', order._id)).status).toBe('cancelled');
    expect((await one<BookingDoc>('parking_bookings', theirs._id)).status).toBe('cancelled');
    expect((await one<BookingDoc>('parking_bookings', mine._id)).status).toBe('cancelled');
    expect((await one<SpotDoc>('parking_spots', spot._id)).windows).toEqual([]);
    // The same messages the cancel paths send: the booker of their spot, the owner of the spot they booked.
    expect((await inbox('demo-resident-5', 'parking.cancelled')).some((m) => m.title === '车主取消了您的车位预约')).toBe(true);
    expect((await inbox('demo-resident-4', 'parking.cancelled')).length).toBeGreaterThan(0);
    // Gone from the community: no membership current, member actions refused, the audit has it.
    expect(await invokeData(cloud, 'member', 'me', {}, L)).toBeNull();
    expect(errorCode(await invokeAs(cloud, 'orders', 'listMine', {}, L))).toBe('E_NOT_MEMBER');
    expect(await member('demo', L)).toMatchObject({ status: 'left', onDuty: false });
    const log = await collection('audit')
      .where({ target: `member:demo:${L}`, what: 'member.leave' })
      .get();
    expect(log.data).toHaveLength(1);
    // Each change the departure made is audited too.
    const changed = await collection('audit')
      .where({ target: `order:${order._id}`, what: 'member.leave' })
      .get();
    expect(changed.data).toEqual([
      expect.objectContaining({
        actor: L,
        // Only what changed is kept (docs/audit.md).
        before: { status: 'pending' },
        after: { status: 'cancelled' },
      }),
    ]);
    // Leaving again: nothing to leave.
    expect(errorCode(await invokeAs(cloud, 'member', 'leave', {}, L))).toBe('E_NOT_MEMBER');
  }, 30_000);

  it('a volunteer with accepted orders leaves: the orders go back to the dispatch queue', async () => {
    const V = 'leave-volunteer';
    await join(V, '林志', '202');
    await invokeData(cloud, 'member', 'setRoles', { openid: V, roles: ['volunteer'] }, 'demo-worker');
    await invokeData(cloud, 'orders', 'setDuty', { onDuty: true }, V);
    const accepted = await invokeData(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:errand', description: '买菜', requestId: 'request-lv-v1' },
      'demo-resident-3',
    );
    await invokeData(cloud, 'orders', 'dispatch', { orderId: accepted._id, volunteerOpenid: V }, 'demo-worker');
    await invokeData(cloud, 'orders', 'accept', { orderId: accepted._id }, V);
    const dispatched = await invokeData(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:errand', description: '取快递', requestId: 'request-lv-v2' },
      'demo-resident-3',
    );
    await invokeData(cloud, 'orders', 'dispatch', { orderId: dispatched._id, volunteerOpenid: V }, 'demo-worker');

    const res = await invokeData(cloud, 'member', 'leave', {}, V);
    expect(res).toMatchObject({ returnedOrders: 2, cancelledOrders: 0 });
    for (const id of [accepted._id, dispatched._id]) {
      const o = await one<OrderDoc>('orders', id);
      expect(o).toMatchObject({ status: 'pending', volunteerOpenid: null, step: 'dispatch' });
      expect(o.passedOver.map((p) => p.openid)).toContain(V);
      // The resident still sees the order and may act on it.
      expect((await invokeData(cloud, 'orders', 'get', { orderId: id }, 'demo-resident-3')).status).toBe('pending');
    }
    expect((await inbox('demo-worker', 'order.declined')).some((m) => m.title.includes('志愿者已离开社区'))).toBe(true);
    // Only the accepted order had been announced to the resident.
    expect((await inbox('demo-resident-3', 'order.declined')).filter((m) => m.title.includes('志愿者无法继续服务'))).toHaveLength(
      1,
    );
    expect(await member('demo', V)).toMatchObject({ status: 'left', onDuty: false });
  }, 30_000);

  it('the current community moves to another membership', async () => {
    await join('other-resident', '马丽', '505');
    expect((await invokeData(cloud, 'member', 'me', {}, 'other-resident'))?.communityId).toBe('demo');
    const res = await invokeData(cloud, 'member', 'leave', {}, 'other-resident');
    expect(res.currentCommunityId).toBe('heping');
    const me = await invokeData(cloud, 'member', 'me', {}, 'other-resident');
    expect(me).toMatchObject({ communityId: 'heping', status: 'active' });
    expect(me!.communities.map((c) => c.communityId)).toEqual(['heping']);
    expect(errorCode(await invokeAs(cloud, 'member', 'switchCommunity', { communityId: 'demo' }, 'other-resident'))).toBe(
      'E_NOT_MEMBER',
    );
  });

  it('the last worker cannot leave and nothing changes; with a second worker they can', async () => {
    const before = await snapshot();
    const res = await invokeAs(cloud, 'member', 'leave', {}, 'other-worker');
    expect(refusal(res)).toMatchObject({ code: 'E_CONFLICT' });
    expect(refusal(res).message).toContain('唯一的社区工作者');
    expect(await snapshot()).toEqual(before);

    await invokeData(cloud, 'member', 'join', { inviteCode: DEMO_INVITES.autoApprove, name: '白二', room: '9' }, 'heping-two');
    await invokeData(cloud, 'member', 'switchCommunity', { communityId: 'demo' }, 'heping-two');
    // Make heping-two a worker of heping directly (heping has no auto invite in the seed).
    await collection('members').add({
      _id: 'heping:heping-two',
      communityId: 'heping',
      openid: 'heping-two',
      name: '白二',
      building: 'A座',
      room: '9',
      status: 'active',
      roles: ['resident', 'worker'],
      tags: [],
      skills: [],
      onDuty: false,
      joinedAt: new Date(),
      updatedAt: new Date(),
      version: 1,
    });
    expect((await invokeData(cloud, 'member', 'leave', {}, 'other-worker')).status).toBe('left');
    // heping-two is now the last one.
    await invokeData(cloud, 'member', 'switchCommunity', { communityId: 'heping' }, 'heping-two');
    expect(errorCode(await invokeAs(cloud, 'member', 'leave', {}, 'heping-two'))).toBe('E_CONFLICT');
  });

  it('two last workers leaving at once: the community keeps one', async () => {
    for (const w of ['race-w1', 'race-w2']) {
      await collection('members').add({
        _id: `heping:${w}`,
        communityId: 'heping',
        openid: w,
        name: w,
        building: 'A座',
        room: '1',
        status: 'active',
        roles: ['resident', 'worker'],
        tags: [],
        skills: [],
        onDuty: false,
        joinedAt: new Date(),
        updatedAt: new Date(),
        version: 1,
      });
      await collection('users').doc(w).set({ currentCommunityId: 'heping', updatedAt: new Date() });
    }
    // heping-two leaves the race to these two.
    await collection('members').where({ _id: 'heping:heping-two' }).update({ status: 'left' });
    const results = await Promise.all(['race-w1', 'race-w2'].map((w) => invokeAs(cloud, 'member', 'leave', {}, w)));
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
    const workers = await collection('members').where({ communityId: 'heping', status: 'active', roles: 'worker' }).get();
    expect(workers.data.length).toBeGreaterThanOrEqual(1);
  });

  it('leaving twice at once: one leaves, the other is refused, one audit entry', async () => {
    const T = 'leave-twice';
    await join(T, '林二', '203');
    await invokeData(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:repair', description: '门锁坏了', requestId: 'request-lv-t1' },
      T,
    );
    const results = await Promise.all(Array.from({ length: 5 }, () => invokeAs(cloud, 'member', 'leave', {}, T)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) expect(['E_CONFLICT', 'E_NOT_MEMBER']).toContain(errorCode(r));
    expect(
      (
        await collection('audit')
          .where({ target: `member:demo:${T}`, what: 'member.leave' })
          .get()
      ).data,
    ).toHaveLength(1);
    const cancelled = await collection('orders').where({ orderedBy: T, status: 'cancelled' }).get();
    expect(cancelled.data).toHaveLength(1);
  });

  it('a spot still waiting for verification leaves the workers’ queue', async () => {
    await join('leave-spot', '林四', '204');
    const spot = await invokeData(cloud, 'parking', 'registerSpot', { code: 'L-204', location: '地下一层' }, 'leave-spot');
    expect((await invokeData(cloud, 'member', 'leave', {}, 'leave-spot')).withdrawnSpots).toBe(1);
    expect(await one<SpotDoc>('parking_spots', spot._id)).toMatchObject({ status: 'rejected', rejectReason: '车主已退出社区' });
    const queue = await invokeData(cloud, 'parking', 'listSpots', { status: 'pending' }, 'demo-worker');
    expect(queue.items.map((x) => x._id)).not.toContain(spot._id);
  });

  it('a pending applicant may withdraw: leave ends the application', async () => {
    await invokeData(
      cloud,
      'member',
      'join',
      { inviteCode: DEMO_INVITES.pending, name: '林三', building: '3栋', room: '301' },
      'leave-pending',
    );
    const res = await invokeData(cloud, 'member', 'leave', {}, 'leave-pending');
    expect(res).toMatchObject({ status: 'left', cancelledOrders: 0, currentCommunityId: null });
    expect(await member('demo', 'leave-pending')).toMatchObject({ status: 'left' });
    expect(await invokeData(cloud, 'member', 'me', {}, 'leave-pending')).toBeNull();
  });

  it('someone who left joins again by invite, as a plain resident', async () => {
    const res = await join('leave-volunteer', '林志', '202');
    expect(res).toMatchObject({ status: 'active', roles: ['resident'], onDuty: false });
    expect((await invokeData(cloud, 'member', 'me', {}, 'leave-volunteer'))?.status).toBe('active');
  });
});

describe('remove', () => {
  it('a worker removes a member: the same effects, a message, and the member is out', async () => {
    const M = 'remove-me';
    await join(M, '罗三', '204');
    const order = await invokeData(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:repair', description: '水龙头', requestId: 'request-rm-1' },
      M,
    );
    const view = await invokeData(cloud, 'member', 'remove', { openid: M, reason: '已搬离本社区' }, 'demo-worker');
    expect(view).toMatchObject({ openid: M, status: 'removed' });
    expect((await one<OrderDoc>('orders', order._id)).status).toBe('cancelled');
    expect(await inbox(M, 'member.removed')).toEqual([
      expect.objectContaining({ title: '您已被移出社区', body: '已搬离本社区' }),
    ]);
    // Out of the community, but the inbox still tells them why.
    expect(errorCode(await invokeAs(cloud, 'orders', 'listMine', {}, M))).toBe('E_NOT_MEMBER');
    const box = await invokeData(cloud, 'messages', 'list', {}, M);
    expect(box.items.some((m) => m.type === 'member.removed')).toBe(true);
    const log = (
      await collection('audit')
        .where({ target: `member:demo:${M}`, what: 'member.remove' })
        .get()
    ).data;
    expect(log).toEqual([expect.objectContaining({ actor: 'demo-worker', note: '已搬离本社区' })]);
    // Removing again: the state moved on. Joining again goes through a worker, whatever the invite.
    expect(errorCode(await invokeAs(cloud, 'member', 'remove', { openid: M }, 'demo-worker'))).toBe('E_CONFLICT');
    expect(await join(M, '罗三', '204')).toMatchObject({ status: 'pending' });
  });

  it('refuses removing oneself, a pending applicant, and anyone for non-workers', async () => {
    expect(errorCode(await invokeAs(cloud, 'member', 'remove', { openid: 'demo-worker' }, 'demo-worker'))).toBe('E_FORBIDDEN');
    expect(errorCode(await invokeAs(cloud, 'member', 'remove', { openid: 'remove-me' }, 'demo-worker'))).toBe('E_CONFLICT');
    expect(errorCode(await invokeAs(cloud, 'member', 'remove', { openid: 'demo-resident-5' }, 'demo-resident-4'))).toBe(
      'E_FORBIDDEN',
    );
    expect(errorCode(await invokeAs(cloud, 'member', 'remove', { openid: 'nobody-here' }, 'demo-worker'))).toBe('E_NOT_FOUND');
  });

  it('removal while the member acts: the removal wins once, every answer is from the closed list', async () => {
    const A = 'remove-acting';
    await join(A, '罗四', '205');
    const acting = Array.from({ length: 6 }, (_, i) =>
      invokeAs(
        cloud,
        'orders',
        'create',
        { serviceId: 'demo:repair', description: `修理${i}`, requestId: `request-rm-act-${i}` },
        A,
      ),
    );
    const removals = [1, 2].map(() => invokeAs(cloud, 'member', 'remove', { openid: A }, 'demo-worker'));
    const results = await Promise.all([...acting, ...removals]);
    expect(results.slice(6).filter((r) => r.ok)).toHaveLength(1);
    for (const r of results) expect(['OK', 'E_NOT_MEMBER', 'E_CONFLICT']).toContain(errorCode(r));
    expect(await member('demo', A)).toMatchObject({ status: 'removed' });
    // After the removal answered, the member can no longer act.
    expect(
      errorCode(
        await invokeAs(
          cloud,
          'orders',
          'create',
          { serviceId: 'demo:repair', description: '再试', requestId: 'request-rm-act-x' },
          A,
        ),
      ),
    ).toBe('E_NOT_MEMBER');
  });
});
