import { Settings } from '../config';
import { BadRequestError, CredentialError, errorMessage } from '../common/errors';
import { Logger } from '../common/logger';
import { isUnexpectedProblem, problemFor } from './problem';
import {
  parsePeriod,
  REPORT_PERIODS,
  ReportDefinition,
  ReportPeriod,
} from '../reports/definitions';
import { parseReportCsv } from '../reports/csv';
import { GraphReportClient } from '../graph/client';
import { servicesFor } from '../app/services';
import {
  ifNoneMatchHits,
  REPORT_FORMATS,
  ReportFormat,
  ReportResult,
  renderReport,
} from './render';

export interface ReportRequest {
  readonly query: URLSearchParams;
  readonly ifNoneMatch?: string | null;
}

/** Structurally an `HttpResponseInit`, so shared code needs nothing from the Functions runtime. */
export interface EndpointResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

const CACHE_CONTROL = 'private, max-age=300';

function readReportQuery(query: URLSearchParams): {
  period: ReportPeriod;
  format: ReportFormat;
} {
  const rawPeriod = query.get('period');
  const period = rawPeriod === null ? 'D7' : parsePeriod(rawPeriod);
  if (!period) {
    throw new BadRequestError(
      'period',
      `period must be one of ${REPORT_PERIODS.join(', ')} (got "${rawPeriod}").`,
    );
  }
  const rawFormat = (query.get('format') ?? 'json').trim().toLowerCase();
  const format = REPORT_FORMATS.find((candidate) => candidate === rawFormat);
  if (!format) {
    throw new BadRequestError(
      'format',
      `format must be json or csv (got "${query.get('format')}").`,
    );
  }
  return { period, format };
}

/**
 * Fetches a report and parses it, for the callers that serve rows (this endpoint, and the report
 * command through it). The snapshot job stores bytes even when they fail to parse, so it reads
 * them itself.
 */
async function fetchParsedReport(
  client: GraphReportClient,
  definition: ReportDefinition,
  period: ReportPeriod,
  timeoutMs: number,
  log: Logger,
): Promise<ReportResult> {
  const fetched = await client.fetchReport(definition, period, timeoutMs, log);
  return { fetched, parsed: parseReportCsv(definition, fetched.bytes) };
}

/** GET a report: validate, fetch and parse through the process's services, answer JSON or CSV. */
export async function serveReport(
  definition: ReportDefinition,
  request: ReportRequest,
  settings: Settings,
  log: Logger,
): Promise<EndpointResponse> {
  try {
    const { period, format } = readReportQuery(request.query);
    const { graphClient, graphConfig } = servicesFor(settings);
    const result = await fetchParsedReport(
      graphClient,
      definition,
      period,
      graphConfig.requestTimeoutMs,
      log,
    );
    for (const warning of result.parsed.warnings) log.warn(warning);
    const rendered = renderReport(result, format);
    const headers = { ETag: rendered.etag, 'Cache-Control': CACHE_CONTROL };
    if (ifNoneMatchHits(request.ifNoneMatch, rendered.etag)) {
      return { status: 304, headers };
    }
    return {
      status: 200,
      headers: { ...headers, 'Content-Type': rendered.contentType },
      body: rendered.body,
    };
  } catch (error) {
    const problem = problemFor(error);
    if (isUnexpectedProblem(problem)) log.error('Unexpected failure serving the report', error);
    else log.warn(`${problem.status} ${problem.body.title}: ${problem.body.detail}`);
    if (error instanceof CredentialError && error.cause) {
      log.error(`Credential failure detail: ${errorMessage(error.cause)}`);
    }
    return { status: problem.status, headers: problem.headers, body: JSON.stringify(problem.body) };
  }
}
