// Authorization table: every ledger action × resident / volunteer / worker / pending member /
// non-member / no identity / the other community's resident and worker. Payloads are valid, so only
// access decides; every refusal writes nothing. Residents cannot record; another community sees
// nothing of this one (its own lists answer its own, empty, book).
import type { LedgerApi } from '../../cloudfunctions/ledger/api';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { LocalCloud } from '../../local/cloud';
import { DEMO_INVITES, seedIfEmpty } from '../../local/seed';
import { caller, data, errorCode } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { forgetLimits } from '../helpers/limits';
import { startTestCloud } from '../helpers/local';
import { addSecondWorker, DEMO_ACCOUNTS, ledgerOf, WORKER, WORKER2 } from '../helpers/ledger';
import { WriteWatch } from '../helpers/snapshot';

type Who =
  'resident' | 'volunteer' | 'worker' | 'pending member' | 'non-member' | 'no identity' | 'other resident' | 'other worker';
const OPENID: Record<Who, string | undefined> = {
  resident: 'demo-resident-5',
  volunteer: 'demo-volunteer-1',
  worker: WORKER2, // not the recorder of the fixtures: may approve them
  'pending member': 'ledger-applicant',
  'non-member': 'nobody-at-all',
  'no identity': undefined,
  'other resident': 'other-resident',
  'other worker': 'other-worker',
};
const EVERYONE = Object.keys(OPENID) as Who[];
const FIXED: Partial<Record<Who, string>> = {
  'pending member': 'E_NOT_MEMBER',
  'non-member': 'E_NOT_MEMBER',
  'no identity': 'E_UNAUTHENTICATED',
};

let cloud: LocalCloud;
let L: ReturnType<typeof ledgerOf>;
const ids = { toApprove: '', toReject: '', approved: '', question: '', project: '' };

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-03-10T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  await addSecondWorker();
  L = ledgerOf(cloud);
  const record = async (date: string) =>
    data(
      await L.call(WORKER, 'record', {
        account: DEMO_ACCOUNTS.public,
        direction: 'in',
        amountFen: 100,
        date,
        summary: '租金',
        requestId: L.rid('auth'),
      }),
    )._id;
  const january = await record('2031-01-05');
  data(await L.call(WORKER2, 'approve', { entryId: january }));
  ids.approved = await record('2031-03-05');
  data(await L.call(WORKER2, 'approve', { entryId: ids.approved }));
  ids.toApprove = await record('2031-03-06');
  ids.toReject = await record('2031-03-07');
  ids.question = data(await L.call('demo-resident-2', 'ask', { entryId: ids.approved, question: '哪里的租金？' }))._id;
  data(await L.call(WORKER, 'close', { month: '2031-01' }));
  ids.project = data(
    await L.call(WORKER, 'createProject', { name: '加装电梯', budgetFen: 100_000, requestId: L.rid('proj') }),
  )._id;
  data(
    await caller<MemberApi>(cloud, 'member')('ledger-applicant', 'join', {
      inviteCode: DEMO_INVITES.pending,
      name: '新住户',
      building: '3栋',
      room: '902',
    }),
  );
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});
beforeEach(forgetLimits);

const MEMBERS_OK = { resident: 'OK', volunteer: 'OK', worker: 'OK', 'other resident': 'OK', 'other worker': 'OK' } as const;
/** Something of this community: to the other community it does not exist. */
const THIS_COMMUNITY = { ...MEMBERS_OK, 'other resident': 'E_NOT_FOUND', 'other worker': 'E_NOT_FOUND' } as const;
const WORKER_ONLY = {
  resident: 'E_FORBIDDEN',
  volunteer: 'E_FORBIDDEN',
  worker: 'OK',
  'other resident': 'E_FORBIDDEN',
  'other worker': 'E_NOT_FOUND',
} as const;
const slug = (who: Who) => who.replace(/ /g, '-');

const table: [keyof LedgerApi, (who: Who) => unknown, Partial<Record<Who, string>>][] = [
  ['accounts', () => ({}), MEMBERS_OK],
  ['statement', () => ({ month: '2031-03' }), MEMBERS_OK],
  ['statement', () => ({ month: '2031-03', account: DEMO_ACCOUNTS.public }), THIS_COMMUNITY],
  ['quarter', () => ({ quarter: '2031-Q1' }), MEMBERS_OK],
  ['periods', () => ({}), MEMBERS_OK],
  ['entry', () => ({ entryId: ids.approved }), THIS_COMMUNITY],
  ['questions', () => ({ entryId: ids.approved }), THIS_COMMUNITY],
  ['ask', () => ({ entryId: ids.approved, question: '这笔钱怎么用？' }), THIS_COMMUNITY],
  // Another community has no closed month to rate: refused as not published.
  [
    'rate',
    () => ({ month: '2031-01', stars: 4 }),
    { ...MEMBERS_OK, 'other resident': 'E_CONFLICT', 'other worker': 'E_CONFLICT' },
  ],
  [
    'record',
    (who) => ({
      account: DEMO_ACCOUNTS.grant,
      direction: 'out',
      amountFen: 500,
      date: '2031-03-08',
      summary: '购买药箱',
      requestId: `auth-record-${slug(who)}`,
    }),
    WORKER_ONLY,
  ],
  ['approve', () => ({ entryId: ids.toApprove }), WORKER_ONLY],
  ['reject', () => ({ entryId: ids.toReject, reason: '票据不全' }), WORKER_ONLY],
  ['reverse', (who) => ({ entryId: ids.approved, reason: '重复记账', requestId: `auth-reverse-${slug(who)}` }), WORKER_ONLY],
  ['answer', () => ({ questionId: ids.question, answer: '地面车位租金' }), WORKER_ONLY],
  ['pending', () => ({}), { ...WORKER_ONLY, 'other worker': 'OK' }],
  ['projects', () => ({}), MEMBERS_OK],
  ['project', () => ({ projectId: ids.project }), THIS_COMMUNITY],
  [
    'createProject',
    (who) => ({ name: '楼道粉刷', budgetFen: 9_000, requestId: `auth-project-${slug(who)}` }),
    { ...WORKER_ONLY, 'other worker': 'OK' },
  ],
  ['progress', (who) => ({ projectId: ids.project, note: '已开工', requestId: `auth-progress-${slug(who)}` }), WORKER_ONLY],
  [
    'orderAccounts',
    () => ({ accounts: [DEMO_ACCOUNTS.repair, DEMO_ACCOUNTS.public, DEMO_ACCOUNTS.grant, DEMO_ACCOUNTS.donation] }),
    // Another community's list is not this one: refused as a changed list, as for made-up ids.
    { ...WORKER_ONLY, 'other worker': 'E_CONFLICT' },
  ],
  [
    'addAccount',
    (who) => ({ name: '广告收益', requestId: `auth-account-${slug(who)}` }),
    { ...WORKER_ONLY, 'other worker': 'OK' },
  ],
  ['editAccount', () => ({ accountId: DEMO_ACCOUNTS.donation, name: '捐赠款' }), WORKER_ONLY],
  // The other community's worker closes their own community's February.
  ['close', () => ({ month: '2031-02' }), { ...WORKER_ONLY, 'other worker': 'OK' }],
];

describe('authorization table', () => {
  const watch = new WriteWatch(() => cloud.dataDir);
  for (const [act, payload, expected] of table) {
    for (const who of EVERYONE) {
      const want = FIXED[who] ?? expected[who];
      it(`${act} ${JSON.stringify(payload('worker')).slice(0, 40)} as ${who} → ${want}`, async () => {
        expect(want).toBeDefined();
        const before = want === 'OK' ? undefined : await watch.before();
        const res = await cloud.invoke('ledger', { action: act, payload: payload(who) }, OPENID[who]);
        expect(errorCode(res)).toBe(want);
        if (!res.ok) expect(res.error.message).toMatch(/[\u4e00-\u9fa5]/);
        if (before) expect(await watch.written(before)).toEqual([]);
      });
    }
  }

  it("the other community's lists show only their own book", async () => {
    const st = data(await L.call('other-resident', 'statement', { month: '2031-03' }));
    expect(st).toMatchObject({ opening: 0, income: 0, expense: 0, closing: 0, items: [] });
    const periods = data(await L.call('other-resident', 'periods', {}));
    expect(periods.items.map((p) => p.month)).toEqual(['2031-02']);
    const pending = data(await L.call('other-worker', 'pending', {}));
    expect(pending.items).toEqual([]);
  });

  it('an unknown action is answered as such', async () => {
    expect(errorCode(await cloud.invoke('ledger', { action: 'editEntry', payload: {} }, WORKER))).toBe('E_UNKNOWN_ACTION');
  });
});
