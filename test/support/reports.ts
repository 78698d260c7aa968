import { ReportFormatError } from '../../shared/common/errors';
import { parseReportCsv } from '../../shared/reports/csv';
import {
  periodDays,
  ReportDefinition,
  ReportPeriod,
  skypeP2pMinuteCounts,
} from '../../shared/reports/definitions';
import { thrownBy } from './errors';

/** Graph's header line for the Skype report. */
export const HEADER = 'Report Refresh Date,Report Date,Report Period,Audio,Video';
export const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A CSV from lines, joined with `eol`, with a final line break. */
export function csv(lines: string[], eol = '\r\n'): Buffer {
  return Buffer.from(lines.map((line) => `${line}${eol}`).join(''), 'utf8');
}

/**
 * When the parse helper says the report was fetched, unless told: after every refresh date the
 * fixtures use, so the outcome does not depend on the day the suite runs. The tests of
 * `refresh-date-not-future` pass their own.
 */
export const FIXTURE_FETCHED_AT = new Date('2040-01-01T12:00:00Z');

/** Parses as the endpoint does for `period` (D7 unless said otherwise). */
export function parse(
  bytes: Buffer | string,
  period: ReportPeriod = 'D7',
  definition: ReportDefinition = skypeP2pMinuteCounts,
  fetchedAt: Date = FIXTURE_FETCHED_AT,
) {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return parseReportCsv(definition, buffer, period, fetchedAt);
}

/** Runs `read` and returns the ReportFormatError it must throw. */
export function formatError(read: () => unknown): ReportFormatError {
  const error = thrownBy(ReportFormatError, read);
  expect(error.kind).toBe('bad-report-format');
  return error;
}

/** The warning of a report with rows for only `present` days of `period`. */
export function missingDaysWarning(present: number, period: ReportPeriod = 'D7'): string {
  const days = periodDays(period);
  return `Only ${present} of the ${days} days of ${period} have a row: Graph has no data for the other ${days - present} (a young tenant, or days without activity).`;
}

/** A report described in place for a test: `slug` names its route and its blobs. */
export function reportNamed(
  graphFunction: string,
  slug: string,
  shape: Omit<ReportDefinition, 'graphFunction' | 'routeSlug' | 'blobPrefix'>,
): ReportDefinition {
  return { graphFunction, routeSlug: slug, blobPrefix: slug, ...shape };
}

/** A report described without plausibility rules: what the parser does on its own. */
export const UNRULED = reportNamed('getSomething', 'something', {
  columns: [
    { header: 'Refreshed', key: 'refreshed', type: 'date' },
    { header: 'Name', key: 'name', type: 'string' },
    { header: 'Count', key: 'count', type: 'integer' },
  ],
  refreshDateKey: 'refreshed',
  sortKey: 'name',
  rules: [],
});
