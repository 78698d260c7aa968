import { ServiceRegistry } from '../../../shared/app/services';
import { historyIndexBlobName } from '../../../shared/archive/historyIndex';
import {
  CHART_CONTENT_SECURITY_POLICY,
  ChartInterval,
  ChartRow,
  renderChartSvg,
} from '../../../shared/http/chart';
import { previousRange } from '../../../shared/http/chartFigures';
import { chartRange, serveChart } from '../../../shared/http/chartEndpoint';
import { serveHistory } from '../../../shared/http/historyEndpoint';
import { MAX_HISTORY_RANGE_DAYS } from '../../../shared/http/historyQuery';
import { addDays } from '../../../shared/reports/dates';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { everyDays, restateAudio, runOn } from '../../support/archive';
import { containerOf } from '../../support/azurite';
import { captureLogger } from '../../support/logs';
import { problemOf } from '../../support/problems';
import {
  BAD_RANGES,
  bounds,
  expectRefusal,
  itAnswersStorageFailuresAsProblems,
  useArchiveEndpoint,
} from '../../support/archiveEndpoints';

const definition = skypeP2pMinuteCounts;
const suite = useArchiveEndpoint('2026-11-26');
const { sim, run } = suite;
/** The instant the requests are answered at: a few days after the simulated refresh. */
const NOW = new Date('2026-11-28T12:00:00Z');

/** GET .../chart?{search}, as the function would serve it with these settings. */
async function get(search: string, options: { ifNoneMatch?: string; settings?: object } = {}) {
  const { logger, lines } = captureLogger();
  const response = await serveChart(
    definition,
    { query: new URLSearchParams(search), ifNoneMatch: options.ifNoneMatch },
    {
      settings: { ...suite.storage, ...options.settings },
      log: logger,
      readers: suite.readers,
      now: NOW,
    },
  );
  return { ...response, logs: lines };
}

interface HistoryBody {
  value: ChartRow[];
  missingDates: string[];
  coverage: { last: string } | null;
}

async function historyOf(from: string, to: string): Promise<HistoryBody> {
  const history = await serveHistory(
    definition,
    { query: new URLSearchParams({ from, to }) },
    {
      settings: suite.storage,
      log: captureLogger().logger,
      readers: new ServiceRegistry().historyReaders(),
    },
  );
  return JSON.parse(history.body!) as HistoryBody;
}

/**
 * The chart the history endpoint's rows make: those of the range, those of the range of the same
 * length before it (for the change), and the last day held (for days not reported yet).
 */
async function chartOfHistory(from: string, to: string, interval?: ChartInterval): Promise<string> {
  const body = await historyOf(from, to);
  const previous = previousRange(from, to);
  const before = await historyOf(previous.from, previous.to);
  return renderChartSvg({
    from,
    to,
    rows: body.value,
    missingDates: body.missingDates,
    previousRows: before.value,
    series: definition.chartSeries!,
    ...(body.coverage ? { lastHeld: body.coverage.last } : {}),
    ...(interval ? { interval } : {}),
  });
}

const titleOf = (svg: string) => /<title id="chart-title">([^<]*)<\/title>/.exec(svg)?.[1];
const TITLE = 'Audio and Video minutes per day';

describe('GET /api/reports/skype-p2p-minute-counts/chart', () => {
  it('draws the last 90 days held by default, from the same rows the history serves', async () => {
    await runOn(sim.graph, run, ['2026-06-01', '2026-11-26']);
    const response = await get('');
    expect(response.status).toBe(200);
    expect(titleOf(response.body!)).toBe(`${TITLE}, 2026-08-29 to 2026-11-26`);
    expect(response.body).toBe(await chartOfHistory('2026-08-29', '2026-11-26'));
    expect(response.body).not.toContain('class="gap"');
  });

  it('draws the range asked for: missing dates as gaps, days after the last held as not reported yet', async () => {
    // A seed in January, then nothing until December: its D180 backfill reaches back to June.
    await runOn(sim.graph, run, ['2025-01-10', '2025-12-01']);
    const response = await get('from=2025-01-01&to=2025-12-31&interval=day');
    expect(response.status).toBe(200);
    expect(response.body).toBe(await chartOfHistory('2025-01-01', '2025-12-31', 'day'));
    const bands = (kind: string) =>
      [
        ...response.body!.matchAll(
          new RegExp(`class="${kind}" data-from="([\\d-]+)" data-to="([\\d-]+)"`, 'g'),
        ),
      ].map((band) => [band[1], band[2]]);
    expect(bands('gap')).toEqual([['2025-01-11', '2025-06-04']]);
    expect(bands('future')).toEqual([['2025-12-02', '2025-12-31']]);
  });

  it('draws ISO-week totals for ranges over 120 days unless asked for days, and days up to 120', async () => {
    await runOn(sim.graph, run, ['2026-11-26']);
    const interval = async (search: string) =>
      /data-interval="(\w+)"/.exec((await get(search)).body!)?.[1];
    await expect(interval('from=2026-06-01&to=2026-09-28')).resolves.toBe('day');
    await expect(interval('from=2026-06-01&to=2026-09-29')).resolves.toBe('week');
    await expect(interval('from=2026-06-01&to=2026-09-29&interval=day')).resolves.toBe('day');
    await expect(interval('from=2026-11-01&to=2026-11-26&interval=week')).resolves.toBe('week');
    const weekly = await get('from=2026-06-01&to=2026-11-26');
    expect(weekly.body).toBe(await chartOfHistory('2026-06-01', '2026-11-26'));
    expect(weekly.body).toContain('>Audio minutes per week</text>');
  });

  it.each([
    ['an unknown interval', 'interval=month', 'interval must be day or week (got "month").'],
    ['an interval in capitals', 'interval=WEEK', 'interval must be day or week (got "WEEK").'],
    ['two intervals', 'interval=day&interval=week', 'interval may be given once (got 2 values).'],
  ])('answers 400 for %s', async (_case, search, detail) => {
    await runOn(sim.graph, run, ['2026-11-26']);
    const response = await get(search);
    expect(response.status).toBe(400);
    expect(problemOf(response, 400)).toMatchObject({ detail, parameter: 'interval' });
  });

  it.each([
    ['a lone from: to the last date held', 'from=2026-10-01', '2026-10-01 to 2026-11-26'],
    ['a lone to: from the first date held', 'to=2026-06-10', '2026-05-31 to 2026-06-10'],
  ])('completes %s, as the history does', async (_, search, range) => {
    await runOn(sim.graph, run, ['2026-11-26']);
    expect(titleOf((await get(search)).body!)).toBe(`${TITLE}, ${range}`);
  });

  it('ignores parameters other than from and to, such as the function key and a format', async () => {
    await runOn(sim.graph, run, ['2026-11-26']);
    const plain = await get('from=2026-11-01&to=2026-11-26');
    const withOthers = await get('code=secret-key&format=png&from=2026-11-01&to=2026-11-26');
    expect(withOthers.status).toBe(200);
    expect(withOthers.body).toBe(plain.body);
    expect(withOthers.body).not.toContain('secret-key');
  });

  it('sends the image with a weak ETag, private caching, nosniff and its CSP, and answers 304', async () => {
    await runOn(sim.graph, run, ['2026-11-26']);
    const first = await get('from=2026-11-01&to=2026-11-26');
    expect(first.headers).toEqual({
      ETag: expect.stringMatching(/^W\/"[\w-]{32}"$/),
      'Cache-Control': 'private, max-age=300',
      'X-Content-Type-Options': 'nosniff',
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Content-Security-Policy': CHART_CONTENT_SECURITY_POLICY,
    });
    const etag = first.headers.ETag!;
    expect(await get('from=2026-11-01&to=2026-11-26', { ifNoneMatch: etag })).toEqual({
      status: 304,
      headers: {
        ETag: etag,
        'Cache-Control': 'private, max-age=300',
        'X-Content-Type-Options': 'nosniff',
      },
      logs: [],
    });
    expect((await get('from=2026-11-01&to=2026-11-25', { ifNoneMatch: etag })).status).toBe(200);

    // A restatement of those dates changes the picture, so the old tag no longer matches.
    sim.graph.csvTransform = restateAudio(500);
    expect(await run()).toMatchObject({ restatementsKept: 1 });
    const restated = await get('from=2026-11-01&to=2026-11-26', { ifNoneMatch: etag });
    expect(restated.status).toBe(200);
    expect(restated.headers.ETag).not.toBe(etag);
  });

  it.each([...BAD_RANGES, ['to=2026-01-01&to=2026-01-01', 'to']])(
    'refuses "%s" with the history\'s 400 problem naming %s',
    async (search, parameter) => {
      const response = await get(search);
      expectRefusal(response, parameter);
      expect(response.logs).toContainEqual({
        level: 'warn',
        message: expect.stringContaining('400 Invalid request parameter'),
      });
      const history = await serveHistory(
        definition,
        { query: new URLSearchParams(search) },
        { settings: suite.storage, log: captureLogger().logger, readers: suite.readers },
      );
      expect(JSON.parse(response.body!)).toEqual(JSON.parse(history.body!));
    },
  );

  it('answers an archive with nothing in it with an image that says so', async () => {
    const response = await get('');
    expect(response.status).toBe(200);
    expect(response.headers['Content-Type']).toBe('image/svg+xml; charset=utf-8');
    expect(response.body).toContain('No data held for 2026-08-31 to 2026-11-28');
    expect(response.body).not.toContain('<polyline');
  });

  it('answers 503 with Retry-After while the index is missing but snapshots exist', async () => {
    await runOn(sim.graph, run, ['2026-11-26']);
    await containerOf(suite.storage).getBlobClient(historyIndexBlobName(definition)).delete();
    const response = await get('');
    const problem = problemOf(response, 503);
    expect(problem.type).toBe('urn:graph-usage-reports:problem:archive-not-ready');
    expect(problem.detail).toContain('is being built');
    expect(response.headers['Retry-After']).toBe('900');
    expect(response.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  itAnswersStorageFailuresAsProblems(suite, (settings, readers) =>
    serveChart(
      definition,
      { query: new URLSearchParams() },
      { settings, log: captureLogger().logger, readers, now: NOW },
    ),
  );

  it('draws ten years of days at most, in one image', async () => {
    await runOn(sim.graph, run, everyDays('2026-05-01', 180, 2));
    const from = addDays('2026-10-28', 1 - MAX_HISTORY_RANGE_DAYS);
    const response = await get(`from=${from}&to=2026-10-28`);
    expect(response.status).toBe(200);
    expect(response.body).toContain(`${MAX_HISTORY_RANGE_DAYS} days`);
  });
});

describe('chartRange: the range a chart request is drawn for', () => {
  const coverage = { first: '2025-01-01', last: '2026-06-30' };
  const today = '2026-07-02';

  it.each([
    ['no bounds: the last 90 days held', '..', coverage, '2026-04-02..2026-06-30'],
    [
      'no bounds over a young archive: still 90 days, the first ones without data',
      '..',
      { first: '2026-06-01', last: '2026-06-30' },
      '2026-04-02..2026-06-30',
    ],
    ['no bounds, nothing held: the 90 days up to today', '..', null, `2026-04-04..${today}`],
    ['both bounds, kept', '2024-01-01..2024-02-01', coverage, '2024-01-01..2024-02-01'],
    ['from alone: to the last date held', '2026-01-01..', coverage, '2026-01-01..2026-06-30'],
    ['to alone: from the first date held', '..2025-02-01', coverage, '2025-01-01..2025-02-01'],
    ['from alone, nothing held: to today', '2026-06-01..', null, `2026-06-01..${today}`],
    [
      'from alone after today, nothing held: one day',
      '2026-08-01..',
      null,
      '2026-08-01..2026-08-01',
    ],
    ['to alone, nothing held: that day', '..2026-06-01', null, '2026-06-01..2026-06-01'],
  ])('%s', (_, query, held, expected) => {
    expect(chartRange(bounds(query), held, today)).toEqual(bounds(expected));
  });
});
