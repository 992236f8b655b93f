// The fixed clock of the page tests: only `Date` is faked, so the local cloud's timers, sockets
// and promises keep running while the lights and deadlines are read at a known time.
export const CLOCK: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: [
    'nextTick',
    'setImmediate',
    'setTimeout',
    'setInterval',
    'clearTimeout',
    'clearInterval',
    'queueMicrotask',
    'hrtime',
    'performance',
  ],
};

/** Moves the clock to a time, e.g. `at('2030-01-07T09:00:00+08:00')`. */
export const at = (text: string) => jest.setSystemTime(new Date(text));

/** An `at` counted in minutes after `start`, for tests that walk through a day step by step. */
export const minutesAfter = (start: string) => {
  const origin = new Date(start).getTime();
  return (minutes: number) => jest.setSystemTime(new Date(origin + minutes * 60_000));
};

/**
 * `hour`:00 on the community's clock (UTC+8) the day after tomorrow, as the API's ISO text: a time
 * to book that is always ahead and, with hours 1–23, never crosses midnight into another window,
 * whatever the real hour the test runs.
 */
export function dayAfterTomorrowAt(hour: number): string {
  const DAY = 86_400_000;
  const CLOCK_OFFSET = 8 * 3_600_000;
  const todayStart = Math.floor((Date.now() + CLOCK_OFFSET) / DAY) * DAY - CLOCK_OFFSET;
  return new Date(todayStart + 2 * DAY + hour * 3_600_000).toISOString().replace('.000Z', 'Z');
}
