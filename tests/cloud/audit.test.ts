// The audit log (docs/audit.md): every state change — a resident's, a volunteer's, a worker's,
// the timer's — writes who, community, what, before, after, when; member.auditLog reads it for
// workers by person, object and day, in their community only, off an index. The scenario below
// drives every audited action once, and the last test proves each one wrote its entry.
import { AUDITED, auditLabel } from '../../cloudfunctions/common/audit-actions';
import { SYSTEM_ACTOR } from '../../cloudfunctions/common/audit';
import { collection } from '../../cloudfunctions/common/db';
import type { AuditRow, MemberApi } from '../../cloudfunctions/member/api';
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import type { LedgerApi } from '../../cloudfunctions/ledger/api';
import type { PropertyApi } from '../../cloudfunctions/property/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { ParkingApi } from '../../cloudfunctions/parking/api';
import type { LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import { DEMO_SPOTS } from '../../local/seed/parking';
import { caller, data, errorCode, invokeData, runTimer } from '../helpers/call';
import { auditVoteScenario } from '../helpers/affairs';
import { CLOCK, at } from '../helpers/clock';
import { fixturePicture, startTestCloud, uploadAs, uploadVoiceAs } from '../helpers/local';
import { topicIn } from '../helpers/topics';
import { WebClient } from '../helpers/web';
import type { DeskApi } from '../../cloudfunctions/desk/api';

const W = 'demo-worker';
const V1 = 'demo-volunteer-1';
const V2 = 'demo-volunteer-2';
const R2 = 'demo-resident-2';
const R3 = 'demo-resident-3';
const R4 = 'demo-resident-4';
const R5 = 'demo-resident-5';
const DAY1 = '2031-06-02'; // a Monday
const DAY2 = '2031-06-03';
const CONSOLE_ORIGIN = 'http://127.0.0.1:3999';

let cloud: LocalCloud;
let member: ReturnType<typeof caller<MemberApi>>;
let orders: ReturnType<typeof caller<OrdersApi>>;
let parking: ReturnType<typeof caller<ParkingApi>>;
let notices: ReturnType<typeof caller<NoticesApi>>;
let ledger: ReturnType<typeof caller<LedgerApi>>;
let seq = 0;
const rid = () => `audit-req-${++seq}`;

/** Ids the scenario made. */
const ids: Record<string, string> = {};

async function order(who: string): Promise<string> {
  return data(await orders(who, 'create', { serviceId: 'demo:repair', description: '水龙头漏水', requestId: rid() }))._id;
}
/** Each booker's own car: a resident and a plate hold one spot at a time (docs/parking.md). */
const PLATES: Record<string, string> = { [R3]: '粤B12345', [R4]: '粤B23456', [V2]: '粤B34567' };
const book = async (who: string, start: string, end: string, spotId: string = DEMO_SPOTS.resident2) =>
  data(await parking(who, 'book', { spotId, start, end, plate: PLATES[who] ?? '粤B12345', requestId: rid() }))._id;
/** One minute on: the steps of one order each get their own time. */
const tick = () => jest.setSystemTime(Date.now() + 60_000);
const log = async (who: string, payload: MemberApi['auditLog']['input'] = {}) => data(await member(who, 'auditLog', payload));

/** The stored entries, newest first. */
async function stored(where: Record<string, unknown>) {
  return (await collection('audit').where(where).orderBy('at', 'desc').limit(1000).get()).data as Record<string, unknown>[];
}

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at(`${DAY1}T08:00:00+08:00`);
  cloud = await startTestCloud({ allowedOrigins: [CONSOLE_ORIGIN] });
  await seedIfEmpty(cloud, new Date());
  member = caller<MemberApi>(cloud, 'member');
  orders = caller<OrdersApi>(cloud, 'orders');
  parking = caller<ParkingApi>(cloud, 'parking');
  notices = caller<NoticesApi>(cloud, 'notices');
  ledger = caller<LedgerApi>(cloud, 'ledger');

  // Orders: the whole loop, a decline and a release, a cancel, a timeout, an order left unrated.
  ids.order = await order(R2);
  tick();
  data(await orders(W, 'dispatch', { orderId: ids.order, volunteerOpenid: V1 }));
  tick();
  data(await orders(V1, 'decline', { orderId: ids.order, reason: '今天不在家' }));
  tick();
  data(await orders(W, 'release', { orderId: ids.order }));
  tick();
  data(await orders(V2, 'accept', { orderId: ids.order }));
  tick();
  data(await orders(V2, 'start', { orderId: ids.order }));
  tick();
  data(await orders(V2, 'complete', { orderId: ids.order, note: '已更换阀芯' }));
  tick();
  data(await orders(R2, 'rate', { orderId: ids.order, stars: 1, comment: '来晚了' }));
  tick();
  data(await orders(W, 'review', { orderId: ids.order, result: 'pass' }));
  tick();
  data(await orders(W, 'followUp', { orderId: ids.order, result: 'satisfied' }));
  ids.cancelled = await order(R2);
  data(await orders(R2, 'cancel', { orderId: ids.cancelled, reason: '已自行解决' }));
  ids.timedOut = await order(R3);
  data(await orders(W, 'dispatch', { orderId: ids.timedOut, volunteerOpenid: V1 }));
  ids.unrated = await order(R4);
  data(await orders(W, 'dispatch', { orderId: ids.unrated, volunteerOpenid: V2 }));
  data(await orders(V2, 'accept', { orderId: ids.unrated }));
  data(await orders(V2, 'start', { orderId: ids.unrated }));
  data(await orders(V2, 'complete', { orderId: ids.unrated, note: '已完成' }));
  data(await orders(V1, 'setDuty', { onDuty: false }));
  const service = data(
    await orders(W, 'saveService', { serviceName: '测试服务', tier: 'basic', description: '说明', price: 0, enabled: true }),
  );
  ids.service = service._id;
  // 一键求助 by the elder, and a voice order whose recording WeChat's pushed verdict passes.
  ids.help = data(await orders('demo-resident-1', 'help', { requestId: rid() })).order._id;
  const voice = await uploadVoiceAs(cloud, R5);
  ids.voice = data(
    await orders(R5, 'create', { serviceId: 'demo:errand', requestId: rid(), voice: { fileId: voice, seconds: 8 } }),
  )._id;
  await cloud.wechat.settled();

  // Members: an invite, an approval, a rejection, roles and tags.
  const invite = data(await member(W, 'createInvite', {})).inviteCode;
  data(await member('audit-joiner-1', 'join', { inviteCode: invite, name: '新住户', building: '1栋', room: '101' }));
  data(await member('audit-joiner-2', 'join', { inviteCode: invite, name: '另一户', building: '2栋', room: '202' }));
  data(await member(W, 'approve', { openid: 'audit-joiner-1' }));
  data(await member(W, 'reject', { openid: 'audit-joiner-2', reason: '信息不符' }));
  // The console's batch review: two more applicants, one approved and one rejected in batches.
  data(await member('audit-joiner-3', 'join', { inviteCode: invite, name: '第三户', building: '1栋', room: '103' }));
  data(await member('audit-joiner-4', 'join', { inviteCode: invite, name: '第四户', building: '2栋', room: '204' }));
  data(await member(W, 'approveMany', { openids: ['audit-joiner-3'] }));
  data(await member(W, 'rejectMany', { openids: ['audit-joiner-4'], reason: '信息不符' }));
  data(await member(W, 'setRoles', { openid: R5, roles: ['resident', 'volunteer'] }));
  data(await member(W, 'setTags', { openid: R5, tags: ['高龄'] }));

  // Notices: a draft edited, withdrawn; another posted and reminded; a group bound.
  const draft = data(await notices(W, 'post', { title: '停水通知', body: '周三停水', category: '通知', draft: true }));
  data(
    await notices(W, 'update', { noticeId: draft._id, title: '停水通知（改）', body: '周四停水', category: '通知', draft: true }),
  );
  data(await notices(W, 'withdraw', { noticeId: draft._id, reason: '改期' }));
  ids.notice = data(await notices(W, 'post', { title: '消防演练', body: '周五演练', category: '通知' }))._id;
  data(await notices(W, 'remind', { noticeId: ids.notice }));
  data(await notices(W, 'bindGroup', { building: '3栋', cloudId: cloud.wechat.issueGroupCloudId('audit-group') }));

  // Parking: a spot registered, verified, a window published and removed; one rejected.
  ids.spot = data(await parking(R5, 'registerSpot', { code: 'AUD-1', location: '地下一层' }))._id;
  data(await parking(W, 'verifySpot', { spotId: ids.spot }));
  const published = data(await parking(R5, 'publishWindow', { spotId: ids.spot, weekdays: [6, 7], from: '09:00', to: '12:00' }));
  data(await parking(R5, 'removeWindow', { spotId: ids.spot, windowId: published.windows[0].id }));
  const other = data(await parking(R5, 'registerSpot', { code: 'AUD-2', location: '地下二层' }))._id;
  data(await parking(W, 'rejectSpot', { spotId: other, reason: '编号不符' }));
  // Bookings on 孙伟's weekday spot: one cancelled, one no-show, one overstay, one checked out.
  ids.cancelledBooking = await book(R3, `${DAY1}T16:00:00+08:00`, `${DAY1}T17:00:00+08:00`);
  data(await parking(R3, 'cancelBooking', { bookingId: ids.cancelledBooking }));
  ids.noShow = await book(R3, `${DAY1}T09:00:00+08:00`, `${DAY1}T10:00:00+08:00`);
  ids.overstay = await book(R4, `${DAY1}T10:00:00+08:00`, `${DAY1}T11:00:00+08:00`);
  ids.checkedOut = await book(V2, `${DAY1}T12:00:00+08:00`, `${DAY1}T13:00:00+08:00`);
  // Two more of 周敏's on 吴强's spot (after her first: one spot at a time): three no-shows in one run block her.
  await book(R3, `${DAY1}T10:00:00+08:00`, `${DAY1}T10:30:00+08:00`, DEMO_SPOTS.resident4);
  await book(R3, `${DAY1}T10:30:00+08:00`, `${DAY1}T11:00:00+08:00`, DEMO_SPOTS.resident4);
  at(`${DAY1}T09:50:00+08:00`);
  data(await parking(R4, 'checkIn', { bookingId: ids.overstay }));
  at(`${DAY1}T11:20:00+08:00`); // the no-show (09:30) and the overstay (11:15) are both due
  await runTimer(cloud);
  at(`${DAY1}T11:50:00+08:00`);
  data(await parking(V2, 'checkIn', { bookingId: ids.checkedOut }));
  data(await parking(V2, 'checkOut', { bookingId: ids.checkedOut }));

  // The next day a volunteer is back on duty; a week on, the unrated order closes itself.
  at(`${DAY2}T10:00:00+08:00`);
  await runTimer(cloud);
  data(await orders(V1, 'setDuty', { onDuty: true }));
  at('2031-06-10T10:00:00+08:00');
  await runTimer(cloud);

  // The register, owners' votes and consultations (tests/helpers/affairs.ts).
  await auditVoteScenario(
    (fn, action, payload, openid) => invokeData(cloud, fn, action as never, payload, openid),
    (openid) => uploadAs(cloud, openid, 'affairs', fixturePicture('done.png')),
    rid,
  );

  // Members: a room verified by a worker, a family member confirmed, a departure, a removal, an erasure.
  const join = (who: string, name: string) =>
    member(who, 'join', { inviteCode: DEMO_INVITES.autoApprove, name, room: '808' }).then(data);
  await join('audit-a', '新住户甲');
  await join('audit-b', '新住户乙');
  await join('audit-c', '新住户丙');
  data(await member(W, 'verifyHousehold', { openid: 'audit-a', note: '查看房产证' }));
  data(await member('audit-a', 'confirmHousehold', { openid: 'audit-b', confirm: true }));
  // 长辈模式 switched on for a member by a worker (docs/elder-mode.md).
  data(await member(W, 'setElderMode', { openid: 'audit-a', mode: 'on' }));
  data(await member('audit-b', 'leave', {}));
  data(await member(W, 'remove', { openid: 'audit-a', reason: '已搬走' }));
  data(await member('audit-c', 'erase', {}));

  // 亲情代办: a daughter elsewhere binds to an elder, orders twice (one cancelled, one rated), ends the link.
  const famCode = data(await member(R3, 'familyCode', {})).code;
  const fam = data(await member('audit-daughter', 'familyRequest', { familyCode: famCode, name: '李娜', relation: '女儿' }));
  data(await member(R3, 'familyAnswer', { linkId: fam._id, confirm: true }));
  const famOrder = (description: string) =>
    orders('audit-daughter', 'familyCreate', { linkId: fam._id, serviceId: 'demo:errand', description, requestId: rid() }).then(
      data,
    );
  const famCancelled = await famOrder('买药');
  data(await orders('audit-daughter', 'familyCancel', { orderId: famCancelled._id, reason: '不需要了' }));
  const famServed = await famOrder('买菜');
  data(await orders(W, 'dispatch', { orderId: famServed._id, volunteerOpenid: V1 }));
  data(await orders(V1, 'accept', { orderId: famServed._id }));
  data(await orders(V1, 'start', { orderId: famServed._id }));
  data(await orders(V1, 'complete', { orderId: famServed._id, note: '已送到' }));
  data(await orders('audit-daughter', 'familyRate', { orderId: famServed._id, stars: 5 }));
  data(await member('audit-daughter', 'familyEnd', { linkId: fam._id }));

  // 社区工作台: a browser asks for a code, the worker confirms by scan, the browser picks up its ticket, the worker ends the session.
  const desk = caller<DeskApi>(cloud, 'desk');
  const browser = new WebClient(cloud, CONSOLE_ORIGIN);
  await browser.signInAnonymously();
  const { sessionId } = data(await browser.call('desk', 'startLogin', {}));
  data(await desk(W, 'confirmLogin', { sessionId }));
  data(await browser.call('desk', 'pollLogin', { sessionId }));
  data(await desk(W, 'endSession', { sessionId }));

  // Topics (线上议事): proposed, seconded, commented, and every worker's step of the five.
  const decided = await topicIn(cloud, 'decided', { fakeClock: true, proposer: 'demo-volunteer-3' });
  await invokeData(cloud, 'affairs', 'comment', { topicId: decided._id, text: '赞成', requestId: rid() }, R4);
  await invokeData(cloud, 'affairs', 'reportProgress', { topicId: decided._id, note: '已进场' }, W);
  await invokeData(cloud, 'affairs', 'finishTopic', { topicId: decided._id, note: '已完工' }, W);
  const declined = await topicIn(cloud, 'proposed', { fakeClock: true, proposer: 'demo-volunteer-3' });
  await invokeData(cloud, 'affairs', 'second', { topicId: declined._id }, R3);
  await invokeData(cloud, 'affairs', 'declineTopic', { topicId: declined._id, reason: '不属于社区事务' }, W);
  ids.topic = decided._id;
  // Ledger: an entry recorded and approved by a second worker, questioned and answered, reversed
  // (the reversal rejected); June closed and rated.
  await collection('members')
    .where({ _id: 'demo:demo-volunteer-3' })
    .update({ roles: ['resident', 'volunteer', 'worker'] });
  at('2031-07-02T10:00:00+08:00');
  const entry = data(
    await ledger(W, 'record', {
      account: 'demo:public',
      direction: 'in',
      amountFen: 100,
      date: '2031-06-20',
      summary: '车位租金',
      requestId: rid(),
    }),
  );
  ids.entry = entry._id;
  data(await ledger('demo-volunteer-3', 'approve', { entryId: entry._id }));
  const question = data(await ledger('demo-resident-1', 'ask', { entryId: entry._id, question: '哪个车位？' }));
  data(await ledger(W, 'answer', { questionId: question._id, answer: '地面 3 号车位' }));
  const reversal = data(await ledger(W, 'reverse', { entryId: entry._id, reason: '试冲销', requestId: rid() }));
  data(await ledger('demo-volunteer-3', 'reject', { entryId: reversal._id, reason: '不需冲销' }));
  const project = data(await ledger(W, 'createProject', { name: '楼道粉刷', budgetFen: 50_000, requestId: rid() }));
  data(await ledger(W, 'progress', { projectId: project._id, note: '已开工', requestId: rid() }));
  data(await ledger(W, 'close', { month: '2031-06' }));
  data(await ledger('demo-resident-1', 'rate', { month: '2031-06', stars: 5 }));
  const account = data(await ledger(W, 'addAccount', { name: '广告收益', requestId: rid() }));
  data(await ledger(W, 'editAccount', { accountId: account._id, disabled: true }));
  const accountIds = data(await ledger(W, 'accounts', {})).items.map((a) => a._id);
  data(await ledger(W, 'orderAccounts', { accounts: accountIds.reverse() }));
  // Property (评星定级): the company's profile saved, a household's rating in June (one star, so
  // the month is red), June's grade published, the warning's 约谈 recorded.
  at('2031-06-20T10:00:00+08:00');
  const property = caller<PropertyApi>(cloud, 'property');
  data(await property(W, 'saveCompany', { name: '幸福物业服务有限公司', manager: '陈经理', dutyPhone: '0755-86001234' }));
  data(await property('demo-resident-1', 'rate', { scores: { hygiene: 1, order: 1, repair: 1, attitude: 1, fees: 1 } }));
  at('2031-07-02T10:00:00+08:00');
  const grade = data(await property(W, 'publish', { month: '2031-06' }));
  data(
    await property(W, 'recordTalk', {
      warningId: grade.warningId!,
      talkDate: '2031-07-03',
      attendees: '李梅、陈经理',
      summary: '约谈整改',
      outcome: 'rectify',
    }),
  );
  at('2031-06-10T10:00:00+08:00'); // back to the day the tests below expect
}, 120_000);

afterAll(async () => {
  jest.useRealTimers();
  await cloud.close();
});

describe('every state change is written', () => {
  it("a resident's: who, community, what, before, after, when", async () => {
    const [created] = await stored({ target: `order:${ids.order}`, what: 'orders.create' });
    expect(created).toMatchObject({ communityId: 'demo', actor: R2, after: { status: 'pending' } });
    expect(created.at).toEqual(new Date(`${DAY1}T08:00:00+08:00`));
    const [rated] = await stored({ target: `order:${ids.order}`, what: 'orders.rate' });
    expect(rated).toMatchObject({ actor: R2, before: { status: 'completed' }, after: { status: 'rated' }, note: '1 星：来晚了' });
    const [cancel] = await stored({ target: `parking_booking:${ids.cancelledBooking}`, what: 'parking.cancelBooking' });
    expect(cancel).toMatchObject({
      actor: R3,
      what: 'parking.cancelBooking',
      before: { status: 'booked' },
      after: { status: 'cancelled' },
    });
  });

  it("a volunteer's and a worker's: the volunteer only where it changed", async () => {
    const [decline] = await stored({ target: `order:${ids.order}`, what: 'orders.decline' });
    expect(decline).toMatchObject({
      actor: V1,
      before: { status: 'dispatched', volunteerOpenid: V1 },
      after: { status: 'pending', volunteerOpenid: null },
    });
    const [start] = await stored({ target: `order:${ids.order}`, what: 'orders.start' });
    expect(start).toMatchObject({ actor: V2, before: { status: 'accepted' }, after: { status: 'in_service' } });
    expect(start.before).not.toHaveProperty('volunteerOpenid');
    const [dispatch] = await stored({ target: `order:${ids.order}`, what: 'orders.dispatch' });
    expect(dispatch).toMatchObject({ actor: W, after: { status: 'dispatched', volunteerOpenid: V1 } });
  });

  it("the timer's, as system:timer: a returned order, an auto-close, a no-show, an overstay", async () => {
    expect(await stored({ target: `order:${ids.timedOut}`, actor: SYSTEM_ACTOR })).toEqual([
      expect.objectContaining({
        what: 'timer.returnOrder',
        communityId: 'demo',
        before: { status: 'dispatched', volunteerOpenid: V1 },
        after: { status: 'pending', volunteerOpenid: null },
        at: new Date(`${DAY1}T11:20:00+08:00`),
      }),
    ]);
    expect(await stored({ target: `order:${ids.unrated}`, actor: SYSTEM_ACTOR })).toEqual([
      expect.objectContaining({ what: 'timer.autoClose', before: { status: 'completed' }, after: { status: 'closed' } }),
    ]);
    expect(await stored({ target: `parking_booking:${ids.noShow}`, actor: SYSTEM_ACTOR })).toEqual([
      expect.objectContaining({ what: 'timer.noShow', before: { status: 'booked' }, after: { status: 'no_show' } }),
    ]);
    expect(await stored({ target: `parking_booking:${ids.overstay}`, actor: SYSTEM_ACTOR })).toEqual([
      expect.objectContaining({ what: 'timer.overstay', after: { status: 'completed', overstay: true } }),
    ]);
  });

  it('a block by the strikes rule: once, on the member, until when', async () => {
    // The run that made the third no-show blocked her, once (a later strike extends it: a new entry).
    const blocks = await stored({ target: `member:demo:${R3}`, what: 'timer.block', at: new Date(`${DAY1}T11:20:00+08:00`) });
    expect(blocks).toEqual([
      expect.objectContaining({ actor: SYSTEM_ACTOR, communityId: 'demo', after: { parkingBlockedUntil: expect.any(Date) } }),
    ]);
    expect(
      errorCode(
        await parking(R3, 'book', {
          spotId: DEMO_SPOTS.resident2,
          start: '2031-06-11T09:00:00+08:00',
          end: '2031-06-11T10:00:00+08:00',
          plate: '粤B12345',
          requestId: rid(),
        }),
      ),
    ).toBe('E_FORBIDDEN');
    const row = (await log(W, { target: `member:demo:${R3}` })).items.find((r) => r.what === 'timer.block')!;
    expect(row).toMatchObject({ actorName: '系统', label: '暂停预约', targetLabel: '成员 周敏' });
    expect(row.changes).toEqual([{ field: '暂停预约至', before: '—', after: expect.stringMatching(/^2031年/) }]);
  });

  it("a topic's steps: by whom, from which status to which", async () => {
    const steps = await stored({ target: `topic:${ids.topic}` });
    expect(steps.map((e) => e.what)).toEqual(
      expect.arrayContaining(['affairs.propose', 'affairs.acceptTopic', 'affairs.decideTopic', 'affairs.finishTopic']),
    );
    const [accepted] = steps.filter((e) => e.what === 'affairs.acceptTopic');
    expect(accepted).toMatchObject({ actor: W, before: { status: 'proposed' }, after: { status: 'listed' } });
    const row = (await log(W, { target: `topic:${ids.topic}` })).items.find((r) => r.what === 'affairs.acceptTopic')!;
    expect(row).toMatchObject({ label: '列入议事清单' });
    expect(row.changes).toEqual([{ field: '状态', before: '征集中', after: '已列入议事清单' }]);
  });

  it('keeps only the fields that changed', async () => {
    const [update] = await stored({ what: 'notices.update' });
    expect(update).toMatchObject({ before: { title: '停水通知' }, after: { title: '停水通知（改）' } });
    expect(Object.keys(update.before as object)).toEqual(['title']);
  });

  it('no entry copies a phone', async () => {
    const all = await stored({});
    const contents = all.map(({ before, after, note }) => ({ before, after, note }));
    expect(JSON.stringify(contents)).not.toMatch(/1[3-9]\d{9}/);
  });

  it('every audited action of the scenario wrote its entry (audit-actions.ts is true)', async () => {
    const whats = new Set((await stored({ communityId: 'demo' })).map((e) => e.what));
    expect(Object.keys(AUDITED).filter((w) => !whats.has(w))).toEqual([]);
  });
});

describe('member.auditLog', () => {
  it('reads newest first, 20 a page, in words: who, what, which object, before → after, when', async () => {
    const first = await log(W);
    expect(first.items).toHaveLength(20);
    expect(first.hasMore).toBe(true);
    const times = first.items.map((r) => r.at);
    expect([...times].sort().reverse()).toEqual(times);
    const second = await log(W, { page: 2 });
    expect(second.items[0].at <= times[19]).toBe(true);
    expect(second.items.map((r) => r._id)).not.toContain(first.items[19]._id);

    const rows = (await log(W, { target: `order:${ids.timedOut}` })).items;
    const timeout = rows.find((r) => r.what === 'timer.returnOrder')!;
    expect(timeout).toMatchObject<Partial<AuditRow>>({
      actor: SYSTEM_ACTOR,
      actorName: '系统',
      label: '超时退回',
      targetLabel: '订单「水电小修」',
      changes: [
        { field: '状态', before: '已派单', after: '待派单' },
        { field: '志愿者', before: '张建国', after: '—' },
      ],
      note: '接单超时，退回待派单',
      at: new Date(`${DAY1}T11:20:00+08:00`).toISOString(),
    });
    const created = rows.find((r) => r.what === 'orders.create')!;
    expect(created).toMatchObject({ label: '下单', actorName: expect.any(String) });
    expect(created.actorName).not.toBe('已不在本社区的成员');
  });

  it('filters by person, by object, by day, and by them together', async () => {
    const byR2 = await log(W, { actor: R2 });
    expect(byR2.items.length).toBeGreaterThan(0);
    expect(new Set(byR2.items.map((r) => r.actor))).toEqual(new Set([R2]));
    const timer = await log(W, { actor: SYSTEM_ACTOR });
    expect(timer.items.length).toBeGreaterThan(0);
    for (const r of timer.items) {
      expect(r.actorName).toBe('系统');
      // The timer's steps, and WeChat's pushed verdict on a recording (written as the system too).
      expect(['超时退回', '自动办结', '爽约处理', '超时离场处理', '暂停预约', '语音内容检查']).toContain(r.label);
    }

    const byOrder = await log(W, { target: `order:${ids.order}` });
    expect(byOrder.items.map((r) => r.label).reverse()).toEqual([
      '下单',
      '派单',
      '拒单',
      '放入接单大厅',
      '接单',
      '开始服务',
      '完成服务',
      '评价',
      '审核',
      '回访',
    ]);
    const member = await log(W, { target: `member:demo:${R5}` });
    expect(member.items.map((r) => r.targetLabel)).toEqual(['成员 郑丽', '成员 郑丽']);

    const day2 = await log(W, { day: DAY2 });
    expect(day2.items.map((r) => r.label)).toContain('切换值班');
    const day2Start = new Date(`${DAY2}T00:00:00+08:00`).toISOString();
    const day3Start = new Date('2031-06-04T00:00:00+08:00').toISOString();
    for (const r of day2.items) expect(r.at >= day2Start && r.at < day3Start).toBe(true);
    const day1ByR2 = await log(W, { day: DAY1, actor: R2 });
    expect(day1ByR2.items.length).toBe(byR2.items.length);
    expect(await log(W, { day: '2031-06-04', actor: R2 })).toEqual({ items: [], page: 1, hasMore: false });
    const both = await log(W, { actor: V2, target: `order:${ids.order}` });
    expect(both.items.map((r) => r.label).reverse()).toEqual(['接单', '开始服务', '完成服务']);
  });

  it('refuses days the calendar has not, and malformed filters', async () => {
    for (const day of ['2031-02-29', '2031-13-01', '2031-6-2', '20310602', '2031-06-31'])
      expect(errorCode(await member(W, 'auditLog', { day }))).toBe('E_VALIDATION');
    expect(errorCode(await member(W, 'auditLog', { target: 'order' }))).toBe('E_VALIDATION');
    expect(errorCode(await member(W, 'auditLog', { actor: { $ne: null } as unknown as string }))).toBe('E_VALIDATION');
    expect((await log(W, { day: '2032-02-29' })).items).toEqual([]); // a leap day is a day
  });

  it('is for workers of the community only; another community never shows', async () => {
    for (const who of [R2, V1]) expect(errorCode(await member(who, 'auditLog', {}))).toBe('E_FORBIDDEN');
    expect(errorCode(await member('audit-joiner-2', 'auditLog', {}))).toBe('E_NOT_MEMBER'); // rejected
    expect(errorCode(await member('nobody-at-all', 'auditLog', {}))).toBe('E_NOT_MEMBER');
    expect(errorCode(await member(undefined, 'auditLog', {}))).toBe('E_UNAUTHENTICATED');
    const other = await log('other-worker');
    expect(other.items.every((r) => !r.target.includes(ids.order))).toBe(true);
    expect(await log('other-worker', { target: `order:${ids.order}` })).toEqual({ items: [], page: 1, hasMore: false });
    expect(await log('other-worker', { actor: R2 })).toEqual({ items: [], page: 1, hasMore: false });
  });

  it('labels every entry it can meet', () => {
    expect(auditLabel('orders.dispatch')).toBe('派单');
    expect(auditLabel('parking.gone')).toBe('parking.gone');
    expect(auditLabel('timer.sweepOrders')).toBe('超时处理'); // entries older than the timer's own steps
  });
});
