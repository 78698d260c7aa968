import { ConfigError, errorMessage } from '../shared/common/errors';
import { readEnabledReports } from '../shared/config/reports';
import { emptySummary, summaryOfFailedRun } from '../shared/archive/snapshotJob';
import {
  rebuildHistoryIndexFromSettings,
  runSnapshotFromSettings,
} from '../shared/app/snapshotJobs';
import type { ServedReportDefinition } from '../shared/reports/definitions';
import { printHelp, readCommandLine } from './args';
import { stderrLogger } from './cliLogger';
import { snapshotCommand } from './commands';
import { exportSettings, loadSettings } from './localSettings';

/**
 * `npm run snapshot`: each enabled report's timer job, once, from the terminal, with the same
 * settings (environment over local.settings.json). One report after another: a run is a few
 * Graph calls, and running them in turn keeps the app's calls in a burst at one at a time. Prints
 * one JSON line per report (its summary plus `report`); a report's failure is its own line and
 * the next report still runs; exits 1 when any failed or stored an invalid report.
 * `--rebuild-index` instead rebuilds each report's history index from its snapshots (no Graph);
 * `--report SLUG` does either for one report. Options are strict: anything unknown is an error
 * before anything runs.
 */
function settingOf(error: unknown) {
  return error instanceof ConfigError ? { setting: error.setting } : {};
}

/** The enabled reports, or only `--report`'s (which must be one of them). */
function reportsToRun(only: string | undefined): ServedReportDefinition[] {
  const enabled = readEnabledReports(process.env);
  if (only === undefined) return enabled;
  const slug = only.trim().toLowerCase();
  const found = enabled.find((definition) => definition.routeSlug === slug);
  if (!found) {
    throw new ConfigError(
      'REPORTS',
      `--report "${slug.slice(0, 100)}" is not an enabled report; enabled: ${enabled.map((definition) => definition.routeSlug).join(', ')}.`,
    );
  }
  return [found];
}

async function runOne(definition: ServedReportDefinition, rebuild: boolean): Promise<boolean> {
  const report = definition.routeSlug;
  try {
    if (rebuild) {
      const sync = await rebuildHistoryIndexFromSettings(definition, process.env, stderrLogger);
      console.log(JSON.stringify({ report, ...sync }));
      return true;
    }
    const summary = await runSnapshotFromSettings(definition, process.env, stderrLogger);
    console.log(JSON.stringify({ report, ...summary }));
    return summary.invalid === 0;
  } catch (error) {
    console.error(`error: ${report}: ${errorMessage(error)}`);
    const done = rebuild ? {} : (summaryOfFailedRun(error) ?? emptySummary());
    console.log(
      JSON.stringify({ report, ...done, error: errorMessage(error), ...settingOf(error) }),
    );
    return false;
  }
}

async function main(argv: string[]): Promise<number> {
  const commandLine = readCommandLine(argv, snapshotCommand);
  if (commandLine.help) {
    await printHelp(snapshotCommand);
    return 0;
  }
  const rebuild = commandLine.options['rebuild-index'] === true;
  const only = commandLine.options.report;
  let reports: ServedReportDefinition[];
  try {
    exportSettings(loadSettings(process.cwd(), commandLine.options.settings).settings);
    reports = reportsToRun(typeof only === 'string' ? only : undefined);
  } catch (error) {
    // No report could run: one line, as a single run's failure has always been printed.
    console.error(`error: ${errorMessage(error)}`);
    const done = rebuild ? {} : emptySummary();
    console.log(JSON.stringify({ ...done, error: errorMessage(error), ...settingOf(error) }));
    return 1;
  }
  let failed = 0;
  for (const definition of reports) {
    if (!(await runOne(definition, rebuild))) failed += 1;
  }
  return failed > 0 ? 1 : 0;
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
