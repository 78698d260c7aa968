import { readGraphConfig, Settings } from '../config';
import { BadRequestError, CredentialError, errorMessage } from '../common/errors';
import { Logger } from '../common/logger';
import { COMMON_HEADERS, isUnexpectedProblem, problemFor } from './problem';
import { quote, safeError, safeText } from '../common/logSafe';
import {
  parsePeriod,
  REPORT_PERIODS,
  ReportDefinition,
  ReportPeriod,
} from '../reports/definitions';
import { ifNoneMatchHits, REPORT_FORMATS, ReportFormat, renderReport } from './render';
import { createGraphClient, fetchParsedReport } from '../graph/reportService';

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
      `period must be one of ${REPORT_PERIODS.join(', ')} (got ${quote(rawPeriod)}).`,
    );
  }
  const rawFormat = (query.get('format') ?? 'json').trim().toLowerCase();
  const format = REPORT_FORMATS.find((candidate) => candidate === rawFormat);
  if (!format) {
    throw new BadRequestError(
      'format',
      `format must be json or csv (got ${quote(query.get('format'))}).`,
    );
  }
  return { period, format };
}

/** GET a report: validate, fetch and parse through the shared module, answer JSON or CSV. */
export async function serveReport(
  definition: ReportDefinition,
  request: ReportRequest,
  settings: Settings,
  log: Logger,
): Promise<EndpointResponse> {
  try {
    const { period, format } = readReportQuery(request.query);
    const config = readGraphConfig(settings);
    const client = createGraphClient(config, log);
    const result = await fetchParsedReport(client, definition, period, config.requestTimeoutMs);
    for (const warning of result.parsed.warnings) log.warn(safeText(warning));
    const rendered = renderReport(definition, period, format, result);
    const headers = { ...COMMON_HEADERS, ETag: rendered.etag, 'Cache-Control': CACHE_CONTROL };
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
    if (isUnexpectedProblem(problem))
      log.error(`Unexpected failure serving the report: ${safeError(error)}`);
    else log.warn(safeText(`${problem.status} ${problem.body.title}: ${problem.body.detail}`));
    if (error instanceof CredentialError && error.cause) {
      log.error(safeText(`Credential failure detail: ${errorMessage(error.cause)}`));
    }
    return { status: problem.status, headers: problem.headers, body: JSON.stringify(problem.body) };
  }
}
