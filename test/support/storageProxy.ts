import { createServer, request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { azuriteConnectionString } from './azurite';

/** One request that went through the proxy to Azurite, as storage saw it. */
export interface StorageCall {
  readonly method: string;
  /** The blob or container path, decoded, without the account: `/{container}/{blob}`. */
  readonly path: string;
  /** `restype`/`comp` query parameters, which tell a list call from a read. */
  readonly operation: string;
  readonly status: number;
}

/**
 * A loopback HTTP proxy in front of the test Azurite that records every request: what a test
 * counts when it says "one read". Shared Key signatures do not cover the host, so the storage SDK
 * works through it unchanged.
 */
export async function countingStorageProxy(target = azuriteConnectionString()) {
  const upstream = new URL(/BlobEndpoint=([^;]+)/.exec(target)![1]!);
  const calls: StorageCall[] = [];
  const server = createServer((req, res) => {
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        const url = new URL(req.url ?? '/', 'http://proxy');
        const operation = ['restype', 'comp']
          .map((name) => url.searchParams.get(name))
          .filter(Boolean)
          .join(',');
        calls.push({
          method: req.method ?? '',
          path: decodeURIComponent(url.pathname).replace(/^\/[^/]+/, ''),
          operation,
          status: answer.statusCode ?? 0,
        });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    /** The test Azurite's connection string, through the proxy. */
    connectionString: target.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`),
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
