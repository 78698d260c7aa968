import { createHash } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { SharedReportCache } from '../../../shared/cache/blobCache';
import { CallBudget } from '../../../shared/cache/callBudget';
import { cacheStatus } from '../../../shared/cache/cacheStatus';
import { ConditionalFetch, ReportCache } from '../../../shared/cache/reportCache';
import {
  CredentialError,
  GraphAuthError,
  GraphBadResponseError,
  GraphThrottledError,
  GraphTimeoutError,
  ReportFormatError,
} from '../../../shared/common/errors';
import { silentLogger } from '../../../shared/common/logger';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { containerClient, uniqueContainer } from '../../support/azurite';

/**
 * The cache's rules, with Graph replaced by a scripted fetch: each call takes the next step of
 * the script (bytes, 304, or a failure) and is counted. End-to-end behaviour over the real client
 * and simulator is in the endpoint's tests.
 */
type Step = { bytes: string; etag?: string } | 'not-modified' | Error;

function scriptedGraph(...script: Step[]) {
  const calls: { known?: string }[] = [];
  const fetch: ConditionalFetch = async (_period, options) => {
    options.beforeCall();
    calls.push({ known: options.known?.etag });
    const step = script.length > 1 ? script.shift()! : script[0]!;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (step instanceof Error) throw step;
    if (step === 'not-modified') {
      if (!options.known) throw new Error('304 without a known copy');
      return { bytes: options.known.bytes, etag: options.known.etag, notModified: true };
    }
    return { bytes: Buffer.from(step.bytes), etag: step.etag, notModified: false };
  };
  return { fetch, calls };
}

function clock(start = Date.parse('2026-12-01T00:00:00Z')) {
  const state = { now: start };
  return { read: () => state.now, advance: (seconds: number) => (state.now += seconds * 1000) };
}

const parse = (_period: string, bytes: Buffer) => {
  const text = bytes.toString();
  if (text.startsWith('bad')) throw new ReportFormatError('implausible');
  return text;
};

function cacheWith(
  fetch: ConditionalFetch,
  options: {
    cacheSeconds?: number;
    staleSeconds?: number;
    budget?: number;
    shared?: SharedReportCache;
    time?: ReturnType<typeof clock>;
  } = {},
) {
  const time = options.time ?? clock();
  return new ReportCache<string>({
    fetch,
    parse,
    policy: {
      cacheSeconds: options.cacheSeconds ?? 3600,
      staleSeconds: options.staleSeconds ?? 604800,
    },
    budget: new CallBudget(options.budget ?? 10, time.read),
    shared: options.shared,
    log: silentLogger,
    now: time.read,
    lockPollMs: 20,
  });
}

const header = (answer: { source: Parameters<typeof cacheStatus>[0] }) =>
  cacheStatus(answer.source);

describe('ReportCache: Graph calls stay flat whatever the load', () => {
  it('makes one Graph call for 100 concurrent cold requests, and answers the rest from memory', async () => {
    const graph = scriptedGraph({ bytes: 'v1', etag: '"e1"' });
    const cache = cacheWith(graph.fetch);
    const answers = await Promise.all(Array.from({ length: 100 }, () => cache.get('D7', 5000)));
    expect(graph.calls).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.entry.parsed))).toEqual(new Set(['v1']));
    expect(header(answers[0]!)).toBe('graph-usage-reports; fwd=miss');
    expect(header(answers[1]!)).toBe('graph-usage-reports; hit; collapsed; ttl=3600');
    const later = await cache.get('D7', 5000);
    expect(header(later)).toBe('graph-usage-reports; hit; ttl=3600');
    expect(graph.calls).toHaveLength(1);
  });

  it('shares a failure with every request that joined the fetch', async () => {
    const graph = scriptedGraph(new GraphBadResponseError('Graph answered 500.', 500));
    const cache = cacheWith(graph.fetch);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => cache.get('D7', 5000)),
    );
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(graph.calls).toHaveLength(1);
  });

  it('revalidates an expired entry with its ETag: a 304 refreshes it without a download', async () => {
    const time = clock();
    const graph = scriptedGraph({ bytes: 'v1', etag: '"e1"' }, 'not-modified');
    const cache = cacheWith(graph.fetch, { time });
    const first = await cache.get('D7', 5000);
    time.advance(3601);
    const second = await cache.get('D7', 5000);
    expect(graph.calls).toEqual([{ known: undefined }, { known: '"e1"' }]);
    expect(header(second)).toBe('graph-usage-reports; fwd=stale; fwd-status=304');
    expect(second.ageSeconds).toBe(0);
    // The same bytes keep what was read from them.
    expect(second.entry.parsed).toBe(first.entry.parsed);
  });

  it.each<[string, Step, number]>([
    ['a 5xx after retries', new GraphBadResponseError('Graph answered 503.', 503), 503],
    ['throttling after retries', new GraphThrottledError('throttled', 30), 429],
    ['the deadline', new GraphTimeoutError('too slow'), 504],
    ['a network failure', new GraphBadResponseError('Could not reach Graph.'), 502],
    ['an implausible new report (never cached)', { bytes: 'bad rows', etag: '"e2"' }, 200],
  ])('serves the last good report stale after %s', async (_, next, fwdStatus) => {
    const time = clock();
    const graph = scriptedGraph({ bytes: 'v1', etag: '"e1"' }, next);
    const cache = cacheWith(graph.fetch, { time });
    await cache.get('D7', 5000);
    time.advance(3700);
    const answer = await cache.get('D7', 5000);
    expect(answer.stale).toBe(true);
    expect(answer.entry.parsed).toBe('v1');
    expect(header(answer)).toContain(`fwd=stale; fwd-status=${fwdStatus}`);
    expect(answer.ttlSeconds).toBe(-100);
    // The next request asks Graph again: a failure is not remembered as an answer.
    await cache.get('D7', 5000);
    expect(graph.calls).toHaveLength(3);
  });

  it.each([
    ['403', new GraphAuthError(403, 'needs Reports.Read.All')],
    ['401', new GraphAuthError(401, 'token rejected')],
    ['a credential failure', new CredentialError('no token')],
  ])('never serves stale over %s', async (_, failure) => {
    const time = clock();
    const graph = scriptedGraph({ bytes: 'v1', etag: '"e1"' }, failure);
    const cache = cacheWith(graph.fetch, { time });
    await cache.get('D7', 5000);
    time.advance(3601);
    await expect(cache.get('D7', 5000)).rejects.toBe(failure);
  });

  it('with nothing usable, the failure surfaces (the endpoint answers it as a problem)', async () => {
    const failure = new GraphThrottledError('throttled', 30);
    const cache = cacheWith(scriptedGraph(failure).fetch);
    await expect(cache.get('D7', 5000)).rejects.toBe(failure);
  });

  it.each([
    ['REPORT_STALE_SECONDS=0 never serves stale', 0, 3601],
    ['past the stale window the last good report is no longer served', 60, 3600 + 61],
  ])('%s', async (_case, staleSeconds, later) => {
    const time = clock();
    const failure = new GraphBadResponseError('Graph answered 503.', 503);
    const graph = scriptedGraph({ bytes: 'v1', etag: '"e1"' }, failure);
    const cache = cacheWith(graph.fetch, { time, staleSeconds });
    await cache.get('D7', 5000);
    time.advance(later);
    await expect(cache.get('D7', 5000)).rejects.toBe(failure);
  });

  it('REPORT_CACHE_SECONDS=0 asks Graph every time, conditionally, outside the budget', async () => {
    const graph = scriptedGraph({ bytes: 'v1', etag: '"e1"' }, 'not-modified');
    const cache = cacheWith(graph.fetch, { cacheSeconds: 0, budget: 1 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await cache.get('D7', 5000));
    expect(graph.calls).toEqual([{ known: undefined }, { known: '"e1"' }, { known: '"e1"' }]);
    expect(answers.map(header)).toEqual([
      'graph-usage-reports; fwd=uri-miss; fwd-status=200',
      'graph-usage-reports; fwd=uri-miss; fwd-status=304',
      'graph-usage-reports; fwd=uri-miss; fwd-status=304',
    ]);
  });

  it('a spent budget serves stale without asking Graph, then 503s with the window end when nothing is usable', async () => {
    const time = clock();
    const graph = scriptedGraph({ bytes: 'v1', etag: '"e1"' });
    const cache = cacheWith(graph.fetch, { time, budget: 1, cacheSeconds: 60 });
    await cache.get('D7', 5000);
    time.advance(61);
    const stale = await cache.get('D7', 5000);
    expect(header(stale)).toBe('graph-usage-reports; hit; ttl=-1; detail=budget');
    expect(graph.calls).toHaveLength(1);
    const cold = await cache.get('D30', 5000).catch((error: unknown) => error);
    expect(cold).toBeInstanceOf(GraphThrottledError);
    expect((cold as GraphThrottledError).retryAfterSeconds).toBe(600 - 61);
  });
});

describe('ReportCache with the shared Blob copy (Azurite)', () => {
  function sharedOn(containerName: string) {
    return new SharedReportCache(
      containerClient(containerName),
      skypeP2pMinuteCounts,
      silentLogger,
    );
  }

  /**
   * One request through `shared`, given `deadlineMs`, goes to Graph once and serves its bytes;
   * then the background write of the new copy ends. Returns how long the answer took, in ms.
   */
  async function expectFetchedOnce(shared: SharedReportCache, deadlineMs = 5000): Promise<number> {
    const graph = scriptedGraph({ bytes: 'v1', etag: '"e1"' });
    const cache = cacheWith(graph.fetch, { shared });
    const started = Date.now();
    const answer = await cache.get('D7', deadlineMs);
    const waitedMs = Date.now() - started;
    expect(answer.entry.parsed).toBe('v1');
    expect(graph.calls).toHaveLength(1);
    await cache.idle();
    return waitedMs;
  }

  it('two cold instances hit at the same moment make one Graph call between them', async () => {
    const name = uniqueContainer();
    const graph = scriptedGraph({ bytes: 'v1', etag: '"e1"' });
    const slowFetch: ConditionalFetch = async (period, options) => {
      const result = await graph.fetch(period, options);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return result;
    };
    const one = cacheWith(slowFetch, { shared: sharedOn(name) });
    const two = cacheWith(slowFetch, { shared: sharedOn(name) });
    const answers = await Promise.all([
      ...Array.from({ length: 20 }, () => one.get('D180', 10_000)),
      ...Array.from({ length: 20 }, () => two.get('D180', 10_000)),
    ]);
    expect(graph.calls).toHaveLength(1);
    expect(answers.every((answer) => answer.entry.parsed === 'v1')).toBe(true);
    expect(answers.map(header)).toContain('graph-usage-reports; hit; collapsed; ttl=3600');
  });

  it('a fresh instance answers from the shared copy without calling Graph', async () => {
    const name = uniqueContainer();
    const first = scriptedGraph({ bytes: 'v1', etag: '"e1"' });
    const firstInstance = cacheWith(first.fetch, { shared: sharedOn(name) });
    await firstInstance.get('D7', 5000);
    // The shared copy is written after the answer, in the background.
    await firstInstance.idle();
    const second = scriptedGraph({ bytes: 'v2', etag: '"e2"' });
    const answer = await cacheWith(second.fetch, { shared: sharedOn(name) }).get('D7', 5000);
    expect(second.calls).toHaveLength(0);
    expect(answer.entry.parsed).toBe('v1');
    expect(header(answer)).toMatch(/^graph-usage-reports; hit; ttl=3\d\d\d$/);
  });

  it('ignores and replaces a corrupt shared copy, never serving it', async () => {
    const name = uniqueContainer();
    const shared = sharedOn(name);
    const container = containerClient(name);
    await container.createIfNotExists();
    await container
      .getBlockBlobClient(shared.cacheBlobName('D7'))
      .upload(Buffer.from('tampered'), 8, {
        metadata: { sha256: '0'.repeat(64), fetchedat: new Date().toISOString() },
      });
    await expectFetchedOnce(shared);
    await expect(shared.read('D7')).resolves.toMatchObject({ kind: 'copy' });
  });

  it.each([
    [
      'an oversized copy with a matching sha256 (defect 3)',
      Buffer.alloc(4096, 0x61),
      new Date().toISOString(),
      1024,
    ],
    [
      'a copy whose fetchedat is 9999-12-31 (defect 4)',
      Buffer.from('v0'),
      '9999-12-31T00:00:00.000Z',
      1024,
    ],
  ])('ignores and replaces %s [bad-input]', async (_, bytes, fetchedat, maxBytes) => {
    const name = uniqueContainer();
    const shared = new SharedReportCache(
      containerClient(name),
      skypeP2pMinuteCounts,
      silentLogger,
      maxBytes,
    );
    const container = containerClient(name);
    await container.createIfNotExists();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await container
      .getBlockBlobClient(shared.cacheBlobName('D7'))
      .upload(bytes, bytes.length, { metadata: { sha256, fetchedat } });
    await expect(shared.read('D7')).resolves.toMatchObject({ kind: 'corrupt' });
    await expectFetchedOnce(shared);
    const read = await shared.read('D7');
    expect(read.kind === 'copy' && read.copy.bytes.toString()).toBe('v1');
  });

  it('takes over when the lock holder dies mid-fetch: its lease expires and this instance fetches', async () => {
    const name = uniqueContainer();
    const shared = sharedOn(name);
    const container = containerClient(name);
    await container.createIfNotExists();
    // A holder that took the lock and died: nobody renews or releases its 15 s lease.
    const lockBlob = container.getBlockBlobClient(shared.lockBlobName('D7'));
    await lockBlob.upload(Buffer.alloc(0), 0);
    await lockBlob.getBlobLeaseClient().acquireLease(15);
    const waitedMs = await expectFetchedOnce(shared, 25_000);
    expect(waitedMs).toBeGreaterThanOrEqual(14_000);
  }, 30_000);

  it('breaks an infinite lease on the lock blob, says so, and fetches (defect 7) [bad-input]', async () => {
    const name = uniqueContainer();
    const container = containerClient(name);
    const lines: string[] = [];
    const log = { ...silentLogger, warn: (line: string) => void lines.push(line) };
    const shared = new SharedReportCache(container, skypeP2pMinuteCounts, log);
    await container.createIfNotExists();
    // No instance of the service takes an infinite lease: something else left it.
    const lockBlob = container.getBlockBlobClient(shared.lockBlobName('D7'));
    await lockBlob.upload(Buffer.alloc(0), 0);
    await lockBlob.getBlobLeaseClient().acquireLease(-1);
    const waitedMs = await expectFetchedOnce(shared, 8_000);
    // Not the ~7.7 s of an 8 s deadline that every request once waited.
    expect(waitedMs).toBeLessThan(4_000);
    expect(lines.join('\n')).toContain('Broke the D7 fetch lock');
  });

  it('answers from Graph when storage is down, within the bounded storage time', async () => {
    const down = BlobServiceClient.fromConnectionString(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;',
      { retryOptions: { maxTries: 1, tryTimeoutInMs: 1000 } },
    ).getContainerClient('down');
    const graph = scriptedGraph({ bytes: 'v1', etag: '"e1"' });
    const cache = cacheWith(graph.fetch, {
      shared: new SharedReportCache(down, skypeP2pMinuteCounts, silentLogger),
    });
    const started = Date.now();
    const answer = await cache.get('D7', 10_000);
    expect(answer.entry.parsed).toBe('v1');
    expect(header(answer)).toBe('graph-usage-reports; fwd=miss');
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
