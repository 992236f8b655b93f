import type { LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import type { MessagesApi } from '../../cloudfunctions/messages/api';
import type { MemberApi } from '../../cloudfunctions/member/api';
import { collection } from '../../cloudfunctions/common/db';
import { notify, QUOTA_CAP, subscribeTemplates, templateData } from '../../cloudfunctions/common/notify';
import { longDateTime } from '../../miniprogram/shared/clock';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';

let cloud: LocalCloud;
let call: ReturnType<typeof caller<MessagesApi>>;
let member: ReturnType<typeof caller<MemberApi>>;

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<MessagesApi>(cloud, 'messages');
  member = caller<MemberApi>(cloud, 'member');
});
afterAll(() => cloud.close());

const T0 = Date.parse('2026-03-01T08:00:00+08:00');

/** A fresh member (2栋, auto-approved), so seeded messages of other domains never interfere. */
async function newMember(openid: string): Promise<string> {
  data(await member(openid, 'join', { inviteCode: DEMO_INVITES.autoApprove, name: '新住户', room: '808' }));
  return openid;
}
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const sends = async (openid: string) =>
  (await collection('subscribe_sends').where({ openid }).limit(100).get()).data as {
    templateId: string;
    status: string;
    type: string;
    errcode?: number;
    page: string;
    data: Record<string, { value: string }>;
  }[];

describe('inbox', () => {
  it('lists the caller’s own messages in the current community, newest first, 20 a page', async () => {
    await newMember('inbox-1');
    await newMember('inbox-2');
    for (let i = 0; i < 25; i++) {
      await notify('demo', ['inbox-1'], { type: 'system', title: `消息${i}`, link: '/pages/home/index' }, at(i));
    }
    await notify('demo', ['inbox-2'], { type: 'system', title: '别人的消息' }, at(30));
    await notify('heping', ['inbox-1'], { type: 'system', title: '另一个社区的消息' }, at(31));

    const first = data(await call('inbox-1', 'list', {}));
    expect(first.items).toHaveLength(20);
    expect(first.hasMore).toBe(true);
    expect(first.items[0]).toMatchObject({ title: '消息24', read: false, type: 'system', link: '/pages/home/index' });
    expect(first.items[0].createdAt).toBe(at(24).toISOString());
    const second = data(await call('inbox-1', 'list', { page: 2 }));
    expect(second.items.map((m) => m.title)).toEqual(['消息4', '消息3', '消息2', '消息1', '消息0']);
    expect(second.hasMore).toBe(false);
    expect(data(await call('inbox-1', 'unreadCount', {}))).toEqual({ count: 25 });
  });

  it('marks one read, refuses someone else’s, then marks all read', async () => {
    const [newest] = data(await call('inbox-1', 'list', {})).items;
    expect(data(await call('inbox-1', 'markRead', { messageId: newest._id }))).toEqual({ updated: 1 });
    expect(data(await call('inbox-1', 'markRead', { messageId: newest._id }))).toEqual({ updated: 0 });
    expect(data(await call('inbox-1', 'unreadCount', {})).count).toBe(24);

    const theirs = data(await call('inbox-2', 'list', {})).items.find((m) => m.title === '别人的消息')!;
    const before = await snapshot();
    expect(errorCode(await call('inbox-1', 'markRead', { messageId: theirs._id }))).toBe('E_NOT_FOUND');
    expect(await snapshot()).toEqual(before);

    expect(data(await call('inbox-1', 'list', { unreadOnly: true })).items).toHaveLength(20);
    expect(data(await call('inbox-1', 'markRead', {}))).toEqual({ updated: 24 });
    expect(data(await call('inbox-1', 'unreadCount', {})).count).toBe(0);
    // The other community's message and the other person's are untouched.
    expect(data(await call('inbox-2', 'unreadCount', {})).count).toBeGreaterThanOrEqual(1);
    const elsewhere = await collection('messages').where({ communityId: 'heping', openid: 'inbox-1' }).get();
    expect(elsewhere.data[0]).toMatchObject({ read: false });
  });

  it('marks a keyed message (an id with dots and colons) read', async () => {
    const who = await newMember('inbox-3');
    await notify('demo', [who], { type: 'order.red', title: '订单超时', key: 'order.red:o_123' }, at(40));
    const [m] = data(await call(who, 'list', {})).items;
    expect(m._id).toBe(`order.red:o_123:${who}`);
    expect(data(await call(who, 'markRead', { messageId: m._id }))).toEqual({ updated: 1 });
    expect(data(await call(who, 'unreadCount', {})).count).toBe(0);
  });

  it('events already written through notify land here, e.g. a rejected applicant reads why', async () => {
    data(await member('applicant-1', 'join', { inviteCode: DEMO_INVITES.pending, name: '申请人', building: '3栋', room: '909' }));
    data(await member('demo-worker', 'reject', { openid: 'applicant-1', reason: '房号与登记不符' }));
    const inbox = data(await call('applicant-1', 'list', {}));
    expect(inbox.items[0]).toMatchObject({ type: 'member.rejected', title: '您的入社区申请未通过', body: '房号与登记不符' });
    const workerInbox = data(await call('demo-worker', 'list', {}));
    expect(workerInbox.items.some((m) => m.title === '有新的入社区申请待审核')).toBe(true);
  });

  it('needs an identity and a membership', async () => {
    expect(errorCode(await call(undefined, 'list', {}))).toBe('E_UNAUTHENTICATED');
    expect(errorCode(await call('never-joined', 'list', {}))).toBe('E_NOT_MEMBER');
    expect(errorCode(await call('never-joined', 'unreadCount', {}))).toBe('E_NOT_MEMBER');
    expect(errorCode(await call('inbox-1', 'markRead', { messageId: { $ne: '' } as never }))).toBe('E_VALIDATION');
  });
});

describe('subscribe messages', () => {
  const notice = () => subscribeTemplates().notice;
  const order = () => subscribeTemplates().order;

  it('one grant, one send: a second event sends nothing', async () => {
    const who = await newMember('quota-1');
    expect(data(await call(who, 'grantSubscribe', { templateIds: [notice()] }))).toEqual({ remaining: { [notice()]: 1 } });
    await notify(
      'demo',
      [who],
      { type: 'notice.reminder', title: '请查看社区通知：停水', link: '/pages/notices/detail/index?id=n1' },
      at(100),
    );
    await notify(
      'demo',
      [who],
      { type: 'notice.reminder', title: '请查看社区通知：停电', link: '/pages/notices/detail/index?id=n2' },
      at(101),
    );
    const recorded = await sends(who);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      templateId: notice(),
      status: 'sent',
      type: 'notice.reminder',
      page: 'pages/notices/detail/index?id=n1',
    });
    expect(recorded[0].data).toEqual({
      thing1: { value: '请查看社区通知：停水' },
      thing2: { value: '请打开小程序查看详情' },
      time3: { value: longDateTime(at(100)) },
    });
    // Both events are in the inbox.
    expect(data(await call(who, 'unreadCount', {})).count).toBe(2);
  });

  it('counts the quota per template: an order grant does not pay for a notice', async () => {
    const who = await newMember('quota-2');
    data(await call(who, 'grantSubscribe', { templateIds: [order(), order()] }));
    await notify('demo', [who], { type: 'notice.reminder', title: '通知' }, at(110));
    expect(await sends(who)).toHaveLength(0);
    await notify('demo', [who], { type: 'order.dispatched', title: '有一个订单派给您' }, at(111));
    await notify('demo', [who], { type: 'order.dispatched', title: '又一个订单' }, at(112));
    expect((await sends(who)).map((s) => s.templateId)).toEqual([order()]);
  });

  it('an idempotent event sent twice pushes once, and inbox-only events push nothing', async () => {
    const who = await newMember('quota-3');
    data(await call(who, 'grantSubscribe', { templateIds: [order()] }));
    data(await call(who, 'grantSubscribe', { templateIds: [order()] }));
    const msg = { type: 'order.red' as const, title: '订单超时', key: 'order.red:o1' };
    expect(await notify('demo', [who], msg, at(120))).toBe(1);
    expect(await notify('demo', [who], msg, at(125))).toBe(0);
    await notify('demo', [who], { type: 'system', title: '系统消息' }, at(126));
    expect(await sends(who)).toHaveLength(1);
    const quota = await collection('subscribe_quota').doc(`${who}:${order()}`).get();
    expect(quota.data[0]).toMatchObject({ remaining: 1 });
  });

  it('a refused send is recorded, never retried, and clears the quota', async () => {
    const who = await newMember('quota-4');
    data(await call(who, 'grantSubscribe', { templateIds: [notice()] }));
    data(await call(who, 'grantSubscribe', { templateIds: [notice()] }));
    const attempts = () => cloud.wechat.calls('subscribeMessage.send');
    const before = attempts();
    cloud.wechat.failNext('subscribeMessage.send', { errcode: 43101, errmsg: 'user refuse to accept the msg' });
    await notify('demo', [who], { type: 'notice.reminder', title: '第一条' }, at(130));
    await notify('demo', [who], { type: 'notice.reminder', title: '第二条' }, at(131));
    expect(attempts() - before).toBe(1);
    expect((await sends(who)).map((s) => [s.status, s.errcode])).toEqual([['refused', 43101]]);
    const quota = await collection('subscribe_quota').doc(`${who}:${notice()}`).get();
    expect(quota.data[0]).toMatchObject({ remaining: 0 });
  });

  it.each([
    ['a dropped connection', { network: true } as const, -501001],
    ['a CloudBase error', { tcbError: 'SYS_ERR' }, -501001],
    ['no 云调用 permission', { errorCode: -604101 }, -604101],
    ['a WeChat errcode', { errcode: 47003, errmsg: 'argument invalid' }, 47003],
  ])('a failed send (%s) never fails the event, records the code and keeps the quota', async (_, fault, errcode) => {
    const who = await newMember(`quota-5-${errcode}-${Object.keys(fault)[0]}`);
    data(await call(who, 'grantSubscribe', { templateIds: [notice()] }));
    data(await call(who, 'grantSubscribe', { templateIds: [notice()] }));
    cloud.wechat.failNext('subscribeMessage.send', fault);
    expect(await notify('demo', [who], { type: 'notice.reminder', title: '提醒' }, at(140))).toBe(1);
    expect((await sends(who)).map((s) => [s.status, s.errcode])).toEqual([['failed', errcode]]);
    const quota = await collection('subscribe_quota').doc(`${who}:${notice()}`).get();
    expect(quota.data[0]).toMatchObject({ remaining: 1 });
  });

  it('a sent message reaches WeChat with the template, page and data', async () => {
    const who = await newMember('quota-7');
    data(await call(who, 'grantSubscribe', { templateIds: [notice()] }));
    await notify(
      'demo',
      [who],
      { type: 'notice.reminder', title: '停水通知', link: '/pages/notices/detail/index?id=n7' },
      at(150),
    );
    const delivered = cloud.wechat.sends.filter((s) => s.touser === who);
    expect(delivered).toEqual([
      expect.objectContaining({
        template_id: notice(),
        page: 'pages/notices/detail/index?id=n7',
        miniprogram_state: 'formal',
        data: templateData({ type: 'notice.reminder', title: '停水通知' }, at(150)),
      }),
    ]);
  });

  it('grants add up, also at once, up to a cap; unknown templates are ignored', async () => {
    const who = await newMember('quota-6');
    await Promise.all(Array.from({ length: 5 }, () => call(who, 'grantSubscribe', { templateIds: [notice()] })));
    const res = data(await call(who, 'grantSubscribe', { templateIds: [notice(), 'not-a-template'] }));
    expect(res).toEqual({ remaining: { [notice()]: 6 } });
    await collection('subscribe_quota').doc(`${who}:${notice()}`).update({ remaining: QUOTA_CAP });
    expect(data(await call(who, 'grantSubscribe', { templateIds: [notice()] })).remaining[notice()]).toBe(QUOTA_CAP);
    expect(data(await call(who, 'grantSubscribe', { templateIds: ['not-a-template'] }))).toEqual({ remaining: {} });
  });

  it('an applicant not yet in any community may grant, and reads the template ids', async () => {
    const templates = data(await call('brand-new-person', 'subscribeTemplates', {})).templates;
    expect(Object.keys(templates).sort()).toEqual(['member', 'notice', 'order', 'parking']);
    expect(data(await call('brand-new-person', 'grantSubscribe', { templateIds: [templates.member] })).remaining).toEqual({
      [templates.member]: 1,
    });
  });

  it('template text is cut to 20 characters', () => {
    const long = '一二三四五六七八九十一二三四五六七八九十一二三';
    expect(templateData({ type: 'system', title: long }, at(0)).thing1.value).toBe(`${Array.from(long).slice(0, 19).join('')}…`);
    expect(longDateTime(new Date('2026-03-01T00:05:00Z'))).toBe('2026年3月1日 08:05');
  });
});

describe('authorization table', () => {
  type Act = keyof MessagesApi;
  const payloads: Record<Act, object> = {
    list: {},
    unreadCount: {},
    markRead: {},
    grantSubscribe: { templateIds: ['local-notice-reminder'] },
    subscribeTemplates: {},
  };
  const callers: [string, string | undefined][] = [
    ['resident', 'demo-resident-5'],
    ['volunteer', 'demo-volunteer-1'],
    ['worker', 'demo-worker'],
    ['non-member', 'nobody-here'],
    ['no identity', undefined],
    ['member of another community', 'other-resident'],
  ];
  const identifiedOnly: Act[] = ['grantSubscribe', 'subscribeTemplates'];
  for (const act of Object.keys(payloads) as Act[]) {
    for (const [who, openid] of callers) {
      const want =
        who === 'no identity'
          ? 'E_UNAUTHENTICATED'
          : who === 'non-member' && !identifiedOnly.includes(act)
            ? 'E_NOT_MEMBER'
            : 'OK';
      it(`${act} as ${who} → ${want}`, async () => {
        const before = want === 'OK' ? undefined : await snapshot();
        const res = await cloud.invoke('messages', { action: act, payload: payloads[act] }, openid);
        expect(errorCode(res)).toBe(want);
        if (before) expect(await snapshot()).toEqual(before);
      });
    }
  }

  it('another community’s member sees only their own community’s inbox', async () => {
    await notify('heping', ['other-resident'], { type: 'system', title: '和平里的消息' }, at(200));
    await notify('demo', ['other-resident'], { type: 'system', title: '幸福里的消息' }, at(201));
    const titles = data(await call('other-resident', 'list', {})).items.map((m) => m.title);
    expect(titles).toContain('和平里的消息');
    expect(titles).not.toContain('幸福里的消息');
  });

  it('an unknown action is refused', async () => {
    expect(errorCode(await cloud.invoke('messages', { action: 'deleteAll' }, 'demo-worker'))).toBe('E_UNKNOWN_ACTION');
  });
});
