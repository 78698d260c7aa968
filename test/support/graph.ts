import { randomUUID } from 'node:crypto';
import { HttpRequest } from '@azure/functions';
import { GraphSimulator } from '../../tools/graphSimulator/server';

/** A Graph stand-in per suite, with the settings that point our code at it. */
export async function startGraph(refreshDate = '2026-11-26') {
  const token = `test-token-${randomUUID()}`;
  const graph = await GraphSimulator.start({ token, refreshDate });
  const settings: Record<string, string> = {
    GRAPH_BASE_URL: graph.baseUrl,
    GRAPH_ACCESS_TOKEN: token,
    GRAPH_RETRY_BASE_DELAY_MS: '10',
    GRAPH_MAX_ATTEMPTS: '3',
    GRAPH_CALL_TIMEOUT_MS: '2000',
    REQUEST_TIMEOUT_MS: '5000',
  };
  return { graph, token, settings };
}

/**
 * One Graph stand-in for a suite, reset before each test. Read its fields inside hooks and
 * tests: they are set once the suite starts.
 */
export function useGraph(refreshDate = '2026-11-26') {
  const suite = {} as Awaited<ReturnType<typeof startGraph>>;
  beforeAll(async () => {
    Object.assign(suite, await startGraph(refreshDate));
  });
  afterAll(() => suite.graph.close());
  beforeEach(() => {
    suite.graph.reset();
    suite.graph.refreshDate = refreshDate;
  });
  return suite;
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

export function getRequest(url: string, headers: Record<string, string> = {}) {
  return new HttpRequest({ method: 'GET', url, headers });
}
