import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { errorMessage } from '../shared/common/errors';
import { SETTINGS } from '../shared/config/registry';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';
import { CATALOGUE } from '../shared/reports/catalogue';
import { HOME_PATH } from '../shared/http/dashboard';
import { printHelp, readCommandLine, readPort } from './args';
import { demoCommand, DEMO_IGNORED_PREFIXES } from './commands';
import { AzuriteProcess, startAzurite } from './azurite';
import { portInUse } from './freePort';
import { addDays } from '../shared/reports/dates';
import { projectRoot } from './projectRoot';
import { bypassProxyForLoopback, DEMO_SETTINGS_FILE } from './localSettings';
import { Supervisor } from './supervisor';
import { demoArchivePlan, seedDemoArchive, simulatorOverHttp } from './demoArchive';
import { whenOrphaned, whenScriptShellInterrupted } from './parentWatch';

/**
 * `npm run demo`: the whole service on this machine with no Azure account. Starts Azurite, the
 * Graph simulator and the function app as children, seeds the archive as tools/demoArchive plans
 * it (19 months, with an outage and a missed week; `--quick`: the newest run alone), then serves
 * on port 7071 (`--port N`) until Ctrl-C or a child fails. It writes the settings that point the
 * other commands at its Graph stand-in and Azurite to .demo/settings.env.
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
  const settingsFile = commandLine.options['settings-file']
    ? resolve(process.env.INIT_CWD ?? process.cwd(), commandLine.options['settings-file'])
    : join(root, DEMO_SETTINGS_FILE);
  const supervisor = new Supervisor();
  let azurite: AzuriteProcess | undefined;
  let writtenSettings: string | undefined;
  // Whoever asks us to stop, however: a terminal's Ctrl-C reaches the whole group (npm may pass
  // it on again: the handlers stay, so a second signal cannot kill us half-way through stopping),
  // SIGTERM or SIGINT to this process, npm killed (its shell dies and we are orphaned), or SIGINT
  // to npm alone (its shell keeps it: see whenScriptShellInterrupted).
  const stopRequested = new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      process.on(signal, () => resolve('stop'));
    whenOrphaned(() => resolve('stop'), 500);
    whenScriptShellInterrupted(() => resolve('stop'));
  });
  // Once npm is gone, so may be the terminal or pipe we print to: stopping must go on regardless.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  // A stop asked for while starting stops the start too, rather than waiting for the seeding.
  const STOPPED = new Error('stopped while starting');
  const unlessStopped = <T>(step: Promise<T>) =>
    Promise.race([step, stopRequested.then(() => Promise.reject(STOPPED))]);
  try {
    azurite = await unlessStopped(startAzurite());
    supervisor.adopt('Azurite', azurite.child);
    const token = randomBytes(24).toString('base64url');
    const simulatorReady = await unlessStopped(
      supervisor.startNode(
        'The Graph simulator',
        join(root, 'dist/tools/graphSimulator/cli.js'),
        [],
        { ...sandboxedEnvironment(), SIM_TOKEN: token },
        /"ready":true/,
        () => undefined,
      ),
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

    const seeded = await unlessStopped(
      seedDemoArchive(
        simulatorOverHttp(simulator.baseUrl),
        settings,
        demoArchivePlan(simulator.refreshDate, { quick: commandLine.options.quick === true }),
        undefined,
        // The demo sets no REPORTS: the app serves the whole catalogue, so each is archived.
        CATALOGUE,
      ),
    );
    const host = supervisor.startNode(
      'The function app',
      join(root, 'dist/tools/localHost/start.js'),
      ['--port', String(port), '--no-settings-file'],
      { ...sandboxedEnvironment(), ...settings },
      /Local host listening/,
      (line) => console.log(line),
    );
    await unlessStopped(
      Promise.race([host, supervisor.failure.then((reason) => Promise.reject(new Error(reason)))]),
    );

    writtenSettings = writeSettingsFile(settingsFile, settings);
    // As the user would type it where they typed `npm run demo`.
    const fromHere = relative(process.env.INIT_CWD ?? process.cwd(), settingsFile);
    const shown = fromHere.startsWith('..') ? settingsFile : fromHere.split('\\').join('/');
    const api = `http://localhost:${port}/api/reports/${skypeP2pMinuteCounts.routeSlug}`;
    console.log(`
Demo ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Open the home page, every report:

  http://localhost:${port}${HOME_PATH}

or the first report's dashboard: ${api}/dashboard

No Azure account is used: Microsoft Graph is simulated (refresh date ${simulator.refreshDate}) and
Blob Storage is Azurite, in memory.

Archive: container "${CONTAINER}" at ${azurite.connectionString.match(/BlobEndpoint=([^;]+)/)?.[1]}, daily data back to ${seeded.oldestDay}:
${seeded.reports.map((entry) => `  ${entry.report.routeSlug.padEnd(32)} ${String(entry.blobs).padStart(4)} snapshots, refresh dates ${entry.firstRefresh} to ${entry.lastRefresh}  http://localhost:${port}/api/reports/${entry.report.routeSlug}/dashboard`).join('\n')}

Try:
  curl -s "${api}?period=D7"
  curl -s "${api}?period=D30&format=csv"
  curl -si "${api}?period=D7" | grep -i cache-status     # a hit: the snapshot runs warmed the cache
  curl -s "${api}/history?from=${seeded.oldestDay}&to=${addDays(seeded.oldestDay, 13)}"
  curl -s "${api}/status"
  curl -s "${api}/chart?from=${seeded.oldestDay}&to=${addDays(seeded.oldestDay, 89)}" -o chart.svg
  curl -si -X POST http://localhost:${port}/admin/functions/skypeP2pSnapshot -H "Content-Type: application/json" -d "{}"

The other commands, pointed at this demo by the settings in ${shown} (removed when it stops):
${describeSettings(settings)}

  npm run report -- --settings ${shown} --period D7
  npm run snapshot -- --settings ${shown}
  npm start -- --settings ${shown} --port ${port === 7072 ? 7073 : 7072}
  (or load them into a POSIX shell: set -a; . ${shown}; set +a)

Press Ctrl-C to stop.`);

    const outcome = await Promise.race([stopRequested, supervisor.failure]);
    if (outcome !== 'stop') {
      console.error(`Demo stopped: ${outcome}`);
      return 1;
    }
    console.log('Stopping the demo...');
    return 0;
  } catch (error) {
    if (error === STOPPED) {
      console.log('Stopping the demo...');
      return 0;
    }
    console.error(`The demo could not start: ${errorMessage(error)}`);
    return 1;
  } finally {
    if (writtenSettings !== undefined) removeSettingsFile(settingsFile, writtenSettings);
    await supervisor.stopAll();
    await azurite?.stop();
  }
}

const SECRET_SETTINGS = new Set(SETTINGS.filter((setting) => setting.secret).map((s) => s.name));

/** The settings as the terminal shows them: secrets (the simulator's token) only in the file. */
function describeSettings(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([name, value]) => `  ${name}=${SECRET_SETTINGS.has(name) ? '(in the file)' : value}`)
    .join('\n');
}

/**
 * KEY='value' lines: what Node's env-file parser reads for `--settings`, and what a POSIX shell
 * sources (single quotes: the connection string holds semicolons). Owner-only: it holds the
 * simulator's token. Returns the text written, to remove only our own file when we stop.
 */
function writeSettingsFile(file: string, settings: Record<string, string>): string {
  const text = [
    `# Written by npm run demo (process ${process.pid}) for the other commands; removed when it stops.`,
    ...Object.entries(settings).map(([name, value]) => `${name}='${value}'`),
    '',
  ].join('\n');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { mode: 0o600 });
  return text;
}

/** Removes the settings file unless another demo has written its own there since. */
function removeSettingsFile(file: string, written: string): void {
  try {
    if (readFileSync(file, 'utf8') === written) rmSync(file, { force: true });
  } catch {
    // Already gone.
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`The demo failed: ${errorMessage(error)}`);
    process.exit(1);
  },
);
