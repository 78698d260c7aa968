import { Settings } from '../config';
import {
  BadRequestError,
  CredentialError,
  errorMessage,
  GraphTimeoutError,
} from '../common/errors';
import { Logger } from '../common/logger';
import { COMMON_HEADERS, isUnexpectedProblem, problemFor } from './problem';
import { quote, safeError, safeText } from '../common/logSafe';
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

/** A parameter given at most once: with two values, which one was meant is anyone's guess. */
function single(query: URLSearchParams, name: string): string | null {
  const values = query.getAll(name);
  if (values.length > 1) {
    throw new BadRequestError(
      name,
      `${name} must be given at most once (the request has it ${values.length} times).`,
    );
  }
  return values[0] ?? null;
}

function readReportQuery(query: URLSearchParams): {
  period: ReportPeriod;
  format: ReportFormat;
} {
  const rawPeriod = single(query, 'period');
  const period = rawPeriod === null ? 'D7' : parsePeriod(rawPeriod);
  if (!period) {
    throw new BadRequestError(
      'period',
      `period must be one of ${REPORT_PERIODS.join(', ')} (got ${quote(rawPeriod)}).`,
    );
  }
  const givenFormat = single(query, 'format');
  const rawFormat = (givenFormat ?? 'json').trim().toLowerCase();
  const format = REPORT_FORMATS.find((candidate) => candidate === rawFormat);
  if (!format) {
    throw new BadRequestError('format', `format must be json or csv (got ${quote(givenFormat)}).`);
  }
  return { period, format };
}

/**
 * Fetches a report and parses it by `deadline`, for the callers that serve rows (this endpoint,
 * and the report command through it). The snapshot job stores bytes even when they fail to parse,
 * so it reads them itself.
 */
async function fetchParsedReport(
  client: GraphReportClient,
  definition: ReportDefinition,
  period: ReportPeriod,
  deadline: { at: number; timeoutMs: number },
  log: Logger,
): Promise<ReportResult> {
  const remaining = Math.max(0, deadline.at - Date.now());
  const fetched = await client.fetchReport(definition, period, remaining, log);
  const parsed = parseReportCsv(definition, fetched.bytes, period);
  // Parsing cannot be interrupted; GRAPH_MAX_DOWNLOAD_BYTES keeps it short. Should it still end
  // past the deadline, the caller gets the promised timeout, not an answer it stopped waiting for.
  if (Date.now() > deadline.at) {
    throw new GraphTimeoutError(
      `The report was not fetched and read within REQUEST_TIMEOUT_MS (${deadline.timeoutMs} ms).`,
    );
  }
  return { fetched, parsed };
}

/** GET a report: validate, fetch and parse through the process's services, answer JSON or CSV. */
export async function serveReport(
  definition: ReportDefinition,
  request: ReportRequest,
  settings: Settings,
  log: Logger,
): Promise<EndpointResponse> {
  // The budget starts with the request: fetching, reading and parsing all come out of it.
  const started = Date.now();
  try {
    const { period, format } = readReportQuery(request.query);
    const { graphClient, graphConfig } = servicesFor(settings);
    const timeoutMs = graphConfig.requestTimeoutMs;
    const deadline = { at: started + timeoutMs, timeoutMs };
    const result = await fetchParsedReport(graphClient, definition, period, deadline, log);
    for (const warning of result.parsed.warnings) log.warn(safeText(warning));
    const rendered = renderReport(result, format);
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
