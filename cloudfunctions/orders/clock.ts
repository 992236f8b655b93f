// Step clocks and lights (product.md §3, 亮灯预警). Pure functions: no database, no `new Date()`;
// every caller passes `now`, so the boundaries are testable to the millisecond. Durations are the
// community clock's (miniprogram/shared/clock.ts): a step's time is elapsed time, not wall time.
import { DAY_MS, MINUTE_MS } from '../../miniprogram/shared/clock';
import type { Light, OrderStatus, Step } from './labels';

/** Minutes per step. */
export type StepLimits = Record<Step, number>;

export const DEFAULT_STEP_LIMITS: StepLimits = { dispatch: 30, accept: 30, serve: 24 * 60, review: 3 * 24 * 60 };

/** Share of a step's time after which its light turns yellow. */
export const YELLOW_RATIO = 0.8;

/** A completed order nobody rated closes itself after this many days. */
export const AUTO_CLOSE_DAYS = 7;

/** The step whose clock runs while an order is in a status; null when none runs. */
export function stepOf(status: OrderStatus): Step | null {
  switch (status) {
    case 'pending':
    case 'open':
      return 'dispatch';
    case 'dispatched':
      return 'accept';
    case 'accepted':
    case 'in_service':
      return 'serve';
    case 'rated':
      return 'review';
    case 'completed':
    case 'closed':
    case 'cancelled':
      return null;
    default: {
      const never: never = status;
      throw new Error(`unknown status ${String(never)}`);
    }
  }
}

/** The item's own limits win over the community's defaults, which win over the product defaults. */
export function effectiveLimits(community?: Partial<StepLimits> | null, item?: Partial<StepLimits> | null): StepLimits {
  const out = { ...DEFAULT_STEP_LIMITS };
  for (const step of Object.keys(out) as Step[]) {
    const fromItem = item?.[step];
    const fromCommunity = community?.[step];
    if (isMinutes(fromItem)) out[step] = fromItem;
    else if (isMinutes(fromCommunity)) out[step] = fromCommunity;
  }
  return out;
}

const isMinutes = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** The running step's clock as stored on the order (the instants are what list filters query). */
export interface StepClock {
  step: Step;
  startedAt: Date;
  yellowAt: Date;
  redAt: Date;
}

export function startClock(step: Step, limits: StepLimits, now: Date): StepClock {
  const ms = limits[step] * MINUTE_MS;
  return {
    step,
    startedAt: now,
    yellowAt: new Date(now.getTime() + Math.round(ms * YELLOW_RATIO)),
    redAt: new Date(now.getTime() + ms),
  };
}

/**
 * green while under 80 % of the step's time is used, yellow from 80 % (inclusive), red once the
 * whole time is used (at 100 % and past it). Null when no clock runs.
 */
export function lightAt(
  clock: { yellowAt?: Date | string | null; redAt?: Date | string | null } | null,
  now: Date,
): Light | null {
  if (!clock || !clock.yellowAt || !clock.redAt) return null;
  const t = now.getTime();
  if (t >= new Date(clock.redAt).getTime()) return 'red';
  if (t >= new Date(clock.yellowAt).getTime()) return 'yellow';
  return 'green';
}

/** The share of the step's time used at `now` (0.5 = half), for display. */
export function usedShare(clock: { startedAt: Date | string; redAt: Date | string }, now: Date): number {
  const start = new Date(clock.startedAt).getTime();
  const total = new Date(clock.redAt).getTime() - start;
  return total > 0 ? (now.getTime() - start) / total : 1;
}

export function autoCloseAt(completedAt: Date): Date {
  return new Date(completedAt.getTime() + AUTO_CLOSE_DAYS * DAY_MS);
}
