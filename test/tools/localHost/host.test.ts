import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../tools/freePort';
import { azuriteConnectionString, containerClient, uniqueContainer } from '../../support/azurite';
import { snapshotNamesIn } from '../../support/archive';
import { useGraph } from '../../support/graphSimulator';
import { projectRoot, runTool, RunningTool, startLocalHost } from '../../support/processes';
import { useUnreachableStorage } from '../../support/unreachableStorage';

const unreachable = useUnreachableStorage();

const sim = useGraph('2026-11-26');

let folder: string;
let env: Record<string, string>;
let host: RunningTool | undefined;
let port: number;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'local-host-'));
  port = await freePort();
  env = {
    ...sim.settings,
    SNAPSHOT_STORAGE: azuriteConnectionString(),
    SNAPSHOT_CONTAINER: uniqueContainer(),
    SNAPSHOT_SCHEDULE: '0 0 6 * * *',
    // The first report alone: the app these tests describe (test/tools/localHost/reports.test.ts
    // has the catalogue).
    REPORTS: 'skype-p2p-minute-counts',
  };
});
afterEach(async () => {
  await host?.stop();
  host = undefined;
  rmSync(folder, { recursive: true, force: true });
});

async function startHost(args: string[] = []) {
  ({ tool: host, port } = await startLocalHost(args, { cwd: folder, env }));
  return `http://127.0.0.1:${port}`;
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const blobCount = async (container: string) =>
  (await containerClient(container).exists())
    ? (await snapshotNamesIn(containerClient(container))).length
    : 0;

describe('npm start: the local host', () => {
  it('serves the HTTP function on its Azure route under /api, ignoring function keys', async () => {
    const base = await startHost();
    const response = await fetch(
      `${base}/api/reports/skype-p2p-minute-counts?period=D30&code=not-checked`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await response.json()) as { period: string; value: unknown[] };
    expect(body.period).toBe('D30');
    expect(body.value).toHaveLength(30);

    const csv = await fetch(`${base}/api/reports/skype-p2p-minute-counts?format=csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const revalidated = await fetch(`${base}/api/reports/skype-p2p-minute-counts?format=csv`, {
      headers: { 'If-None-Match': csv.headers.get('etag')! },
    });
    expect(revalidated.status).toBe(304);

    const problem = await fetch(`${base}/api/reports/skype-p2p-minute-counts?period=D1`);
    expect(problem.status).toBe(400);
    expect(problem.headers.get('content-type')).toBe('application/problem+json');
  });

  it('matches routes case-insensitively, as Azure does', async () => {
    const base = await startHost();
    expect((await fetch(`${base}/api/Reports/SKYPE-P2P-Minute-Counts`)).status).toBe(200);
  });

  it('answers 404 for an unknown route and for a wrong method', async () => {
    const base = await startHost();
    expect((await fetch(`${base}/api/reports/unknown`)).status).toBe(404);
    expect((await fetch(`${base}/reports/skype-p2p-minute-counts`)).status).toBe(404);
    expect(
      (await fetch(`${base}/api/reports/skype-p2p-minute-counts`, { method: 'POST' })).status,
    ).toBe(404);
    expect(
      (await fetch(`${base}/api/reports/skype-p2p-minute-counts`, { method: 'DELETE' })).status,
    ).toBe(404);
  });

  it('logs each invocation as Core Tools does', async () => {
    const base = await startHost();
    await fetch(`${base}/api/reports/skype-p2p-minute-counts`);
    await host!.waitFor(
      /Executed 'Functions\.skypeP2pMinuteCounts' \(Succeeded, Id=[\w-]+, Duration=\d+ms\)/,
    );
    expect(host!.output()).toMatch(
      /Executing 'Functions\.skypeP2pMinuteCounts' \(Reason='.+', Id=[\w-]+\)/,
    );
    expect(host!.output()).toMatch(
      /skypeP2pMinuteCounts: \[GET\] http:\/\/localhost:\d+\/api\/reports\/skype-p2p-minute-counts/,
    );
    expect(host!.output()).toMatch(
      /skypeP2pSnapshot: timerTrigger \(0 0 6 \* \* \* UTC, next \d{4}-/,
    );
  });

  it('runs a timer function by hand: POST /admin/functions/{name} answers 202 and runs it', async () => {
    const base = await startHost();
    const response = await fetch(`${base}/admin/functions/skypeP2pSnapshot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(202);
    expect(
      await eventually(async () =>
        (await blobCount(env.SNAPSHOT_CONTAINER!)) === 2 ? true : undefined,
      ),
    ).toBe(true);
    await host!.waitFor(/Executed 'Functions\.skypeP2pSnapshot' \(Succeeded/);

    expect(
      (await fetch(`${base}/admin/functions/noSuchFunction`, { method: 'POST', body: '{}' }))
        .status,
    ).toBe(404);
    expect(
      (await fetch(`${base}/admin/functions/skypeP2pMinuteCounts`, { method: 'POST', body: '{}' }))
        .status,
    ).toBe(404);
    expect(
      (
        await fetch(`${base}/admin/functions/skypeP2pSnapshot`, {
          method: 'POST',
          body: 'not json',
        })
      ).status,
    ).toBe(400);
  });

  it('runs timer functions on their NCRONTAB schedule', async () => {
    env.SNAPSHOT_SCHEDULE = '*/1 * * * * *';
    await startHost();
    await host!.waitFor(/Reason='Timer fired at /, 10_000);
    expect(
      await eventually(async () =>
        (await blobCount(env.SNAPSHOT_CONTAINER!)) === 2 ? true : undefined,
      ),
    ).toBe(true);
  });

  it('retries a failing timer run as its retry policy says', async () => {
    env.SNAPSHOT_STORAGE = unreachable.connectionString();
    env.STORAGE_MAX_TRIES = '1';
    const base = await startHost();
    await fetch(`${base}/admin/functions/skypeP2pSnapshot`, { method: 'POST', body: '{}' });
    await host!.waitFor(/Executed 'Functions\.skypeP2pSnapshot' \(Failed/);
    await host!.waitFor(/Retrying 'skypeP2pSnapshot' in 30 s \(retry 1 of 3\)/);
    expect(host!.output()).toContain('StorageError: Blob Storage failed');
    // Stopping does not wait out the 30 s retry, nor start it.
    const started = Date.now();
    expect(await host!.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(host!.output()).toContain('Local host stopped.');
    expect(host!.output().match(/Executing 'Functions\.skypeP2pSnapshot'/g)).toHaveLength(1);
  });

  it('takes settings from local.settings.json, with environment variables winning', async () => {
    const fromFile = uniqueContainer();
    const fromEnv = env.SNAPSHOT_CONTAINER!;
    writeFileSync(
      join(folder, 'local.settings.json'),
      JSON.stringify({
        IsEncrypted: false,
        Values: { SNAPSHOT_CONTAINER: fromFile, SNAPSHOT_PERIODS: 'D30' },
      }),
    );
    const base = await startHost();
    await fetch(`${base}/admin/functions/skypeP2pSnapshot`, { method: 'POST', body: '{}' });
    await host!.waitFor(/Executed 'Functions\.skypeP2pSnapshot' \(Succeeded/);
    const names = await snapshotNamesIn(containerClient(fromEnv));
    expect(names).toEqual([
      'skype-p2p-minute-counts/D180/2026-11-26.csv',
      'skype-p2p-minute-counts/D30/2026-11-26.csv',
    ]);
    expect(await containerClient(fromFile).exists()).toBe(false);
  });

  it('stops cleanly on SIGTERM', async () => {
    await startHost();
    expect(await host!.stop()).toBe(0);
  });

  describe('refusing to start', () => {
    it('without Graph credentials: creates local.settings.json from the sample, says what to set, exits 1, contacts nothing', async () => {
      const noCredentials = {
        SNAPSHOT_STORAGE: env.SNAPSHOT_STORAGE,
        GRAPH_BASE_URL: sim.graph.baseUrl,
      };
      const result = await runTool('localHost/start.js', ['--port', String(port)], {
        cwd: folder,
        env: noCredentials,
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        'Created local.settings.json from local.settings.sample.json',
      );
      expect(readFileSync(join(folder, 'local.settings.json'), 'utf8')).toBe(
        readFileSync(join(projectRoot, 'local.settings.sample.json'), 'utf8'),
      );
      expect(result.stderr).toContain('GRAPH_CREDENTIAL');
      expect(result.stderr).toContain('npm run demo');
      expect(sim.graph.requests).toHaveLength(0);
      expect(await fetch(`http://127.0.0.1:${port}/api/x`).catch(() => 'refused')).toBe('refused');
    });

    it('with the sample settings as they are, without touching an existing local.settings.json', async () => {
      copyFileSync(
        join(projectRoot, 'local.settings.sample.json'),
        join(folder, 'local.settings.json'),
      );
      const result = await runTool('localHost/start.js', ['--port', String(port)], {
        cwd: folder,
        env: {},
      });
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain('Created local.settings.json');
      expect(result.stderr).toMatch(/Configuration error: GRAPH_CREDENTIAL/);
    });

    it('with a bad schedule, naming the setting', async () => {
      env.SNAPSHOT_SCHEDULE = '0 6 * * *';
      const result = await runTool('localHost/start.js', ['--port', String(port)], {
        cwd: folder,
        env,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('SNAPSHOT_SCHEDULE');
      expect(result.stderr).toContain('six-field NCRONTAB');
    });

    it('without a schedule setting', async () => {
      delete env.SNAPSHOT_SCHEDULE;
      const args = ['--port', String(port), '--no-settings-file'];
      const result = await runTool('localHost/start.js', args, { cwd: folder, env });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('SNAPSHOT_SCHEDULE: is not set');
    });

    it('when the port is taken', async () => {
      await startHost();
      const second = await runTool('localHost/start.js', ['--port', String(port)], {
        cwd: folder,
        env,
      });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`Port ${port} is already in use`);
    });

    it('with a misspelt option, rather than ignoring it', async () => {
      const result = await runTool('localHost/start.js', ['--prot', String(port)], {
        cwd: folder,
        env,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Unknown option '--prot'");
    });

    it('with a bad --port', async () => {
      const result = await runTool('localHost/start.js', ['--port', 'seventy'], {
        cwd: folder,
        env,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('--port must be a port number');
    });
  });

  it('keeps no local.settings.json in the repository', () => {
    expect(existsSync(join(projectRoot, '.gitignore'))).toBe(true);
    expect(readFileSync(join(projectRoot, '.gitignore'), 'utf8')).toMatch(
      /^local\.settings\.json$/m,
    );
  });
});
