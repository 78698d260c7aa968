import { ConfigError, errorMessage } from '../shared/common/errors';
import { emptySummary, runSnapshotFromSettings } from '../shared/archive/snapshotJob';
import { stderrLogger } from './cliLogger';
import { exportSettings, loadLocalSettings } from './localSettings';

/**
 * `npm run snapshot`: the timer function's job, once, from the terminal, with the same settings
 * (environment over local.settings.json). Prints one JSON line; exits 1 on any failure or invalid
 * report.
 */
async function main(): Promise<number> {
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

void main().then((code) => {
  process.exitCode = code;
});
