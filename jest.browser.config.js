/**
 * Browser tests: the dashboard and chart in the system's Chromium (see tools/browser/), served by
 * the real local host over an archive the snapshot job builds. Run with `npm run test:browser`.
 * The same global setup as jest.config.js: a build of dist/ (the host runs from it) and Azurite.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  setupFiles: ['<rootDir>/test/support/quietTestMode.ts'],
  testTimeout: 60000,
  // One browser at a time is plenty on two cores.
  maxWorkers: 1,
};
