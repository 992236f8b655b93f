// Jest config for `npm run preview` and `npm run test:browser`: renders the mini-program's pages
// with miniprogram-simulate (jsdom) against the real functions on a local cloud and writes each as
// a self-contained HTML page under .preview/ (tests/preview/render.preview.ts). Not part of `npm test`.
const path = require('path');

// The phone's clock is China's: pages format dates in local time (workers inherit this).
process.env.TZ = 'Asia/Shanghai';

const root = path.resolve(__dirname, '../..');
module.exports = {
  rootDir: root,
  transform: { '\\.[jt]s$': '<rootDir>/tests/transform.js' },
  transformIgnorePatterns: ['/node_modules/(?!tdesign-miniprogram/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // As in jest.config.js: tdesign's components get the dayjs tdesign ships (t-rate needs its locale).
  moduleNameMapper: { '^dayjs(/.*)?$': '<rootDir>/node_modules/tdesign-miniprogram/miniprogram_dist/miniprogram_npm/dayjs$1' },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/miniprogram/node_modules/'],
  testEnvironment: 'jsdom',
  setupFiles: ['<rootDir>/tests/miniprogram/setup.ts'],
  testMatch: ['<rootDir>/tests/preview/**/*.preview.ts'],
  testTimeout: 120000,
};
