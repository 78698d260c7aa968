import { errorMessage } from '../shared/errors';
import { skypeP2pMinuteCounts } from '../shared/reportDefinitions';
import { serveReport } from '../shared/reportEndpoint';
import { option } from './args';
import { stderrLogger } from './cliLogger';
import { loadLocalSettings } from './localSettings';

/**
 * `npm run report -- --period D30 [--format json|csv]`: prints exactly the body the HTTP
 * endpoint answers with, through the same code and settings; on failure the problem JSON goes
 * to stderr and the exit code is 1.
 */
async function main(argv: string[]): Promise<number> {
  const query = new URLSearchParams();
  for (const name of ['period', 'format']) {
    const value = option(argv, name);
    if (value !== undefined) query.set(name, value);
  }
  const { settings } = loadLocalSettings(process.cwd());
  const response = await serveReport(skypeP2pMinuteCounts, { query }, settings, stderrLogger);
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
