// 评星定级 end to end (docs/property.md): the property company's staff serve repairs and complaints
// through the order loop (dispatch, hall, lights, 物业人员 wording), households rate once a month,
// a worker publishes the ended month's grade (notice to residents, credit file), a red light
// records a warning and a 约谈 with its outcome.
import { collection } from '../../cloudfunctions/common/db';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { data, errorCode } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { forgetLimits } from '../helpers/limits';
import { startTestCloud } from '../helpers/local';
import { all, COMPLAINT, propertyOf, RESIDENT, rid, STAFF, WORKER } from '../helpers/property';

let cloud: LocalCloud;
let T: ReturnType<typeof propertyOf>;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-04-10T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  T = propertyOf(cloud);
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});
beforeEach(forgetLimits);

describe('the company serves its orders through the order loop', () => {
  test('the demo menu offers 物业报修 and 物业投诉, served by 物业人员', async () => {
    const menu = data(await T.O(RESIDENT, 'menu', {}));
    const items = menu.tiers.flatMap((t) => t.items).filter((i) => i.servedBy === 'property');
    expect(items.map((i) => i.name).sort()).toEqual(['物业投诉', '物业报修'].sort());
    expect(items.find((i) => i.name === '物业投诉')!.complaint).toBe(true);
  });

  test('a property order goes to staff, not volunteers; the hall and the board tell them apart', async () => {
    const order = data(
      await T.O(RESIDENT, 'create', { serviceId: COMPLAINT, description: '楼道垃圾三天没清', requestId: rid() }),
    );
    expect(order).toMatchObject({ servedBy: 'property', serverLabel: '物业人员', complaint: true, light: 'green' });
    // A volunteer cannot be dispatched a property order; staff cannot be dispatched a volunteers' one.
    expect(errorCode(await T.O(WORKER, 'dispatch', { orderId: order._id, volunteerOpenid: 'demo-volunteer-1' }))).toBe(
      'E_NOT_FOUND',
    );
    const suggestions = data(await T.O(WORKER, 'suggestVolunteers', { orderId: order._id }));
    expect(suggestions.items.map((s) => s.openid)).toEqual([STAFF]);
    // Released to the hall: staff see it, a volunteer on duty does not and cannot grab it.
    data(await T.O(WORKER, 'release', { orderId: order._id }));
    const hall = data(await T.O(STAFF, 'listHall', {}));
    expect(hall.items.map((o) => o._id)).toContain(order._id);
    const vHall = data(await T.O('demo-volunteer-1', 'listHall', {}));
    expect(vHall.items.map((o) => o._id)).not.toContain(order._id);
    expect(errorCode(await T.O('demo-volunteer-1', 'accept', { orderId: order._id }))).toBe('E_NOT_FOUND');
    // The staff grab, serve and complete it; the resident sees 物业人员 on it.
    data(await T.O(STAFF, 'accept', { orderId: order._id }));
    data(await T.O(STAFF, 'start', { orderId: order._id }));
    const done = data(await T.O(STAFF, 'complete', { orderId: order._id, note: '已清运' }));
    expect(done.status).toBe('completed');
    const mine = data(await T.O(RESIDENT, 'get', { orderId: order._id }));
    expect(mine.volunteer?.name).toBe('王师傅');
    const inbox = await collection('messages')
      .where({ openid: RESIDENT, link: `/packages/orders/detail/index?id=${order._id}` })
      .get();
    expect(inbox.data.map((m: { title: string }) => m.title).join('\n')).toContain('物业人员王师傅已接单');
    // The board filters 物业 orders.
    const board = data(await T.O(WORKER, 'listAll', { servedBy: 'property' }));
    expect(board.items.length).toBeGreaterThan(0);
    expect(board.items.every((o) => o.servedBy === 'property')).toBe(true);
    const others = data(await T.O(WORKER, 'listAll', { servedBy: 'volunteer' }));
    expect(others.items.some((o) => o.servedBy === 'property')).toBe(false);
    expect(others.items.length).toBeGreaterThan(0);
  });

  test('a volunteers order is not the staff’s: they cannot see or take it', async () => {
    const order = data(await T.O(RESIDENT, 'create', { serviceId: 'demo:errand', description: '买药', requestId: rid() }));
    expect(errorCode(await T.O(WORKER, 'dispatch', { orderId: order._id, volunteerOpenid: STAFF }))).toBe('E_NOT_FOUND');
    data(await T.O(WORKER, 'release', { orderId: order._id }));
    expect(errorCode(await T.O(STAFF, 'get', { orderId: order._id }))).toBe('E_NOT_FOUND');
    expect(errorCode(await T.O(STAFF, 'accept', { orderId: order._id }))).toBe('E_NOT_FOUND');
  });

  test('a worker makes a member staff of the company with setRoles', async () => {
    const m = (await collection('members').doc('demo:demo-resident-5').get()).data[0];
    const member = await cloud.invoke(
      'member',
      { action: 'setRoles', payload: { openid: 'demo-resident-5', roles: ['property'], version: m.version } },
      WORKER,
    );
    expect(member).toMatchObject({ ok: true, data: { roles: ['resident', 'property'] } });
    const company = data(await T.P(RESIDENT, 'company', {}));
    expect(company.company).toMatchObject({ name: '幸福物业服务有限公司', manager: '陈经理', staffCount: 2 });
  });
});

describe('rating, grade, warning, 约谈', () => {
  test('a household rates once a month; the grade is published after the month, red light → warning → 约谈', async () => {
    at('2031-05-03T10:00:00+08:00');
    // May: two complaints out of three orders, ratings of 1 and 2 stars.
    const a = await T.served(RESIDENT, COMPLAINT);
    await T.served('demo-resident-3', COMPLAINT);
    await T.served('demo-resident-4');
    expect(a).toBeTruthy();
    const r1 = data(await T.P(RESIDENT, 'rate', { scores: all(1), comment: '垃圾清运不及时' }));
    expect(r1).toMatchObject({ month: '2031-05', rated: true, byMe: true });
    expect(errorCode(await T.P(RESIDENT, 'rate', { scores: all(5) }))).toBe('E_CONFLICT');
    data(await T.P('demo-resident-3', 'rate', { scores: all(2) }));
    // The staff do not rate their own company.
    expect(errorCode(await T.P(STAFF, 'rate', { scores: all(5) }))).toBe('E_FORBIDDEN');
    const mine = data(await T.P(RESIDENT, 'myRating', {}));
    expect(mine).toMatchObject({ rated: true, mayRate: false, scores: all(1) });

    // The month has not ended: no publishing; the worker previews.
    expect(errorCode(await T.P(WORKER, 'publish', { month: '2031-05' }))).toBe('E_CONFLICT');
    const preview = data(await T.P(WORKER, 'preview', { month: '2031-05' }));
    expect(preview).toMatchObject({ published: false, ratingCount: 2, orders: 3, complaints: 2, completed: 3, light: 'red' });
    expect(data(await T.P(RESIDENT, 'grade', { month: '2031-05' })).grade).toBeNull();

    at('2031-06-01T09:00:00+08:00');
    const g = data(await T.P(WORKER, 'publish', { month: '2031-05' }));
    expect(g).toMatchObject({ month: '2031-05', published: true, light: 'red', ratingCount: 2 });
    // 1.5 stars of ratings, all on time, 2 complaints in 3 orders, no rework: 2.65 → 3 stars, red by the complaint rate.
    expect(g).toMatchObject({ score: 2.65, stars: 3 });
    expect(g.warningId).toBeTruthy();
    expect(errorCode(await T.P(WORKER, 'publish', { month: '2031-05' }))).toBe('E_CONFLICT');
    // Residents read it (without the warning), in the notice and the credit file.
    const seen = data(await T.P(RESIDENT, 'grade', {})).grade!;
    expect(seen).toMatchObject({ month: '2031-05', stars: g.stars, complaintRate: g.complaintRate });
    expect(seen.warningId).toBeUndefined();
    const notice = await collection('notices').doc(g.noticeId!).get();
    expect(notice.data[0].title).toBe(`2031年5月物业服务评级：${g.stars} 星`);
    expect(notice.data[0].body).toContain('投诉率 66.7%');
    const credit = data(await T.P(RESIDENT, 'credit', {}));
    expect(credit.items.map((i) => i.month)).toEqual(['2031-05']);
    // Workers were told; they record the 约谈.
    const told = await collection('messages').where({ openid: WORKER, type: 'property.red' }).get();
    expect(told.data).toHaveLength(1);
    const warnings = data(await T.P(WORKER, 'warnings', {}));
    expect(warnings.items).toHaveLength(1);
    expect(warnings.items[0]).toMatchObject({ status: 'open', month: '2031-05' });
    expect(warnings.items[0].reasons.join()).toContain('投诉率');
    const talked = data(
      await T.P(WORKER, 'recordTalk', {
        warningId: g.warningId!,
        talkDate: '2031-06-02',
        attendees: '李梅、陈经理',
        summary: '约谈物业项目经理，要求垃圾日产日清',
        outcome: 'rectify',
      }),
    );
    expect(talked).toMatchObject({ status: 'talked', statusLabel: '已约谈' });
    expect(talked.talks[0]).toMatchObject({ outcomeLabel: '限期整改', byName: '李梅' });
    // A new month: the household may rate again.
    expect(data(await T.P(RESIDENT, 'myRating', {}))).toMatchObject({ month: '2031-06', rated: false, mayRate: true });
  });

  test('a month with nothing to grade is not published; a good month is green and records no warning', async () => {
    at('2031-07-02T10:00:00+08:00');
    expect(errorCode(await T.P(WORKER, 'publish', { month: '2031-06' }))).toBe('E_CONFLICT');
    at('2031-07-05T10:00:00+08:00');
    await T.served(RESIDENT);
    data(await T.P(RESIDENT, 'rate', { scores: all(5) }));
    at('2031-08-01T08:00:00+08:00');
    const g = data(await T.P(WORKER, 'publish', { month: '2031-07' }));
    expect(g).toMatchObject({ stars: 5, light: 'green', onTimeRate: 1, complaintRate: 0, reworkRate: 0 });
    expect(g.warningId).toBeUndefined();
    expect(data(await T.P(WORKER, 'warnings', {})).items).toHaveLength(1);
    expect(data(await T.P(RESIDENT, 'credit', {})).items.map((i) => i.month)).toEqual(['2031-07', '2031-05']);
  });
});
