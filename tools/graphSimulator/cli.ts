import { GraphSimulator } from './server';
import { whenOrphaned } from '../parentWatch';

/**
 * Runs the Graph stand-in as its own process (the demo starts it this way):
 * `node dist/tools/graphSimulator/cli.js --token T [--port N] [--download-port M]`.
 * Prints one JSON line with its URLs once it listens.
 */
function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main() {
  const token = option('token') ?? process.env.SIM_TOKEN;
  if (!token) {
    console.error('graph simulator: --token (or SIM_TOKEN) is required.');
    process.exit(1);
  }
  const simulator = await GraphSimulator.start({
    token,
    apiPort: Number(option('port') ?? 0),
    downloadPort: Number(option('download-port') ?? 0),
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
