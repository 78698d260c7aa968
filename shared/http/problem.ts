import {
  FetchLockUnavailableError,
  ArchiveNotReadyError,
  BadRequestError,
  ConfigError,
  CredentialError,
  errorMessage,
  GraphAuthError,
  GraphBadResponseError,
  GraphThrottledError,
  GraphTimeoutError,
  ReportFormatError,
  StorageError,
} from '../common/errors';
import { safeError, safeText } from '../common/logSafe';
import { Logger } from '../common/logger';

/** An RFC 9457 problem document, with the HTTP status and headers to send it with. */
export interface Problem {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: {
    type: string;
    title: string;
    status: number;
    detail: string;
    [extension: string]: unknown;
  };
}

const DEFAULT_THROTTLE_RETRY_SECONDS = 60;
/** What callers are told to wait: at least a second, at most an hour, whatever Graph said. */
export const RETRY_AFTER_MIN_SECONDS = 1;
export const RETRY_AFTER_MAX_SECONDS = 3600;

/** A `Retry-After` a client can act on: a whole number of seconds in 1..3600. */
export function clampRetryAfter(seconds: number): number {
  if (!Number.isFinite(seconds)) return RETRY_AFTER_MAX_SECONDS;
  return Math.min(RETRY_AFTER_MAX_SECONDS, Math.max(RETRY_AFTER_MIN_SECONDS, Math.ceil(seconds)));
}

/**
 * Headers every answer carries, success or problem: `nosniff` stops a browser from reading a
 * body as another type than the one declared (an echoed value rendered as HTML, say).
 */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
};

/**
 * The longest `detail` a problem carries. Values it echoes are quoted (`quote`, at most
 * MAX_QUOTED_CHARS each); this bounds the whole sentence, whatever an error message holds.
 */
export const MAX_DETAIL_CHARS = 1000;

/**
 * A problem document. `detail` is shown with control characters escaped and cut at
 * MAX_DETAIL_CHARS; `kind` ends the `type` URN.
 */
export function makeProblem(
  status: number,
  kind: string,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    status,
    headers: {
      ...COMMON_HEADERS,
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
    },
    body: {
      type: `urn:graph-usage-reports:problem:${kind}`,
      title,
      status,
      detail: safeText(detail, MAX_DETAIL_CHARS),
      ...extra,
    },
  };
}

/** Maps a failure to what the caller is told. Unknown errors say nothing of their internals. */
export function problemFor(error: unknown): Problem {
  if (error instanceof BadRequestError) {
    return makeProblem(400, 'bad-parameter', 'Invalid request parameter', error.message, {
      parameter: error.parameter,
    });
  }
  if (error instanceof ConfigError) {
    return makeProblem(500, 'configuration', 'Service configuration error', error.message, {
      setting: error.setting,
    });
  }
  if (error instanceof GraphThrottledError) {
    const seconds = clampRetryAfter(error.retryAfterSeconds ?? DEFAULT_THROTTLE_RETRY_SECONDS);
    const throttled = makeProblem(
      503,
      'graph-throttled',
      'Microsoft Graph is throttling',
      `${error.message} Try again in ${seconds} s.`,
    );
    return { ...throttled, headers: { ...throttled.headers, 'Retry-After': String(seconds) } };
  }
  if (error instanceof FetchLockUnavailableError) {
    const seconds = clampRetryAfter(error.retryAfterSeconds);
    const locked = makeProblem(
      503,
      'lock-unavailable',
      'The report is being fetched elsewhere',
      `${error.message} Try again in ${seconds} s.`,
    );
    return { ...locked, headers: { ...locked.headers, 'Retry-After': String(seconds) } };
  }
  if (error instanceof GraphTimeoutError) {
    return makeProblem(
      504,
      'graph-timeout',
      'Microsoft Graph did not answer in time',
      error.message,
    );
  }
  if (error instanceof CredentialError) {
    return makeProblem(
      502,
      'credential',
      'Could not authenticate to Microsoft Graph',
      error.message,
    );
  }
  if (error instanceof GraphAuthError) {
    return makeProblem(502, 'graph-unauthorized', 'Microsoft Graph refused access', error.message, {
      graphStatus: error.status,
    });
  }
  if (error instanceof ReportFormatError) {
    // `rule` lets a caller tell implausible data (which rule) from unreadable data without
    // parsing the detail.
    return makeProblem(
      502,
      'bad-report',
      'Microsoft Graph sent an unusable report',
      error.message,
      error.rule === undefined ? {} : { rule: error.rule },
    );
  }
  if (error instanceof GraphBadResponseError) {
    return makeProblem(
      502,
      'bad-graph-response',
      'Microsoft Graph answered something unusable',
      error.message,
    );
  }
  if (error instanceof ArchiveNotReadyError) {
    const notReady = makeProblem(
      503,
      'archive-not-ready',
      'The archive is not ready',
      error.message,
    );
    return {
      ...notReady,
      headers: {
        ...notReady.headers,
        'Retry-After': String(clampRetryAfter(error.retryAfterSeconds)),
      },
    };
  }
  if (error instanceof StorageError) {
    return makeProblem(503, 'storage-unavailable', 'Archive storage is unavailable', error.message);
  }
  return makeProblem(
    500,
    'internal',
    'Internal error',
    'The service failed unexpectedly; see its logs.',
  );
}

/** A failure none of our error types describe: a bug, worth its stack trace in the log. */
export function isUnexpectedProblem(problem: Problem): boolean {
  return problem.status === 500 && problem.body.type.endsWith(':internal');
}

/**
 * How every endpoint answers a failure: the problem as its response, a log line (escaped) with
 * the stack only for a failure none of our types describe, and a credential failure's cause,
 * which the caller is never shown.
 */
export function problemResponse(
  error: unknown,
  log: Logger,
  serving: string,
): { status: number; headers: Record<string, string>; body: string } {
  const problem = problemFor(error);
  if (isUnexpectedProblem(problem)) {
    log.error(`Unexpected failure serving the ${serving}: ${safeError(error)}`);
  } else {
    log.warn(safeText(`${problem.status} ${problem.body.title}: ${problem.body.detail}`));
  }
  if (error instanceof CredentialError && error.cause) {
    log.error(safeText(`Credential failure detail: ${errorMessage(error.cause)}`));
  }
  return { status: problem.status, headers: problem.headers, body: JSON.stringify(problem.body) };
}
