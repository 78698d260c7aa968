import { readSnapshotConfig } from '../../shared/config';
import { ConfigError, errorMessage } from '../../shared/common/errors';
import { printHelp, readCommandLine, readPort } from '../args';
import { startCommand } from '../commands';
import { portInUse } from '../freePort';
import {
  ensureLocalSettings,
  exportSettings,
  loadLocalSettings,
  loadSettingsFile,
  LOCAL_SETTINGS_FILE,
  SAMPLE_SETTINGS_FILE,
} from '../localSettings';
import { projectRoot } from '../projectRoot';
import { whenOrphaned, whenScriptShellInterrupted } from '../parentWatch';
import { LocalFunctionsHost } from './host';
import { batchedLines } from './lineWriter';
import { loadRegistrations } from './registrations';

/**
 * `npm start`: the app's functions on a local host of our own, with local.settings.json from the
 * current folder (environment variables win). `--no-settings-file` ignores the file (the demo
 * passes every setting itself). Never falls back to simulated data.
 */
async function main(argv: string[]): Promise<number> {
  const commandLine = readCommandLine(argv, startCommand);
  if (commandLine.help) {
    await printHelp(startCommand);
    return 0;
  }
  const { options } = commandLine;
  const port = readPort(options.port, 7071);
  const folder = process.cwd();
  let settings: Record<string, string | undefined> = { ...process.env };
  if (options.settings !== undefined) {
    settings = loadSettingsFile(options.settings).settings;
  } else if (!options['no-settings-file']) {
    if (ensureLocalSettings(folder, projectRoot())) {
      console.log(
        `Created ${LOCAL_SETTINGS_FILE} from ${SAMPLE_SETTINGS_FILE}: fill in your tenant's settings (see README).`,
      );
    }
    settings = loadLocalSettings(folder).settings;
  }
  // Functions read their settings from the environment, as in Azure.
  exportSettings(settings);

  // Fail fast: every setting the functions will read is checked before anything listens.
  readSnapshotConfig(process.env);
  // The host's lines and ours through one batched writer, so they stay in order.
  const output = batchedLines();
  process.once('exit', output.flush);
  const print = output.write;
  const host = new LocalFunctionsHost({
    functions: loadRegistrations(projectRoot()),
    settings: process.env,
    port,
    log: print,
  });
  if (await portInUse(port)) {
    console.error(
      `Port ${port} is already in use. Stop what uses it, or choose another: npm start -- --port ${port + 1}`,
    );
    return 1;
  }
  // Listen for a stop before saying we are ready: a signal with no handler yet would kill us.
  const stopRequested = new Promise<void>((resolve) => {
    // `on`, not `once`: npm may pass a terminal's Ctrl-C on again, and a second signal with no
    // handler would kill us half-way through stopping. SIGINT to npm alone stops us too.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      process.on(signal, () => resolve());
    whenOrphaned(resolve);
    whenScriptShellInterrupted(resolve);
  });
  await host.start();
  print('\nFunctions:\n');
  for (const line of host.describe()) print(`        ${line}\n`);
  print(
    `Local host listening on http://localhost:${host.port} (function keys are not checked locally).`,
  );

  await stopRequested;
  print('Stopping the local host...');
  await host.stop();
  print('Local host stopped.');
  output.flush();
  return 0;
}

main(process.argv.slice(2)).then(
  // Exit once stopped: whatever is still pending (a socket, a timer) must not keep us alive.
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      const demoHint = error.message.includes('npm run demo')
        ? ''
        : ', or try "npm run demo" to run against a local Graph stand-in';
      console.error(
        `Configuration error: ${error.message}\nSet it in ${LOCAL_SETTINGS_FILE} or the environment and run again${demoHint}.`,
      );
    } else {
      console.error(`The local host could not start: ${errorMessage(error)}`);
    }
    process.exit(1);
  },
);
