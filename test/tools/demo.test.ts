import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { BlobServiceClient } from '@azure/storage-blob';
import { azuriteConnectionString } from '../../tools/azurite';
import { freePort } from '../../tools/freePort';
import { addDays } from '../../shared/reports/dates';
import { snapshotBlobsIn } from '../support/archive';
import { Finished, projectRoot, watch } from '../support/processes';
import { demoArchivePlan } from '../../tools/demoArchive';
import { CATALOGUE } from '../../shared/reports/catalogue';

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm <args>` from the project root, as a user types it, to its end. */
function npmRun(args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function until(condition: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return condition();
}

describe('npm run demo', () => {
  it('serves the report with an archive reaching beyond 180 days, and stops leaving no process behind', async () => {
    const port = await freePort();
    // Its own process group, so a signal reaches npm, the demo and its children alike, as a
    // terminal's Ctrl-C does; it also lets the test see whether any of them survives.
    const npm = spawn('npm', ['run', 'demo', '--', '--port', String(port)], {
      cwd: projectRoot,
      detached: true,
      env: {
        ...process.env,
        GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0',
        AZURE_CLIENT_SECRET: 'ignored',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const demo = watch(npm);
    try {
      await demo.waitFor(/Press Ctrl-C to stop\./, 90_000);
      const output = demo.output();
      expect(output).toMatch(/Demo ready in \d+\.\d s/);
      // The first address it prints is the home page's, listing every report; then the first
      // report's dashboard, and both answer their pages.
      const summary = output.slice(output.indexOf('Demo ready'));
      const home = `http://localhost:${port}/api/reports/dashboard`;
      const dashboard = `http://localhost:${port}/api/reports/skype-p2p-minute-counts/dashboard`;
      expect([...summary.matchAll(/http:\/\/\S+/g)].slice(0, 2).map((m) => m[0])).toEqual([
        home,
        dashboard,
      ]);
      const homePage = await (await fetch(home.replace('localhost', '127.0.0.1'))).text();
      expect(homePage.match(/<li class="card report" data-report="[a-z0-9-]+"/g)).toHaveLength(5);
      const page = await fetch(dashboard.replace('localhost', '127.0.0.1'));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const chartSrc = /<img id="chart" src="([^"]+)"/.exec(await page.text())![1]!;
      const chart = await fetch(`http://127.0.0.1:${port}${chartSrc.replace(/&amp;/g, '&')}`);
      expect(chart.status).toBe(200);
      expect(chart.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
      expect(await chart.text()).toContain(
        `to ${addDays(new Date().toISOString().slice(0, 10), -2)}</title>`,
      );
      expect(output).toContain(
        `curl -s "http://localhost:${port}/api/reports/skype-p2p-minute-counts?period=D7"`,
      );

      const today = new Date().toISOString().slice(0, 10);
      const response = await fetch(
        `http://127.0.0.1:${port}/api/reports/skype-p2p-minute-counts?period=D30`,
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { reportRefreshDate: string; value: unknown[] };
      expect(body.reportRefreshDate).toBe(addDays(today, -2));
      expect(body.value).toHaveLength(30);
      // D7 was fetched by the seeding snapshot runs, which left the shared cache warm; D30 was
      // just fetched: both are answered from the cache now.
      for (const period of ['D7', 'D30']) {
        const again = await fetch(
          `http://127.0.0.1:${port}/api/reports/skype-p2p-minute-counts?period=${period}`,
        );
        expect(again.headers.get('cache-status')).toMatch(/^graph-usage-reports; hit; ttl=\d+$/);
      }

      const azuritePort = Number(
        /at http:\/\/127\.0\.0\.1:(\d+)\/devstoreaccount1/.exec(output)![1],
      );
      const container = BlobServiceClient.fromConnectionString(
        azuriteConnectionString(azuritePort),
      ).getContainerClient('graph-reports');
      const refreshDates = (await snapshotBlobsIn(container))
        .map((blob) => blob.metadata.reportrefreshdate!)
        .sort();
      // The archive tools/demoArchive plans, as the screenshots and the browser tests have it.
      expect([...new Set(refreshDates)]).toEqual(demoArchivePlan(addDays(today, -2)).refreshDates);
      // Every report of the catalogue is seeded, and has its line.
      for (const definition of CATALOGUE) {
        expect(output).toMatch(
          new RegExp(`^  ${definition.routeSlug} +\\d+ snapshots, refresh dates `, 'm'),
        );
        expect(refreshDates.length).toBeGreaterThan(0);
      }
      expect(refreshDates[0]! < addDays(today, -365)).toBe(true);

      // The history it prints reaches beyond Graph's 180 days; the status says all is well.
      const historyUrl = new RegExp(
        `curl -s "(http://localhost:${port}/api/reports/skype-p2p-minute-counts/history\\?from=[\\d-]+&to=[\\d-]+)"`,
      ).exec(output)?.[1];
      expect(historyUrl).toBeDefined();
      const history = (await (
        await fetch(historyUrl!.replace('localhost', '127.0.0.1'))
      ).json()) as {
        from: string;
        value: unknown[];
        missingDates: string[];
      };
      expect(history.from < addDays(today, -365)).toBe(true);
      expect(history.value).toHaveLength(14);
      expect(history.missingDates).toEqual([]);
      expect(output).toContain(
        `curl -s "http://localhost:${port}/api/reports/skype-p2p-minute-counts/status"`,
      );
      const status = await fetch(
        `http://127.0.0.1:${port}/api/reports/skype-p2p-minute-counts/status`,
      );
      expect(status.status).toBe(200);

      // The sandbox: the settings it printed point the other commands at its Graph and Azurite,
      // even from a shell holding a real tenant's settings.
      const settingsFile = join(projectRoot, '.demo', 'settings.env');
      expect(output).toContain('npm run report -- --settings .demo/settings.env --period D7');
      expect(statSync(settingsFile).mode & 0o777).toBe(0o600);
      const written = parseEnv(readFileSync(settingsFile, 'utf8'));
      expect(written.SNAPSHOT_STORAGE).toBe(azuriteConnectionString(azuritePort));
      for (const [name, value] of Object.entries(written))
        expect(output).toContain(name === 'GRAPH_BASE_URL' ? `${name}=${value}` : `${name}=`);
      expect(output).not.toContain(written.GRAPH_ACCESS_TOKEN!);
      const shell = {
        ...process.env,
        GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0',
        SNAPSHOT_CONTAINER: 'real-archive',
      };
      const report = await npmRun(
        ['run', 'report', '--silent', '--', '--settings', '.demo/settings.env', '--period', 'D7'],
        shell,
      );
      expect(report).toMatchObject({ code: 0, stderr: '' });
      const rows = JSON.parse(report.stdout) as { reportRefreshDate: string; value: unknown[] };
      expect(rows.reportRefreshDate).toBe(addDays(today, -2));
      expect(rows.value).toHaveLength(7);

      const snapshot = await npmRun(
        ['run', 'snapshot', '--silent', '--', '--settings', '.demo/settings.env'],
        shell,
      );
      expect(snapshot.code).toBe(0);
      // A line per report: every report of the catalogue is enabled and already seeded.
      const runs = snapshot.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(runs.map((run) => run.report)).toEqual(CATALOGUE.map((d) => d.routeSlug));
      for (const run of runs)
        expect(run).toMatchObject({
          periodsFetched: ['D7'],
          reportRefreshDate: addDays(today, -2),
          invalid: 0,
        });

      // A second local host, on another port, over the demo's Graph and archive.
      const otherPort = await freePort();
      const start = spawn(
        'npm',
        ['start', '--', '--settings', '.demo/settings.env', '--port', String(otherPort)],
        { cwd: projectRoot, env: shell, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const host = watch(start);
      try {
        await host.waitFor(/Local host listening/, 30_000);
        const served = await fetch(
          `http://127.0.0.1:${otherPort}/api/reports/skype-p2p-minute-counts/history?from=${addDays(today, -9)}&to=${addDays(today, -3)}`,
        );
        expect(served.status).toBe(200);
        expect(((await served.json()) as { value: unknown[] }).value).toHaveLength(7);
        // SIGINT to npm alone, as an IDE's stop button sends it.
        process.kill(start.pid!, 'SIGINT');
        expect(await until(() => !groupAlive(start.pid!), 5_000)).toBe(true);
        expect(host.output()).toContain('Local host stopped.');
      } finally {
        if (groupAlive(start.pid!)) process.kill(-start.pid!, 'SIGKILL');
      }

      process.kill(-npm.pid!, 'SIGINT');
      await demo.exited();
      expect(await until(() => !groupAlive(npm.pid!), 10_000)).toBe(true);
      expect(demo.output()).toContain('Stopping the demo...');
      expect(demo.output()).not.toMatch(/exited unexpectedly|could not start/);
      expect(existsSync(settingsFile)).toBe(false);
    } finally {
      if (groupAlive(npm.pid!)) process.kill(-npm.pid!, 'SIGKILL');
    }
  }, 120_000);

  it('stops everything and exits 1 when one of its children dies', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['run', 'demo', '--', '--port', String(port)], {
      cwd: projectRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const demo = watch(npm);
    try {
      await demo.waitFor(/Press Ctrl-C to stop\./, 90_000);
      const simulator = execFileSync('ps', ['-o', 'pid=,pgid=,args=', '-e'], { encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .find(
          ([, pgid, ...args]) =>
            Number(pgid) === npm.pid && args.join(' ').includes('graphSimulator/cli.js'),
        );
      expect(simulator).toBeDefined();
      process.kill(Number(simulator![0]), 'SIGKILL');
      expect(await demo.exited()).toBe(1);
      expect(demo.output()).toMatch(
        /Demo stopped: The Graph simulator exited unexpectedly \(SIGKILL\)/,
      );
      expect(await until(() => !groupAlive(npm.pid!), 10_000)).toBe(true);
    } finally {
      if (groupAlive(npm.pid!)) process.kill(-npm.pid!, 'SIGKILL');
    }
  }, 120_000);

  it('refuses a port that is taken, with a clear message and exit 1', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const npm = spawn('npm', ['run', 'demo', '--', '--port', String(port)], {
        cwd: projectRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const demo = watch(npm);
      expect(await demo.exited()).toBe(1);
      expect(demo.output()).toContain(`Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  }, 60_000);
});
