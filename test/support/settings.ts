import { GraphSimulator } from '../../tools/graphSimulator/server';

/**
 * Settings that point our code at a Graph simulator: short retries and timeouts, so a test of a
 * failure takes milliseconds. The report cache is off and never serves stale, so every request
 * reaches the simulator (as each test of Graph's behaviour needs); the cache's own tests turn it
 * on. Tests override single settings on top of these.
 */
export function graphSettings(graph: GraphSimulator, token: string): Record<string, string> {
  return {
    GRAPH_BASE_URL: graph.baseUrl,
    GRAPH_ACCESS_TOKEN: token,
    GRAPH_RETRY_BASE_DELAY_MS: '10',
    GRAPH_MAX_ATTEMPTS: '3',
    GRAPH_CALL_TIMEOUT_MS: '2000',
    REQUEST_TIMEOUT_MS: '5000',
    REPORT_CACHE_SECONDS: '0',
    REPORT_STALE_SECONDS: '0',
  };
}

/** Replaces process.env for one test with exactly these settings. */
export function useSettings(settings: () => Record<string, string | undefined>) {
  const saved = { ...process.env };
  beforeEach(() => {
    const wanted = settings();
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, { PATH: saved.PATH }, wanted);
  });
  afterAll(() => {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, saved);
  });
}
