import {
  GraphAuthError,
  GraphBadResponseError,
  GraphThrottledError,
  ServiceError,
} from '../common/errors';

/**
 * When to try Graph again and how long to wait: a small pure policy in the manner of the Graph
 * SDK's RetryHandler, so the client only asks it questions and acts on the answers.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 60_000;

/** `Retry-After` as milliseconds from `now`: seconds or an HTTP date; undefined if absent or odd. */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number,
): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only the HTTP-date forms (all in GMT, or asctime): Date.parse also takes "-1" or "1.5".
  if (!/ GMT$|^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/.test(text))
    return undefined;
  // asctime carries no zone; HTTP dates are always GMT, and Date.parse would assume local time.
  const date = Date.parse(text.endsWith(' GMT') ? text : `${text} GMT`);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with jitter: half the step fixed, half random, so waits never collapse to 0. */
export function backoffDelayMs(attempt: number, baseDelayMs: number, random = Math.random): number {
  const step = Math.min(MAX_BACKOFF_MS, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * What to do about one failed attempt, as data: try again (after `delayMs` when Graph said how
 * long), or give up with `error`. A retry also carries the error to report if no attempt is left.
 */
export type FailureDecision =
  | { readonly action: 'retry'; readonly delayMs?: number; readonly error: ServiceError }
  | { readonly action: 'fail'; readonly error: ServiceError };

/** The one thing read from the response headers; `Headers` fits. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * Decides about a response that is neither the report, a redirect nor a 304. `isReportApi` tells
 * the report API (which judges our token and permissions) from the download host (whose only
 * refusal is an expired pre-authenticated URL). `host` names the server in messages; never a URL.
 */
export function classifyFailure(
  status: number,
  headers: HeaderLookup,
  isReportApi: boolean,
  now: number,
  host: string,
): FailureDecision {
  const where = `Graph (${host}) answered ${status}`;
  // Graph sends Retry-After with 503 as well as with 429.
  const delayMs = parseRetryAfter(headers.get('retry-after'), now);
  const after = delayMs === undefined ? {} : { delayMs };
  if (status === 429) {
    const seconds = delayMs === undefined ? undefined : Math.ceil(delayMs / 1000);
    return {
      action: 'retry',
      ...after,
      error: new GraphThrottledError(`${where}: the report API is throttling this app.`, seconds),
    };
  }
  if (RETRYABLE_STATUSES.has(status)) {
    return { action: 'retry', ...after, error: new GraphBadResponseError(`${where}.`, status) };
  }
  if (status === 401 && isReportApi) {
    return {
      action: 'fail',
      error: new GraphAuthError(
        401,
        `${where}: Graph rejected the app's token. Check the tenant and the app's credentials; the token must be for Microsoft Graph.`,
      ),
    };
  }
  if (status === 403 && isReportApi) {
    return {
      action: 'fail',
      error: new GraphAuthError(
        403,
        `${where}: the app needs the Microsoft Graph application permission Reports.Read.All, with admin consent.`,
      ),
    };
  }
  const error = new GraphBadResponseError(`${where}, which this service cannot use.`, status);
  // A refused download usually means its short-lived URL expired: a new attempt gets a new one.
  return { action: isReportApi ? 'fail' : 'retry', error };
}

/**
 * How long to wait before the next attempt: what Graph asked for, but never less than the base
 * delay (a `Retry-After: 0` must not turn the retries into a burst), else backoff with jitter.
 */
export function retryDelayMs(
  requestedMs: number | undefined,
  attempt: number,
  baseDelayMs: number,
  random = Math.random,
): number {
  if (requestedMs === undefined) return backoffDelayMs(attempt, baseDelayMs, random);
  return Math.max(requestedMs, baseDelayMs);
}
