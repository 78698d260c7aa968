import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skypeP2pMinuteCountsHandler } from '../support/skypeP2pHandlers';
import { getRequest } from '../support/functions';
import { useGraph } from '../support/graphSimulator';
import { useSettings } from '../support/settings';
import { testContext } from '../support/logs';
import { runTool } from '../support/processes';

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

  it('logs each Graph call on stderr with --verbose, keeping stdout the body alone', async () => {
    const result = await report(['--period=D7', '--verbose']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /Graph GET reports\/getSkypeForBusinessPeerToPeerActivityMinuteCounts\(period='D7'\) -> \d{3} in \d+ ms/,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ period: 'D7' });
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
