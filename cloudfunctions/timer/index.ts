// timer: the scheduled sweeps (config.json: every 5 minutes). Only the platform's timer trigger
// may run them (docs/conventions.md): its event and its context, nothing else — not a user's
// call, not a call without an openid (another function, the SDK, the console), not a made-up event.
import type { Result } from '../common/envelope';
import { sweepLimits } from '../common/limits';
import { sweepOrders } from '../orders/sweep';
import { sweepParking } from '../parking/sweep';
import { sweepReminders } from '../notices/reminders';
import { sweepTopics } from '../affairs/topic-sweep';
import { sweepLedger } from '../ledger/sweep';
import { isTimerTrigger } from './trigger';

/** `deadline` (performance.now()): a sweep stops taking new work after it; what is left waits for the next run. */
type Sweep = (now: Date, deadline: number) => Promise<unknown>;

/** Every sweep, run in this order. A domain adds its sweep with one line. */
export const SWEEPS: [name: string, sweep: Sweep][] = [
  ['orders', (now, deadline) => sweepOrders(now, undefined, deadline)],
  ['parking', (now, deadline) => sweepParking(now, undefined, deadline)],
  ['notices', (now, deadline) => sweepReminders(now, deadline)],
  ['topics', (now, deadline) => sweepTopics(now, deadline)],
  ['ledger', (now, deadline) => sweepLedger(now, deadline)],
  ['limits', (now) => sweepLimits(now)],
];

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
