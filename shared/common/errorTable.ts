import { ErrorKind, ErrorsByKind, ServiceError } from './errors';

/**
 * The one table of what each kind of failure means: the RFC 9457 problem a caller is told
 * (status, type, title, extension members, Retry-After) and whether the report cache may answer
 * with its last good report instead (the README's error table). Keyed by every ErrorKind, so a
 * kind without a row fails `tsc`. Failures none of our types describe are in neither: they are
 * a 500 `internal` problem (shared/http/problem.ts) and never served stale over.
 */

/**
 * Whether the last good report may stand in for this failure, and how the answer says so.
 * `stale-hit`: our own refusal to ask Graph, still a cache hit. `stale-after-error`: Graph
 * failed in a way a later try can cure; `fwdStatus` is what Graph's answer amounted to.
 */
export type StaleRule<E> =
  | { readonly serve: 'never' }
  | { readonly serve: 'stale-hit'; readonly detail: string }
  | {
      readonly serve: 'stale-after-error';
      readonly fwdStatus: number | ((error: E) => number);
      readonly detail?: string;
    };

export interface ErrorRow<E> {
  readonly status: number;
  /** Ends the problem's `type` URN. */
  readonly type: string;
  readonly title: string;
  /** The problem's `detail`; the error's message when absent. */
  readonly detail?: (error: E) => string;
  /** Extension members the problem carries beside the standard ones. */
  readonly members?: (error: E) => Record<string, unknown>;
  /** When asking again may help, sent as `Retry-After`. */
  readonly retryAfterSeconds?: (error: E) => number;
  readonly stale: StaleRule<E>;
}

/** Graph did not say how long to wait: a minute, the shortest of its throttling windows. */
const DEFAULT_THROTTLE_RETRY_SECONDS = 60;
/** What callers are told to wait: at least a second, at most an hour, whatever Graph said. */
export const RETRY_AFTER_MIN_SECONDS = 1;
export const RETRY_AFTER_MAX_SECONDS = 3600;

/**
 * A `Retry-After` a client can act on: a whole number of seconds in 1..3600. Graph once said
 * 99999999999999999999, which went out as 99999999999999980000.
 */
export function clampRetryAfter(seconds: number): number {
  if (!Number.isFinite(seconds)) return RETRY_AFTER_MAX_SECONDS;
  return Math.min(RETRY_AFTER_MAX_SECONDS, Math.max(RETRY_AFTER_MIN_SECONDS, Math.ceil(seconds)));
}

const throttleSeconds = (error: ErrorsByKind['throttled']) =>
  clampRetryAfter(error.retryAfterSeconds ?? DEFAULT_THROTTLE_RETRY_SECONDS);

/** One problem for every kind of throttling: the caller waits the same way. */
const THROTTLED = {
  status: 503,
  type: 'graph-throttled',
  title: 'Microsoft Graph is throttling',
  detail: (error) => `${error.message} Try again in ${throttleSeconds(error)} s.`,
  retryAfterSeconds: throttleSeconds,
} as const satisfies Omit<ErrorRow<ErrorsByKind['throttled']>, 'stale'>;

/** Never answered stale over: a caller must see these (401/403, credential, configuration). */
const NEVER = { serve: 'never' } as const;

/** A row for every kind, each taking the class of its kind. */
export type ErrorTable = { readonly [K in ErrorKind]: ErrorRow<ErrorsByKind[K]> };

export const ERROR_TABLE: ErrorTable = {
  'bad-request': {
    status: 400,
    type: 'bad-parameter',
    title: 'Invalid request parameter',
    members: (error) => ({ parameter: error.parameter }),
    stale: NEVER,
  },
  config: {
    status: 500,
    type: 'configuration',
    title: 'Service configuration error',
    members: (error) => ({ setting: error.setting }),
    stale: NEVER,
  },
  throttled: { ...THROTTLED, stale: { serve: 'stale-after-error', fwdStatus: 429 } },
  'call-budget-spent': { ...THROTTLED, stale: { serve: 'stale-hit', detail: 'budget' } },
  // Another instance holds the fetch lock and published nothing in time: not Graph's doing, so
  // its own problem, not "throttling"; the last good report still answers when there is one.
  'lock-unavailable': {
    status: 503,
    type: 'lock-unavailable',
    title: 'The report is being fetched elsewhere',
    detail: (error) =>
      `${error.message} Try again in ${clampRetryAfter(error.retryAfterSeconds)} s.`,
    retryAfterSeconds: (error) => clampRetryAfter(error.retryAfterSeconds),
    stale: { serve: 'stale-hit', detail: 'lock-wait' },
  },
  timeout: {
    status: 504,
    type: 'graph-timeout',
    title: 'Microsoft Graph did not answer in time',
    stale: { serve: 'stale-after-error', fwdStatus: 504 },
  },
  credential: {
    status: 502,
    type: 'credential',
    title: 'Could not authenticate to Microsoft Graph',
    stale: NEVER,
  },
  unauthorized: {
    status: 502,
    type: 'graph-unauthorized',
    title: 'Microsoft Graph refused access',
    members: (error) => ({ graphStatus: error.status }),
    stale: NEVER,
  },
  'bad-report-format': {
    status: 502,
    type: 'bad-report',
    title: 'Microsoft Graph sent an unusable report',
    // `rule` lets a caller tell implausible data (which rule) from unreadable data without
    // parsing the detail.
    members: (error) => (error.rule === undefined ? {} : { rule: error.rule }),
    stale: { serve: 'stale-after-error', fwdStatus: 200, detail: 'invalid-report' },
  },
  'bad-upstream-response': {
    status: 502,
    type: 'bad-graph-response',
    title: 'Microsoft Graph answered something unusable',
    stale: { serve: 'stale-after-error', fwdStatus: (error) => error.status ?? 502 },
  },
  'archive-not-ready': {
    status: 503,
    type: 'archive-not-ready',
    title: 'The archive is not ready',
    retryAfterSeconds: (error) => clampRetryAfter(error.retryAfterSeconds),
    stale: NEVER,
  },
  storage: {
    status: 503,
    type: 'storage-unavailable',
    title: 'Archive storage is unavailable',
    stale: NEVER,
  },
};

/**
 * The row of an error's kind. The table's type pairs each kind with its class; an error whose
 * `kind` is K is an ErrorsByKind[K], which is what lets the row take it.
 */
export function errorRow(error: ServiceError): ErrorRow<ServiceError> {
  return ERROR_TABLE[error.kind] as ErrorRow<ServiceError>;
}

/** What the stale rule of a failure decides, resolved for this error. */
export type StaleDecision =
  | { readonly serve: 'never' }
  | { readonly serve: 'stale-hit'; readonly detail: string }
  | { readonly serve: 'stale-after-error'; readonly fwdStatus: number; readonly detail?: string };

/** Whether the report cache may answer `error` with its last good report, and how. */
export function staleDecisionFor(error: unknown): StaleDecision {
  if (!(error instanceof ServiceError)) return NEVER;
  const rule = errorRow(error).stale;
  if (rule.serve !== 'stale-after-error') return rule;
  const fwdStatus = typeof rule.fwdStatus === 'number' ? rule.fwdStatus : rule.fwdStatus(error);
  return { serve: rule.serve, fwdStatus, detail: rule.detail };
}
