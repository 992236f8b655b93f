// `npm run test:browser`: key pages rendered by the preview pipeline (tests/preview) and checked in
// headless Chromium (Debian's /usr/bin/chromium through playwright-core) the way a person would
// see them. Not part of `npm test`: it needs chromium and fonts-noto-cjk (see .ci/run).
const path = require('path');

const root = path.resolve(__dirname, '../..');
module.exports = {
  rootDir: root,
  transform: { '\\.[jt]s$': '<rootDir>/tests/transform.js' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
  // Build output holds copies of the functions' package.json files: jest must not index them.
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/miniprogram/node_modules/', '<rootDir>/.preview/'],
  // Rendering every scene twice (plain and 长辈模式) takes minutes on a busy machine.
  testTimeout: 600000,
};
