import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { whenOrphaned } from '../tools/parentWatch';

/**
 * The reference for cached throughput: a bare `node:http` server answering every request with
 * the same status, headers and body the host answered (read from the JSON file named on the
 * command line), written the same way, so the ratio is what the host's work costs on top.
 * Prints `{"ready":true,"port":N}` once it listens.
 */
interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly bodyBase64: string;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node dist/bench/bareServer.js ANSWER.json');
  process.exit(2);
}
const answer = JSON.parse(readFileSync(file, 'utf8')) as Answer;
const body = Buffer.from(answer.bodyBase64, 'base64');
const server = createServer((_req, res) => {
  res.writeHead(answer.status, answer.headers).end(body);
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ ready: true, port: (server.address() as AddressInfo).port }));
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
whenOrphaned(() => process.exit(0));
