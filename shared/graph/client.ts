import { GraphConfig } from '../config';
import { TokenProvider } from './tokenProvider';
import { GraphBadResponseError, GraphTimeoutError, ServiceError } from '../common/errors';
import { Logger, silentLogger } from '../common/logger';
import { MAX_REDIRECTS, REDIRECT_STATUSES, redirectTarget } from './redirectRules';
import { CachedReport, EtagCache, MemoryEtagCache } from './etagCache';
import { ReportDefinition, ReportPeriod, reportPath } from '../reports/definitions';
import { classifyFailure, FailureDecision, retryDelayMs } from './retryRules';
import { sleep } from '../common/sleep';

export interface FetchedReport {
  /** What was fetched: whoever renders or stores the bytes reads it from here. */
  readonly definition: ReportDefinition;
  readonly period: ReportPeriod;
  /** The CSV exactly as Graph sent it (BOM included). */
  readonly bytes: Buffer;
  readonly etag?: string;
  /** When Graph last confirmed these bytes (a 304 confirms the cached copy). */
  readonly fetchedAt: Date;
  readonly fromCache: boolean;
}

export interface GraphClientOptions {
  readonly config: Pick<
    GraphConfig,
    'baseUrl' | 'maxAttempts' | 'callTimeoutMs' | 'retryBaseDelayMs' | 'maxDownloadBytes'
  >;
  readonly tokens: TokenProvider;
  /** Kept across fetches; the composition root (shared/app) shares one per configuration. */
  readonly cache?: EtagCache;
  /** The default log; a fetch can name its own (the invocation it serves). */
  readonly log?: Logger;
  readonly sleep?: (ms: number, cancelled: AbortSignal) => Promise<void>;
}

/** An attempt that failed in a way worth another one; carries the policy's decision. */
class RetryableFailure extends Error {
  constructor(readonly decision: Extract<FailureDecision, { action: 'retry' }>) {
    super(decision.error.message);
  }
}

function retry(error: ServiceError): RetryableFailure {
  return new RetryableFailure({ action: 'retry', error });
}

/** One fetch of one report: what every attempt of it needs to know. */
interface Run {
  readonly definition: ReportDefinition;
  readonly period: ReportPeriod;
  readonly deadline: number;
  /** Aborted once the caller's time is up: ends calls, body reads and waits at once. */
  readonly cancelled: AbortSignal;
  readonly log: Logger;
  readonly known?: CachedReport;
  /** Whether the client's own ETag cache serves this fetch (the caller keeps none). */
  readonly ownCache: boolean;
  readonly beforeCall?: () => void;
}

/** What a caller with a cache of its own adds to a fetch. */
export interface FetchOptions {
  /**
   * The copy the caller holds: sent as If-None-Match, returned as is on 304. A caller that
   * passes this key (even undefined) keeps its own cache, and the client's ETag cache is
   * neither read nor written for the fetch.
   */
  readonly known?: CachedReport;
  /**
   * Called before every report API request, retries included; throwing refuses the request
   * (the caller's call budget) and ends the fetch with that error, unretried.
   */
  readonly beforeCall?: () => void;
}

/** By name: the error class can come from another realm (undici's, or a test sandbox's). */
function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'TimeoutError';
}

/**
 * The length the body must have, when the response says so. Not with a content encoding: fetch
 * decodes the body, and Content-Length then counts the encoded bytes.
 */
function declaredLength(headers: Headers): number | undefined {
  const encoding = headers.get('content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return undefined;
  const text = headers.get('content-length')?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * Talks to Graph and nothing else: requests, redirects, the ETag cache, bounded body reads and the
 * time budget. Which failures to retry, and how long to wait, it asks retryRules.
 */
export class GraphReportClient {
  /** Report API requests made by this client so far, failed attempts included. */
  apiCalls = 0;
  private readonly cache: EtagCache;
  private readonly log: Logger;
  private readonly sleep: (ms: number, cancelled: AbortSignal) => Promise<void>;

  constructor(private readonly options: GraphClientOptions) {
    this.cache = options.cache ?? new MemoryEtagCache();
    this.log = options.log ?? silentLogger;
    this.sleep = options.sleep ?? sleep;
  }

  /** Fetches one report, answering or failing within `timeoutMs` whatever Graph does. */
  async fetchReport(
    definition: ReportDefinition,
    period: ReportPeriod,
    timeoutMs: number,
    log: Logger = this.log,
    options: FetchOptions = {},
  ): Promise<FetchedReport> {
    const deadline = Date.now() + timeoutMs;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new GraphTimeoutError(`Graph did not deliver the report within ${timeoutMs} ms.`));
      }, timeoutMs);
    });
    const run: Run = {
      definition,
      period,
      deadline,
      cancelled: controller.signal,
      log,
      known: options.known,
      ownCache: !('known' in options),
      beforeCall: options.beforeCall,
    };
    try {
      return await Promise.race([this.fetchWithRetries(run), expired]);
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  private async fetchWithRetries(run: Run): Promise<FetchedReport> {
    const { maxAttempts, retryBaseDelayMs } = this.options.config;
    let failure: RetryableFailure | undefined;
    for (let attempt = 1; attempt <= maxAttempts && !run.cancelled.aborted; attempt++) {
      try {
        return await this.attempt(run);
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        failure = error;
        if (attempt === maxAttempts) break;
        const delay = retryDelayMs(error.decision.delayMs, attempt, retryBaseDelayMs);
        if (Date.now() + delay >= run.deadline) {
          run.log.warn(`${error.message} Waiting ${delay} ms would pass the deadline; giving up.`);
          break;
        }
        run.log.warn(
          `${error.message} Retrying in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts}).`,
        );
        await this.sleep(delay, run.cancelled);
      }
    }
    throw failure?.decision.error ?? new GraphTimeoutError('Graph did not answer in time.');
  }

  private async attempt(run: Run): Promise<FetchedReport> {
    const { definition, period } = run;
    // The budget is asked first: a refused call costs nothing, not even a token.
    run.beforeCall?.();
    const token = await this.options.tokens.getToken(run.cancelled);
    const cacheKey = `${this.options.config.baseUrl}|${definition.graphFunction}|${period}`;
    const cached = run.ownCache ? this.cache.get(cacheKey) : run.known;
    const conditional: Record<string, string> = cached ? { 'If-None-Match': cached.etag } : {};
    const path = reportPath(definition, period);
    let url = new URL(`${this.options.config.baseUrl}${path}`);
    this.apiCalls++;
    let response = await this.call(
      run,
      url,
      { Authorization: `Bearer ${token}`, ...conditional },
      `GET ${path.slice(1)}`,
    );

    let hops = 0;
    for (; REDIRECT_STATUSES.has(response.status); hops++) {
      await response.body?.cancel();
      if (hops === MAX_REDIRECTS) {
        throw new GraphBadResponseError(`Graph redirected more than ${MAX_REDIRECTS} times.`);
      }
      url = redirectTarget(response.headers.get('location'), url);
      // The download URL is pre-authenticated: it never gets our token, and is never logged.
      response = await this.call(run, url, conditional, `GET download from ${url.host}`);
    }

    const fetchedAt = new Date();
    if (response.status === 304) {
      if (!cached)
        throw new GraphBadResponseError('Graph answered 304 to a request that had no ETag.', 304);
      return {
        definition,
        period,
        bytes: cached.bytes,
        etag: cached.etag,
        fetchedAt,
        fromCache: true,
      };
    }
    if (response.status === 200) {
      const bytes = await this.readBody(run, response, url);
      const etag = response.headers.get('etag') ?? undefined;
      if (etag && run.ownCache) this.cache.set(cacheKey, { etag, bytes });
      return { definition, period, bytes, etag, fetchedAt, fromCache: false };
    }
    await response.body?.cancel();
    const decision = classifyFailure(
      response.status,
      response.headers,
      hops === 0,
      Date.now(),
      url.host,
    );
    throw decision.action === 'retry' ? new RetryableFailure(decision) : decision.error;
  }

  /**
   * Reads the body as it streams, never past GRAPH_MAX_DOWNLOAD_BYTES: an oversized answer is
   * refused, not buffered. The call's signal bounds the read by the call timeout and the deadline.
   */
  private async readBody(run: Run, response: Response, url: URL): Promise<Buffer> {
    const limit = this.options.config.maxDownloadBytes;
    const declared = declaredLength(response.headers);
    const tooLarge = (size: string) =>
      new GraphBadResponseError(
        `The report download from ${url.host} ${size}, more than GRAPH_MAX_DOWNLOAD_BYTES allows (${limit} bytes); it was not read further. A real report is far smaller: check what Graph sent before raising the setting.`,
      );
    if (declared !== undefined && declared > limit) {
      await response.body?.cancel();
      // The same answer would come again, so this is not retried.
      throw tooLarge(`announces ${declared} bytes`);
    }
    const cutOff = (received: number) =>
      new GraphBadResponseError(
        declared === undefined
          ? `The report download from ${url.host} was cut off.`
          : `The report download from ${url.host} was cut off: ${received} of the ${declared} bytes its Content-Length announced arrived.`,
      );
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = response.body?.getReader();
    try {
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > limit) {
          // Cancelling closes the connection: the rest of the body is never downloaded.
          void reader.cancel().catch(() => undefined);
          throw tooLarge(`sent more than ${limit} bytes`);
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      if (run.cancelled.aborted) throw new GraphTimeoutError('Graph did not answer in time.');
      throw retry(
        isTimeout(error)
          ? new GraphTimeoutError(`The report download from ${url.host} did not finish in time.`)
          : cutOff(received),
      );
    }
    // undici already fails a body shorter than announced; this holds whatever reads it.
    if (declared !== undefined && received !== declared) throw retry(cutOff(received));
    return Buffer.concat(chunks, received);
  }

  private async call(run: Run, url: URL, headers: Record<string, string>, label: string) {
    const remaining = run.deadline - Date.now();
    if (remaining <= 0) throw new GraphTimeoutError('Graph did not answer in time.');
    const timeoutMs = Math.min(this.options.config.callTimeoutMs, remaining);
    const started = Date.now();
    try {
      const response = await fetch(url, {
        headers: { Accept: 'text/csv, */*', ...headers },
        redirect: 'manual',
        // Also bounds reading the body: the same signal ends its stream.
        signal: AbortSignal.any([run.cancelled, AbortSignal.timeout(timeoutMs)]),
      });
      run.log.info(`Graph ${label} -> ${response.status} in ${Date.now() - started} ms`);
      return response;
    } catch (error) {
      // The caller has given up and answered already: nothing left to report or log.
      if (run.cancelled.aborted) throw new GraphTimeoutError('Graph did not answer in time.');
      const timedOut = isTimeout(error);
      run.log.warn(
        `Graph ${label} -> ${timedOut ? 'timed out' : 'network error'} after ${Date.now() - started} ms`,
      );
      throw retry(
        timedOut
          ? new GraphTimeoutError(`Graph (${url.host}) did not answer within ${timeoutMs} ms.`)
          : new GraphBadResponseError(`Could not reach Graph (${url.host}).`),
      );
    }
  }
}
