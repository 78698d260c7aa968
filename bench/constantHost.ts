import { readFileSync } from 'node:fs';
import { LocalFunctionsHost } from '../tools/localHost/host';
import { batchedLines } from '../tools/localHost/lineWriter';
import { whenOrphaned } from '../tools/parentWatch';

/**
 * The local host alone: the same host code `npm start` runs, serving one HTTP function that
 * answers at once with the status, headers and body the real endpoint answered (from the JSON
 * file on the command line). Beside the bare server it shows what the host's own hot path
 * costs, whatever the endpoint behind it does. Logs as `npm start` does; prints
 * "Local host listening on PORT" once ready.
 */
interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly bodyBase64: string;
}

async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node dist/bench/constantHost.js ANSWER.json');
  const answer = JSON.parse(readFileSync(file, 'utf8')) as Answer;
  const body = Buffer.from(answer.bodyBase64, 'base64').toString('utf8');
  // The host sets Content-Length itself, from the body it is handed.
  const headers = Object.fromEntries(
    Object.entries(answer.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
  );
  const output = batchedLines();
  const host = new LocalFunctionsHost({
    functions: [
      {
        name: 'skypeP2pMinuteCounts',
        trigger: {
          type: 'httpTrigger',
          direction: 'in',
          route: 'reports/skype-p2p-minute-counts',
          methods: ['GET'],
        },
        handler: async () => ({ status: answer.status, headers: { ...headers }, body }),
      },
    ],
    settings: {},
    port: 0,
    log: output.write,
  });
  await host.start();
  output.write(`Local host listening on ${host.port}`);
  const stop = () => void host.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  whenOrphaned(stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
