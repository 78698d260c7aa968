import { HttpResponseInit, Timer } from '@azure/functions';
import { reportHandlers } from '../../functions/reports/reportFunctions';
import { CATALOGUE } from '../../shared/reports/catalogue';
import type { ServedReportDefinition } from '../../shared/reports/definitions';
import { inSecondsKey, parseDuration } from '../../shared/reports/duration';
import { azuriteSettings, containerOf } from '../support/azurite';
import { snapshotNamesIn } from '../support/archive';
import { getRequest } from '../support/functions';
import { useGraph } from '../support/graphSimulator';
import { testContext } from '../support/logs';
import { useSettings } from '../support/settings';
import { exampleReport, REPORTS_WITH_EXAMPLE } from '../support/exampleReport';

/**
 * Every report of the catalogue gets every guarantee of the first, from its definition alone:
 * the same handlers (functions/reports/reportFunctions.ts) against the Graph simulator and
 * Azurite, one table over the catalogue rather than a copy per report.
 */
const REFRESH = '2026-11-26';
// The catalogue, and a report being added (README "Add a report"): one definition and one
// sample in the simulator get it every guarantee below.
const sim = useGraph(REFRESH, { reports: REPORTS_WITH_EXAMPLE });
let storage: ReturnType<typeof azuriteSettings>;
beforeEach(() => {
  storage = azuriteSettings();
});
useSettings(() => ({ ...sim.settings, ...storage }));

const ALL = [...CATALOGUE, exampleReport];
const reports = ALL.map((definition) => [definition.routeSlug, definition] as const);

type Handler = (
  request: ReturnType<typeof getRequest>,
  context: never,
) => Promise<HttpResponseInit>;

async function call(
  definition: ServedReportDefinition,
  endpoint: 'report' | 'history' | 'status' | 'chart' | 'dashboard',
  query = '',
  headers: Record<string, string> = {},
) {
  const handler = reportHandlers(definition)[endpoint] as unknown as Handler;
  const path = endpoint === 'report' ? '' : `/${endpoint}`;
  const { context } = testContext(definition.functionNames[endpoint]);
  const url = `http://localhost:7071/api/reports/${definition.routeSlug}${path}${query}`;
  const response = await handler(getRequest(url, headers), context as never);
  const text = typeof response.body === 'string' ? response.body : '';
  return {
    status: response.status ?? 200,
    headers: (response.headers ?? {}) as Record<string, string>,
    text,
  };
}

async function snapshot(definition: ServedReportDefinition) {
  const { context } = testContext(definition.functionNames.snapshot);
  const timer = { isPastDue: false, schedule: { adjustForDST: false } } as Timer;
  await reportHandlers(definition).snapshot(timer, context);
}

/**
 * Graph's own CSV for the period, without its BOM, its rows in date order (Graph sends the
 * newest first): what ?format=csv answers, byte for byte.
 */
function graphCsv(definition: ServedReportDefinition): string {
  const text = sim.graph.currentReport('D7', definition).bytes.subarray(3).toString('utf8');
  const [header, ...rows] = text.trimEnd().split('\r\n');
  return [header, ...rows.reverse()].join('\r\n') + '\r\n';
}

/** Each row's values typed as the definition says, durations beside their whole seconds. */
function expectTypedRow(definition: ServedReportDefinition, row: Record<string, unknown>) {
  const keys = definition.columns.flatMap((column) =>
    column.type === 'duration' ? [column.key, inSecondsKey(column.key)] : [column.key],
  );
  expect(Object.keys(row).sort()).toEqual([...keys].sort());
  for (const column of definition.columns) {
    const value = row[column.key];
    if (column.type === 'integer') expect(Number.isSafeInteger(value)).toBe(true);
    else if (column.type === 'date') expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    else if (column.type === 'string') expect(typeof value).toBe('string');
    else {
      expect(value).toMatch(/^P/);
      const seconds = parseDuration(value as string);
      expect(seconds.ok && seconds.seconds).toBe(row[inSecondsKey(column.key)]);
    }
  }
}

describe.each(reports)('the %s report', (slug, definition) => {
  it("answers ?period=D7 as JSON with Graph's keys and typed values, sorted by report date", async () => {
    const result = await call(definition, 'report', '?period=D7');
    expect(result.status).toBe(200);
    const body = JSON.parse(result.text) as { report: string; value: Record<string, unknown>[] };
    expect(body.report).toBe(definition.graphFunction);
    expect(body.value).toHaveLength(7);
    for (const row of body.value) expectTypedRow(definition, row);
    const dates = body.value.map((row) => row.reportDate as string);
    expect(dates).toEqual([...dates].sort());
    expect(sim.graph.requests.filter((request) => request.server === 'api')[0]!.path).toContain(
      `${definition.graphFunction}(period='D7')`,
    );
  });

  it("answers Graph's CSV byte for byte (no BOM, rows in date order), and 304 to its ETag", async () => {
    const csv = await call(definition, 'report', '?period=D7&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toBe(graphCsv(definition));
    const again = await call(definition, 'report', '?period=D7&format=csv', {
      'If-None-Match': csv.headers.ETag!,
    });
    expect(again.status).toBe(304);
  });

  it.each([
    ['period', '?period=D8'],
    ['format', '?format=xml'],
  ])('answers 400 naming a bad %s', async (parameter, query) => {
    const result = await call(definition, 'report', query);
    expect(result.status).toBe(400);
    expect(JSON.parse(result.text)).toMatchObject({ parameter });
  });

  it('stores its snapshot create-only under its own prefix, then serves history and status', async () => {
    await snapshot(definition);
    const names = await snapshotNamesIn(containerOf(storage), ALL);
    expect(names).toEqual([`${slug}/D180/${REFRESH}.csv`, `${slug}/D7/${REFRESH}.csv`]);
    const stored = await containerOf(storage)
      .getBlobClient(`${slug}/D7/${REFRESH}.csv`)
      .downloadToBuffer();
    expect(stored.equals(sim.graph.currentReport('D7', definition).bytes)).toBe(true);
    // A second run finds the same bytes: nothing is written again.
    await snapshot(definition);
    expect(await snapshotNamesIn(containerOf(storage), ALL)).toEqual(names);

    const history = await call(definition, 'history', `?from=2026-11-20&to=${REFRESH}`);
    expect(history.status).toBe(200);
    const rows = (JSON.parse(history.text) as { value: Record<string, unknown>[] }).value;
    expect(rows).toHaveLength(7);
    for (const row of rows) expectTypedRow(definition, row);

    const status = await call(definition, 'status');
    expect(JSON.parse(status.text)).toMatchObject({
      coverage: { last: REFRESH },
      newestRefreshDate: REFRESH,
      source: { silentSince: null },
    });

    // The chart draws the series the definition declares, durations in minutes.
    const chart = await call(definition, 'chart', `?from=2026-11-01&to=${REFRESH}`);
    expect([chart.status, chart.headers['Content-Type']]).toEqual([
      200,
      expect.stringContaining('image/svg+xml'),
    ]);
    for (const series of definition.chartSeries ?? [])
      expect(chart.text).toContain(`data-series="${series.key}"`);
    expect(chart.text).toMatch(/<path|<polyline/);
    const dashboard = await call(definition, 'dashboard');
    expect([dashboard.status, dashboard.headers['Content-Type']]).toEqual([
      200,
      expect.stringContaining('text/html'),
    ]);
  });

  it('says when Graph has gone silent, and stays healthy', async () => {
    sim.graph.silent.add(slug);
    await snapshot(definition);
    const status = await call(definition, 'status');
    const document = JSON.parse(status.text) as Record<string, unknown>;
    expect(document).toMatchObject({
      historyIndex: 'ready',
      source: { silentSince: '2026-05-31' },
    });
  });
});

describe('one report of the catalogue', () => {
  it("fails alone: Graph's 403 on one report leaves every other report's snapshot whole", async () => {
    const [first, ...others] = CATALOGUE;
    sim.graph.inject({
      fault: { kind: 'status', status: 403 },
      report: first!.routeSlug,
      times: 10,
    });
    await expect(snapshot(first!)).rejects.toThrow();
    for (const definition of others) await snapshot(definition);
    const names = await snapshotNamesIn(containerOf(storage), ALL);
    expect(names.filter((name) => name.startsWith(`${first!.blobPrefix}/`))).toEqual([]);
    for (const definition of others)
      expect(names).toContain(`${definition.blobPrefix}/D7/${REFRESH}.csv`);
  });
});
