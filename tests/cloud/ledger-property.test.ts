// Totals always add up (issue #16, docs/ledger.md): fast-check builds random ledgers through the
// real `ledger` function — entries in random accounts, months and directions, approved or rejected,
// reversals approved or rejected, months closed — and after every run checks every statement
// against a model of what was approved: opening + income − expense = closing, each month's closing
// is the next month's opening, the items add up to income and expense, quarters agree with their
// months, reversed pairs net to zero, no entry's money fields ever changed, and the balances each
// close stores (statements start from them) agree with a recount of every entry.
import fc from 'fast-check';
import { collection, findById } from '../../cloudfunctions/common/db';
import type { LedgerApi, StatementView } from '../../cloudfunctions/ledger/api';
import type { EntryDoc, PeriodDoc } from '../../cloudfunctions/ledger/model';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { data, errorCode, type Input } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { forgetLimits } from '../helpers/limits';
import { startTestCloud } from '../helpers/local';
import { addSecondWorker, DEMO_ACCOUNTS, ledgerOf, RESIDENT, WORKER, WORKER2 } from '../helpers/ledger';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const ACCOUNTS = Object.values(DEMO_ACCOUNTS);
const MONTHS = Array.from({ length: 12 }, (_, i) => `2031-${String(i + 1).padStart(2, '0')}`);
const TODAY = '2031-12-15';

let cloud: LocalCloud;
let L: ReturnType<typeof ledgerOf>;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at(`${TODAY}T10:00:00+08:00`);
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  await addSecondWorker();
  L = ledgerOf(cloud);
}, 30_000);
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});

/** What the test knows was approved, and every entry as it was recorded. */
interface Known {
  _id: string;
  account: string;
  direction: 'in' | 'out';
  amountFen: number;
  month: string;
  date: string;
  summary: string;
  approved: boolean;
  reverses?: string;
  reversedBy?: string;
}
const known = new Map<string, Known>();
let closedThrough: string | null = null;

type Op =
  | { kind: 'record'; account: number; direction: 'in' | 'out'; amountFen: number; month: number; day: number; approve: boolean }
  | { kind: 'reverse'; pick: number; approve: boolean; later: number; day: number }
  | { kind: 'close' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('record' as const),
      account: fc.nat(ACCOUNTS.length - 1),
      direction: fc.constantFrom('in' as const, 'out' as const),
      amountFen: fc.oneof(
        fc.constantFrom(1, 99, 100, 10_000_000_000),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 10_000_000 }),
      ),
      month: fc.nat(10), // January … November: closeable before December
      day: fc.integer({ min: 1, max: 28 }),
      approve: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reverse' as const),
      pick: fc.nat(),
      approve: fc.boolean(),
      later: fc.nat(11), // months after the original's (within the year's open months)
      day: fc.integer({ min: 1, max: 28 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
);

async function settle(entryId: string, approve: boolean): Promise<void> {
  if (approve) data(await L.call(WORKER2, 'approve', { entryId }));
  else data(await L.call(WORKER2, 'reject', { entryId, reason: '抽查退回' }));
}

async function apply(op: Op): Promise<void> {
  if (op.kind === 'record') {
    const month = MONTHS[op.month];
    const input: Input<LedgerApi, 'record'> = {
      account: ACCOUNTS[op.account],
      direction: op.direction,
      amountFen: op.amountFen,
      date: `${month}-${String(op.day).padStart(2, '0')}`,
      summary: `随机账目 ${known.size + 1}`,
      requestId: L.rid('prop'),
    };
    const res = await L.call(WORKER, 'record', input);
    if (closedThrough && month <= closedThrough) {
      expect(errorCode(res)).toBe('E_CONFLICT');
      return;
    }
    const entry = data(res);
    known.set(entry._id, {
      _id: entry._id,
      account: input.account,
      direction: input.direction,
      amountFen: input.amountFen,
      month,
      date: input.date,
      summary: input.summary,
      approved: op.approve,
    });
    await settle(entry._id, op.approve);
  } else if (op.kind === 'reverse') {
    const candidates = [...known.values()].filter((k) => k.approved && !k.reverses && !k.reversedBy);
    if (!candidates.length) return;
    const original = candidates[op.pick % candidates.length];
    // The reversal is dated the day it is made: some open month from the original's on (the clock goes there and back).
    const first = Math.max(MONTHS.indexOf(original.month), closedThrough ? MONTHS.indexOf(closedThrough) + 1 : 0);
    const month = MONTHS[Math.min(11, first + (op.later % (12 - first)))];
    const date = month === '2031-12' ? TODAY : `${month}-${String(op.day).padStart(2, '0')}`;
    at(`${date < original.date ? original.date : date}T12:00:00+08:00`);
    const reversal = data(
      await L.call(WORKER, 'reverse', { entryId: original._id, reason: '随机冲销', requestId: L.rid('rev') }),
    );
    at(`${TODAY}T10:00:00+08:00`);
    known.set(reversal._id, {
      _id: reversal._id,
      account: original.account,
      direction: original.direction === 'in' ? 'out' : 'in',
      amountFen: original.amountFen,
      month,
      date: reversal.date,
      summary: reversal.summary,
      approved: op.approve,
      reverses: original._id,
    });
    // A rejected reversal frees the original; an approved one marks it for good.
    if (op.approve) original.reversedBy = reversal._id;
    await settle(reversal._id, op.approve);
  } else {
    // The next month after the last closed one, as a worker closes them; once more, and it is refused.
    const month = closedThrough ? MONTHS[MONTHS.indexOf(closedThrough) + 1] : MONTHS[0];
    if (month >= '2031-12') return;
    data(await L.call(WORKER, 'close', { month }));
    closedThrough = month;
    expect(errorCode(await L.call(WORKER, 'close', { month }))).toBe('E_CONFLICT');
    // The balances the close stored (what later statements start from) against a recount.
    const period = (await findById<PeriodDoc>('ledger_periods', `demo:${month}`))!;
    const stored = new Map(period.balances!.map((b) => [b.account, b.closing]));
    for (const account of ACCOUNTS)
      expect({ month, account, closing: stored.get(account) ?? 0 }).toEqual({
        month,
        account,
        closing: expected(MONTHS[0], month, account).closing,
      });
    expect(period.closing).toBe(expected(month, month).closing);
  }
}

/** The model's statement for months [from, to] of one account or all. */
function expected(from: string, to: string, account?: string) {
  let opening = 0;
  let income = 0;
  let expense = 0;
  for (const k of known.values()) {
    if (!k.approved || (account && k.account !== account)) continue;
    const signed = k.direction === 'in' ? k.amountFen : -k.amountFen;
    if (k.month < from) opening += signed;
    else if (k.month <= to) {
      if (k.direction === 'in') income += k.amountFen;
      else expense += k.amountFen;
    }
  }
  return { opening, income, expense, closing: opening + income - expense };
}

/** A whole statement, every page of items. */
async function whole(action: 'statement' | 'quarter', period: string, account?: string): Promise<StatementView> {
  const first = data(
    await L.call(
      RESIDENT,
      action as 'statement',
      (action === 'statement' ? { month: period, account } : { quarter: period, account }) as never,
    ),
  );
  const items = [...first.items];
  for (let page = 2, more = first.hasMore; more; page++) {
    const next = data(
      await L.call(
        RESIDENT,
        action as 'statement',
        { ...(action === 'statement' ? { month: period } : { quarter: period }), account, page } as never,
      ),
    );
    items.push(...next.items);
    more = next.hasMore;
  }
  return { ...first, items };
}

/** All accounts together, and one account in turn (every statement of all five each run is slow under load). */
async function checkEveryStatement(run: number): Promise<void> {
  for (const account of [undefined, ACCOUNTS[run % ACCOUNTS.length]]) {
    let previousClosing = 0;
    for (const month of MONTHS) {
      const st = await whole('statement', month, account);
      expect({ month, account, ...pick(st) }).toEqual({ month, account, ...expected(month, month, account) });
      expect(st.closing).toBe(st.opening + st.income - st.expense);
      expect(st.opening).toBe(previousClosing);
      previousClosing = st.closing;
      const sum = (d: 'in' | 'out') => st.items.filter((i) => i.direction === d).reduce((a, i) => a + i.amountFen, 0);
      expect([sum('in'), sum('out')]).toEqual([st.income, st.expense]);
      expect(st.items.every((i) => i.status === 'approved' && i.date.startsWith(month))).toBe(true);
    }
    for (const q of [1, 2, 3, 4]) {
      const st = await whole('quarter', `2031-Q${q}`, account);
      const from = MONTHS[(q - 1) * 3];
      const to = MONTHS[(q - 1) * 3 + 2];
      expect(pick(st)).toEqual(expected(from, to, account));
    }
  }
}

const pick = (s: StatementView) => ({ opening: s.opening, income: s.income, expense: s.expense, closing: s.closing });

async function checkEntriesUnchangedAndPairsNetZero(): Promise<void> {
  const stored = new Map<string, EntryDoc>();
  for (let offset = 0; ; offset += 1000) {
    const batch = (await collection('ledger_entries').where({ communityId: 'demo' }).skip(offset).limit(1000).get())
      .data as EntryDoc[];
    for (const e of batch) stored.set(e._id, e);
    if (batch.length < 1000) break;
  }
  for (const k of known.values()) {
    const e = stored.get(k._id)!;
    expect({
      id: k._id,
      account: e.accountId,
      direction: e.direction,
      amountFen: e.amountFen,
      date: e.date,
      summary: e.summary,
    }).toEqual({
      id: k._id,
      account: k.account,
      direction: k.direction,
      amountFen: k.amountFen,
      date: k.date,
      summary: k.summary,
    });
    expect(e.status).toBe(k.approved ? 'approved' : 'rejected');
  }
  for (const e of stored.values()) {
    if (!e.reverses || e.status !== 'approved') continue;
    const original = stored.get(e.reverses)!;
    expect(original.reversedBy).toBe(e._id);
    expect(original.accountId).toBe(e.accountId);
    expect(signedOf(original) + signedOf(e)).toBe(0);
  }
}
const signedOf = (e: EntryDoc) => (e.direction === 'in' ? e.amountFen : -e.amountFen);

test('every statement of random ledgers adds up, month to month and quarter to quarter', async () => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 3, maxLength: 10 }), async (ops) => {
      runs++;
      await forgetLimits();
      for (const op of ops) await apply(op);
      await checkEveryStatement(runs);
      await checkEntriesUnchangedAndPairsNetZero();
    }),
    { seed: SEED, numRuns: 8 * RUNS, endOnFailure: true },
  );
  expect(runs).toBe(8 * RUNS);
  // The runs did build something worth checking: approved entries in several months, and reversals.
  const approved = [...known.values()].filter((k) => k.approved);
  expect(new Set(approved.map((k) => k.month)).size).toBeGreaterThan(3);
  expect(closedThrough).not.toBeNull();
  // The balances every member sees now: every approved entry, from the latest stored ones on.
  const now = data(await L.call(RESIDENT, 'accounts', {}));
  for (const account of ACCOUNTS)
    expect({ account, balance: now.items.find((a) => a._id === account)?.balanceFen }).toEqual({
      account,
      balance: expected(MONTHS[0], '2031-12', account).closing,
    });
  expect([...known.values()].some((k) => k.reverses && k.approved)).toBe(true);
}, 600_000);
