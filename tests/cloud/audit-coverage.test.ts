// Every action of every function is classified once, in cloudfunctions/common/audit-actions.ts:
// `audited` (it changes a record and writes an audit entry) or `reads`. A new action that is in
// neither fails here, so it cannot forget the audit log. The actions come from the functions
// themselves: each api.ts `…Schemas` object (what the router validates against), each checked to
// be an action the function's real `main` knows. That the audited ones do write is proven by the
// scenario of tests/cloud/audit.test.ts ("every audited action of the scenario wrote its entry").
import fs from 'fs';
import path from 'path';
import { AUDITED, READS } from '../../cloudfunctions/common/audit-actions';
import type { Result } from '../../cloudfunctions/common/envelope';
import { functionNames } from '../../scripts/build';

const FUNCTIONS_DIR = path.resolve(__dirname, '../../cloudfunctions');

function actionsOf(fn: string): string[] {
  const api = path.join(FUNCTIONS_DIR, fn, 'api.ts');
  if (!fs.existsSync(api)) return [];
  const mod = require(api) as Record<string, unknown>;
  const found = Object.entries(mod).filter(([name, v]) => name.endsWith('Schemas') && v && typeof v === 'object');
  if (found.length !== 1) throw new Error(`${fn}/api.ts: expected one exported …Schemas object, found ${found.length}`);
  return Object.keys(found[0][1] as object);
}

type Main = (event: unknown, context: unknown) => Promise<Result<unknown>>;
const mainOf = (fn: string): Main => (require(path.join(FUNCTIONS_DIR, fn, 'index.ts')) as { main: Main }).main;

const FUNCTIONS = functionNames();
const ACTIONS = FUNCTIONS.flatMap((fn) => actionsOf(fn).map((action) => `${fn}.${action}`));
const audited = new Set(Object.keys(AUDITED));
const reads = new Set<string>(READS);

it('finds the functions and their actions', () => {
  expect(FUNCTIONS).toEqual(
    expect.arrayContaining(['member', 'messages', 'notices', 'orders', 'parking', 'timer', 'ledger', 'property']),
  );
  expect(ACTIONS.length).toBeGreaterThan(50);
});

it('every action is in the real action table of its function (main knows it)', async () => {
  for (const name of ACTIONS) {
    const [fn, action] = name.split('.');
    // No identity: a known action is refused for that, an unknown one before it.
    const res = await mainOf(fn)({ action, payload: {} }, {});
    expect([name, res.ok ? 'ok' : res.error.code]).toEqual([name, 'E_UNAUTHENTICATED']);
  }
  const unknown = await mainOf('member')({ action: 'noSuchAction', payload: {} }, {});
  expect(unknown).toMatchObject({ ok: false, error: { code: 'E_UNKNOWN_ACTION' } });
});

it('every action is classified as audited or reads, and only once', () => {
  const missing = ACTIONS.filter((a) => !audited.has(a) && !reads.has(a));
  expect(missing).toEqual([]);
  expect([...audited].filter((a) => reads.has(a))).toEqual([]);
  expect(new Set(READS).size).toBe(READS.length);
});

it('classifies nothing that is not an action (the timer steps aside)', () => {
  const known = new Set(ACTIONS);
  const stale = [...audited, ...reads].filter((a) => !known.has(a) && !a.startsWith('timer.'));
  expect(stale).toEqual([]);
  // The timer has no actions of its own: its entries are the sweeps' steps.
  expect(actionsOf('timer')).toEqual([]);
  expect([...audited].filter((a) => a.startsWith('timer.')).sort()).toEqual(
    ['timer.autoClose', 'timer.block', 'timer.noShow', 'timer.overstay', 'timer.returnOrder'].sort(),
  );
});

it('gives every audited action a Chinese label', () => {
  for (const label of Object.values(AUDITED)) expect(label).toMatch(/^[\u4e00-\u9fa5]{2,8}$/);
});
