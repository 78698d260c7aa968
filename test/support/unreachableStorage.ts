import { createServer, Server } from 'node:net';
import { azuriteConnectionString } from './azurite';

/**
 * Storage that cannot be reached, for as long as a suite runs: a loopback port held by a server
 * of the suite's own that resets every connection it is offered. The SDK sees ECONNRESET, as it
 * sees ECONNREFUSED from a closed port. A port that is merely free when the test starts is no
 * such address: another process (a parallel suite's server) can take it before the test
 * connects, and the "unreachable" storage then answers.
 */
export async function resettingServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * For a suite: a resetting server held from beforeAll to afterAll, and connection strings
 * pointing at it (Azurite's, or another account's, with the port replaced).
 */
export function useUnreachableStorage(): {
  connectionString: (account?: string) => string;
} {
  let held: Awaited<ReturnType<typeof resettingServer>> | undefined;
  beforeAll(async () => {
    held = await resettingServer();
  });
  afterAll(async () => {
    await held?.close();
  });
  return {
    connectionString(account = azuriteConnectionString()) {
      if (!held) throw new Error('useUnreachableStorage: the server starts in beforeAll.');
      return account.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${held.port}`);
    },
  };
}
