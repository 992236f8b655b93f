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
