import { ServiceRegistry } from '../../../shared/app/services';
import { historyIndexBlobName } from '../../../shared/archive/historyIndex';
import { serveArchiveStatus } from '../../../shared/http/statusEndpoint';
import { addDays } from '../../../shared/reports/dates';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { everyDays, runOn, withoutReportDates } from '../../support/archive';
import { containerOf } from '../../support/azurite';
import { captureLogger } from '../../support/logs';
import { problemOf } from '../../support/problems';
import { useArchiveEndpoint } from '../../support/archiveEndpoints';

const definition = skypeP2pMinuteCounts;
const REFRESH = '2026-11-26';
const suite = useArchiveEndpoint(REFRESH);
const { sim, run } = suite;

/** GET .../status at `now`, as the function would serve it with these settings. */
async function status(now: string, settings: Record<string, string> = {}) {
  const response = await serveArchiveStatus(definition, {
    settings: { ...suite.storage, ...settings },
    log: captureLogger().logger,
    readers: new ServiceRegistry().historyReaders(),
    now: new Date(now),
  });
  return { ...response, document: JSON.parse(response.body!) as Record<string, unknown> };
}

/** A 503 whose document says the archive is unhealthy, and why (`members`). */
function expectUnhealthy(
  response: { status: number; document: Record<string, unknown> },
  members: Record<string, unknown>,
) {
  expect(response.status).toBe(503);
  expect(response.document).toMatchObject({ healthy: false, ...members });
}

/** 96 hours after the end of the refresh day: the last instant it is still fresh. */
const freshUntil = (refresh: string, hours = 96) =>
  new Date(Date.parse(`${addDays(refresh, 1)}T00:00:00Z`) + hours * 3_600_000).toISOString();

describe('GET /api/reports/skype-p2p-minute-counts/status', () => {
  it('answers 200 with the coverage, newest refresh date and last run when healthy, never cached', async () => {
    const summary = await run();
    const response = await status(`${addDays(REFRESH, 1)}T12:00:00Z`);
    expect(response.status).toBe(200);
    expect(response.headers).toEqual({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    expect(response.document).toEqual({
      healthy: true,
      coverage: { first: addDays(REFRESH, -179), last: REFRESH },
      newestRefreshDate: REFRESH,
      missingDates: { count: 0, latest: [] },
      lastRun: {
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        succeeded: true,
        summary,
      },
      stale: false,
      staleAt: freshUntil(REFRESH),
      historyIndex: 'ready',
      source: { silentSince: null },
    });
  });

  it.each([
    [200, 'at the last fresh instant', 0, 96],
    [503, 'a moment later', 1, 96],
    [503, 'a moment after a day with STATUS_STALE_AFTER_HOURS=24', 1, 24],
    [
      200,
      '100 hours after the refresh day with STATUS_STALE_AFTER_HOURS=200',
      -100 * 3_600_000,
      200,
    ],
  ])('answers %i %s', async (expected, _, afterMs, hours) => {
    await run();
    const now = new Date(Date.parse(freshUntil(REFRESH, hours)) + afterMs).toISOString();
    const response = await status(now, { STATUS_STALE_AFTER_HOURS: String(hours) });
    expect(response.status).toBe(expected);
    expect(response.document).toMatchObject({
      healthy: expected === 200,
      stale: expected !== 200,
      staleAt: freshUntil(REFRESH, hours),
      ...(expected === 200 ? {} : { reason: 'stale' }),
    });
  });

  it('answers 503 last-run-failed when the last run threw, with its error', async () => {
    await run();
    sim.graph.inject({ fault: { kind: 'status', status: 500 }, times: 3 });
    await expect(run()).rejects.toThrow();
    const response = await status(`${REFRESH}T12:00:00Z`);
    expectUnhealthy(response, {
      reason: 'last-run-failed',
      coverage: { first: addDays(REFRESH, -179), last: REFRESH },
      lastRun: { succeeded: false, error: expect.stringContaining('500') },
    });
  });

  it('answers 503 empty for an archive with nothing in it', async () => {
    const response = await status(`${REFRESH}T12:00:00Z`);
    expect(response.status).toBe(503);
    expect(response.document).toEqual({
      healthy: false,
      reason: 'empty',
      coverage: null,
      newestRefreshDate: null,
      missingDates: { count: 0, latest: [] },
      lastRun: null,
      stale: true,
      staleAt: null,
      historyIndex: 'none',
      source: { silentSince: null },
    });
  });

  it('answers 503 empty, saying the index is missing, when only snapshots exist', async () => {
    await run();
    await containerOf(suite.storage).getBlobClient(historyIndexBlobName(definition)).delete();
    const response = await status(`${REFRESH}T12:00:00Z`);
    expectUnhealthy(response, { reason: 'empty', historyIndex: 'missing' });
  });

  it('answers 503 storage-unavailable, naming the setting, when storage cannot be reached', async () => {
    const response = await status(`${REFRESH}T12:00:00Z`, {
      SNAPSHOT_STORAGE: suite.unreachable.connectionString(),
    });
    expectUnhealthy(response, {
      reason: 'storage-unavailable',
      coverage: null,
      lastRun: null,
      historyIndex: 'unknown',
      detail: expect.stringContaining('SNAPSHOT_STORAGE'),
    });
    expect(response.body).not.toContain('AccountKey');
  });

  it('counts the missing dates and lists the latest few', async () => {
    sim.graph.csvTransform = withoutReportDates('2026-08-01', '2026-08-20');
    await runOn(sim.graph, run, everyDays('2026-09-01', 7, 2));
    const response = await status('2026-09-09T00:00:00Z');
    expect(response.status).toBe(200);
    expect(response.document.missingDates).toEqual({
      count: 20,
      latest: everyDays('2026-08-11', 1, 10),
    });
  });

  it.each([
    ['STATUS_STALE_AFTER_HOURS', { STATUS_STALE_AFTER_HOURS: '0' }],
    ['STATUS_STALE_AFTER_HOURS', { STATUS_STALE_AFTER_HOURS: '8761' }],
    ['SNAPSHOT_STORAGE', { SNAPSHOT_STORAGE: 'not a connection string' }],
  ])('answers 500 naming %s when it is invalid', async (setting, settings) => {
    const response = await serveArchiveStatus(definition, {
      settings: { ...suite.storage, ...settings },
      log: captureLogger().logger,
      readers: new ServiceRegistry().historyReaders(),
    });
    expect(problemOf(response, 500).setting).toBe(setting);
    expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
  });
});
