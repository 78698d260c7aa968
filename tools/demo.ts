import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { errorMessage } from '../shared/common/errors';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';
import { printHelp, readCommandLine, readPort } from './args';
import { demoCommand, DEMO_IGNORED_PREFIXES } from './commands';
import { AzuriteProcess, startAzurite } from './azurite';
import { portInUse } from './freePort';
import { addDays } from '../shared/reports/dates';
import { projectRoot } from './projectRoot';
import { bypassProxyForLoopback } from './localSettings';
import { Supervisor } from './supervisor';
import { demoArchivePlan, seedDemoArchive, simulatorOverHttp } from './demoArchive';
import { whenOrphaned } from './parentWatch';

/**
 * `npm run demo`: the whole service on this machine with no Azure account. Starts Azurite, the
 * Graph simulator and the function app as children, seeds the archive as tools/demoArchive plans
 * it (19 months, with an outage and a missed week), then serves on port 7071 (`--port N`) until
 * Ctrl-C or a child fails.
 */
const CONTAINER = 'graph-reports';
/** Settings from the user's environment that could point the demo at a real tenant or account. */
const REAL_SETTINGS = new RegExp(`^(${DEMO_IGNORED_PREFIXES.join('|')})`, 'i');

function sandboxedEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !REAL_SETTINGS.test(key)),
  );
  bypassProxyForLoopback(env);
  return env;
}

async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  const commandLine = readCommandLine(argv, demoCommand);
  if (commandLine.help) {
    await printHelp(demoCommand);
    return 0;
  }
  // The demo seeds the archive from this process too: keep its loopback traffic off any proxy.
  bypassProxyForLoopback();
  const port = readPort(commandLine.options.port, 7071);
  if (await portInUse(port)) {
    console.error(
      `Port ${port} is already in use. Stop what uses it, or choose another: npm run demo -- --port ${port + 1}`,
    );
    return 1;
  }
  const root = projectRoot();
  const supervisor = new Supervisor();
  let azurite: AzuriteProcess | undefined;
  const stopRequested = new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      process.once(signal, () => resolve('stop'));
    whenOrphaned(() => resolve('stop'));
  });
  try {
    azurite = await startAzurite();
    supervisor.adopt('Azurite', azurite.child);
    const token = randomBytes(24).toString('base64url');
    const simulatorReady = await supervisor.startNode(
      'The Graph simulator',
      join(root, 'dist/tools/graphSimulator/cli.js'),
      [],
      { ...sandboxedEnvironment(), SIM_TOKEN: token },
      /"ready":true/,
      () => undefined,
    );
    const simulator = JSON.parse(simulatorReady) as { baseUrl: string; refreshDate: string };
    const settings: Record<string, string> = {
      GRAPH_BASE_URL: simulator.baseUrl,
      GRAPH_ACCESS_TOKEN: token,
      SNAPSHOT_STORAGE: azurite.connectionString,
      SNAPSHOT_CONTAINER: CONTAINER,
      SNAPSHOT_PERIODS: 'D7',
      SNAPSHOT_SCHEDULE: '0 0 6 * * *',
      REQUEST_TIMEOUT_MS: '30000',
    };

    const seeded = await seedDemoArchive(
      simulatorOverHttp(simulator.baseUrl),
      settings,
      demoArchivePlan(simulator.refreshDate),
    );
    const host = supervisor.startNode(
      'The function app',
      join(root, 'dist/tools/localHost/start.js'),
      ['--port', String(port), '--no-settings-file'],
      { ...sandboxedEnvironment(), ...settings },
      /Local host listening/,
      (line) => console.log(line),
    );
    await Promise.race([
      host,
      supervisor.failure.then((reason) => Promise.reject(new Error(reason))),
    ]);

    const api = `http://localhost:${port}/api/reports/${skypeP2pMinuteCounts.routeSlug}`;
    console.log(`
Demo ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Open the dashboard:

  ${api}/dashboard

No Azure account is used: Microsoft Graph is simulated (refresh date ${simulator.refreshDate}) and
Blob Storage is Azurite, in memory.

Archive: ${seeded.blobs} snapshots in container "${CONTAINER}" at ${azurite.connectionString.match(/BlobEndpoint=([^;]+)/)?.[1]}
  refresh dates ${seeded.firstRefresh} to ${seeded.lastRefresh}; daily data back to ${seeded.oldestDay}.

Try:
  curl -s "${api}?period=D7"
  curl -s "${api}?period=D30&format=csv"
  curl -si "${api}?period=D7" | grep -i cache-status     # a hit: the snapshot runs warmed the cache
  curl -s "${api}/history?from=${seeded.oldestDay}&to=${addDays(seeded.oldestDay, 13)}"
  curl -s "${api}/status"
  curl -s "${api}/chart?from=${seeded.oldestDay}&to=${addDays(seeded.oldestDay, 89)}" -o chart.svg
  curl -si -X POST http://localhost:${port}/admin/functions/skypeP2pSnapshot -H "Content-Type: application/json" -d "{}"

Press Ctrl-C to stop.`);

    const outcome = await Promise.race([stopRequested, supervisor.failure]);
    if (outcome !== 'stop') {
      console.error(`Demo stopped: ${outcome}`);
      return 1;
    }
    console.log('Stopping the demo...');
    return 0;
  } catch (error) {
    console.error(`The demo could not start: ${errorMessage(error)}`);
    return 1;
  } finally {
    await supervisor.stopAll();
    await azurite?.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`The demo failed: ${errorMessage(error)}`);
    process.exit(1);
  },
);
