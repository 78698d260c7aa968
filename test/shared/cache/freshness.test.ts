import { freshness } from '../../../shared/cache/freshness';

const policy = { cacheSeconds: 3600, staleSeconds: 7 * 86400 };
const at = (seconds: number) => seconds * 1000;

describe('freshness: from the time Graph last confirmed the report', () => {
  it.each([
    ['just confirmed', 0, { cacheSeconds: 3600, staleSeconds: 60 }, 'fresh', 3600],
    ['one second before expiry', 3599, policy, 'fresh', 1],
    ['at expiry', 3600, policy, 'stale', 0],
    ['a day past expiry', 3600 + 86400, policy, 'stale', -86400],
    ['at the end of the stale window', 3600 + 7 * 86400, policy, 'stale', -7 * 86400],
    ['past the stale window', 3601 + 7 * 86400, policy, 'unusable', -7 * 86400 - 1],
    ['stale serving off', 3601, { cacheSeconds: 3600, staleSeconds: 0 }, 'unusable', -1],
    [
      'caching off: never fresh, still usable stale',
      5,
      { cacheSeconds: 0, staleSeconds: 60 },
      'stale',
      -5,
    ],
  ] as const)('%s', (_, ageSeconds, settings, state, ttl) => {
    const result = freshness(0, at(ageSeconds), settings);
    expect(result.state).toBe(state);
    expect(result.ttlSeconds).toBe(ttl);
    expect(result.ageSeconds).toBe(ageSeconds);
  });

  it('never reports a negative age for a clock that stepped back', () => {
    expect(freshness(at(100), at(90), policy)).toMatchObject({ state: 'fresh', ageSeconds: 0 });
  });
});
