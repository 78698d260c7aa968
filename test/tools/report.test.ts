import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skypeP2pMinuteCountsHandler } from '../support/skypeP2pHandlers';
import { getRequest } from '../support/functions';
import { useGraph } from '../support/graphSimulator';
import { useSettings } from '../support/settings';
import { testContext } from '../support/logs';
import { projectRoot, runTool, watch } from '../support/processes';

const sim = useGraph('2026-11-26');

let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'report-cli-'));
});
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
});
useSettings(() => sim.settings);

const report = (args: string[], env: Record<string, string> = sim.settings) =>
  runTool('report.js', args, { cwd: folder, env });

async function endpointBody(query: string) {
  const { context } = testContext('skypeP2pMinuteCounts');
  const url = `http://localhost/api/reports/skype-p2p-minute-counts${query}`;
  const response = await skypeP2pMinuteCountsHandler(getRequest(url), context);
  return response.body as string;
}

describe('npm run report', () => {
  it('prints the same JSON body the endpoint answers with (D7 by default)', async () => {
    const result = await report([]);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    const served = JSON.parse(await endpointBody('')) as Record<string, unknown>;
    expect({ ...printed, fetchedAt: 'x' }).toEqual({ ...served, fetchedAt: 'x' });
    expect(printed.period).toBe('D7');
  });

  it('prints exactly the CSV body for --period D30 --format csv', async () => {
    const result = await report(['--period', 'D30', '--format', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(await endpointBody('?period=D30&format=csv'));
  });

  it('prints the problem JSON on stderr and exits 1 for a bad period', async () => {
    const result = await report(['--period', 'D8']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // Only the problem document: nothing else to parse around.
    expect(JSON.parse(result.stderr)).toMatchObject({
      status: 400,
      parameter: 'period',
    });
  });

  it('prints a configuration problem and exits 1 without contacting Graph', async () => {
    const result = await report([], { GRAPH_BASE_URL: sim.graph.baseUrl });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr.trim().split('\n').at(-1)!)).toMatchObject({
      status: 500,
      setting: 'GRAPH_CREDENTIAL',
    });
    expect(sim.graph.requests).toHaveLength(0);
  });

  it('prints any report of the catalogue with --report, and refuses an unknown one', async () => {
    const result = await report(['--period=D7', '--report', 'teams-user-activity-counts']);
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout) as { report: string; value: Record<string, unknown>[] };
    expect(body.report).toBe('getTeamsUserActivityCounts');
    expect(body.value[0]).toHaveProperty('audioDurationInSeconds');
    const refused = await report(['--report', 'teams-usage']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"teams-usage" is not a report of the catalogue');
  });

  it('logs each Graph call on stderr with --verbose, keeping stdout the body alone', async () => {
    const result = await report(['--period=D7', '--verbose']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /Graph GET reports\/getSkypeForBusinessPeerToPeerActivityMinuteCounts\(period='D7'\) -> \d{3} in \d+ ms/,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ period: 'D7' });
  });

  it('reads --settings FILE (KEY=value lines), its values winning over the environment', async () => {
    const file = join(folder, 'demo.env');
    writeFileSync(
      file,
      Object.entries(sim.settings)
        .map(([name, value]) => `${name}='${value}'`)
        .join('\n'),
    );
    const result = await report(['--settings', file, '--period', 'D7'], {
      GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0',
      GRAPH_ACCESS_TOKEN: 'not-this-one',
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toMatchObject({ period: 'D7', value: expect.any(Array) });
    expect(sim.graph.requests.length).toBeGreaterThan(0);
  });

  it('exits 1 naming --settings when its file cannot be read, asking Graph nothing', async () => {
    const result = await report(['--settings', join(folder, 'missing.env')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: --settings: cannot read ${join(folder, 'missing.env')}. .demo/settings.env exists only while "npm run demo" runs.`,
    );
    expect(sim.graph.requests).toHaveLength(0);
  });

  it('refuses an unknown option', async () => {
    const result = await report(['--periods', 'D7']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Unknown option '--periods'");
    expect(sim.graph.requests).toHaveLength(0);
  });

  it('exits 1 with a 503 problem when Graph keeps throttling', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 429, retryAfter: '0' }, times: 5 });
    const result = await report(['--period', 'D90']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr.trim().split('\n').at(-1)!)).toMatchObject({ status: 503 });
  });
});

describe('npm run report, the `--` forgotten', () => {
  it.each([
    [
      ['--period', 'D30'],
      "Unexpected argument 'D30'. Did you mean `npm run report -- --period D30`?",
    ],
    [
      ['--period', 'D30', '--format', 'csv'],
      "Unexpected arguments 'D30' 'csv'. Did you mean `npm run report -- --period D30 --format csv`?",
    ],
    [
      ['--period=D90'],
      'npm took the options for itself. Did you mean `npm run report -- --period D90`?',
    ],
  ])(
    'npm run report %j: exit 1, saying what was meant, asking Graph nothing',
    async (args, hint) => {
      const npm = spawn('npm', ['run', 'report', ...args], {
        cwd: projectRoot,
        env: { ...process.env, ...sim.settings },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const run = watch(npm);
      expect(await run.exited()).toBe(1);
      expect(run.output()).toContain(`error: ${hint}\n`);
      expect(sim.graph.requests).toHaveLength(0);
    },
  );
});
