// timer: the scheduled sweeps (config.json: every 5 minutes). Only the platform's timer trigger
// may run it: a call that carries a user's openid is refused, so no user can trigger a sweep.
import type { Result } from '../common/envelope';
import { openidFromContext } from '../common/identity';
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
];

/**
 * Work time per run (config.json's timeout is 60 s): shared by the sweeps, each getting an even
 * share of what is left, so a backlog in one cannot starve the others, with room for the item
 * each is in the middle of.
 */
export const TIMER_BUDGET_MS = 40_000;

export async function main(_event: unknown, context: unknown): Promise<Result<Record<string, unknown>>> {
  if (openidFromContext(context)) {
    return { ok: false, error: { code: 'E_FORBIDDEN', message: '定时任务只能由系统触发' } };
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
