/**
 * Typed failures, so each adapter (HTTP function, timer, command line) can map them without
 * inspecting messages. Messages never contain tokens or pre-authenticated download URLs.
 * What each kind means to a caller and to the report cache is one table: errorTable.ts.
 */

/**
 * Every kind of failure, and the class that carries it. A class can only declare a kind listed
 * here, and the error table must map every kind listed here: a new kind fails `tsc` until mapped.
 */
export interface ErrorsByKind {
  config: ConfigError;
  'bad-request': BadRequestError;
  throttled: GraphThrottledError;
  /** CallBudgetSpentError (shared/cache): our own budget, before Graph is asked. */
  'call-budget-spent': GraphThrottledError;
  /** FetchInProgressError (shared/cache): another instance holds the fetch lock. */
  'lock-unavailable': FetchLockUnavailableError;
  credential: CredentialError;
  unauthorized: GraphAuthError;
  'bad-upstream-response': GraphBadResponseError;
  timeout: GraphTimeoutError;
  'bad-report-format': ReportFormatError;
  storage: StorageError;
  'archive-not-ready': ArchiveNotReadyError;
}

export type ErrorKind = keyof ErrorsByKind;

export abstract class ServiceError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A failure after which asking again may help; `retryAfterSeconds` says when (undefined where
 * nobody said). One base, so every such kind carries the figure under the same name.
 */
export abstract class RetryLaterError<
  Seconds extends number | undefined = number,
> extends ServiceError {
  constructor(
    message: string,
    readonly retryAfterSeconds: Seconds,
  ) {
    super(message);
  }
}

/** A setting is missing or invalid; `setting` names it. */
export class ConfigError extends ServiceError {
  readonly kind = 'config';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
  }
}

/** The caller asked for something we do not serve (bad period, bad format). */
export class BadRequestError extends ServiceError {
  readonly kind = 'bad-request';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Another instance holds the shared fetch lock and did not publish a report within this
 * request's time, with nothing good left to serve: not Graph's doing, so not "throttling".
 */
export class FetchLockUnavailableError extends RetryLaterError {
  readonly kind = 'lock-unavailable';
}

/**
 * Graph kept answering 429 beyond our retry budget; `retryAfterSeconds` is what Graph asked us
 * to wait, when it said so.
 */
export class GraphThrottledError extends RetryLaterError<number | undefined> {
  /** Graph's throttling; the cache's own refusals to ask Graph are kinds of throttling too. */
  readonly kind: 'throttled' | 'call-budget-spent' = 'throttled';
}

/** Our identity could not get a token for Graph; Graph itself was never asked. */
export class CredentialError extends ServiceError {
  readonly kind = 'credential';
}

/** Graph refused our token (401) or our permissions (403). */
export class GraphAuthError extends ServiceError {
  readonly kind = 'unauthorized';
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/** Graph answered something we cannot use: 5xx after retries, a bad redirect, an odd status. */
export class GraphBadResponseError extends ServiceError {
  readonly kind = 'bad-upstream-response';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Graph did not answer within the time we had. */
export class GraphTimeoutError extends ServiceError {
  readonly kind = 'timeout';
}

/**
 * The CSV cannot be read as this report: malformed, truncated, its header drifted, or its data
 * breaks one of the definition's plausibility rules.
 */
export class ReportFormatError extends ServiceError {
  readonly kind = 'bad-report-format';
  /** The report's refresh date, when it could still be read from the data. */
  readonly reportRefreshDate?: string;
  /** The stable id of the plausibility rule the data breaks, when it is one (not the syntax). */
  readonly rule?: string;

  constructor(message: string, reportRefreshDate?: string, rule?: string) {
    super(message);
    this.reportRefreshDate = reportRefreshDate;
    this.rule = rule;
  }
}

/** Blob Storage failed; the snapshot run must fail so the host retries it. */
export class StorageError extends ServiceError {
  readonly kind = 'storage';
}

/** The archive holds data it cannot serve yet (the history index is still to be written). */
export class ArchiveNotReadyError extends RetryLaterError {
  readonly kind = 'archive-not-ready';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
