// 玻璃口袋 (docs/ledger.md) through the real function on the local cloud: accounts, recording and
// two-person approval, reversal, statements by month and quarter, closing a month into a notice,
// questions with their light, ratings, and what residents may not see.
import { collection, findById } from '../../cloudfunctions/common/db';
import { entryIdFor, type EntryDoc } from '../../cloudfunctions/ledger/model';
import type { NoticeDoc } from '../../cloudfunctions/notices/model';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { data, refusal } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { startTestCloud, uploadAs } from '../helpers/local';
import {
  addSecondWorker,
  DEMO_ACCOUNTS,
  ledgerOf,
  OTHER_RESIDENT,
  OTHER_WORKER,
  RESIDENT,
  VOLUNTEER,
  WORKER,
  WORKER2,
} from '../helpers/ledger';

let cloud: LocalCloud;
let L: ReturnType<typeof ledgerOf>;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2030-04-10T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  await addSecondWorker();
  L = ledgerOf(cloud);
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});

const entryDoc = async (id: string) => (await findById<EntryDoc>('ledger_entries', id))!;

test('the demo community has its four accounts; another community has its own', async () => {
  const demo = data(await L.call(RESIDENT, 'accounts', {}));
  expect(demo.closedThrough).toBeNull();
  expect(demo.items.every((a) => a.balanceFen === 0 && !a.disabled)).toBe(true);
  expect(demo.items.map(({ _id, name }) => ({ _id, name }))).toEqual([
    { _id: DEMO_ACCOUNTS.public, name: '公共收益' },
    { _id: DEMO_ACCOUNTS.repair, name: '维修资金' },
    { _id: DEMO_ACCOUNTS.grant, name: '专项补助' },
    { _id: DEMO_ACCOUNTS.donation, name: '捐赠' },
  ]);
  const other = data(await L.call(OTHER_RESIDENT, 'accounts', {}));
  expect(other.items.map((a) => a.name)).toEqual(['公共收益', '维修资金', '专项补助', '捐赠']);
  expect(other.items.every((a) => a._id.startsWith('heping:'))).toBe(true);
});

describe('recording and approval', () => {
  test('an entry counts only once a second worker approves it', async () => {
    const entry = data(
      await L.call(WORKER, 'record', {
        account: DEMO_ACCOUNTS.public,
        direction: 'in',
        amountFen: 120_000,
        date: '2030-04-02',
        summary: '地面停车位三月租金',
        counterparty: '小区停车管理公司',
        counterpartyKind: 'org',
        basis: '2029年业主大会决议第3项',
        requestId: L.rid('approve'),
      }),
    );
    expect(entry).toMatchObject({ status: 'pending', amountFen: 120_000, direction: 'in', recordedByName: '李梅' });
    const before = data(await L.call(RESIDENT, 'statement', { month: '2030-04' }));
    expect(before.items.map((i) => i._id)).not.toContain(entry._id);
    // Residents cannot see a pending entry at all.
    expect(refusal(await L.call(RESIDENT, 'entry', { entryId: entry._id })).code).toBe('E_NOT_FOUND');

    expect(refusal(await L.call(WORKER, 'approve', { entryId: entry._id }))).toEqual({
      code: 'E_FORBIDDEN',
      message: '复核需由记账人以外的另一位社区工作者完成',
    });
    const approved = data(await L.call(WORKER2, 'approve', { entryId: entry._id }));
    expect(approved).toMatchObject({ status: 'approved', approvedByName: '陈志强' });
    expect(refusal(await L.call(WORKER2, 'approve', { entryId: entry._id })).code).toBe('E_CONFLICT');

    const after = data(await L.call(RESIDENT, 'statement', { month: '2030-04' }));
    expect(after.income - before.income).toBe(120_000);
    expect(after.closing - before.closing).toBe(120_000);
    expect(after.items.find((i) => i._id === entry._id)).toMatchObject({ direction: 'in', amountFen: 120_000 });
  });

  test('a rejected entry never counts and stays in the book', async () => {
    const entry = data(
      await L.call(WORKER, 'record', {
        account: DEMO_ACCOUNTS.donation,
        direction: 'in',
        amountFen: 5_000,
        date: '2030-04-03',
        summary: '金额记错的捐赠',
        requestId: L.rid('reject'),
      }),
    );
    const rejected = data(await L.call(WORKER, 'reject', { entryId: entry._id, reason: '金额写错' }));
    expect(rejected.status).toBe('rejected');
    expect((await entryDoc(entry._id)).amountFen).toBe(5_000);
    expect(refusal(await L.call(WORKER2, 'approve', { entryId: entry._id })).code).toBe('E_CONFLICT');
    const st = data(await L.call(WORKER, 'statement', { month: '2030-04', account: DEMO_ACCOUNTS.donation }));
    expect(st.items.map((i) => i._id)).not.toContain(entry._id);
  });

  test('future dates and foreign accounts are refused, nothing written', async () => {
    const base = { direction: 'in' as const, amountFen: 100, summary: '测试', requestId: L.rid('bad') };
    expect(refusal(await L.call(WORKER, 'record', { ...base, account: DEMO_ACCOUNTS.public, date: '2030-04-11' }))).toEqual({
      code: 'E_VALIDATION',
      message: '日期不能晚于今天，请重新选择',
    });
    expect(refusal(await L.call(WORKER, 'record', { ...base, account: 'heping:public', date: '2030-04-01' })).code).toBe(
      'E_NOT_FOUND',
    );
    expect(await findById('ledger_entries', entryIdFor('demo', base.requestId))).toBeNull();
  });

  test('pending lists entries awaiting approval, for workers only', async () => {
    const entry = data(
      await L.call(WORKER, 'record', {
        account: DEMO_ACCOUNTS.grant,
        direction: 'in',
        amountFen: 300_000,
        date: '2030-04-05',
        summary: '街道养老服务专项补助',
        requestId: L.rid('pending'),
      }),
    );
    const list = data(await L.call(WORKER2, 'pending', {}));
    expect(list.items.map((i) => i._id)).toContain(entry._id);
    expect(refusal(await L.call(RESIDENT, 'pending', {})).code).toBe('E_FORBIDDEN');
    data(await L.call(WORKER2, 'approve', { entryId: entry._id }));
  });
});

describe('privacy', () => {
  test('a person who paid shows to residents as 个人, with no receipts; workers see the name', async () => {
    const receipt = await uploadAs(cloud, WORKER, 'ledger');
    const entry = await L.booked({
      account: DEMO_ACCOUNTS.donation,
      direction: 'in',
      amountFen: 20_000,
      date: '2030-04-06',
      summary: '居民捐赠用于楼道绿化',
      counterparty: '王建华',
      receipts: [receipt],
    });
    expect(entry.counterparty).toBe('王建华');
    const seen = data(await L.call(RESIDENT, 'entry', { entryId: entry._id }));
    expect(seen).toMatchObject({ counterparty: '个人', counterpartyKind: 'person', receipts: [], pictureCount: 1 });
    const st = data(await L.call(VOLUNTEER, 'statement', { month: '2030-04', account: DEMO_ACCOUNTS.donation }));
    expect(JSON.stringify(st)).not.toContain('王建华');
    expect(JSON.stringify(st)).not.toContain(receipt);
  });

  test('another community sees none of it', async () => {
    const entry = await L.booked({
      account: DEMO_ACCOUNTS.public,
      direction: 'out',
      amountFen: 1_000,
      date: '2030-04-07',
      summary: '购买垃圾袋',
    });
    for (const who of [OTHER_WORKER, OTHER_RESIDENT]) {
      expect(refusal(await L.call(who, 'entry', { entryId: entry._id })).code).toBe('E_NOT_FOUND');
      expect(refusal(await L.call(who, 'ask', { entryId: entry._id, question: '买了多少？' })).code).toBe('E_NOT_FOUND');
      const st = data(await L.call(who, 'statement', { month: '2030-04' }));
      expect(st).toMatchObject({ opening: 0, income: 0, expense: 0, closing: 0, items: [] });
      expect(refusal(await L.call(who, 'statement', { month: '2030-04', account: DEMO_ACCOUNTS.public })).code).toBe(
        'E_NOT_FOUND',
      );
    }
    expect(refusal(await L.call(OTHER_WORKER, 'reverse', { entryId: entry._id, reason: '试试', requestId: L.rid() })).code).toBe(
      'E_NOT_FOUND',
    );
  });
});

describe('reversal', () => {
  test('a reversing entry points at the original, nets to zero once approved, and happens once', async () => {
    const original = await L.booked({
      account: DEMO_ACCOUNTS.repair,
      direction: 'out',
      amountFen: 88_800,
      date: '2030-03-15',
      summary: '3栋屋面防水维修',
    });
    const before = data(await L.call(WORKER, 'statement', { month: '2030-04', account: DEMO_ACCOUNTS.repair }));
    const requestId = L.rid('rev');
    const reversal = data(await L.call(WORKER, 'reverse', { entryId: original._id, reason: '重复记账', requestId }));
    expect(reversal).toMatchObject({
      reverses: original._id,
      direction: 'in',
      amountFen: 88_800,
      date: '2030-04-10',
      status: 'pending',
      summary: '冲销：3栋屋面防水维修',
    });
    // The same request again answers the same reversal; another request is refused.
    expect(data(await L.call(WORKER, 'reverse', { entryId: original._id, reason: '重复记账', requestId }))._id).toBe(
      reversal._id,
    );
    expect(refusal(await L.call(WORKER, 'reverse', { entryId: original._id, reason: '重复记账', requestId: L.rid() })).code).toBe(
      'E_CONFLICT',
    );
    expect(refusal(await L.call(WORKER, 'reverse', { entryId: original._id, reason: '别的原因', requestId })).code).toBe(
      'E_CONFLICT',
    );
    data(await L.call(WORKER2, 'approve', { entryId: reversal._id }));
    const after = data(await L.call(WORKER, 'statement', { month: '2030-04', account: DEMO_ACCOUNTS.repair }));
    expect(after.income - before.income).toBe(88_800);
    // March keeps the original: it is never edited.
    const doc = await entryDoc(original._id);
    expect(doc).toMatchObject({ amountFen: 88_800, direction: 'out', date: '2030-03-15', reversedBy: reversal._id });
    expect(refusal(await L.call(WORKER, 'reverse', { entryId: reversal._id, reason: '再冲', requestId: L.rid() })).code).toBe(
      'E_CONFLICT',
    );
  });

  test('rejecting a pending reversal frees the original to be reversed again', async () => {
    const original = await L.booked({
      account: DEMO_ACCOUNTS.public,
      direction: 'in',
      amountFen: 6_600,
      date: '2030-04-08',
      summary: '广告位收入',
    });
    const first = data(await L.call(WORKER, 'reverse', { entryId: original._id, reason: '冲错了', requestId: L.rid() }));
    data(await L.call(WORKER2, 'reject', { entryId: first._id, reason: '不该冲销' }));
    expect((await entryDoc(original._id)).reversedBy).toBeNull();
    const second = data(await L.call(WORKER, 'reverse', { entryId: original._id, reason: '确实重复', requestId: L.rid() }));
    expect((await entryDoc(original._id)).reversedBy).toBe(second._id);
    data(await L.call(WORKER2, 'approve', { entryId: second._id }));
  });

  test('a pending entry cannot be reversed (it is rejected instead)', async () => {
    const entry = data(
      await L.call(WORKER, 'record', {
        account: DEMO_ACCOUNTS.public,
        direction: 'in',
        amountFen: 10,
        date: '2030-04-09',
        summary: '待复核',
        requestId: L.rid(),
      }),
    );
    expect(refusal(await L.call(WORKER, 'reverse', { entryId: entry._id, reason: '错了', requestId: L.rid() })).code).toBe(
      'E_CONFLICT',
    );
    data(await L.call(WORKER, 'reject', { entryId: entry._id, reason: '错了' }));
  });
});

describe('statements and closing', () => {
  test('closing March publishes its statement as a notice; March then takes no entries', async () => {
    await L.booked({
      account: DEMO_ACCOUNTS.public,
      direction: 'in',
      amountFen: 50_000,
      date: '2030-02-20',
      summary: '二月广告收入',
    });
    await L.booked({
      account: DEMO_ACCOUNTS.public,
      direction: 'out',
      amountFen: 12_345,
      date: '2030-03-02',
      summary: '三月保洁用品',
    });
    const feb = data(await L.call(RESIDENT, 'statement', { month: '2030-02' }));
    const mar = data(await L.call(RESIDENT, 'statement', { month: '2030-03' }));
    expect(mar.opening).toBe(feb.closing);
    expect(mar.closing).toBe(mar.opening + mar.income - mar.expense);
    const q1 = data(await L.call(RESIDENT, 'quarter', { quarter: '2030-Q1' }));
    expect(q1).toMatchObject({
      opening: 0,
      closing: mar.closing,
      income: feb.income + mar.income,
      expense: feb.expense + mar.expense,
    });

    expect(refusal(await L.call(WORKER, 'close', { month: '2030-04' })).code).toBe('E_CONFLICT'); // not over yet
    expect(refusal(await L.call(RESIDENT, 'close', { month: '2030-03' })).code).toBe('E_FORBIDDEN');
    const period = data(await L.call(WORKER, 'close', { month: '2030-03' }));
    expect(period).toMatchObject({
      month: '2030-03',
      opening: mar.opening,
      income: mar.income,
      expense: mar.expense,
      closing: mar.closing,
    });
    expect(refusal(await L.call(WORKER, 'close', { month: '2030-03' })).code).toBe('E_CONFLICT');

    const notice = (await findById<NoticeDoc>('notices', period.noticeId))!;
    expect(notice).toMatchObject({ title: '2030年3月社区账目公示', category: '议事公示', status: 'published', audience: ['*'] });
    expect(notice.body).toContain('第1季度合计');
    // Residents read it through notices, which records a read receipt.
    const read = await cloud.invoke('notices', { action: 'get', payload: { noticeId: period.noticeId } }, RESIDENT);
    expect(read.ok).toBe(true);
    expect(await findById('notice_reads', `${period.noticeId}:${RESIDENT}`)).not.toBeNull();

    const late = await L.call(WORKER, 'record', {
      account: DEMO_ACCOUNTS.public,
      direction: 'in',
      amountFen: 100,
      date: '2030-03-31',
      summary: '补记三月收入',
      requestId: L.rid(),
    });
    expect(refusal(late)).toEqual({
      code: 'E_CONFLICT',
      message: '2030年3月及以前的账期已结账，不能再记入；更正请在本期记一笔冲销或调整',
    });
    const again = data(await L.call(RESIDENT, 'statement', { month: '2030-03' }));
    expect(again).toMatchObject({ closed: true, noticeId: period.noticeId, closing: mar.closing });
    expect((await L.call(RESIDENT, 'periods', {})).ok && data(await L.call(RESIDENT, 'periods', {})).items[0].month).toBe(
      '2030-03',
    );
  });

  test('members rate a closed month once, 1–5', async () => {
    const first = data(await L.call(RESIDENT, 'rate', { month: '2030-03', stars: 4 }));
    expect(first).toEqual({ month: '2030-03', stars: 4, count: 1, average: 4 });
    expect(refusal(await L.call(RESIDENT, 'rate', { month: '2030-03', stars: 5 })).code).toBe('E_CONFLICT');
    expect(data(await L.call(VOLUNTEER, 'rate', { month: '2030-03', stars: 5 }))).toMatchObject({ count: 2, average: 4.5 });
    expect(refusal(await L.call(RESIDENT, 'rate', { month: '2030-03', stars: 6 })).code).toBe('E_VALIDATION');
    expect(refusal(await L.call(RESIDENT, 'rate', { month: '2030-01', stars: 3 })).code).toBe('E_CONFLICT');
    const st = data(await L.call(RESIDENT, 'statement', { month: '2030-03' }));
    expect(st.rating).toEqual({ count: 2, average: 4.5, mine: 4 });
  });
});

describe('questions', () => {
  test('a resident asks, the light runs green → yellow → red, a worker answers once', async () => {
    const entry = await L.booked({
      account: DEMO_ACCOUNTS.public,
      direction: 'out',
      amountFen: 30_000,
      date: '2030-04-10',
      summary: '更换楼道灯',
    });
    const asked = data(await L.call(RESIDENT, 'ask', { entryId: entry._id, question: '换了几盏灯？' }));
    expect(asked).toMatchObject({ status: 'open', light: 'green', mine: true });
    expect(Date.parse(asked.dueAt) - Date.parse(asked.askedAt)).toBe(3 * 24 * 3600_000);
    const inbox = await collection('messages').where({ openid: WORKER, type: 'ledger.question' }).get();
    expect(inbox.data.length).toBeGreaterThan(0);

    at('2030-04-12T19:35:00+08:00');
    expect(data(await L.call(VOLUNTEER, 'questions', { entryId: entry._id })).items[0].light).toBe('green');
    at('2030-04-12T19:36:00+08:00'); // 80 % of 72 h after 10:00 on the 10th
    let seen = data(await L.call(VOLUNTEER, 'questions', { entryId: entry._id }));
    expect(seen.items[0]).toMatchObject({ light: 'yellow', mine: false });
    expect(JSON.stringify(seen)).not.toContain(RESIDENT);
    at('2030-04-13T10:00:00+08:00');
    seen = data(await L.call(WORKER, 'questions', { open: true }));
    expect(seen.items.find((q) => q._id === asked._id)?.light).toBe('red');

    const answered = data(await L.call(WORKER2, 'answer', { questionId: asked._id, answer: '共更换 12 盏 LED 灯。' }));
    expect(answered).toMatchObject({ status: 'answered', answer: '共更换 12 盏 LED 灯。', answeredByName: '陈志强' });
    expect(answered.light).toBeUndefined();
    expect(refusal(await L.call(WORKER, 'answer', { questionId: asked._id, answer: '再答' })).code).toBe('E_CONFLICT');
    expect(refusal(await L.call(RESIDENT, 'answer', { questionId: asked._id, answer: '我来答' })).code).toBe('E_FORBIDDEN');
    const note = await collection('messages').where({ openid: RESIDENT, type: 'ledger.answered' }).get();
    expect(note.data).toHaveLength(1);
    at('2030-04-10T10:00:00+08:00');
  });
});

describe('closing later (last: it closes April too)', () => {
  test('a month with pending entries cannot be closed', async () => {
    at('2030-06-02T10:00:00+08:00');
    const entry = data(
      await L.call(WORKER, 'record', {
        account: DEMO_ACCOUNTS.public,
        direction: 'in',
        amountFen: 700,
        date: '2030-05-20',
        summary: '五月收入',
        requestId: L.rid(),
      }),
    );
    expect(refusal(await L.call(WORKER, 'close', { month: '2030-05' })).message).toContain('1 笔账目待复核');
    data(await L.call(WORKER2, 'approve', { entryId: entry._id }));
    data(await L.call(WORKER, 'close', { month: '2030-05' }));
    // Closing May closed April with it: April takes nothing new either.
    const april = await L.call(WORKER, 'record', {
      account: DEMO_ACCOUNTS.public,
      direction: 'in',
      amountFen: 1,
      date: '2030-04-30',
      summary: '补记',
      requestId: L.rid(),
    });
    expect(refusal(april).code).toBe('E_CONFLICT');
  });
});
