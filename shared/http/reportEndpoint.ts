import { Settings } from '../config';
import { BadRequestError, GraphTimeoutError } from '../common/errors';
import { Logger } from '../common/logger';
import { COMMON_HEADERS, ifNoneMatchHits } from './headers';
import { problemResponse } from './problem';
import { single } from './queryParameters';
import { quote, safeText } from '../common/logSafe';
import {
  parsePeriod,
  REPORT_PERIODS,
  ReportDefinition,
  ReportPeriod,
} from '../reports/definitions';
import { ParsedReport } from '../reports/csv';
import { CachedAnswer, ReportCache } from '../cache/reportCache';
import { cacheStatus } from '../cache/cacheStatus';
import {
  REPORT_FORMATS,
  RenderedReport,
  ReportFormat,
  ReportResult,
  renderReport,
} from './reportBody';

export interface ReportRequest {
  readonly query: URLSearchParams;
  readonly ifNoneMatch?: string | null;
}

/**
 * What the endpoint uses for one report under these settings, looked up per request: the
 * adapter hands in the composition root's lookup (shared/app's reportServicesFor), which builds
 * them once per configuration. A bad setting throws its ConfigError, answered as a problem.
 */
export type ReportServicesLookup = (
  settings: Settings,
  definition: ReportDefinition,
) => {
  readonly graph: { readonly graphConfig: { readonly requestTimeoutMs: number } };
  readonly reportCache: ReportCache<ParsedReport>;
};

/** Structurally an `HttpResponseInit`, so shared code needs nothing from the Functions runtime. */
export interface EndpointResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** A report parameter given at most once, worded as the report's contract words a repeat. */
function atMostOnce(query: URLSearchParams, name: string): string | undefined {
  return single(
    query,
    name,
    (count) => `${name} must be given at most once (the request has it ${count} times).`,
  );
}

function readReportQuery(query: URLSearchParams): {
  period: ReportPeriod;
  format: ReportFormat;
} {
  const rawPeriod = atMostOnce(query, 'period');
  const period = rawPeriod === undefined ? 'D7' : parsePeriod(rawPeriod);
  if (!period) {
    throw new BadRequestError(
      'period',
      `period must be one of ${REPORT_PERIODS.join(', ')} (got ${quote(rawPeriod)}).`,
    );
  }
  const givenFormat = atMostOnce(query, 'format');
  const rawFormat = (givenFormat ?? 'json').trim().toLowerCase();
  const format = REPORT_FORMATS.find((candidate) => candidate === rawFormat);
  if (!format) {
    throw new BadRequestError('format', `format must be json or csv (got ${quote(givenFormat)}).`);
  }
  return { period, format };
}

/**
 * The body for this answer, rendered once per cached report, format and staleness: a request
 * served from memory does no JSON or CSV work.
 */
function renderedFor(
  definition: ReportDefinition,
  period: ReportPeriod,
  format: ReportFormat,
  answer: CachedAnswer<ParsedReport>,
): RenderedReport {
  const { entry, stale } = answer;
  const key = `${format}|${stale}`;
  let rendered = entry.rendered.get(key) as RenderedReport | undefined;
  if (!rendered) {
    const result: ReportResult = {
      fetched: {
        definition,
        period,
        bytes: entry.bytes,
        etag: entry.graphEtag,
        fetchedAt: new Date(entry.confirmedAt),
        fromCache: answer.source.kind !== 'miss',
      },
      parsed: entry.parsed,
    };
    rendered = renderReport(result, format, stale);
    entry.rendered.set(key, rendered);
  }
  return rendered;
}

/**
 * GET a report: validate, answer from the report cache (which asks Graph only when it must), in
 * JSON or CSV, saying where the answer came from (Cache-Status, Age).
 */
export async function serveReport(
  definition: ReportDefinition,
  request: ReportRequest,
  settings: Settings,
  log: Logger,
  reportServicesFor: ReportServicesLookup,
): Promise<EndpointResponse> {
  // The budget starts with the request: fetching, reading and parsing all come out of it.
  const started = Date.now();
  try {
    const { period, format } = readReportQuery(request.query);
    const { graph, reportCache: cache } = reportServicesFor(settings, definition);
    const timeoutMs = graph.graphConfig.requestTimeoutMs;
    const answer = await cache.get(period, Math.max(1, started + timeoutMs - Date.now()), log);
    // Parsing cannot be interrupted; GRAPH_MAX_DOWNLOAD_BYTES keeps it short. Should it still end
    // past the deadline, the caller gets the promised timeout, not an answer it stopped waiting for.
    if (Date.now() > started + timeoutMs) {
      throw new GraphTimeoutError(
        `The report was not fetched and read within REQUEST_TIMEOUT_MS (${timeoutMs} ms).`,
      );
    }
    const status = cacheStatus(answer.source);
    // Warnings are news only when the report was just read from Graph's bytes.
    if (answer.source.kind === 'miss' || answer.source.kind === 'uncached') {
      for (const warning of answer.entry.parsed.warnings) log.warn(safeText(warning));
    }
    log.info(`Answered ${period} as ${format}: ${status}`);
    const rendered = renderedFor(definition, period, format, answer);
    const headers = {
      ...COMMON_HEADERS,
      ETag: rendered.etag,
      'Cache-Control': `private, max-age=${Math.max(0, answer.ttlSeconds)}`,
      Age: String(answer.ageSeconds),
      'Cache-Status': status,
    };
    if (ifNoneMatchHits(request.ifNoneMatch, rendered.etag)) {
      return { status: 304, headers };
    }
    return {
      status: 200,
      headers: { ...headers, 'Content-Type': rendered.contentType },
      body: rendered.body,
    };
  } catch (error) {
    return problemResponse(error, log, 'report');
  }
}
