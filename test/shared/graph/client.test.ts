import {
  CredentialError,
  GraphBadResponseError,
  GraphThrottledError,
  GraphTimeoutError,
} from '../../../shared/common/errors';
import { GraphReportClient } from '../../../shared/graph/client';
import { MemoryEtagCache } from '../../../shared/graph/etagCache';
import { reportPath, skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { captureLogger } from '../../support/logs';
import { useGraph } from '../../support/graphSimulator';

const sim = useGraph('2026-11-26');

function client(
  options: {
    maxAttempts?: number;
    retryBaseDelayMs?: number;
    getToken?: () => Promise<string>;
    /** Wait for real between attempts, instead of only recording the waits. */
    realSleep?: boolean;
  } = {},
) {
  const { logger, lines } = captureLogger();
  const sleeps: number[] = [];
  const graph = new GraphReportClient({
    config: {
      baseUrl: sim.graph.baseUrl,
      maxAttempts: options.maxAttempts ?? 3,
      callTimeoutMs: 2000,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 100,
      maxDownloadBytes: 1_048_576,
    },
    tokens: { getToken: options.getToken ?? (() => Promise.resolve(sim.token)) },
    cache: new MemoryEtagCache(),
    log: logger,
    ...(options.realSleep
      ? {}
      : {
          sleep: (ms: number) => {
            sleeps.push(ms);
            return Promise.resolve();
          },
        }),
  });
  return { graph, lines, sleeps };
}

const fetchD7 = (graph: GraphReportClient, timeoutMs = 5000) =>
  graph.fetchReport(skypeP2pMinuteCounts, 'D7', timeoutMs);

describe('GraphReportClient', () => {
  it('returns the bytes exactly as served, with the ETag and one API call', async () => {
    const { graph } = client();
    const report = await fetchD7(graph);
    const served = sim.graph.currentReport('D7');
    expect(report.bytes.equals(served.bytes)).toBe(true);
    expect(report).toMatchObject({ etag: served.etag, fromCache: false });
    expect(graph.apiCalls).toBe(1);
  });

  it('names the report and period it fetched, from Graph or from its cache', async () => {
    const { graph } = client();
    const fetched = await graph.fetchReport(skypeP2pMinuteCounts, 'D30', 5000);
    const cached = await graph.fetchReport(skypeP2pMinuteCounts, 'D30', 5000);
    for (const report of [fetched, cached]) {
      expect(report.definition).toBe(skypeP2pMinuteCounts);
      expect(report.period).toBe('D30');
    }
    expect(cached.fromCache).toBe(true);
    expect(sim.graph.requests[0]!.path).toBe(`/v1.0${reportPath(skypeP2pMinuteCounts, 'D30')}`);
  });

  it('logs to the log a fetch names, not the one the client was built with', async () => {
    const { graph, lines } = client();
    const own = captureLogger();
    await graph.fetchReport(skypeP2pMinuteCounts, 'D7', 5000, own.logger);
    expect(lines).toEqual([]);
    expect(own.lines).toHaveLength(2);
  });

  it('accepts the CSV answered directly with 200, without a redirect', async () => {
    sim.graph.inject({ fault: { kind: 'direct' } });
    const { graph } = client();
    const report = await fetchD7(graph);
    expect(report.bytes.equals(sim.graph.currentReport('D7').bytes)).toBe(true);
    expect(sim.graph.requests.map((request) => request.server)).toEqual(['api']);
  });

  it('reuses its cached bytes when Graph answers 304 to If-None-Match', async () => {
    const { graph } = client();
    const first = await fetchD7(graph);
    const second = await fetchD7(graph);
    expect(second.fromCache).toBe(true);
    expect(second.bytes).toBe(first.bytes);
    expect(sim.graph.requests.at(-1)).toMatchObject({ server: 'api', ifNoneMatch: first.etag });
  });

  it('treats a 304 it did not ask for as an unusable answer [graph-fault]', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 304 } });
    await expect(fetchD7(client().graph)).rejects.toThrow(
      new GraphBadResponseError('Graph answered 304 to a request that had no ETag.'),
    );
  });

  it('backs off exponentially with jitter when 429 carries no Retry-After [graph-fault]', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 429 }, times: 2 });
    const { graph, sleeps } = client();
    await fetchD7(graph);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('waits exactly what Retry-After asks, and reports it when the attempts run out [graph-fault]', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 429, retryAfter: '2' }, times: 3 });
    const { graph, sleeps } = client();
    const failure = fetchD7(graph, 60_000);
    await expect(failure).rejects.toBeInstanceOf(GraphThrottledError);
    await expect(failure).rejects.toMatchObject({ retryAfterSeconds: 2 });
    expect(sleeps).toEqual([2000, 2000]);
    expect(graph.apiCalls).toBe(3);
  });

  it.each(['0', '1'])(
    'waits at least GRAPH_RETRY_BASE_DELAY_MS even when Retry-After says %s s [graph-fault]',
    async (retryAfter) => {
      sim.graph.inject({ fault: { kind: 'status', status: 429, retryAfter }, times: 2 });
      const { graph, sleeps } = client({ retryBaseDelayMs: 1_500 });
      await fetchD7(graph, 60_000);
      expect(sleeps).toEqual([1_500, 1_500]);
    },
  );

  it('spaces the calls by the base delay over HTTP when Graph answers Retry-After: 0 [graph-fault]', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 429, retryAfter: '0' }, times: 3 });
    const { graph } = client({ maxAttempts: 4, retryBaseDelayMs: 150, realSleep: true });
    await fetchD7(graph);
    const calls = sim.graph.requests.filter((request) => request.server === 'api');
    expect(calls).toHaveLength(4);
    const gaps = calls.slice(1).map((call, index) => call.receivedAt - calls[index]!.receivedAt);
    // Before, Retry-After: 0 meant four calls within a few milliseconds.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(140);
  });

  it('honours Retry-After on a 503 too [graph-fault]', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 503, retryAfter: '3' } });
    const { graph, sleeps } = client();
    await fetchD7(graph, 60_000);
    expect(sleeps).toEqual([3000]);
  });

  it('retries a download refused as expired, fetching a fresh URL [graph-fault]', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 403 }, on: 'download' });
    const { graph } = client();
    await fetchD7(graph);
    expect(graph.apiCalls).toBe(2);
  });

  it('does not retry when the credential cannot give a token', async () => {
    const { graph } = client({
      getToken: () => Promise.reject(new CredentialError('no token')),
    });
    await expect(fetchD7(graph)).rejects.toBeInstanceOf(CredentialError);
    expect(sim.graph.requests).toHaveLength(0);
  });

  it('answers within its time budget even when every call hangs [graph-fault]', async () => {
    sim.graph.inject({ fault: { kind: 'slow', delayMs: 5000 }, times: 5 });
    const { graph } = client();
    const started = Date.now();
    await expect(fetchD7(graph, 400)).rejects.toBeInstanceOf(GraphTimeoutError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('logs each call with its status and duration, never the download URL', async () => {
    const { graph, lines } = client();
    await fetchD7(graph);
    const messages = lines.map((line) => line.message);
    expect(messages).toEqual([
      expect.stringMatching(
        /^Graph GET reports\/getSkypeForBusinessPeerToPeerActivityMinuteCounts\(period='D7'\) -> 302 in \d+ ms$/,
      ),
      expect.stringMatching(/^Graph GET download from 127\.0\.0\.1:\d+ -> 200 in \d+ ms$/),
    ]);
  });
});
