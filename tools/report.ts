import { errorMessage } from '../shared/common/errors';
import { catalogueReport } from '../shared/reports/catalogue';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';
import { printHelp, readCommandLine } from './args';
import { reportCommand } from './commands';
import { silentLogger } from '../shared/common/logger';
import { stderrLogger } from './cliLogger';
import { exportSettings, loadSettings } from './localSettings';

/**
 * `npm run report -- --period D30 [--format json|csv] [--report SLUG] [--verbose]`: prints exactly the body the HTTP
 * endpoint answers with, through the same code and settings; on failure the problem JSON goes
 * to stderr and the exit code is 1. `--help` lists its options and settings.
 */
async function main(argv: string[]): Promise<number> {
  const commandLine = readCommandLine(argv, reportCommand);
  if (commandLine.help) {
    await printHelp(reportCommand);
    return 0;
  }
  const { options } = commandLine;
  // Any report of the catalogue (default: the first), whatever REPORTS enables: this asks Graph
  // once and archives nothing.
  const definition =
    options.report === undefined ? skypeP2pMinuteCounts : catalogueReport(options.report.trim());
  if (!definition)
    throw new Error(`--report "${options.report}" is not a report of the catalogue.`);
  // Loaded here, not at the top: `--help` and a bad command line need none of Graph's code.
  const { serveReport } = await import('../shared/http/reportEndpoint');
  const { reportServicesFor } = await import('../shared/app/services');
  const query = new URLSearchParams();
  if (options.period !== undefined) query.set('period', options.period);
  if (options.format !== undefined) query.set('format', options.format);
  exportSettings(loadSettings(process.cwd(), options.settings).settings);
  const settings = process.env;
  // Quiet by default: on failure the problem JSON says it all; --verbose shows each Graph call.
  const log = options.verbose ? stderrLogger : silentLogger;
  const response = await serveReport(definition, { query }, settings, log, reportServicesFor);
  const ok = response.status === 200;
  const stream = ok ? process.stdout : process.stderr;
  await new Promise((resolve) =>
    stream.write(ok ? (response.body ?? '') : `${response.body ?? ''}\n`, resolve),
  );
  return ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${errorMessage(error)}`);
    process.exit(1);
  },
);
