import { GraphSimulator } from './server';
import { printHelp, readCommandLine, readPort } from '../args';
import { simulatorCommand } from '../commands';
import { whenOrphaned } from '../parentWatch';

/**
 * Runs the Graph stand-in as its own process (the demo starts it this way):
 * `SIM_TOKEN=T node dist/tools/graphSimulator/cli.js [--port N] [--download-port M]`.
 * Prints one JSON line with its URLs once it listens.
 */

async function main() {
  const commandLine = readCommandLine(process.argv.slice(2), simulatorCommand);
  if (commandLine.help) {
    await printHelp(simulatorCommand);
    process.exit(0);
  }
  const { options } = commandLine;
  // From the environment, not argv, so the token does not show in process listings.
  const token = process.env.SIM_TOKEN;
  if (!token) {
    console.error('graph simulator: set SIM_TOKEN to the bearer token it should accept.');
    process.exit(1);
  }
  const simulator = await GraphSimulator.start({
    token,
    apiPort: readPort(options.port, 0),
    downloadPort: readPort(options['download-port'], 0, 'download-port'),
    // Comma-separated route slugs of reports served all-zero (a silent source, for the demo).
    silent: (process.env.SIM_SILENT ?? '')
      .split(',')
      .map((slug) => slug.trim())
      .filter((slug) => slug !== ''),
  });
  console.log(
    JSON.stringify({
      ready: true,
      baseUrl: simulator.baseUrl,
      downloadOrigin: simulator.downloadOrigin,
      refreshDate: simulator.refreshDate,
    }),
  );
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  whenOrphaned(stop);
}

main().catch((error: unknown) => {
  console.error(`graph simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
