import {
  ArchiveNotReadyError,
  BadRequestError,
  ConfigError,
  CredentialError,
  GraphAuthError,
  GraphBadResponseError,
  GraphThrottledError,
  GraphTimeoutError,
  ReportFormatError,
  StorageError,
} from '../common/errors';

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

function problem(status: number, kind: string, title: string, detail: string, extra = {}): Problem {
  return {
    status,
    headers: { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' },
    body: { type: `urn:graph-usage-reports:problem:${kind}`, title, status, detail, ...extra },
  };
}

/** Maps a failure to what the caller is told. Unknown errors say nothing of their internals. */
export function problemFor(error: unknown): Problem {
  if (error instanceof BadRequestError) {
    return problem(400, 'bad-parameter', 'Invalid request parameter', error.message, {
      parameter: error.parameter,
    });
  }
  if (error instanceof ConfigError) {
    return problem(500, 'configuration', 'Service configuration error', error.message, {
      setting: error.setting,
    });
  }
  if (error instanceof GraphThrottledError) {
    const seconds = error.retryAfterSeconds ?? DEFAULT_THROTTLE_RETRY_SECONDS;
    const throttled = problem(
      503,
      'graph-throttled',
      'Microsoft Graph is throttling',
      `${error.message} Try again in ${seconds} s.`,
    );
    return { ...throttled, headers: { ...throttled.headers, 'Retry-After': String(seconds) } };
  }
  if (error instanceof GraphTimeoutError) {
    return problem(504, 'graph-timeout', 'Microsoft Graph did not answer in time', error.message);
  }
  if (error instanceof CredentialError) {
    return problem(502, 'credential', 'Could not authenticate to Microsoft Graph', error.message);
  }
  if (error instanceof GraphAuthError) {
    return problem(502, 'graph-unauthorized', 'Microsoft Graph refused access', error.message, {
      graphStatus: error.status,
    });
  }
  if (error instanceof ReportFormatError) {
    return problem(502, 'bad-report', 'Microsoft Graph sent an unusable report', error.message);
  }
  if (error instanceof GraphBadResponseError) {
    return problem(
      502,
      'bad-graph-response',
      'Microsoft Graph answered something unusable',
      error.message,
    );
  }
  if (error instanceof ArchiveNotReadyError) {
    const notReady = problem(503, 'archive-not-ready', 'The archive is not ready', error.message);
    return {
      ...notReady,
      headers: { ...notReady.headers, 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof StorageError) {
    return problem(503, 'storage-unavailable', 'Archive storage is unavailable', error.message);
  }
  return problem(
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
