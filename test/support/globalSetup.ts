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
  // `npm run build` when a source is newer than the last build, as the commands do; it also
  // stamps dist/, so the commands the suites run through npm find it current and never rebuild
  // it under the feet of the suites running beside them.
  execFileSync(process.execPath, ['tools/buildIfStale.mjs'], { stdio: 'inherit' });
  const azurite = await startAzurite();
  process.env.TEST_AZURITE_CONNECTION_STRING = azurite.connectionString;
  (globalThis as { __azurite?: AzuriteProcess }).__azurite = azurite;
}
