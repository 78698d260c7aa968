import { GraphConfig } from './config';
import { graphTokenProvider } from './credentials';
import { parseReportCsv, ParsedReport } from './csvReport';
import { FetchedReport, GraphReportClient } from './graphClient';
import { Logger } from './logger';
import { ReportCache } from './reportCache';
import { ReportDefinition, ReportPeriod } from './reportDefinitions';

export interface ReportResult {
  readonly fetched: FetchedReport;
  readonly parsed: ParsedReport;
}

export function createGraphClient(config: GraphConfig, log: Logger, cache?: ReportCache) {
  return new GraphReportClient({ config, tokens: graphTokenProvider(config), log, cache });
}

/** The one fetch-and-parse path both the HTTP endpoint and the snapshot job use. */
export async function fetchReport(
  client: GraphReportClient,
  definition: ReportDefinition,
  period: ReportPeriod,
  timeoutMs: number,
): Promise<ReportResult> {
  const fetched = await client.fetchReport(definition, period, timeoutMs);
  return { fetched, parsed: parseReportCsv(definition, fetched.bytes) };
}
