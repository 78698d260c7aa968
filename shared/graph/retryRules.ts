/**
 * When to try Graph again and how long to wait: a small pure policy in the manner of the Graph
 * SDK's RetryHandler, so the client only asks it questions.
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
