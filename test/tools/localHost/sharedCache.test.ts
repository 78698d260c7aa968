import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azuriteSettings } from '../../support/azurite';
import { useGraph } from '../../support/graphSimulator';
import { RunningTool, startLocalHost } from '../../support/processes';
import { CATALOGUE } from '../../../shared/reports/catalogue';

/**
 * Scale-out as Azure does it: two instances (host processes) with their own memory, sharing one
 * storage account. The shared copy and its fetch lock keep them at one Graph call between them.
 */
const sim = useGraph('2026-11-26');
const hosts: RunningTool[] = [];
let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'shared-cache-'));
});
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
  rmSync(folder, { recursive: true, force: true });
});

async function startHostAt(env: Record<string, string>): Promise<string> {
  const { tool: host, port } = await startLocalHost([], { cwd: folder, env });
  hosts.push(host);
  return `http://127.0.0.1:${port}/api/reports`;
}

async function startHost(env: Record<string, string>): Promise<string> {
  return `${await startHostAt(env)}/skype-p2p-minute-counts?period=D180`;
}

/** `total` requests, at most `concurrency` at a time, each `url(i)`; their statuses in order. */
async function load(total: number, concurrency: number, url: (i: number) => string) {
  const statuses: number[] = Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const answer = await fetch(url(i));
        await answer.arrayBuffer();
        statuses[i] = answer.status;
      }
    }),
  );
  return statuses;
}

describe('two instances sharing one storage account', () => {
  it('make one Graph call between them for 200 concurrent cold requests', async () => {
    const env = {
      ...sim.settings,
      ...azuriteSettings(),
      SNAPSHOT_SCHEDULE: '0 0 6 * * *',
      REPORT_CACHE_SECONDS: '3600',
      REPORT_STALE_SECONDS: '604800',
    };
    // Graph is slow, as it is: both instances are cold while the first fetch runs.
    sim.graph.inject({ fault: { kind: 'slow', delayMs: 400 } });
    const urls = await Promise.all([startHost(env), startHost(env)]);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => fetch(urls[i % 2]!)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(200).fill(200));
    const statuses = new Set(answers.map((answer) => answer.headers.get('cache-status')));
    expect(statuses).toContain('graph-usage-reports; fwd=miss; stored');
    expect(sim.graph.apiCalls).toBe(1);
  });

  it('make one Graph call per report for 1,000 requests at c=100 over the whole catalogue', async () => {
    const env = {
      ...sim.settings,
      ...azuriteSettings(),
      SNAPSHOT_SCHEDULE: '0 0 6 * * *',
      REPORT_CACHE_SECONDS: '3600',
      REPORT_STALE_SECONDS: '604800',
    };
    // Every report's first fetch is slow, as Graph is: both instances are cold while they run.
    sim.graph.inject({ fault: { kind: 'slow', delayMs: 400 }, times: CATALOGUE.length });
    const bases = await Promise.all([startHostAt(env), startHostAt(env)]);
    const slugs = CATALOGUE.map((definition) => definition.routeSlug);
    const statuses = await load(
      1000,
      100,
      (i) => `${bases[i % 2]}/${slugs[Math.floor(i / 2) % slugs.length]}?period=D180`,
    );
    expect(statuses).toEqual(Array(1000).fill(200));
    expect(sim.graph.apiCalls).toBe(CATALOGUE.length);
    const asked = sim.graph.requests
      .filter((request) => request.server === 'api')
      .map((request) => decodeURIComponent(request.path).replace(/^.*\/reports\//, ''))
      .sort();
    expect(asked).toEqual(
      CATALOGUE.map((definition) => `${definition.graphFunction}(period='D180')`).sort(),
    );
  }, 60_000);
});
