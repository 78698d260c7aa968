import { execFileSync } from 'node:child_process';
import { startAzurite, AzuriteProcess } from '../../tools/azurite';
import { bypassProxyForLoopback } from '../../tools/localSettings';

/**
 * Starts what the suites need, once: a real Azurite on a free port (its connection string reaches
 * the workers through the environment) and a build of dist/ as `npm run build` makes it, which
 * the local-host and demo suites run as real processes.
 */
export default async function globalSetup(): Promise<void> {
  // Workers inherit this: the storage SDK would send Azurite traffic to a configured proxy.
  bypassProxyForLoopback();
  for (const project of ['tsconfig.build.json', 'tsconfig.browser.json']) {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], {
      stdio: 'inherit',
    });
  }
  // The rest of `npm run build`: dist/openapi.json, which the openApi function serves.
  execFileSync(process.execPath, ['dist/build/openapi.js'], { stdio: 'inherit' });
  const azurite = await startAzurite();
  process.env.TEST_AZURITE_CONNECTION_STRING = azurite.connectionString;
  (globalThis as { __azurite?: AzuriteProcess }).__azurite = azurite;
}
