// Races on the ledger (docs/ledger.md, "Concurrency"): many callers at once through the real
// function, and exactly one outcome — one entry per request id, one reversal per entry, one
// approval, one rating per member and month, and a close that never publishes totals an approval
// changed under it.
import { collection, findById } from '../../cloudfunctions/common/db';
import { entryIdFor, type EntryDoc, type PeriodDoc } from '../../cloudfunctions/ledger/model';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { data, errorCode } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { forgetLimits } from '../helpers/limits';
import { startTestCloud } from '../helpers/local';
import { addSecondWorker, DEMO_ACCOUNTS, ledgerOf, RESIDENT, WORKER, WORKER2 } from '../helpers/ledger';

const N = 12;
let cloud: LocalCloud;
let L: ReturnType<typeof ledgerOf>;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-03-10T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  await addSecondWorker();
  // A third worker: two approvers can race.
  await collection('members')
    .where({ _id: 'demo:demo-volunteer-2' })
    .update({ roles: ['resident', 'volunteer', 'worker'] });
  L = ledgerOf(cloud);
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});
beforeEach(forgetLimits);

const body = (amountFen: number) => ({
  account: DEMO_ACCOUNTS.public,
  direction: 'in' as const,
  amountFen,
  date: '2031-03-01',
  summary: '停车费',
});
const auditOf = async (target: string) => (await collection('audit').where({ target }).limit(100).get()).data;

test(`${N} submissions of one request id make one entry, and every one answers it`, async () => {
  const requestId = 'race-record-0001';
  const answers = await Promise.all(Array.from({ length: N }, () => L.call(WORKER, 'record', { ...body(500), requestId })));
  const ids = new Set(answers.map((a) => data(a)._id));
  expect(ids).toEqual(new Set([entryIdFor('demo', requestId)]));
  const stored = await collection('ledger_entries')
    .where({ _id: entryIdFor('demo', requestId) })
    .get();
  expect(stored.data).toHaveLength(1);
  expect(await auditOf(`ledger_entry:${entryIdFor('demo', requestId)}`)).toHaveLength(1);
});

test('one request id with different bodies at once: one entry, the others E_CONFLICT', async () => {
  const requestId = 'race-record-0002';
  const answers = await Promise.all(
    Array.from({ length: N }, (_, i) => L.call(WORKER, 'record', { ...body(100 + i), requestId })),
  );
  const ok = answers.filter((a) => a.ok);
  expect(ok).toHaveLength(1);
  expect(answers.filter((a) => !a.ok).map(errorCode)).toEqual(Array(N - 1).fill('E_CONFLICT'));
  const stored = (await findById<EntryDoc>('ledger_entries', entryIdFor('demo', requestId)))!;
  expect(stored.amountFen).toBe(data(ok[0]).amountFen);
  // Another worker repeating it is the same request too: the id is the community's and the request's.
  expect(errorCode(await L.call(WORKER2, 'record', { ...body(99_999), requestId }))).toBe('E_CONFLICT');
});

test('two approvers at once: one approval', async () => {
  const entry = data(await L.call(WORKER, 'record', { ...body(700), requestId: 'race-approve-01' }));
  const answers = await Promise.all(
    [WORKER2, 'demo-volunteer-2', WORKER2, 'demo-volunteer-2'].map((who) => L.call(who, 'approve', { entryId: entry._id })),
  );
  expect(answers.filter((a) => a.ok)).toHaveLength(1);
  expect(answers.filter((a) => !a.ok).map(errorCode)).toEqual(['E_CONFLICT', 'E_CONFLICT', 'E_CONFLICT']);
  expect(await auditOf(`ledger_entry:${entry._id}`)).toHaveLength(2); // recorded, approved
});

test(`${N} reversals of one entry at once (different request ids): exactly one`, async () => {
  const entry = await L.booked({ ...body(900) });
  const answers = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      L.call(WORKER, 'reverse', { entryId: entry._id, reason: '重复', requestId: `race-reverse-${i}-0` }),
    ),
  );
  const ok = answers.filter((a) => a.ok);
  expect(ok).toHaveLength(1);
  const reversals = await collection('ledger_entries').where({ communityId: 'demo', reverses: entry._id }).get();
  expect(reversals.data).toHaveLength(1);
  expect((await findById<EntryDoc>('ledger_entries', entry._id))!.reversedBy).toBe(data(ok[0])._id);
});

test(`${N} reversals with one request id: one reversal, every answer is it`, async () => {
  const entry = await L.booked({ ...body(1_100) });
  const answers = await Promise.all(
    Array.from({ length: N }, () =>
      L.call(WORKER, 'reverse', { entryId: entry._id, reason: '重复', requestId: 'race-reverse-same' }),
    ),
  );
  expect(new Set(answers.map((a) => data(a)._id)).size).toBe(1);
  const reversals = await collection('ledger_entries').where({ communityId: 'demo', reverses: entry._id }).get();
  expect(reversals.data).toHaveLength(1);
});

test('a member rating one month many times at once: one rating', async () => {
  at('2031-04-02T10:00:00+08:00');
  const pending = await collection('ledger_entries').where({ communityId: 'demo', status: 'pending' }).get();
  for (const e of pending.data as EntryDoc[]) data(await L.call(WORKER2, 'reject', { entryId: e._id, reason: '清理' }));
  data(await L.call(WORKER, 'close', { month: '2031-03' }));
  const answers = await Promise.all(Array.from({ length: N }, () => L.call(RESIDENT, 'rate', { month: '2031-03', stars: 3 })));
  expect(answers.filter((a) => a.ok)).toHaveLength(1);
  const period = (await findById<PeriodDoc>('ledger_periods', 'demo:2031-03'))!;
  expect([period.ratingCount, period.ratingSum]).toEqual([1, 3]);
});

test('closing a month while its last entry is approved: the published totals are the statement', async () => {
  for (let round = 0; round < 4; round++) {
    const month = `2031-0${4 + round}`;
    at(`2031-0${4 + round}-10T10:00:00+08:00`);
    const entry = data(
      await L.call(WORKER, 'record', { ...body(1_000 + round), date: `${month}-05`, requestId: `race-close-${round}-0` }),
    );
    at(`2031-0${5 + round}-02T10:00:00+08:00`);
    const [approved, closed] = await Promise.all([
      L.call(WORKER2, 'approve', { entryId: entry._id }),
      L.call(WORKER, 'close', { month }),
    ]);
    const statement = data(await L.call(RESIDENT, 'statement', { month }));
    if (closed.ok) {
      // Closed: the entry was approved first (a close never passes a pending one), and the notice's totals are the statement's.
      expect(approved.ok).toBe(true);
      expect(data(closed).closing).toBe(statement.closing);
      expect(statement.items.map((i) => i._id)).toContain(entry._id);
    } else {
      expect(errorCode(closed)).toBe('E_CONFLICT');
      expect(approved.ok).toBe(true);
      const again = data(await L.call(WORKER, 'close', { month }));
      expect(again.closing).toBe(statement.closing);
    }
  }
});
