import { emptyHistoryIndex, mergeSnapshot, queryHistory } from '../../shared/archive/historyIndex';
import { snapshotBlobName } from '../../shared/archive/blobNames';
import { CONTRACT_REPORTS } from '../../shared/http/openApiContract';
import { renderReport, ReportFormat } from '../../shared/http/reportBody';
import { parseReportCsv } from '../../shared/reports/csv';
import { addDays } from '../../shared/reports/dates';
import {
  ReportPeriod,
  ServedReportDefinition,
  skypeP2pMinuteCounts,
} from '../../shared/reports/definitions';
import { catalogueSamples } from '../../tools/graphSimulator/catalogueSamples';
import { sampleCsv } from '../../tools/graphSimulator/sampleTenant';
import { contract, escapePointer } from './conformance';

/**
 * Every catalogued report's JSON and CSV bodies, live and from the history, checked against that
 * report's own schemas in the contract. The rows are the Graph simulator's sample tenant's, read
 * by the shared parser and rendered by the endpoints' own renderers, as the app serves them.
 */
const REFRESH = '2026-11-26';
const FETCHED_AT = new Date('2026-11-28T06:00:01.234Z');

const samples = [
  { definition: skypeP2pMinuteCounts, csv: sampleCsv },
  ...catalogueSamples.map(({ definition, csv }) => ({ definition, csv })),
];

function sampleOf(report: ServedReportDefinition) {
  const sample = samples.find(({ definition }) => definition.routeSlug === report.routeSlug);
  if (!sample) throw new Error(`The simulator has no sample of ${report.routeSlug}.`);
  return sample.csv;
}

/** The schema violations of a body for a path's GET, status and media type. */
function bodyErrors(path: string, status: number, mediaType: string, body: unknown): string[] {
  const { pointer } = contract.operation({ path, method: 'get' });
  const answer = contract.deref(
    contract.at(`${pointer}/responses/${status}`),
    `${pointer}/responses/${status}`,
  );
  return contract.schemaErrors(
    `${answer.pointer}/content/${escapePointer(mediaType)}/schema`,
    body,
    'body',
  );
}

function rendered(report: ServedReportDefinition, period: ReportPeriod, format: ReportFormat) {
  const bytes = sampleOf(report)(period, REFRESH);
  const parsed = parseReportCsv(report, bytes, period);
  const fetched = { definition: report, period, bytes, fetchedAt: FETCHED_AT, fromCache: false };
  return renderReport({ fetched, parsed }, format).body;
}

/** The history body over an index holding the D30 report, as the history endpoint writes it. */
function historyBody(report: ServedReportDefinition, from?: string, to?: string) {
  const bytes = sampleOf(report)('D30', REFRESH);
  const parsed = parseReportCsv(report, bytes, 'D30');
  const index = mergeSnapshot(report, emptyHistoryIndex(report), {
    blob: snapshotBlobName(report, 'D30', 'original', REFRESH, '0'.repeat(64)),
    fetchedAt: FETCHED_AT.toISOString(),
    valid: true,
    rows: parsed.rows,
  });
  return { report: report.graphFunction, ...queryHistory(index, from, to) };
}

const reports = CONTRACT_REPORTS.map((report) => [report.routeSlug, report] as const);

describe.each(reports)('the contract of %s', (slug, report) => {
  const path = `/reports/${slug}`;

  it.each(['D7', 'D30'] as const)('holds its live %s report as JSON', (period) => {
    const body = JSON.parse(rendered(report, period, 'json')) as { value: unknown[] };
    expect(body.value.length).toBeGreaterThan(0);
    expect(bodyErrors(path, 200, 'application/json', body)).toEqual([]);
  });

  it('holds its live report as CSV', () => {
    expect(bodyErrors(path, 200, 'text/csv', rendered(report, 'D7', 'csv'))).toEqual([]);
  });

  it.each([
    ['the whole archive', undefined, undefined],
    ['a range reaching past the archive, with missing dates', addDays(REFRESH, -3), '2026-12-05'],
  ])('holds its history over %s as JSON', (_, from, to) => {
    const body = historyBody(report, from, to);
    expect(body.value.length).toBeGreaterThan(0);
    expect(bodyErrors(`${path}/history`, 200, 'application/json', body)).toEqual([]);
  });

  it("refuses another report's rows: the row schema is its own", () => {
    const others = CONTRACT_REPORTS.filter((other) => other.routeSlug !== slug);
    for (const other of others) {
      const body = JSON.parse(rendered(other, 'D7', 'json')) as Record<string, unknown>;
      expect(bodyErrors(path, 200, 'application/json', body)).toContainEqual(
        expect.stringMatching(/^body: \/(report|value\/0)/),
      );
    }
  });

  it('refuses a row missing a column, or with a count as text', () => {
    const body = JSON.parse(rendered(report, 'D7', 'json')) as {
      value: Record<string, unknown>[];
    };
    const [column] = report.columns.filter((c) => c.type === 'integer');
    const row = body.value[0]!;
    const withoutColumn = Object.fromEntries(
      Object.entries(row).filter(([key]) => key !== column!.key),
    );
    expect(
      bodyErrors(path, 200, 'application/json', { ...body, value: [withoutColumn] }),
    ).toContain(`body: /value/0 must have required property '${column!.key}' (${column!.key})`);
    expect(
      bodyErrors(path, 200, 'application/json', {
        ...body,
        value: [{ ...row, [column!.key]: '12' }],
      }),
    ).toContain(`body: /value/0/${column!.key} must be integer,null`);
  });
});
