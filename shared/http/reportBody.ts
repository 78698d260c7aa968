/** The live report endpoint's body: a report rendered as JSON or CSV, and its ETag. */
import { formatReportCsv, ParsedReport } from '../reports/csv';
import { ReportDefinition, ReportPeriod } from '../reports/definitions';
import { FetchedReport } from '../graph/client';
import { weakEtag } from './headers';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A report as fetched (which names its definition and period) and as parsed. */
export interface ReportResult {
  readonly fetched: FetchedReport;
  readonly parsed: ParsedReport;
}

export interface RenderedReport {
  readonly contentType: string;
  readonly body: string;
  readonly etag: string;
}

/**
 * The JSON body: Graph's own keys for the rows, newest refresh date at the top. `stale` is always
 * there: true when the last good report stands in for a Graph that failed or was not asked.
 */
export function reportJson(result: ReportResult, stale = false) {
  return {
    report: result.fetched.definition.graphFunction,
    period: result.fetched.period,
    reportRefreshDate: result.parsed.reportRefreshDate,
    fetchedAt: result.fetched.fetchedAt.toISOString(),
    stale,
    warnings: result.parsed.warnings,
    value: result.parsed.rows,
  };
}

/** Derived from what defines the body, not from fetchedAt, so a revalidation can answer 304. */
export function reportEtag(
  definition: ReportDefinition,
  period: ReportPeriod,
  format: ReportFormat,
  csvBytes: Buffer,
): string {
  // Weak: the JSON body carries fetchedAt, so equal tags mean equal data, not equal bytes.
  return weakEtag(`${definition.graphFunction}\n${period}\n${format}\n`, csvBytes);
}

export function renderReport(
  result: ReportResult,
  format: ReportFormat,
  stale = false,
): RenderedReport {
  const { definition, period, bytes } = result.fetched;
  const etag = reportEtag(definition, period, format, bytes);
  if (format === 'csv') {
    return {
      contentType: 'text/csv; charset=utf-8',
      body: formatReportCsv(definition, result.parsed.rows),
      etag,
    };
  }
  return {
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(reportJson(result, stale)),
    etag,
  };
}
