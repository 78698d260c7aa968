import { ConfigError, errorMessage } from '../shared/common/errors';
import { emptySummary, runSnapshotFromSettings } from '../shared/archive/snapshotJob';
import { printHelp, readCommandLine } from './args';
import { stderrLogger } from './cliLogger';
import { snapshotCommand } from './commands';
import { exportSettings, loadLocalSettings } from './localSettings';

/**
 * `npm run snapshot`: the timer function's job, once, from the terminal, with the same settings
 * (environment over local.settings.json). Prints one JSON line; exits 1 on any failure or invalid
 * report. It takes no options but `--help`; anything else is an error before anything runs.
 */
async function main(argv: string[]): Promise<number> {
  if (readCommandLine(argv, snapshotCommand).help) {
    await printHelp(snapshotCommand);
    return 0;
  }
  const summary = emptySummary();
  try {
    exportSettings(loadLocalSettings(process.cwd()).settings);
    await runSnapshotFromSettings(process.env, stderrLogger, summary);
    console.log(JSON.stringify(summary));
    return summary.invalid > 0 ? 1 : 0;
  } catch (error) {
    console.error(`error: ${errorMessage(error)}`);
    const setting = error instanceof ConfigError ? { setting: error.setting } : {};
    console.log(JSON.stringify({ ...summary, error: errorMessage(error), ...setting }));
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  // A bad command line: no job ran, so there is no summary line to print.
  (error: unknown) => {
    console.error(`error: ${errorMessage(error)}`);
    process.exitCode = 1;
  },
);
