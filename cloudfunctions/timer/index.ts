// timer: the scheduled sweeps (config.json: every 5 minutes). Only the platform's timer trigger
// may run it: a call that carries a user's openid is refused, so no user can trigger a sweep.
import type { Result } from '../common/envelope';
import { openidFromContext } from '../common/identity';
import { sweepOrders } from '../orders/sweep';
import { sweepParking } from '../parking/sweep';

type Sweep = (now: Date) => Promise<unknown>;

/** Every sweep, run in this order. A domain adds its sweep with one line. */
export const SWEEPS: [name: string, sweep: Sweep][] = [
  ['orders', (now) => sweepOrders(now)],
  ['parking', (now) => sweepParking(now)],
];

export async function main(_event: unknown, context: unknown): Promise<Result<Record<string, unknown>>> {
  if (openidFromContext(context)) {
    return { ok: false, error: { code: 'E_FORBIDDEN', message: '定时任务只能由系统触发' } };
  }
  const now = new Date();
  const data: Record<string, unknown> = {};
  for (const [name, sweep] of SWEEPS) {
    try {
      data[name] = await sweep(now);
    } catch (err) {
      // One failing sweep must not stop the others; the next run retries (every sweep is idempotent).
      console.error(`[timer] ${name} failed:`, err instanceof Error ? err.stack : String(err));
      data[name] = { failed: true };
    }
  }
  return { ok: true, data };
}
