// 玻璃口袋's accounts and the timer's question sweep (docs/ledger.md): workers add, rename,
// disable and order accounts (never delete; a disabled one takes no entries but keeps its
// statements); `accounts` answers each balance; a closed month stores each account's balance and
// later statements start from it; a question left open is told to the workers at yellow and red.
import { collection, findById } from '../../cloudfunctions/common/db';
import type { PeriodDoc, ProjectDoc, QuestionDoc } from '../../cloudfunctions/ledger/model';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { data, refusal, runTimer } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { forgetLimits } from '../helpers/limits';
import { startTestCloud } from '../helpers/local';
import { addSecondWorker, DEMO_ACCOUNTS, ledgerOf, OTHER_WORKER, RESIDENT, WORKER, WORKER2 } from '../helpers/ledger';

let cloud: LocalCloud;
let L: ReturnType<typeof ledgerOf>;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2032-05-10T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  await addSecondWorker();
  L = ledgerOf(cloud);
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});
beforeEach(forgetLimits);

describe('editing accounts', () => {
  test('a worker adds an account at the end; a repeat answers it; the same name is refused', async () => {
    const added = data(await L.call(WORKER, 'addAccount', { name: '广告收益', requestId: 'acct-add-0001' }));
    expect(added).toMatchObject({ name: '广告收益' });
    expect(added._id.startsWith('demo:a')).toBe(true);
    expect(data(await L.call(WORKER2, 'addAccount', { name: '广告收益', requestId: 'acct-add-0001' }))._id).toBe(added._id);
    expect(refusal(await L.call(WORKER, 'addAccount', { name: '别的名字', requestId: 'acct-add-0001' })).code).toBe('E_CONFLICT');
    expect(refusal(await L.call(WORKER, 'addAccount', { name: '捐赠', requestId: 'acct-add-0002' })).message).toContain(
      '已经有名为「捐赠」',
    );
    expect(refusal(await L.call(RESIDENT, 'addAccount', { name: '我的账户', requestId: 'acct-add-0003' })).code).toBe(
      'E_FORBIDDEN',
    );
    const list = data(await L.call(RESIDENT, 'accounts', {}));
    expect(list.items.map((a) => a.name)).toEqual(['公共收益', '维修资金', '专项补助', '捐赠', '广告收益']);
    // Another community never sees it.
    const other = data(await L.call(OTHER_WORKER, 'accounts', {}));
    expect(other.items.map((a) => a.name)).not.toContain('广告收益');
  });

  test("rename and reorder; another list than the community's is refused", async () => {
    const renamed = data(await L.call(WORKER, 'editAccount', { accountId: DEMO_ACCOUNTS.grant, name: '政府专项补助' }));
    expect(renamed).toEqual({ _id: DEMO_ACCOUNTS.grant, name: '政府专项补助' });
    expect(refusal(await L.call(WORKER, 'editAccount', { accountId: DEMO_ACCOUNTS.grant, name: '维修资金' })).code).toBe(
      'E_CONFLICT',
    );
    const ids = data(await L.call(WORKER, 'accounts', {})).items.map((a) => a._id);
    const reordered = [...ids].reverse();
    const res = data(await L.call(WORKER, 'orderAccounts', { accounts: reordered }));
    expect(res.items.map((a) => a._id)).toEqual(reordered);
    expect(data(await L.call(RESIDENT, 'accounts', {})).items.map((a) => a._id)).toEqual(reordered);
    expect(refusal(await L.call(WORKER, 'orderAccounts', { accounts: reordered.slice(1) })).code).toBe('E_CONFLICT');
    expect(refusal(await L.call(WORKER, 'orderAccounts', { accounts: [...reordered.slice(1), 'heping:public'] })).code).toBe(
      'E_CONFLICT',
    );
    data(await L.call(WORKER, 'orderAccounts', { accounts: ids }));
  });

  test('a disabled account takes no new entries, keeps its balance and statements, and can be enabled again', async () => {
    const e = await L.booked({
      account: DEMO_ACCOUNTS.donation,
      direction: 'in',
      amountFen: 5_000,
      date: '2032-05-02',
      summary: '爱心捐款',
    });
    const off = data(await L.call(WORKER, 'editAccount', { accountId: DEMO_ACCOUNTS.donation, disabled: true }));
    expect(off.disabled).toBe(true);
    const refused = refusal(
      await L.call(WORKER, 'record', {
        account: DEMO_ACCOUNTS.donation,
        direction: 'in',
        amountFen: 100,
        date: '2032-05-03',
        summary: '捐款',
        requestId: L.rid(),
      }),
    );
    expect([refused.code, refused.message]).toEqual(['E_CONFLICT', expect.stringContaining('已停用')]);
    const listed = data(await L.call(RESIDENT, 'accounts', {})).items.find((a) => a._id === DEMO_ACCOUNTS.donation);
    expect(listed).toMatchObject({ disabled: true, balanceFen: 5_000 });
    const st = data(await L.call(RESIDENT, 'statement', { month: '2032-05', account: DEMO_ACCOUNTS.donation }));
    expect(st).toMatchObject({ income: 5_000, closing: 5_000 });
    expect(st.items.map((i) => i._id)).toEqual([e._id]);
    // A correction of its past still goes in: a reversal of an approved entry.
    const reversal = data(await L.call(WORKER, 'reverse', { entryId: e._id, reason: '捐款人要求退回', requestId: L.rid() }));
    data(await L.call(WORKER, 'reject', { entryId: reversal._id, reason: '捐款人改变主意' }));
    expect(
      data(await L.call(WORKER, 'editAccount', { accountId: DEMO_ACCOUNTS.donation, disabled: false })).disabled,
    ).toBeUndefined();
    data(
      await L.call(WORKER, 'record', {
        account: DEMO_ACCOUNTS.donation,
        direction: 'in',
        amountFen: 100,
        date: '2032-05-03',
        summary: '捐款',
        requestId: L.rid(),
      }),
    );
    const audit = await collection('audit')
      .where({ target: `ledger_account:${DEMO_ACCOUNTS.donation}`, what: 'ledger.editAccount' })
      .get();
    expect(audit.data.map((a) => (a as { what: string }).what)).toEqual(['ledger.editAccount', 'ledger.editAccount']);
  });
});

describe('races', () => {
  test('one request id × 12 adds one account; 12 renames at once: one wins, the rest are told to refresh', async () => {
    const added = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        L.call(i % 2 ? WORKER : WORKER2, 'addAccount', { name: '场地租金', requestId: 'acct-race-0001' }),
      ),
    );
    expect(new Set(added.map((r) => data(r)._id)).size).toBe(1);
    expect((await collection('ledger_accounts').where({ communityId: 'demo', name: '场地租金' }).get()).data).toHaveLength(1);
    const id = data(added[0])._id;
    const renames = await Promise.all(
      Array.from({ length: 12 }, (_, i) => L.call(WORKER, 'editAccount', { accountId: id, name: `场地租金${i}` })),
    );
    const won = renames.filter((r) => r.ok);
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(renames.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'E_CONFLICT')).toBe(true);
    const stored = await findById<{ name: string; version: number }>('ledger_accounts', id);
    expect(stored!.version).toBe(1 + won.length);
  });
});

describe('stored balances', () => {
  test("a close stores each account's balance; later statements start from it and agree with a recount", async () => {
    at('2032-03-10T10:00:00+08:00');
    await L.booked({
      account: DEMO_ACCOUNTS.public,
      direction: 'in',
      amountFen: 10_000,
      date: '2032-01-05',
      summary: '车位租金',
    });
    await L.booked({ account: DEMO_ACCOUNTS.repair, direction: 'out', amountFen: 2_500, date: '2032-02-05', summary: '修门禁' });
    await L.booked({ account: DEMO_ACCOUNTS.public, direction: 'in', amountFen: 700, date: '2032-03-05', summary: '广告' });
    at('2032-05-10T10:00:00+08:00');
    data(await L.call(WORKER, 'close', { month: '2032-02' }));
    const p = (await findById<PeriodDoc>('ledger_periods', 'demo:2032-02'))!;
    expect(new Map(p.balances!.map((b) => [b.account, b.closing]))).toEqual(
      new Map([
        [DEMO_ACCOUNTS.public, 10_000],
        [DEMO_ACCOUNTS.repair, -2_500],
      ]),
    );
    // The stored balance is what the statement starts from: changing it shows (then put back).
    await collection('ledger_periods')
      .where({ _id: 'demo:2032-02' })
      .update({ balances: [{ account: DEMO_ACCOUNTS.public, closing: 1 }] });
    expect(data(await L.call(RESIDENT, 'statement', { month: '2032-03', account: DEMO_ACCOUNTS.public })).opening).toBe(1);
    await collection('ledger_periods').where({ _id: 'demo:2032-02' }).update({ balances: p.balances });
    const march = data(await L.call(RESIDENT, 'statement', { month: '2032-03', account: DEMO_ACCOUNTS.public }));
    expect(march).toMatchObject({ opening: 10_000, income: 700, closing: 10_700 });
    const q1 = data(await L.call(RESIDENT, 'quarter', { quarter: '2032-Q1' }));
    expect(q1).toMatchObject({ opening: 0, income: 10_700, expense: 2_500, closing: 8_200 });
    data(await L.call(WORKER, 'close', { month: '2032-03' }));
    const p3 = (await findById<PeriodDoc>('ledger_periods', 'demo:2032-03'))!;
    expect(p3).toMatchObject({ opening: 7_500, income: 700, expense: 0, closing: 8_200 });
    const byAccount = new Map(p3.balances!.map((b) => [b.account, b.closing]));
    expect([byAccount.get(DEMO_ACCOUNTS.public), byAccount.get(DEMO_ACCOUNTS.repair)]).toEqual([10_700, -2_500]);
    const accounts = data(await L.call(RESIDENT, 'accounts', {}));
    expect(accounts.closedThrough).toBe('2032-03');
    expect(accounts.items.find((a) => a._id === DEMO_ACCOUNTS.public)?.balanceFen).toBe(10_700);
  });
});

describe('the question sweep', () => {
  test('an open question is told to the workers at yellow, then at red, once each; an answered one never', async () => {
    at('2032-05-10T10:00:00+08:00');
    const entry = await L.booked({
      account: DEMO_ACCOUNTS.public,
      direction: 'out',
      amountFen: 300,
      date: '2032-05-10',
      summary: '买灯泡',
    });
    const q = data(await L.call(RESIDENT, 'ask', { entryId: entry._id, question: '买了几个灯泡？' }));
    const quiet = data(await L.call(RESIDENT, 'ask', { entryId: entry._id, question: '在哪里买的？' }));
    data(await L.call(WORKER2, 'answer', { questionId: quiet._id, answer: '五金店' }));
    const told = async (type: string) =>
      (await collection('messages').where({ openid: WORKER, type }).get()).data as { link: string }[];

    expect((await runTimer(cloud)).ledger).toEqual({ yellow: 0, red: 0, messages: 0, more: false });
    at('2032-05-12T19:36:00+08:00'); // 80 % of 72 h
    const first = (await runTimer(cloud)).ledger;
    expect(first).toMatchObject({ yellow: 1, red: 0 });
    expect(first.messages).toBeGreaterThanOrEqual(2); // both workers
    expect((await told('ledger.yellow')).map((m) => m.link)).toEqual([`/packages/ledger/entry/index?id=${entry._id}`]);
    expect((await runTimer(cloud)).ledger).toMatchObject({ yellow: 0, red: 0, messages: 0 });
    at('2032-05-13T10:00:00+08:00');
    expect((await runTimer(cloud)).ledger).toMatchObject({ red: 1, yellow: 0 });
    expect(await told('ledger.red')).toHaveLength(1);
    expect((await runTimer(cloud)).ledger).toMatchObject({ red: 0, messages: 0 });
    const stored = (await findById<QuestionDoc>('ledger_questions', q._id))!;
    expect([stored.yellowDue, stored.redDue, stored.status]).toEqual([null, null, 'open']);
    expect(await told('ledger.yellow')).toHaveLength(1);
  });

  test('answered before yellow: nothing is told', async () => {
    at('2032-05-20T10:00:00+08:00');
    const entry = await L.booked({
      account: DEMO_ACCOUNTS.public,
      direction: 'in',
      amountFen: 300,
      date: '2032-05-20',
      summary: '场地租金',
    });
    const q = data(await L.call(RESIDENT, 'ask', { entryId: entry._id, question: '租给谁了？' }));
    data(await L.call(WORKER, 'answer', { questionId: q._id, answer: '社区舞蹈队' }));
    at('2032-05-25T10:00:00+08:00');
    expect((await runTimer(cloud)).ledger).toEqual({ yellow: 0, red: 0, messages: 0, more: false });
  });
});

test("erasure: a worker's name and openid leave the progress notes they wrote (the notes stay)", async () => {
  const project = data(await L.call(WORKER, 'createProject', { name: '东门长椅', budgetFen: 50_000, requestId: L.rid() }));
  data(await L.call(WORKER2, 'progress', { projectId: project._id, note: '长椅已到货', requestId: L.rid() }));
  data(await L.call(WORKER, 'progress', { projectId: project._id, note: '长椅已安装', requestId: L.rid() }));
  data(await cloud.invoke('member', { action: 'erase', payload: {} }, WORKER2));
  const p = (await findById<ProjectDoc>('ledger_projects', project._id))!;
  expect(JSON.stringify(p)).not.toContain(WORKER2);
  expect(p.progress.map((n) => [n.note, n.byName])).toEqual([
    ['长椅已到货', '已注销用户'],
    ['长椅已安装', '李梅'],
  ]);
});
