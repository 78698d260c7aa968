import { HttpResponseInit } from '@azure/functions';
import { skypeP2pMinuteCountsHandler } from '../support/skypeP2pHandlers';
import { getRequest } from '../support/functions';
import { useGraph } from '../support/graphSimulator';
import { useSettings } from '../support/settings';
import { testContext } from '../support/logs';
import { azuriteSettings, blobNamesIn, containerOf } from '../support/azurite';
import { captureLogger } from '../support/logs';
import { runSnapshotFromSettings } from '../../shared/app/snapshotJobs';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import { reportCacheFor } from '../../shared/app/services';
import { useUnreachableStorage } from '../support/unreachableStorage';

const unreachable = useUnreachableStorage();

/**
 * The live endpoint in front of its cache, through the real Graph client, the simulator and
 * Azurite. Each test has a container of its own, so it starts with empty memory and Blob caches
 * (the process keeps one cache per configuration, and the container is part of it).
 */
const sim = useGraph('2026-11-26');
const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts';

let storage: ReturnType<typeof azuriteSettings>;
useSettings(() => {
  storage = azuriteSettings();
  return {
    ...sim.settings,
    ...storage,
    REPORT_CACHE_SECONDS: '3600',
    REPORT_STALE_SECONDS: '604800',
    GRAPH_CALL_BUDGET: '10',
  };
});

function configure(settings: Record<string, string>) {
  Object.assign(process.env, settings);
}

async function call(query = '?period=D7', headers: Record<string, string> = {}) {
  const { context, logs } = testContext('skypeP2pMinuteCounts');
  const response: HttpResponseInit = await skypeP2pMinuteCountsHandler(
    getRequest(`${ROUTE}${query}`, headers),
    context,
  );
  const responseHeaders = (response.headers ?? {}) as Record<string, string>;
  const text = typeof response.body === 'string' ? response.body : '';
  return { status: response.status ?? 200, headers: responseHeaders, text, logs };
}

const body = (text: string) => JSON.parse(text) as { stale: boolean; fetchedAt: string };
const downloads = () => sim.graph.requests.filter((request) => request.server === 'download');
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /api/reports/skype-p2p-minute-counts: answers from the cache', () => {
  it('fetches once, then answers from memory: Cache-Status says which, Age and max-age count', async () => {
    const first = await call();
    expect(first.status).toBe(200);
    expect(first.headers['Cache-Status']).toBe('graph-usage-reports; fwd=miss; stored');
    expect(body(first.text).stale).toBe(false);
    const second = await call();
    expect(second.status).toBe(200);
    expect(second.headers['Cache-Status']).toMatch(/^graph-usage-reports; hit; ttl=3\d{3}$/);
    expect(second.headers.Age).toMatch(/^\d+$/);
    expect(second.headers['Cache-Control']).toMatch(/^private, max-age=3\d{3}$/);
    expect(second.text).toBe(first.text);
    expect(second.headers.ETag).toBe(first.headers.ETag);
    expect(sim.graph.apiCalls).toBe(1);
    // The source of each answer is logged.
    expect(second.logs.map((line) => line.message)).toContainEqual(
      expect.stringMatching(/^Answered D7 as json: graph-usage-reports; hit; ttl=/),
    );
  });

  it('makes one Graph call for 100 concurrent cold requests', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, () => call('?period=D180')));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(sim.graph.apiCalls).toBe(1);
    expect(answers.map((answer) => answer.headers['Cache-Status'])).toContain(
      'graph-usage-reports; hit; collapsed; ttl=3600',
    );
  });

  it('keeps the freshest good CSV for other instances in the archive container', async () => {
    await call('?period=D30');
    // Written after the answer, in the background.
    await reportCacheFor(process.env, skypeP2pMinuteCounts).idle();
    const properties = await containerOf(storage)
      .getBlobClient('skype-p2p-minute-counts/_cache/D30.cache')
      .getProperties();
    expect(properties.contentType).toBe('text/csv');
    expect(Object.keys(properties.metadata ?? {}).sort()).toEqual([
      'fetchedat',
      'graphetag',
      'sha256',
    ]);
  });

  it('revalidates an expired report with If-None-Match: a 304 refreshes it without a download', async () => {
    configure({ REPORT_CACHE_SECONDS: '1' });
    const first = await call();
    await wait(1100);
    const second = await call();
    expect(second.status).toBe(200);
    expect(second.headers['Cache-Status']).toBe('graph-usage-reports; fwd=stale; fwd-status=304');
    expect(sim.graph.apiCalls).toBe(2);
    const [fetched, revalidated] = sim.graph.requests.filter((request) => request.server === 'api');
    expect(fetched!.ifNoneMatch).toBeUndefined();
    expect(revalidated!.ifNoneMatch).toMatch(/^".+"$/);
    expect(downloads()).toHaveLength(1);
    expect(body(second.text).fetchedAt > body(first.text).fetchedAt).toBe(true);
  });

  it.each([
    ['a 5xx after retries', { kind: 'status', status: 503 }, 503],
    ['429 after retries', { kind: 'status', status: 429, retryAfter: '0' }, 429],
    ['a timeout', { kind: 'slow', delayMs: 3000 }, 504],
  ] as const)('serves the last good report stale after %s', async (_, fault, fwdStatus) => {
    configure({
      REPORT_CACHE_SECONDS: '1',
      GRAPH_CALL_TIMEOUT_MS: '300',
      REQUEST_TIMEOUT_MS: '2000',
    });
    await call();
    await wait(1100);
    sim.graph.inject({ fault, times: 10 });
    const stale = await call();
    expect(stale.status).toBe(200);
    expect(body(stale.text).stale).toBe(true);
    expect(stale.headers['Cache-Status']).toBe(
      `graph-usage-reports; fwd=stale; fwd-status=${fwdStatus}`,
    );
    expect(Number(stale.headers.Age)).toBeGreaterThanOrEqual(1);
    expect(stale.headers['Cache-Control']).toBe('private, max-age=0');
    const csv = await call('?period=D7&format=csv');
    // CSV shows staleness only in Cache-Status.
    expect(csv.headers['Cache-Status']).toMatch(/fwd=stale|hit; ttl=-/);
  });

  it('never caches an implausible new report: the last good one is served stale', async () => {
    configure({ REPORT_CACHE_SECONDS: '1' });
    const good = await call();
    await wait(1100);
    sim.graph.csvTransform = (csv) => csv.replace(/,(\d+),(\d+)\r?\n/, ',-500,$2\n');
    const stale = await call();
    expect(stale.status).toBe(200);
    expect(body(stale.text).stale).toBe(true);
    expect(stale.headers['Cache-Status']).toBe(
      'graph-usage-reports; fwd=stale; fwd-status=200; detail=invalid-report',
    );
    expect(stale.headers.ETag).toBe(good.headers.ETag);
  });

  it.each([
    [401, 'graph-unauthorized'],
    [403, 'graph-unauthorized'],
  ])('never serves stale over Graph %s', async (status, type) => {
    configure({ REPORT_CACHE_SECONDS: '1' });
    await call();
    await wait(1100);
    sim.graph.inject({ fault: { kind: 'status', status }, times: 5 });
    const answer = await call();
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.text).type).toContain(type);
    expect(answer.headers['Cache-Status']).toBeUndefined();
  });

  it('with nothing usable, answers 503 with Retry-After when Graph keeps throttling', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 429, retryAfter: '0' }, times: 10 });
    const answer = await call();
    expect(answer.status).toBe(503);
    expect(answer.headers['Retry-After']).toMatch(/^\d+$/);
  });

  it('REPORT_CACHE_SECONDS=0 reaches Graph on every request, conditionally', async () => {
    configure({ REPORT_CACHE_SECONDS: '0' });
    for (let i = 0; i < 3; i++) expect((await call()).status).toBe(200);
    expect(sim.graph.apiCalls).toBe(3);
    const [, ...later] = sim.graph.requests.filter((request) => request.server === 'api');
    expect(later.map((request) => request.ifNoneMatch)).toEqual([
      expect.stringMatching(/^".+"$/),
      expect.stringMatching(/^".+"$/),
    ]);
  });

  it('REPORT_STALE_SECONDS=0 never serves stale', async () => {
    configure({ REPORT_CACHE_SECONDS: '1', REPORT_STALE_SECONDS: '0' });
    await call();
    await wait(1100);
    sim.graph.inject({ fault: { kind: 'status', status: 503 }, times: 10 });
    expect((await call()).status).toBe(502);
  });

  it('a spent call budget serves stale without asking Graph', async () => {
    configure({ REPORT_CACHE_SECONDS: '1', GRAPH_CALL_BUDGET: '1' });
    await call();
    await wait(1100);
    const stale = await call();
    expect(stale.status).toBe(200);
    expect(body(stale.text).stale).toBe(true);
    expect(stale.headers['Cache-Status']).toMatch(
      /^graph-usage-reports; hit; ttl=-?\d+; detail=budget$/,
    );
    expect(sim.graph.apiCalls).toBe(1);
  });

  it('a spent call budget with nothing usable answers 503 with Retry-After at the window end', async () => {
    configure({ GRAPH_CALL_BUDGET: '1' });
    await call('?period=D7');
    const refused = await call('?period=D30');
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThan(590);
    expect(sim.graph.apiCalls).toBe(1);
  });

  it('answers from Graph when the cache storage is down', async () => {
    configure({ SNAPSHOT_STORAGE: unreachable.connectionString() });
    const answer = await call();
    expect(answer.status).toBe(200);
    expect(answer.headers['Cache-Status']).toBe('graph-usage-reports; fwd=miss');
    expect(answer.logs.map((line) => line.message).join('\n')).toMatch(/Shared cache: could not/);
  });

  it('is warmed by a snapshot run: the first request after it needs no Graph call', async () => {
    configure({ SNAPSHOT_PERIODS: 'D7' });
    const summary = await runSnapshotFromSettings(
      skypeP2pMinuteCounts,
      process.env,
      captureLogger().logger,
    );
    const callsByTheRun = sim.graph.apiCalls;
    expect(summary.graphCalls).toBe(callsByTheRun);
    const answer = await call('?period=D7');
    expect(answer.status).toBe(200);
    expect(answer.headers['Cache-Status']).toMatch(/^graph-usage-reports; hit; ttl=/);
    expect(sim.graph.apiCalls).toBe(callsByTheRun);
    // The shared copy is there for other instances; the run's counters count snapshots only.
    const names = (await blobNamesIn(containerOf(storage))).filter((name) =>
      name.includes('/_cache/'),
    );
    expect(names).toEqual(expect.arrayContaining(['skype-p2p-minute-counts/_cache/D7.cache']));
    expect(summary.blobsWritten).toBe(summary.periodsFetched.length);
  });

  it('spends the same call budget as the snapshot job', async () => {
    configure({ SNAPSHOT_PERIODS: 'D7', GRAPH_CALL_BUDGET: '2' });
    // A first run on an empty archive fetches D7 and a D180 backfill: the whole budget.
    await runSnapshotFromSettings(skypeP2pMinuteCounts, process.env, captureLogger().logger);
    const refused = await call('?period=D30');
    expect(refused.status).toBe(503);
    expect(refused.headers['Retry-After']).toMatch(/^\d+$/);
  });

  it('needs no storage at all: memory only', async () => {
    delete process.env.SNAPSHOT_STORAGE;
    delete process.env.SNAPSHOT_CONTAINER;
    expect((await call()).status).toBe(200);
    expect((await call()).headers['Cache-Status']).toMatch(/^graph-usage-reports; hit;/);
    expect(sim.graph.apiCalls).toBe(1);
  });
});
