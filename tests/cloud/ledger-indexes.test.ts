// Every query of the ledger is served by an index (database.json; the local cloud's planner,
// local/ordered-plan.ts, reports each read's plan): a scenario calls every ledger action, and no
// read of any collection is a scan; the ledger's reads walk the index named for them.
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { data, type Input } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { addSecondWorker, DEMO_ACCOUNTS, ledgerOf, RESIDENT, WORKER, WORKER2 } from '../helpers/ledger';
import type { LedgerApi } from '../../cloudfunctions/ledger/api';

let cloud: LocalCloud;
let L: ReturnType<typeof ledgerOf>;
const calls: DataCallRecord[] = [];
/** `action → the index names its ledger reads walked`. */
const walked: Record<string, string[]> = {};

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-05-10T10:00:00+08:00');
  cloud = await startTestCloud({ observe: { dataCall: (r) => calls.push(r) } });
  await seedIfEmpty(cloud);
  await addSecondWorker();
  L = ledgerOf(cloud);
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});

async function traced<A extends keyof LedgerApi & string>(who: string, action: A, payload: Input<LedgerApi, A>) {
  calls.length = 0;
  const out = data(await L.call(who, action, payload));
  const reads = calls.filter((c) => c.read);
  expect({ action, scans: reads.filter((c) => c.read!.plan === 'scan').map((c) => c.collection) }).toEqual({ action, scans: [] });
  const names = reads.filter((c) => c.collection?.startsWith('ledger_')).flatMap((c) => c.read!.indexes ?? []);
  walked[action] = [...new Set([...(walked[action] ?? []), ...names])];
  return out;
}

test('no read of any ledger action is a scan', async () => {
  const project = await traced(WORKER, 'createProject', { name: '楼道粉刷', budgetFen: 10_000, requestId: L.rid() });
  const entry = await traced(WORKER, 'record', {
    account: DEMO_ACCOUNTS.public,
    direction: 'out',
    amountFen: 500,
    date: '2031-04-05',
    summary: '涂料',
    project: project._id,
    requestId: L.rid(),
  });
  await traced(WORKER2, 'pending', {});
  await traced(WORKER2, 'approve', { entryId: entry._id });
  const reversal = await traced(WORKER, 'reverse', { entryId: entry._id, reason: '退货', requestId: L.rid() });
  await traced(WORKER2, 'reject', { entryId: reversal._id, reason: '不退了' });
  await traced(RESIDENT, 'accounts', {});
  await traced(RESIDENT, 'entry', { entryId: entry._id });
  await traced(RESIDENT, 'statement', { month: '2031-04' });
  await traced(RESIDENT, 'statement', { month: '2031-04', account: DEMO_ACCOUNTS.public });
  await traced(RESIDENT, 'quarter', { quarter: '2031-Q2' });
  await traced(RESIDENT, 'quarter', { quarter: '2031-Q2', account: DEMO_ACCOUNTS.repair });
  const q = await traced(RESIDENT, 'ask', { entryId: entry._id, question: '用了几桶？' });
  await traced(RESIDENT, 'questions', {});
  await traced(RESIDENT, 'questions', { open: true });
  await traced(RESIDENT, 'questions', { entryId: entry._id });
  await traced(RESIDENT, 'questions', { entryId: entry._id, open: true });
  await traced(WORKER, 'answer', { questionId: q._id, answer: '两桶' });
  await traced(WORKER, 'progress', { projectId: project._id, note: '已完工', requestId: L.rid() });
  await traced(RESIDENT, 'projects', {});
  await traced(RESIDENT, 'project', { projectId: project._id });
  await traced(WORKER, 'close', { month: '2031-04' });
  await traced(RESIDENT, 'periods', {});
  await traced(RESIDENT, 'rate', { month: '2031-04', stars: 5 });
  // After a close: statements and balances start from the stored balances (a read of the periods).
  await traced(RESIDENT, 'statement', { month: '2031-05', account: DEMO_ACCOUNTS.public });
  await traced(RESIDENT, 'accounts', {});
  const added = await traced(WORKER, 'addAccount', { name: '广告收益', requestId: L.rid() });
  await traced(WORKER, 'editAccount', { accountId: added._id, name: '广告位收益', disabled: true });
  const ids = (await traced(WORKER, 'accounts', {})).items.map((a) => a._id);
  await traced(WORKER, 'orderAccounts', { accounts: ids.reverse() });

  expect(walked.statement).toEqual(expect.arrayContaining(['community_status_month', 'community_account_status_month']));
  expect(walked.pending).toContain('community_status_created');
  expect(walked.accounts).toContain('community_order');
  expect(walked.periods).toContain('community_month');
  expect(walked.accounts).toContain('community_month'); // the latest stored balances
  expect(walked.statement).toContain('community_month');
  expect(walked.projects).toEqual(expect.arrayContaining(['community_created', 'community_project_status_date']));
  expect(walked.questions).toEqual(
    expect.arrayContaining([
      'community_asked',
      'community_status_asked',
      'community_entry_asked',
      'community_entry_status_asked',
    ]),
  );
});
