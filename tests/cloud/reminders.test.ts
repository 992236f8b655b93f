// Reminders in batches (cloudfunctions/notices/reminders.ts) and notify's batched writes
// (common/notify.ts): one insert per batch of messages, quota read once per batch, nobody told twice.
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import type { MessagesApi } from '../../cloudfunctions/messages/api';
import { collection } from '../../cloudfunctions/common/db';
import { notify, NOTIFY_BATCH, subscribeTemplates } from '../../cloudfunctions/common/notify';
import { continueReminder, REMINDERS, type ReminderDoc } from '../../cloudfunctions/notices/reminders';
import { startTestCloud } from '../helpers/local';
import { caller, data, runTimer } from '../helpers/call';

let cloud: LocalCloud;
let notices: ReturnType<typeof caller<NoticesApi>>;
let messages: ReturnType<typeof caller<MessagesApi>>;
const calls: DataCallRecord[] = [];
const WORKER = 'demo-worker';

beforeAll(async () => {
  cloud = await startTestCloud({ observe: { dataCall: (r) => calls.push(r) } });
  await seedIfEmpty(cloud);
  notices = caller<NoticesApi>(cloud, 'notices');
  messages = caller<MessagesApi>(cloud, 'messages');
});
afterAll(() => cloud.close());

const counted = async <T>(fn: () => Promise<T>) => {
  calls.length = 0;
  const result = await fn();
  const of = (action: string, coll: string) =>
    calls.filter((c) => c.action === action && (c.body as { collectionName?: string }).collectionName === coll).length;
  return { result, of };
};

const messagesWithKey = async (key: string) =>
  (await collection('messages').where({ key }).limit(1000).get()).data as { openid: string }[];

describe('notify writes in batches', () => {
  it('one insert per batch, each person once however often it runs', async () => {
    const people = Array.from({ length: NOTIFY_BATCH + 50 }, (_, i) => `batch-person-${i}`);
    const msg = { type: 'system' as const, title: '批量', key: 'batch-test' };
    const first = await counted(() => notify('demo', people, msg, new Date()));
    expect(first.result).toBe(people.length);
    expect(first.of('database.insertDocument', 'messages')).toBe(2);
    // Again, with a few new people among them: only those are written.
    const again = await counted(() => notify('demo', [...people, 'batch-new-1', 'batch-new-2'], msg, new Date()));
    expect(again.result).toBe(2);
    const mine = await messagesWithKey('batch-test');
    expect(mine).toHaveLength(people.length + 2);
    expect(new Set(mine.map((m) => m.openid)).size).toBe(people.length + 2);
  });

  it('tries subscribe messages only for people holding quota', async () => {
    const people = ['demo-resident-1', 'demo-resident-2', 'demo-resident-3', 'demo-volunteer-1'];
    data(await messages('demo-resident-2', 'grantSubscribe', { templateIds: [subscribeTemplates().notice] }));
    const run = await counted(() =>
      notify('demo', people, { type: 'notice.reminder', title: '配额', key: 'quota-test' }, new Date()),
    );
    expect(run.result).toBe(4);
    // One read finds the holders; one quota update (the holder's spend), one send recorded.
    expect(run.of('database.getDocument', 'subscribe_quota')).toBe(1);
    expect(run.of('database.modifyDocument', 'subscribe_quota')).toBe(1);
    const sends = await collection('subscribe_sends').where({ type: 'notice.reminder', openid: 'demo-resident-2' }).get();
    expect(sends.data).toHaveLength(1);
  });
});

describe('remind goes out in batches and the timer carries on', () => {
  it('a small reminder is done at once and says so', async () => {
    const n = data(await notices(WORKER, 'post', { title: '小提醒', body: '请留意。', category: '通知', buildings: ['5栋'] }));
    const res = data(await notices(WORKER, 'remind', { noticeId: n._id }));
    expect(res).toEqual({ sent: res.sent, pending: 0, done: true });
    expect(res.sent).toBeGreaterThan(0);
    const stats = data(await notices(WORKER, 'stats', { noticeId: n._id }));
    expect(stats).toMatchObject({ remindedCount: res.sent, remindPending: 0, remindDone: true });
  });

  it('a job left with a cursor is finished by the timer, nobody told twice', async () => {
    const n = data(await notices(WORKER, 'post', { title: '大提醒', body: '请留意。', category: '通知' }));
    const recipients = Array.from({ length: 25 }, (_, i) => `remind-person-${i}`);
    const job: ReminderDoc = {
      _id: n._id,
      communityId: 'demo',
      noticeId: n._id,
      message: {
        type: 'notice.reminder',
        title: '请查看',
        link: `/pages/notices/detail/index?id=${n._id}`,
        key: `notice.reminder:${n._id}`,
      },
      recipients,
      total: recipients.length,
      cursor: 0,
      sent: 0,
      done: false,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await collection(REMINDERS).add(job);
    await collection('notices').doc(n._id).update({ remindedAt: new Date() });
    // The deadline has passed: one batch goes out, the rest waits.
    const first = await continueReminder(job, new Date(), 0, 10);
    expect(first).toEqual({ sent: 10, pending: 15, done: false });
    expect(data(await notices(WORKER, 'stats', { noticeId: n._id }))).toMatchObject({ remindedCount: 10, remindPending: 15 });

    const timer = await runTimer(cloud);
    expect(timer.notices).toMatchObject({ sent: 15, running: 0 });
    // A stale copy of the job (a run that started before) sends nothing new.
    const stale = await continueReminder(job, new Date(), Infinity, 10);
    expect(stale).toMatchObject({ pending: 0, done: true });
    const told = await messagesWithKey(`notice.reminder:${n._id}`);
    expect(told.map((m) => m.openid).sort()).toEqual([...recipients].sort());
    const stored = (await collection(REMINDERS).doc(n._id).get()).data[0] as ReminderDoc;
    expect(stored).toMatchObject({ cursor: 25, sent: 25, done: true });
    expect(data(await notices(WORKER, 'stats', { noticeId: n._id }))).toMatchObject({
      remindedCount: 25,
      remindPending: 0,
      remindDone: true,
    });
    expect((await runTimer(cloud)).notices).toEqual({ jobs: 0, sent: 0, running: 0 });
  });
});
