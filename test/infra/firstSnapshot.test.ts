import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { projectRoot, readProjectFile } from './bicep';
import { makeScratch, which } from './grantHook';

/**
 * The postdeploy hook (infra/scripts/first-snapshot.mjs), run for real by Node against a
 * stand-in Azure CLI (fake-az.sh) and a loopback stand-in of the deployed app: its admin
 * endpoint and /status. Whatever happens, it exits 0 and its last line says what to do.
 */

const script = join(projectRoot, 'infra', 'scripts', 'first-snapshot.mjs');
const MASTER_KEY = 'master-key-for-the-test-only';
const STATUS = '/api/reports/skype-p2p-minute-counts/status';
const ADMIN = '/admin/functions/skypeP2pSnapshot';

interface AppBehaviour {
  /** How many snapshot triggers answer 404 first (the host still loading the package). */
  notReady?: number;
  /** The /status a run leaves: healthy, or failed with an error. */
  run?: 'succeeds' | 'fails';
  /** Healthy before anything happens. */
  alreadyHealthy?: boolean;
}

/** A stand-in of the deployed app; records what it was asked. */
function fakeApp(behaviour: AppBehaviour) {
  const seen: { method: string; path: string; key: string | undefined }[] = [];
  let triggers = 0;
  let ranAt: string | undefined = behaviour.alreadyHealthy ? '2026-11-28T06:00:00.000Z' : undefined;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const key = request.headers['x-functions-key'] as string | undefined;
    seen.push({ method: request.method!, path: request.url!, key });
    if (key !== MASTER_KEY) return void response.writeHead(401).end();
    if (request.method === 'POST' && request.url === ADMIN) {
      triggers += 1;
      if (triggers <= (behaviour.notReady ?? 0)) return void response.writeHead(404).end();
      ranAt = new Date().toISOString();
      return void response.writeHead(202).end();
    }
    if (request.method === 'GET' && request.url === STATUS) {
      const failed = behaviour.run === 'fails' && !behaviour.alreadyHealthy;
      const healthy = ranAt !== undefined && !failed;
      const body = {
        healthy,
        ...(healthy ? {} : { reason: ranAt ? 'last-run-failed' : 'empty' }),
        newestRefreshDate: healthy ? '2026-11-26' : null,
        lastRun: ranAt
          ? {
              startedAt: ranAt,
              succeeded: !failed,
              ...(failed ? { error: { name: 'GraphError', message: 'Graph answered 403' } } : {}),
            }
          : null,
      };
      response.writeHead(healthy ? 200 : 503, { 'Content-Type': 'application/json' });
      return void response.end(JSON.stringify(body));
    }
    response.writeHead(404).end();
  });
  return { server, seen };
}

let scratch: { dir: string; remove: () => void };
let runs = 0;

beforeAll(() => {
  scratch = makeScratch();
});
afterAll(() => scratch.remove());

async function firstSnapshot(
  behaviour: AppBehaviour,
  options: { env?: Record<string, string>; withoutAz?: boolean } = {},
) {
  const { server, seen } = fakeApp(behaviour);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  runs += 1;
  const bin = join(scratch.dir, `bin-${runs}`);
  mkdirSync(bin);
  for (const tool of ['bash', 'grep']) symlinkSync(which(tool), join(bin, tool));
  if (!options.withoutAz) symlinkSync(join(__dirname, 'fake-az.sh'), join(bin, 'az'));
  const child = spawn(process.execPath, [script], {
    env: {
      PATH: bin,
      FAKE_AZ_LOG: join(scratch.dir, `az-${runs}.log`),
      FAKE_AZ_MASTER_KEY: MASTER_KEY,
      AZURE_FUNCTION_APP_NAME: 'func-api-test',
      AZURE_RESOURCE_GROUP: 'rg-test',
      AZURE_FUNCTION_URL: `http://127.0.0.1:${port}`,
      FIRST_SNAPSHOT_POLL_MS: '20',
      FIRST_SNAPSHOT_TIMEOUT_MS: '5000',
      ...options.env,
    },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  server.close();
  const lastLine = stdout.trimEnd().split('\n').at(-1) ?? '';
  return { code, stdout, lastLine, seen };
}

const triggers = (seen: { method: string }[]) => seen.filter((call) => call.method === 'POST');

describe('first-snapshot.mjs (the postdeploy hook)', () => {
  it('is the postdeploy hook of azure.yaml', () => {
    expect(readProjectFile('azure.yaml')).toContain('run: node ./infra/scripts/first-snapshot.mjs');
  });

  it('runs the snapshot once the new package answers, and reports the healthy archive', async () => {
    const run = await firstSnapshot({ notReady: 2, run: 'succeeds' });
    expect(run.code).toBe(0);
    expect(run.stdout.match(/not ready to run the snapshot yet \(HTTP 404\)/g)).toHaveLength(2);
    expect(triggers(run.seen)).toHaveLength(3);
    expect(run.lastLine).toBe(
      'first-snapshot: first snapshot stored: /status answers 200 (newest refresh date 2026-11-26).',
    );
    // The master key goes to the app and nowhere else.
    expect(run.seen.every((call) => call.key === MASTER_KEY)).toBe(true);
    expect(run.stdout).not.toContain(MASTER_KEY);
  });

  it('leaves an archive that is already healthy alone (no Graph call on a redeploy)', async () => {
    const run = await firstSnapshot({ alreadyHealthy: true });
    expect(run.code).toBe(0);
    expect(triggers(run.seen)).toEqual([]);
    expect(run.lastLine).toContain('already healthy');
  });

  it('says that the run failed, why, and that the alert will fire', async () => {
    const run = await firstSnapshot({ run: 'fails' });
    expect(run.code).toBe(0);
    expect(run.lastLine).toMatch(
      /^first-snapshot: SNAPSHOT FAILED, \/status answers 503 \(last-run-failed\)/,
    );
    expect(run.lastLine).toContain('Graph answered 403');
    expect(run.lastLine).toContain('node infra/scripts/first-snapshot.mjs');
  });

  it('gives up after its time budget when the app never takes the trigger', async () => {
    const run = await firstSnapshot(
      { notReady: 1_000 },
      { env: { FIRST_SNAPSHOT_TIMEOUT_MS: '300' } },
    );
    expect(run.code).toBe(0);
    expect(run.lastLine).toMatch(/^first-snapshot: SNAPSHOT NOT RUN: .* answered HTTP 404/);
  });

  it.each([
    ['the Azure CLI is missing', { withoutAz: true }, 'the Azure CLI (az) is not installed'],
    [
      'the deployer may not list the keys',
      { env: { FAKE_AZ_MASTER_KEY: '' } },
      'could not list the keys of func-api-test (ERROR: (AuthorizationFailed)',
    ],
    [
      'the azd outputs are missing',
      { env: { AZURE_FUNCTION_URL: '' } },
      'AZURE_FUNCTION_URL must be set',
    ],
  ])('does not call the app when %s, and says how to run it later', async (_, options, reason) => {
    const run = await firstSnapshot({ run: 'succeeds' }, options);
    expect(run.code).toBe(0);
    expect(run.seen).toEqual([]);
    expect(run.lastLine).toContain(reason);
    expect(run.lastLine).toContain('node infra/scripts/first-snapshot.mjs');
  });
});
