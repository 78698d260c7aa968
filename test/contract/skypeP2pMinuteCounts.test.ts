import { skypeP2pMinuteCountsHandler } from '../support/skypeP2pHandlers';
import { azuriteSettings } from '../support/azurite';
import { useGraph } from '../support/graphSimulator';
import { useSettings } from '../support/settings';
import { handlerAnswer, jsonOf, withJson } from './answers';
import { contract, expectConformance } from './conformance';

/**
 * The live report's answers, from the real handler against the Graph simulator, checked against
 * openapi.yaml: each status the contract declares that a test can provoke.
 */
const sim = useGraph('2026-11-26');

const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts';
const OPERATION = 'getSkypeP2pMinuteCounts';

// Failures must reach the caller rather than a cached or stale copy of an earlier answer.
const UNCACHED = { REPORT_CACHE_SECONDS: '0', REPORT_STALE_SECONDS: '0' };

useSettings(() => sim.settings);

const call = (query = '', headers: Record<string, string> = {}) =>
  handlerAnswer(skypeP2pMinuteCountsHandler, 'skypeP2pMinuteCounts', `${ROUTE}${query}`, headers);

interface Case {
  readonly query: string;
  readonly settings?: Record<string, string>;
  /** Sets the simulator up before the request. */
  readonly given?: () => void;
}

const HEADER_ONLY = '\uFEFFReport Refresh Date,Report Date,Report Period,Audio,Video\r\n';
const NOT_A_NUMBER =
  'Report Refresh Date,Report Date,Report Period,Audio,Video\n2026-11-26,2026-11-26,7,many,3\n';
const NEGATIVE =
  'Report Refresh Date,Report Date,Report Period,Audio,Video\n2026-11-26,2026-11-26,7,-500,3\n';

const cases: [string, number, Case][] = [
  ['the report as JSON', 200, { query: '?period=D7' }],
  ['a period in lower case, as JSON', 200, { query: '?period=d90&format=JSON' }],
  ['the report as CSV', 200, { query: '?period=D30&format=csv' }],
  [
    'an empty (header-only) report',
    200,
    {
      query: '?period=D7',
      given: () => sim.graph.inject({ fault: { kind: 'csv', body: HEADER_ONLY } }),
    },
  ],
  ['a bad period', 400, { query: '?period=D365' }],
  ['an empty period', 400, { query: '?period=' }],
  ['a bad format', 400, { query: '?format=xml' }],
  ['a bad setting', 500, { query: '?period=D7', settings: { GRAPH_MAX_ATTEMPTS: 'lots' } }],
  [
    'a report it cannot read',
    502,
    {
      query: '?period=D7',
      settings: UNCACHED,
      given: () => sim.graph.inject({ fault: { kind: 'csv', body: NOT_A_NUMBER } }),
    },
  ],
  [
    'a report that breaks a plausibility rule',
    502,
    {
      query: '?period=D7',
      settings: UNCACHED,
      given: () => sim.graph.inject({ fault: { kind: 'csv', body: NEGATIVE } }),
    },
  ],
  [
    "Graph's 403",
    502,
    {
      query: '?period=D7',
      settings: UNCACHED,
      given: () => sim.graph.inject({ fault: { kind: 'status', status: 403 } }),
    },
  ],
  [
    'throttling past the time left',
    503,
    {
      query: '?period=D7',
      settings: UNCACHED,
      given: () => sim.graph.inject({ fault: { kind: 'status', status: 429, retryAfter: '120' } }),
    },
  ],
  [
    'Graph too slow',
    504,
    {
      query: '?period=D7',
      settings: { ...UNCACHED, REQUEST_TIMEOUT_MS: '500', GRAPH_CALL_TIMEOUT_MS: '5000' },
      given: () => sim.graph.inject({ fault: { kind: 'slow', delayMs: 2000 }, times: 5 }),
    },
  ],
];

describe('GET /api/reports/skype-p2p-minute-counts keeps the contract', () => {
  it.each(cases)('for %s: %i', async (_, status, { query, settings = {}, given }) => {
    // On top of the suite's settings, which useSettings restores before each test.
    Object.assign(process.env, settings);
    given?.();
    expectConformance(await call(query), OPERATION, status);
  });

  it('for a revalidation with the ETag it sent: 304', async () => {
    const first = await call('?period=D7');
    expectConformance(first, OPERATION, 200);
    const again = await call('?period=D7', { 'If-None-Match': first.headers.get('ETag')! });
    expectConformance(again, OPERATION, 304);
  });

  it('names the plausibility rule an implausible report breaks, as the contract allows', async () => {
    sim.graph.inject({ fault: { kind: 'csv', body: NEGATIVE } });
    const answer = await call('?period=D7');
    expectConformance(answer, OPERATION, 502);
    expect(jsonOf(answer)).toMatchObject({ rule: 'non-negative-count' });
    // And a rule the contract does not list would break it.
    const renamed = withJson(answer, { ...jsonOf<object>(answer), rule: 'no-negative-counts' });
    expect(contract.violations(renamed, OPERATION, 502)).toContainEqual(
      expect.stringMatching(/^body: \/rule must be equal to one of the allowed values/),
    );
  });

  it('and a field it does not declare, in the report or a row, breaks it', async () => {
    const answer = await call('?period=D7');
    const body = jsonOf<{ value: Record<string, unknown>[] }>(answer);
    const withField = withJson(answer, { ...body, cachedBy: 'instance-1' });
    const withRowField = withJson(answer, {
      ...body,
      value: [{ ...body.value[0], screenShare: 12 }],
    });
    expect(contract.violations(withField, OPERATION, 200)).toContain(
      'body: (root) must NOT have additional properties (cachedBy)',
    );
    expect(contract.violations(withRowField, OPERATION, 200)).toContain(
      'body: /value/0 must NOT have additional properties (screenShare)',
    );
  });
});

describe('GET /api/reports/skype-p2p-minute-counts keeps the contract from its cache', () => {
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Caching on, with a container of its own: each test starts with empty caches. */
  const cached = (settings: Record<string, string>) =>
    Object.assign(process.env, azuriteSettings(), {
      REPORT_CACHE_SECONDS: '3600',
      REPORT_STALE_SECONDS: '604800',
      GRAPH_CALL_BUDGET: '10',
      ...settings,
    });
  const stale = (answer: Awaited<ReturnType<typeof call>>) =>
    jsonOf<{ stale: boolean }>(answer).stale;

  it('for a fetch, a hit with its Age, and a revalidation of the hit: 200, 200, 304', async () => {
    cached({});
    const fetched = await call('?period=D7');
    expectConformance(fetched, OPERATION, 200);
    expect(fetched.headers.get('Cache-Status')).toBe('graph-usage-reports; fwd=miss; stored');
    const hit = await call('?period=D7');
    expectConformance(hit, OPERATION, 200);
    expect(hit.headers.get('Cache-Status')).toMatch(/; hit; ttl=\d+$/);
    const again = await call('?period=D7', { 'If-None-Match': hit.headers.get('ETag')! });
    expectConformance(again, OPERATION, 304);
    expect(again.headers.get('Age')).toMatch(/^\d+$/);
  });

  it('for the last good copy after Graph failed: 200, stale', async () => {
    cached({ REPORT_CACHE_SECONDS: '1' });
    await call('?period=D7');
    await wait(1100);
    sim.graph.inject({ fault: { kind: 'status', status: 503 }, times: 5 });
    const answer = await call('?period=D7');
    expectConformance(answer, OPERATION, 200);
    expect(stale(answer)).toBe(true);
    expect(answer.headers.get('Cache-Status')).toBe(
      'graph-usage-reports; fwd=stale; fwd-status=503',
    );
  });

  it('for the last good copy when the call budget is spent: 200, stale', async () => {
    cached({ REPORT_CACHE_SECONDS: '1', GRAPH_CALL_BUDGET: '1' });
    await call('?period=D7');
    await wait(1100);
    const answer = await call('?period=D7');
    expectConformance(answer, OPERATION, 200);
    expect(stale(answer)).toBe(true);
    expect(answer.headers.get('Cache-Status')).toMatch(/; hit; ttl=-?\d+; detail=budget$/);
  });

  it('for a spent call budget with nothing usable: 503 with Retry-After', async () => {
    cached({ GRAPH_CALL_BUDGET: '1' });
    await call('?period=D7');
    const refused = await call('?period=D30');
    expectConformance(refused, OPERATION, 503);
    expect(refused.body).toContain('GRAPH_CALL_BUDGET');
  });
});
