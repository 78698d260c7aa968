/**
 * The RFC 9211 `Cache-Status` header: where an answer came from, named for this app. A pure
 * formatter over a small description, so the cache says what happened as data.
 */
export const CACHE_NAME = 'graph-usage-reports';

export type AnswerSource =
  /** Fresh from the memory or Blob cache: Graph not asked. */
  | { kind: 'hit'; ttlSeconds: number }
  /** Served stale without asking Graph (the budget was spent, or the lock holder ran late). */
  | { kind: 'stale-hit'; ttlSeconds: number; detail?: string }
  /** Graph confirmed the cached copy with 304. */
  | { kind: 'revalidated' }
  /** Fetched from Graph and stored. */
  | { kind: 'miss'; stored: boolean }
  /** Graph failed; the last good copy was served. */
  | { kind: 'stale-after-error'; fwdStatus: number; detail?: string }
  /** Joined another request's fetch (in this process or another instance's). */
  | { kind: 'collapsed'; ttlSeconds: number }
  /** Asked Graph because caching is off (REPORT_CACHE_SECONDS=0). */
  | { kind: 'uncached'; fwdStatus: number };

export function cacheStatus(source: AnswerSource): string {
  const parts = [CACHE_NAME];
  switch (source.kind) {
    case 'hit':
      parts.push('hit', `ttl=${Math.round(source.ttlSeconds)}`);
      break;
    case 'stale-hit':
      parts.push('hit', `ttl=${Math.round(source.ttlSeconds)}`);
      if (source.detail) parts.push(`detail=${source.detail}`);
      break;
    case 'revalidated':
      parts.push('fwd=stale', 'fwd-status=304');
      break;
    case 'miss':
      parts.push('fwd=miss');
      if (source.stored) parts.push('stored');
      break;
    case 'stale-after-error':
      parts.push('fwd=stale', `fwd-status=${source.fwdStatus}`);
      if (source.detail) parts.push(`detail=${source.detail}`);
      break;
    case 'collapsed':
      parts.push('hit', 'collapsed', `ttl=${Math.round(source.ttlSeconds)}`);
      break;
    case 'uncached':
      parts.push('fwd=uri-miss', `fwd-status=${source.fwdStatus}`);
      break;
  }
  return parts.join('; ');
}

/** Whether the answer is the last good copy served past its freshness. */
export function isStaleSource(source: AnswerSource): boolean {
  return source.kind === 'stale-hit' || source.kind === 'stale-after-error';
}
