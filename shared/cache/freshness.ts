/**
 * How fresh a cached report is, from the time Graph last confirmed it. Pure: the cache asks
 * it with the clock's reading.
 */
export interface FreshnessPolicy {
  /** REPORT_CACHE_SECONDS: served without asking Graph for this long. */
  readonly cacheSeconds: number;
  /** REPORT_STALE_SECONDS: past freshness, usable on Graph failures for this long (0 = never). */
  readonly staleSeconds: number;
}

export type Freshness =
  | { readonly state: 'fresh'; readonly ageSeconds: number; readonly ttlSeconds: number }
  | { readonly state: 'stale'; readonly ageSeconds: number; readonly ttlSeconds: number }
  | { readonly state: 'unusable'; readonly ageSeconds: number; readonly ttlSeconds: number };

export function freshness(confirmedAt: number, now: number, policy: FreshnessPolicy): Freshness {
  const ageSeconds = Math.max(0, Math.floor((now - confirmedAt) / 1000));
  const ttlSeconds = policy.cacheSeconds - ageSeconds;
  if (ttlSeconds > 0) return { state: 'fresh', ageSeconds, ttlSeconds };
  // Within the stale window counted from the end of freshness.
  if (-ttlSeconds <= policy.staleSeconds && policy.staleSeconds > 0) {
    return { state: 'stale', ageSeconds, ttlSeconds };
  }
  return { state: 'unusable', ageSeconds, ttlSeconds };
}
