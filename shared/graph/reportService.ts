import { GraphConfig } from '../config';
import { graphTokenProvider } from './credentials';
import { parseReportCsv, ParsedReport } from '../reports/csv';
import { FetchedReport, GraphReportClient } from './client';
import { Logger } from '../common/logger';
import { ReportCache } from './etagCache';
import { ReportDefinition, ReportPeriod } from '../reports/definitions';

export interface ReportResult {
  readonly fetched: FetchedReport;
  readonly parsed: ParsedReport;
}

export function createGraphClient(config: GraphConfig, log: Logger, cache?: ReportCache) {
  return new GraphReportClient({ config, tokens: graphTokenProvider(config), log, cache });
}

/**
 * Fetches a report through the shared Graph client and parses it, for callers that serve rows
 * (the endpoint and the report command). The snapshot job uses the same client and parser but
 * stores bytes that fail to parse, so it reads them itself.
 */
export async function fetchParsedReport(
  client: GraphReportClient,
  definition: ReportDefinition,
  period: ReportPeriod,
  timeoutMs: number,
): Promise<ReportResult> {
  const fetched = await client.fetchReport(definition, period, timeoutMs);
  return { fetched, parsed: parseReportCsv(definition, fetched.bytes, period) };
}
