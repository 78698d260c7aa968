/* global module */
/**
 * `npm run test:infra`: the checks that need the tools that deploy, not just Node: the compiled
 * ARM template (Bicep CLI) and the PowerShell hook (pwsh 7). `.ci/run` fetches both
 * (tools/infraTools/fetch.sh) and runs this; `npm test` needs neither and runs everything else.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '../../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/infra/cli'],
  testMatch: ['**/*.cli.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 120000,
  maxWorkers: 1,
};
