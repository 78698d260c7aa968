import { ConfigError, errorMessage } from '../shared/common/errors';
import { emptySummary, summaryOfFailedRun } from '../shared/archive/snapshotJob';
import {
  rebuildHistoryIndexFromSettings,
  runSnapshotFromSettings,
} from '../shared/app/snapshotJobs';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';
import { printHelp, readCommandLine } from './args';
import { stderrLogger } from './cliLogger';
import { snapshotCommand } from './commands';
import { exportSettings, loadSettings } from './localSettings';

/**
 * `npm run snapshot`: the timer function's job, once, from the terminal, with the same settings
 * (environment over local.settings.json). Prints one JSON line; exits 1 on any failure or invalid
 * report. `--rebuild-index` instead rebuilds the history index from the snapshots (no Graph).
 * Options are strict: anything unknown is an error before anything runs.
 */
async function main(argv: string[]): Promise<number> {
  const commandLine = readCommandLine(argv, snapshotCommand);
  if (commandLine.help) {
    await printHelp(snapshotCommand);
    return 0;
  }
  const rebuild = commandLine.options['rebuild-index'] === true;
  try {
    exportSettings(loadSettings(process.cwd(), commandLine.options.settings).settings);
    if (rebuild) {
      const sync = await rebuildHistoryIndexFromSettings(
        skypeP2pMinuteCounts,
        process.env,
        stderrLogger,
      );
      console.log(JSON.stringify(sync));
      return 0;
    }
    const summary = await runSnapshotFromSettings(skypeP2pMinuteCounts, process.env, stderrLogger);
    console.log(JSON.stringify(summary));
    return summary.invalid > 0 ? 1 : 0;
  } catch (error) {
    console.error(`error: ${errorMessage(error)}`);
    const done = rebuild ? {} : (summaryOfFailedRun(error) ?? emptySummary());
    const setting = error instanceof ConfigError ? { setting: error.setting } : {};
    console.log(JSON.stringify({ ...done, error: errorMessage(error), ...setting }));
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
