import { historyIndexBlobName } from '../../../shared/archive/historyIndex';
import { historyRange, serveHistory } from '../../../shared/http/historyEndpoint';
import { MAX_HISTORY_RANGE_DAYS } from '../../../shared/http/historyQuery';
import { formatReportCsv, ReportRow } from '../../../shared/reports/csv';
import { addDays, daysBetween } from '../../../shared/reports/dates';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { sampleMinutes } from '../../../tools/graphSimulator/sampleTenant';
import { everyDays, restateAudio, runOn } from '../../support/archive';
import { containerOf } from '../../support/azurite';
import { captureLogger } from '../../support/logs';
import { problemOf } from '../../support/problems';
import { countingStorageProxy } from '../../support/storageProxy';
import {
  BAD_RANGES,
  bounds,
  expectRefusal,
  itAnswersStorageFailuresAsProblems,
  useArchiveEndpoint,
} from '../../support/archiveEndpoints';

const definition = skypeP2pMinuteCounts;
const INDEX = historyIndexBlobName(definition);
const suite = useArchiveEndpoint('2026-11-26');
const { sim, run } = suite;

const container = () => containerOf(suite.storage);

/** GET .../history?{search}, as the function would serve it with these settings. */
async function get(search: string, options: { ifNoneMatch?: string; settings?: object } = {}) {
  const response = await serveHistory(
    definition,
    { query: new URLSearchParams(search), ifNoneMatch: options.ifNoneMatch },
    {
      settings: { ...suite.storage, ...options.settings },
      log: captureLogger().logger,
      readers: suite.readers,
    },
  );
  return { ...response, headers: response.headers };
}

interface HistoryBody {
  report: string;
  from: string | null;
  to: string | null;
  coverage: { first: string; last: string } | null;
  missingDates: string[];
  value: ReportRow[];
}

async function history(search: string): Promise<HistoryBody> {
  const response = await get(search);
  expect(response.status).toBe(200);
  return JSON.parse(response.body!) as HistoryBody;
}

/** The row the simulated tenant reports for `reportDate` in its D{period} at `refresh`. */
function sampleRow(reportDate: string, refresh: string, period = 7): ReportRow {
  return {
    reportRefreshDate: refresh,
    reportDate,
    reportPeriod: String(period),
    ...sampleMinutes(reportDate),
  };
}

describe('GET /api/reports/skype-p2p-minute-counts/history', () => {
  it('answers the rows from..to across a year boundary, each from the snapshot that covers it', async () => {
    const weekly = everyDays('2025-12-03', 7, 7); // to 2026-01-14
    await runOn(sim.graph, run, weekly);
    const body = await history('from=2025-12-25&to=2026-01-05');
    const coveredBy = (date: string) => weekly.find((refresh) => refresh >= date)!;
    expect(body).toEqual({
      report: 'getSkypeForBusinessPeerToPeerActivityMinuteCounts',
      from: '2025-12-25',
      to: '2026-01-05',
      coverage: { first: addDays('2025-12-03', -179), last: '2026-01-14' },
      missingDates: [],
      value: everyDays('2025-12-25', 1, 12).map((date) => sampleRow(date, coveredBy(date))),
    });
  });

  it('takes each date from the newest refresh that holds it when snapshots overlap', async () => {
    await runOn(sim.graph, run, everyDays('2026-03-01', 1, 10)); // daily D7s to 03-10
    const body = await history('from=2026-02-26&to=2026-03-10');
    const newest = (date: string) => [addDays(date, 6), '2026-03-10'].sort()[0]!;
    expect(body.value.map((row) => [row.reportDate, row.reportRefreshDate])).toEqual(
      everyDays('2026-02-26', 1, 13).map((date) => [date, newest(date)]),
    );
  });

  it('serves a restatement over the original of its refresh date, until a newer refresh', async () => {
    const refresh = '2026-05-01';
    await runOn(sim.graph, run, [refresh]);
    sim.graph.csvTransform = restateAudio(1000);
    expect(await run()).toMatchObject({ restatementsKept: 1 });
    expect((await history(`from=${refresh}&to=${refresh}`)).value).toEqual([
      { ...sampleRow(refresh, refresh), audio: sampleMinutes(refresh).audio + 1000 },
    ]);

    sim.graph.csvTransform = undefined;
    await runOn(sim.graph, run, [addDays(refresh, 1)]);
    const body = await history(`from=${addDays(refresh, -6)}&to=${addDays(refresh, 1)}`);
    const restated = addDays(refresh, -6);
    expect(body.value[0]).toEqual({
      ...sampleRow(restated, refresh),
      audio: sampleMinutes(restated).audio + 1000,
    });
    expect(body.value.slice(1)).toEqual(
      everyDays(addDays(refresh, -5), 1, 7).map((date) => sampleRow(date, addDays(refresh, 1))),
    );
  });

  it('lists the dates no snapshot holds in missingDates', async () => {
    // A seed in January, then nothing until December: its D180 backfill reaches back to June.
    await runOn(sim.graph, run, ['2025-01-10', '2025-12-01']);
    const body = await history('from=2025-01-01&to=2025-12-31');
    const gap = everyDays('2025-01-11', 1, daysBetween('2025-01-11', '2025-06-04') + 1);
    const after = everyDays('2025-12-02', 1, 30);
    expect(body.missingDates).toEqual([...gap, ...after]);
    expect(body.value).toHaveLength(365 - gap.length - after.length);
    expect(body.value.map((row) => row.reportDate)).not.toContain('2025-01-11');
  });

  it('leaves invalid snapshots out', async () => {
    await runOn(sim.graph, run, ['2026-06-01']);
    const bad = `Report Refresh Date,Report Date,Report Period,Audio,Video\r\n2026-06-02,2026-06-02,7,lots,1\r\n`;
    sim.graph.inject({ fault: { kind: 'csv', body: bad } });
    expect((await runOn(sim.graph, run, ['2026-06-02']))[0]).toMatchObject({ invalid: 1 });
    const body = await history('from=2026-06-01&to=2026-06-02');
    // The seed run's D180 was fetched after its D7: at one refresh date the later fetch wins.
    expect(body.value).toEqual([sampleRow('2026-06-01', '2026-06-01', 180)]);
    expect(body.missingDates).toEqual(['2026-06-02']);
  });

  it('defaults the range to the coverage', async () => {
    await runOn(sim.graph, run, ['2026-06-01']);
    const body = await history('');
    expect(body).toMatchObject({
      from: addDays('2026-06-01', -179),
      to: '2026-06-01',
      coverage: { first: addDays('2026-06-01', -179), last: '2026-06-01' },
      missingDates: [],
    });
    expect(body.value).toHaveLength(180);
  });

  it("answers ?format=csv with Graph's five headers, the same rows as the JSON", async () => {
    await runOn(sim.graph, run, ['2026-06-01']);
    const json = await history('from=2026-05-20&to=2026-06-01');
    const csv = await get('from=2026-05-20&to=2026-06-01&format=CSV');
    expect(csv.status).toBe(200);
    expect(csv.headers['Content-Type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toBe(formatReportCsv(definition, json.value));
    expect(csv.body!.split('\r\n')[0]).toBe(
      'Report Refresh Date,Report Date,Report Period,Audio,Video',
    );
  });

  it('sends a weak ETag, private caching and nosniff, and answers 304 to a matching If-None-Match', async () => {
    await runOn(sim.graph, run, ['2026-06-01']);
    const first = await get('from=2026-05-01&to=2026-05-31');
    expect(first.status).toBe(200);
    expect(first.headers).toEqual({
      ETag: expect.stringMatching(/^W\/"[\w-]{32}"$/),
      'Cache-Control': 'private, max-age=300',
      'X-Content-Type-Options': 'nosniff',
      'Content-Type': 'application/json; charset=utf-8',
    });
    const etag = first.headers.ETag!;
    const again = await get('from=2026-05-01&to=2026-05-31', { ifNoneMatch: etag });
    expect(again).toEqual({
      status: 304,
      headers: {
        ETag: etag,
        'Cache-Control': 'private, max-age=300',
        'X-Content-Type-Options': 'nosniff',
      },
    });
    const other = await get('from=2026-05-01&to=2026-05-30', { ifNoneMatch: etag });
    expect(other.status).toBe(200);
    expect(other.headers.ETag).not.toBe(etag);
    const csv = await get('from=2026-05-01&to=2026-05-31&format=csv', { ifNoneMatch: etag });
    expect(csv.status).toBe(200);

    // A restatement of those dates changes the answer, so the old tag no longer matches.
    sim.graph.csvTransform = restateAudio(1);
    await runOn(sim.graph, run, ['2026-06-01']);
    const restated = await get('from=2026-05-01&to=2026-05-31', { ifNoneMatch: etag });
    expect(restated.status).toBe(200);
  });

  it.each([...BAD_RANGES, ['format=xml', 'format']])(
    'refuses "%s" with a 400 problem naming %s',
    async (search, parameter) => {
      expectRefusal(await get(search), parameter);
    },
  );

  it('answers an archive with no index and no snapshots with no coverage, in one read and one list', async () => {
    const proxy = await countingStorageProxy();
    try {
      const response = await get('', { settings: { SNAPSHOT_STORAGE: proxy.connectionString } });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body!)).toEqual({
        report: definition.graphFunction,
        from: null,
        to: null,
        coverage: null,
        missingDates: [],
        value: [],
      });
      expect(
        proxy.calls.map(({ method, operation, status }) => [method, operation, status]),
      ).toEqual([
        ['GET', '', 404],
        ['GET', 'container,list', 404],
      ]);
    } finally {
      await proxy.close();
    }
    const asked = await history('from=2026-01-01&to=2026-01-03');
    expect(asked).toMatchObject({ coverage: null, value: [] });
    expect(asked.missingDates).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
  });

  it.each([
    ['missing', () => container().getBlobClient(INDEX).delete(), 'is being built'],
    [
      'unreadable',
      () => container().getBlockBlobClient(INDEX).upload('{"version":', 11),
      'cannot be read (corrupt: not JSON',
    ],
  ])(
    'answers 503 with Retry-After while the index is %s but snapshots exist, never building it itself',
    async (_, breakIndex, why) => {
      await runOn(sim.graph, run, ['2026-06-01']);
      await breakIndex();
      const response = await get('');
      const problem = problemOf(response, 503);
      expect(problem.type).toBe('urn:graph-usage-reports:problem:archive-not-ready');
      expect(problem.detail).toContain(why);
      expect(problem.detail).toContain(
        'it is written by the next snapshot run or `npm run snapshot -- --rebuild-index`',
      );
      expect(response.headers['Retry-After']).toBe('900');
      expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
      expect((await get('')).status).toBe(503);

      await run();
      expect((await history('')).coverage).toEqual({
        first: addDays('2026-06-01', -179),
        last: '2026-06-01',
      });
    },
  );

  itAnswersStorageFailuresAsProblems(suite, (settings, readers) =>
    serveHistory(
      definition,
      { query: new URLSearchParams() },
      { settings, log: captureLogger().logger, readers },
    ),
  );

  it('reads at most 3 blobs for a five-year query, and answers a repeat from memory after a 304', async () => {
    // A run every 180 days: each one's D180 backfill continues the last; 5.9 years in all.
    await runOn(sim.graph, run, everyDays('2021-01-01', 180, 12));
    const proxy = await countingStorageProxy();
    const search = 'from=2021-01-01&to=2025-12-31';
    const viaProxy = { settings: { SNAPSHOT_STORAGE: proxy.connectionString } };
    /** One GET of the index, answered with `status`. */
    const indexRead = (status: number) => ({
      method: 'GET',
      path: `/${suite.storage.SNAPSHOT_CONTAINER}/${INDEX}`,
      operation: '',
      status,
    });
    try {
      const first = await get(search, viaProxy);
      expect(first.status).toBe(200);
      const body = JSON.parse(first.body!) as HistoryBody;
      expect(body.value).toHaveLength(daysBetween('2021-01-01', '2025-12-31') + 1);
      expect(body.missingDates).toEqual([]);
      expect(proxy.calls.length).toBeLessThanOrEqual(3);
      expect(proxy.calls).toEqual([indexRead(200)]);

      proxy.calls.length = 0;
      const repeat = await get(search, viaProxy);
      expect(repeat.body).toBe(first.body);
      expect(proxy.calls).toEqual([indexRead(304)]);

      // A run that changes the index: the next request reads it whole again.
      proxy.calls.length = 0;
      await runOn(sim.graph, run, [addDays('2021-01-01', 1981)]);
      const after = JSON.parse((await get(search, viaProxy)).body!) as HistoryBody;
      expect(after.coverage!.last).toBe(addDays('2021-01-01', 1981));
      expect(proxy.calls.map((call) => call.status)).toEqual([200]);
    } finally {
      await proxy.close();
    }
  });
});

describe('historyRange: the range a request is answered for', () => {
  const coverage = { first: '2020-01-01', last: '2026-06-30' };
  const long = { first: '2010-01-01', last: '2026-06-30' };
  const span = MAX_HISTORY_RANGE_DAYS - 1;
  /** The newest days of `long` that one range may span; the oldest from its first day. */
  const newest = `${addDays('2026-06-30', -span)}..2026-06-30`;
  const oldest = `2010-01-01..${addDays('2010-01-01', span)}`;

  it.each([
    ['both bounds, kept as given', '2019-01-01..2019-02-01', coverage, '2019-01-01..2019-02-01'],
    ['no bounds: the coverage', '..', coverage, '2020-01-01..2026-06-30'],
    ['no bounds over a longer coverage: its newest days', '..', long, newest],
    ['from alone: to the coverage end', '2024-01-01..', coverage, '2024-01-01..2026-06-30'],
    ['from alone, far back: clamped', '2010-01-01..', long, oldest],
    ['from alone, past the coverage: one day', '2027-01-01..', coverage, '2027-01-01..2027-01-01'],
    ['to alone: from the coverage start', '..2024-01-01', coverage, '2020-01-01..2024-01-01'],
    ['to alone, far ahead: clamped', '..2026-06-30', long, newest],
    ['to alone, before the coverage: one day', '..2019-01-01', coverage, '2019-01-01..2019-01-01'],
    ['no coverage, no bounds', '..', null, '..'],
    ['no coverage, from alone', '2024-01-01..', null, '2024-01-01..'],
    ['no coverage, to alone', '..2024-01-01', null, '..2024-01-01'],
  ])('%s', (_, query, held, expected) => {
    const range = historyRange(bounds(query), held);
    expect(range).toEqual(bounds(expected));
    if (range.from && range.to) {
      expect(daysBetween(range.from, range.to) + 1).toBeLessThanOrEqual(MAX_HISTORY_RANGE_DAYS);
    }
  });
});
