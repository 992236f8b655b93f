// The bench never meets a rate limit by its own design (issue 13): for every rate-limited action it
// calls, the calls of a full run spread over enough callers that none passes its kind's limit, even
// if all of them, and those of the other actions of the same kind, fell in one window.
import { LIMITS, type LimitKind } from '../../cloudfunctions/common/limits';
import type { ActionDef } from '../../cloudfunctions/common/router';
import { createActions } from '../../cloudfunctions/orders/create';
import { transitionActions } from '../../cloudfunctions/orders/transitions';
import { volunteerActions } from '../../cloudfunctions/orders/volunteers';
import { listActions } from '../../cloudfunctions/orders/lists';
import { menuActions } from '../../cloudfunctions/orders/menu';
import { bookingActions } from '../../cloudfunctions/parking/bookings';
import { ACTIONS, REVIEWERS } from '../../scripts/bench/actions';
import { WORKERS } from '../../scripts/bench/data';

const TABLES: Record<string, Record<string, ActionDef>> = {
  orders: { ...menuActions, ...createActions, ...listActions, ...transitionActions, ...volunteerActions } as Record<
    string,
    ActionDef
  >,
  parking: bookingActions as Record<string, ActionDef>,
};

// One action's calls in a full run (scripts/bench.ts): warm-up 8, 80 samples, 64 at each of 1 / 8 / 32
// callers, and 2 + 5 at each of three scaling points.
const FULL_RUN = 8 + 80 + 3 * 64 + 3 * (2 + 5);

const limitOf = (fn: string, action: string): LimitKind | undefined => TABLES[fn]?.[action]?.limit;

it('knows the limit of every bench write it can look up', () => {
  const writes = ACTIONS.filter((a) => a.writes && TABLES[a.fn]);
  expect(writes.map((a) => `${a.name}:${limitOf(a.fn, a.action) ?? '-'}`)).toEqual(
    expect.arrayContaining(['orders.review:text', 'orders.complete:text', 'orders.create:order', 'parking.book:booking']),
  );
});

it.each([0, 1_000, 12_345])('no caller passes a limit in a full run (run indexes from %i)', (base) => {
  const perCaller = new Map<string, number>();
  for (const spec of ACTIONS) {
    const kind = limitOf(spec.fn, spec.action);
    if (!kind) continue;
    for (let i = base; i < base + FULL_RUN; i++) {
      const key = `${kind}:${spec.openid(i)}`;
      perCaller.set(key, (perCaller.get(key) ?? 0) + 1);
    }
  }
  const over = [...perCaller].filter(([key, n]) => n > LIMITS[key.split(':')[0] as LimitKind].max);
  expect(over).toEqual([]);
});

it('reviews: 32 distinct workers, so 32 calls at once are 32 people', () => {
  const review = ACTIONS.find((a) => a.name === 'orders.review')!;
  expect(new Set(Array.from({ length: 32 }, (_, k) => review.openid(100 + k))).size).toBe(32);
  expect(REVIEWERS.slice(0, WORKERS.length)).toEqual(WORKERS);
  expect(review.extraWorkers).toEqual(REVIEWERS.slice(WORKERS.length));
});
