// Only CloudBase's timer trigger runs the sweeps: its context (TRIGGER_SRC timer, no openid) and
// exactly its event. A direct call without an openid, a forged timer event, a user's call: refused.
import fs from 'fs';
import path from 'path';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { makeContext, type FunctionEntry } from '../../local/functions';
import { isTimerTrigger, TRIGGER_NAME } from '../../cloudfunctions/timer/trigger';
import { collection } from '../../cloudfunctions/common/db';
import { RATE_LIMITS, type RateLimitDoc } from '../../cloudfunctions/common/limits';
import { startTestCloud } from '../helpers/local';
import { runTimer } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';

const REFUSED = { ok: false, error: { code: 'E_FORBIDDEN', message: '定时任务只能由系统的定时触发器运行' } };
const TIME = '2031-06-01T01:00:00Z';
const EVENT = { Type: 'Timer', TriggerName: TRIGGER_NAME, Time: TIME, Message: '' };

let cloud: LocalCloud;
/** What makeContext needs of the timer function (local/functions.ts builds the same from config.json). */
const timerFn: FunctionEntry = { name: 'timer', dir: '', entry: '', timeoutMs: 60_000, memoryMb: 256, triggers: [] };

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
});
afterAll(() => cloud.close());

it('the trigger name is the one config.json declares', () => {
  const config = JSON.parse(fs.readFileSync(path.join(__dirname, '../../cloudfunctions/timer/config.json'), 'utf8'));
  expect(config.triggers).toEqual([expect.objectContaining({ name: TRIGGER_NAME, type: 'timer' })]);
});

it('the trigger runs the sweeps', async () => {
  const report = await runTimer(cloud);
  expect(Object.keys(report)).toEqual(['orders', 'parking', 'notices', 'topics', 'ledger', 'limits']);
});

it('a call without an openid — empty, forged timer event, over the gateway — is refused and writes nothing', async () => {
  const before = await snapshot();
  for (const event of [{}, { action: 'sweep' }, EVENT, { ...EVENT, Type: 'timer' }]) {
    expect(await cloud.invoke('timer', event)).toEqual(REFUSED);
  }
  const res = await fetch(`${cloud.url}/functions/timer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(EVENT),
  });
  expect(await res.json()).toEqual(REFUSED);
  expect(await snapshot()).toEqual(before);
});

it('in a timer context, only the exact timer event of our trigger is the trigger', () => {
  const timerContext = () => makeContext(timerFn, undefined, 'timer');
  const forged: unknown[] = [
    undefined,
    null,
    [],
    'Timer',
    { ...EVENT, TriggerName: 'other' },
    { ...EVENT, Type: 'timer' },
    { ...EVENT, Time: 'yesterday' },
    { Type: 'Timer', TriggerName: TRIGGER_NAME },
    { ...EVENT, action: 'create' },
    { ...EVENT, Message: 42 },
  ];
  for (const event of forged) expect(isTimerTrigger(event, timerContext())).toBe(false);
  // A user's call in a timer context (never happens in CloudBase) is not the trigger either.
  expect(isTimerTrigger(EVENT, makeContext(timerFn, 'demo-worker', 'timer'))).toBe(false);
  // Nor the exact event in a call's context (TRIGGER_SRC tcb), nor no context at all.
  expect(isTimerTrigger(EVENT, makeContext(timerFn, undefined, 'local'))).toBe(false);
  expect(isTimerTrigger(EVENT, undefined)).toBe(false);
  // The exact event in the timer's context, with or without a Message.
  expect(isTimerTrigger(EVENT, timerContext())).toBe(true);
  expect(isTimerTrigger({ Type: 'Timer', TriggerName: TRIGGER_NAME, Time: TIME }, timerContext())).toBe(true);
});

it('the limits sweep removes counters 30 days after their window', async () => {
  const now = Date.now();
  const counter = (id: string, windowEnd: number): RateLimitDoc => ({
    _id: id,
    kind: 'order',
    openid: 'someone',
    communityId: 'demo',
    windowStart: new Date(windowEnd - 3_600_000),
    windowEnd: new Date(windowEnd),
    count: 1,
    max: 20,
    limited: false,
    limitedAt: null,
  });
  await collection(RATE_LIMITS).add(counter('order:someone:old', now - 31 * 86_400_000));
  await collection(RATE_LIMITS).add(counter('order:someone:recent', now - 29 * 86_400_000));
  expect((await runTimer(cloud)).limits).toEqual({ removed: 1 });
  const left = (await collection(RATE_LIMITS).where({ openid: 'someone' }).get()).data as RateLimitDoc[];
  expect(left.map((d) => d._id)).toEqual(['order:someone:recent']);
});
