import type { HistoryReaders } from '../../shared/archive/historyReader';
import { ServiceRegistry } from '../../shared/app/services';
import { Settings } from '../../shared/config';
import { MAX_HISTORY_RANGE_DAYS } from '../../shared/http/historyQuery';
import type { EndpointResponse } from '../../shared/http/reportEndpoint';
import { addDays } from '../../shared/reports/dates';
import { snapshotRunner } from './archive';
import { azuriteSettings } from './azurite';
import { useGraph } from './graphSimulator';
import { problemOf } from './problems';
import { useUnreachableStorage } from './unreachableStorage';

/**
 * For suites of the shared endpoints that read the archive (history, chart, status, dashboard):
 * a Graph simulator, a fresh Azurite container per test with storage tries kept short, fresh
 * history readers per test, `run` to fill the archive with the real snapshot job (D7), and
 * `unreachable` storage. Read `storage` and `readers` inside hooks and tests.
 */
export function useArchiveEndpoint(refreshDate = '2026-11-26') {
  const sim = useGraph(refreshDate);
  const unreachable = useUnreachableStorage();
  const suite = {
    sim,
    unreachable,
    storage: {} as Record<string, string> & ReturnType<typeof azuriteSettings>,
    readers: new ServiceRegistry().historyReaders(),
  };
  beforeEach(() => {
    suite.storage = {
      ...azuriteSettings(),
      STORAGE_MAX_TRIES: '1',
      STORAGE_TRY_TIMEOUT_MS: '2000',
    };
    suite.readers = new ServiceRegistry().historyReaders();
  });
  const run = snapshotRunner(() => ({ ...sim.settings, ...suite.storage, SNAPSHOT_PERIODS: 'D7' }));
  return Object.assign(suite, { run });
}

/**
 * The storage failures every view of the history (the history, the chart) answers with the same
 * problems: no storage configured is the operator's to fix (500, naming the setting); storage
 * that cannot be reached may come back (503, naming the setting).
 */
export function itAnswersStorageFailuresAsProblems(
  suite: ReturnType<typeof useArchiveEndpoint>,
  serve: (settings: Settings, readers: HistoryReaders) => Promise<EndpointResponse>,
) {
  it('answers 500 naming the setting when no storage is configured', async () => {
    const response = await serve({}, suite.readers);
    expect(problemOf(response, 500).setting).toBe('SNAPSHOT_STORAGE');
  });

  it('answers 503 naming the setting when storage cannot be reached', async () => {
    const unreachable = {
      ...suite.storage,
      SNAPSHOT_STORAGE: suite.unreachable.connectionString(),
    };
    const problem = problemOf(await serve(unreachable, suite.readers), 503);
    expect(problem.type).toBe('urn:graph-usage-reports:problem:storage-unavailable');
    expect(problem.detail).toContain('SNAPSHOT_STORAGE');
  });
}

/** Ranges every view of the history refuses with a 400 problem, and the parameter it names. */
export const BAD_RANGES: [search: string, parameter: string][] = [
  ['from=2026-02-30', 'from'],
  ['from=yesterday', 'from'],
  ['from=', 'from'],
  ['to=2026-13-01', 'to'],
  ['from=2026-03-11&to=2026-03-10', 'from'],
  [`from=2010-01-01&to=${addDays('2010-01-01', MAX_HISTORY_RANGE_DAYS)}`, 'to'],
  ['from=2026-01-01&from=2026-01-02', 'from'],
];

/**
 * A range written `from..to` as in a table row, as the range functions take and return it: an
 * empty side is an omitted bound (`2024-01-01..` has only `from`, `..` none).
 */
export function bounds(text: string): { from?: string; to?: string } {
  const [from = '', to = ''] = text.split('..');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** A 400 problem naming `parameter`, as every view of the history refuses a bad range. */
export function expectRefusal(response: EndpointResponse, parameter: string) {
  const problem = problemOf(response, 400);
  expect(problem.parameter).toBe(parameter);
  expect(problem.detail).toContain(parameter);
  expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
  return problem;
}
