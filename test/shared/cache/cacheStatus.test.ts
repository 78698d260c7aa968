import { AnswerSource, cacheStatus, isStaleSource } from '../../../shared/cache/cacheStatus';

describe('cacheStatus: an RFC 9211 Cache-Status value naming the app', () => {
  it.each<[string, AnswerSource, string, boolean]>([
    [
      'fresh from cache',
      { kind: 'hit', ttlSeconds: 1200 },
      'graph-usage-reports; hit; ttl=1200',
      false,
    ],
    [
      'stale, served without asking',
      { kind: 'stale-hit', ttlSeconds: -30, detail: 'budget' },
      'graph-usage-reports; hit; ttl=-30; detail=budget',
      true,
    ],
    [
      'revalidated with 304',
      { kind: 'revalidated' },
      'graph-usage-reports; fwd=stale; fwd-status=304',
      false,
    ],
    [
      'fetched and stored',
      { kind: 'miss', stored: true },
      'graph-usage-reports; fwd=miss; stored',
      false,
    ],
    [
      'fetched, not stored',
      { kind: 'miss', stored: false },
      'graph-usage-reports; fwd=miss',
      false,
    ],
    [
      'stale after a Graph failure',
      { kind: 'stale-after-error', fwdStatus: 503 },
      'graph-usage-reports; fwd=stale; fwd-status=503',
      true,
    ],
    [
      'joined another fetch',
      { kind: 'collapsed', ttlSeconds: 3599 },
      'graph-usage-reports; hit; collapsed; ttl=3599',
      false,
    ],
    [
      'caching off',
      { kind: 'uncached', fwdStatus: 200 },
      'graph-usage-reports; fwd=uri-miss; fwd-status=200',
      false,
    ],
  ])('%s', (_, source, header, stale) => {
    expect(cacheStatus(source)).toBe(header);
    expect(isStaleSource(source)).toBe(stale);
  });
});
