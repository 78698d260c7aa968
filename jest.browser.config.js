/**
 * Browser tests: the dashboard and chart in the system's Chromium (see tools/browser/). Run with
 * `npx jest -c jest.browser.config.js`. They serve their own pages on 127.0.0.1, so they need
 * neither the build nor Azurite that jest.config.js's global setup provides.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
  // One browser at a time is plenty on two cores.
  maxWorkers: 1,
};
