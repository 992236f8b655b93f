// timer: the scheduled sweeps (config.json: every 5 minutes). Only the platform's timer trigger
// may run them (docs/conventions.md): its event and its context, nothing else — not a user's
// call, not a call without an openid (another function, the SDK, the console), not a made-up event.
import type { Result } from '../common/envelope';
import { openidFromContext, triggerSourceFromContext } from '../common/identity';
import { sweepLimits } from '../common/limits';
import { sweepOrders } from '../orders/sweep';
import { sweepParking } from '../parking/sweep';
import { sweepReminders } from '../notices/reminders';

/** `deadline` (performance.now()): a sweep stops taking new work after it; what is left waits for the next run. */
type Sweep = (now: Date, deadline: number) => Promise<unknown>;

/** Every sweep, run in this order. A domain adds its sweep with one line. */
export const SWEEPS: [name: string, sweep: Sweep][] = [
  ['orders', (now, deadline) => sweepOrders(now, undefined, deadline)],
  ['parking', (now, deadline) => sweepParking(now, undefined, deadline)],
  ['notices', (now, deadline) => sweepReminders(now, deadline)],
  ['limits', (now) => sweepLimits(now)],
];

/** The name of the timer trigger in config.json (tests/cloud/timer-trigger.test.ts keeps them equal). */
export const TRIGGER_NAME = 'sweep';

const EVENT_KEYS = new Set(['Type', 'TriggerName', 'Time', 'Message']);

/**
 * Whether this is CloudBase's timer trigger: the context says the invocation came from a timer
 * (`TRIGGER_SRC: 'timer'`, set by the platform, never by a caller) and carries no openid, and the
 * event is exactly the timer event SCF documents (「触发器事件消息结构」, Timer):
 * `{ Type: 'Timer', TriggerName, Time: '2019-02-21T11:49:00Z', Message }`, for our trigger.
 */
export function isTimerTrigger(event: unknown, context: unknown): boolean {
  if (openidFromContext(context) || triggerSourceFromContext(context) !== 'timer') return false;
  if (!event || typeof event !== 'object' || Array.isArray(event)) return false;
  const e = event as Record<string, unknown>;
  return (
    Object.keys(e).every((k) => EVENT_KEYS.has(k)) &&
    e.Type === 'Timer' &&
    e.TriggerName === TRIGGER_NAME &&
    typeof e.Time === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(e.Time) &&
    (e.Message === undefined || typeof e.Message === 'string')
  );
}

/**
 * Work time per run (config.json's timeout is 60 s): shared by the sweeps, each getting an even
 * share of what is left, so a backlog in one cannot starve the others, with room for the item
 * each is in the middle of.
 */
export const TIMER_BUDGET_MS = 40_000;

export async function main(event: unknown, context: unknown): Promise<Result<Record<string, unknown>>> {
  if (!isTimerTrigger(event, context)) {
    return { ok: false, error: { code: 'E_FORBIDDEN', message: '定时任务只能由系统的定时触发器运行' } };
  }
  const now = new Date();
  const data: Record<string, unknown> = {};
  const end = performance.now() + TIMER_BUDGET_MS;
  for (const [i, [name, sweep]] of SWEEPS.entries()) {
    const deadline = performance.now() + (end - performance.now()) / (SWEEPS.length - i);
    try {
      data[name] = await sweep(now, deadline);
    } catch (err) {
      // One failing sweep must not stop the others; the next run retries (every sweep is idempotent).
      console.error(`[timer] ${name} failed:`, err instanceof Error ? err.stack : String(err));
      data[name] = { failed: true };
    }
  }
  return { ok: true, data };
}
