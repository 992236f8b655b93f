// Three projects: cloud functions and the local cloud (node), mini-program pages (jsdom, as
// miniprogram-simulate needs a window), and end-to-end page → function → local cloud runs (jsdom).
// Every test runs with the machine in Vancouver (UTC−8/−7, daylight saving): whatever zone a phone
// or a server is in, what people see is on the community's clock (miniprogram/shared/clock.ts).
// Workers inherit it; tests/miniprogram/zone.test.ts checks that it took.
process.env.TZ = 'America/Vancouver';

const transform = { '\\.[jt]s$': '<rootDir>/tests/transform.js' };
const common = {
  rootDir: __dirname,
  transform,
  transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Build output (npm run build, the DevTools test) and DevTools' own npm install hold copies of
  // package.json files with the functions' names; jest must not index them.
  // tdesign's components require dayjs; on the phone they get the copy tdesign ships inside its
  // miniprogram_dist, and so do the tests (the project itself does not use dayjs).
  moduleNameMapper: { '^dayjs(/.*)?$': '<rootDir>/node_modules/tdesign-miniprogram/miniprogram_dist/miniprogram_npm/dayjs$1' },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/miniprogram/node_modules/', '<rootDir>/.preview/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'cloud', testEnvironment: 'node', testMatch: ['<rootDir>/tests/cloud/**/*.test.ts'] },
    {
      ...common,
      displayName: 'miniprogram',
      testEnvironment: 'jsdom',
      setupFiles: ['<rootDir>/tests/miniprogram/setup.ts'],
      testMatch: ['<rootDir>/tests/miniprogram/**/*.test.ts'],
    },
  ],
  testTimeout: 30000,
  // Two workers, whatever jest's default (cores − 1 = 1 on the 2-core machines this runs on): most
  // suites wait on loopback HTTP to the local cloud more than they compute, so a second file runs
  // in those waits. More than two ran slower and timed out when the machine was busy (README, Scripts).
  maxWorkers: 2,
};
