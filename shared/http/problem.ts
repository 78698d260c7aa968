import { CredentialError, errorMessage, ServiceError } from '../common/errors';
import { errorRow } from '../common/errorTable';
import { safeError, safeText } from '../common/logSafe';
import { Logger } from '../common/logger';
import { COMMON_HEADERS } from './headers';

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

/** What callers are told to wait: at least a second, at most an hour, whatever Graph said. */
export {
  clampRetryAfter,
  RETRY_AFTER_MAX_SECONDS,
  RETRY_AFTER_MIN_SECONDS,
} from '../common/errorTable';
export { COMMON_HEADERS } from './headers';

/**
 * The longest `detail` a problem carries. Values it echoes are quoted (`quote`, at most
 * MAX_QUOTED_CHARS each); this bounds the whole sentence, whatever an error message holds.
 */
export const MAX_DETAIL_CHARS = 1000;

/**
 * A problem document. `detail` is shown with control characters escaped and cut at
 * MAX_DETAIL_CHARS; `type` ends the URN of the same name.
 */
export function makeProblem(
  status: number,
  type: string,
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
      type: `urn:graph-usage-reports:problem:${type}`,
      title,
      status,
      detail: safeText(detail, MAX_DETAIL_CHARS),
      ...extra,
    },
  };
}

/**
 * Maps a failure to what the caller is told, by its kind's row of the error table. Unknown
 * errors say nothing of their internals.
 */
export function problemFor(error: unknown): Problem {
  if (!(error instanceof ServiceError)) {
    return makeProblem(
      500,
      'internal',
      'Internal error',
      'The service failed unexpectedly; see its logs.',
    );
  }
  const row = errorRow(error);
  const problem = makeProblem(
    row.status,
    row.type,
    row.title,
    row.detail?.(error) ?? error.message,
    row.members?.(error),
  );
  const retryAfterSeconds = row.retryAfterSeconds?.(error);
  if (retryAfterSeconds === undefined) return problem;
  return { ...problem, headers: { ...problem.headers, 'Retry-After': String(retryAfterSeconds) } };
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
