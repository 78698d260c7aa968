import { GraphConfig } from '../config';
import { TokenProvider } from './credentials';
import {
  GraphAuthError,
  GraphBadResponseError,
  GraphThrottledError,
  GraphTimeoutError,
  ServiceError,
} from '../common/errors';
import { Logger, silentLogger } from '../common/logger';
import { MAX_REDIRECTS, REDIRECT_STATUSES, redirectTarget } from './redirectRules';
import { MemoryReportCache, ReportCache } from './etagCache';
import { ReportDefinition, ReportPeriod } from '../reports/definitions';
import { backoffDelayMs, parseRetryAfter, RETRYABLE_STATUSES } from './retryRules';
import { sleep } from '../common/sleep';

export interface FetchedReport {
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
    'baseUrl' | 'maxAttempts' | 'callTimeoutMs' | 'retryBaseDelayMs'
  >;
  readonly tokens: TokenProvider;
  readonly cache?: ReportCache;
  readonly log?: Logger;
  readonly sleep?: (ms: number, cancelled: AbortSignal) => Promise<void>;
}

/** A failure worth another attempt, carrying the error to report if none is left. */
class RetryableFailure extends Error {
  constructor(
    readonly finalError: ServiceError,
    readonly retryAfterMs?: number,
  ) {
    super(finalError.message);
  }
}

const processCache = new MemoryReportCache();

/** By name: the error class can come from another realm (undici's, or a test sandbox's). */
function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'TimeoutError';
}

export class GraphReportClient {
  /** Report API requests made by this client so far, failed attempts included. */
  apiCalls = 0;
  private readonly cache: ReportCache;
  private readonly log: Logger;
  private readonly sleep: (ms: number, cancelled: AbortSignal) => Promise<void>;

  constructor(private readonly options: GraphClientOptions) {
    this.cache = options.cache ?? processCache;
    this.log = options.log ?? silentLogger;
    this.sleep = options.sleep ?? sleep;
  }

  /** Fetches one report, answering or failing within `timeoutMs` whatever Graph does. */
  async fetchReport(
    definition: ReportDefinition,
    period: ReportPeriod,
    timeoutMs: number,
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
    try {
      return await Promise.race([
        this.fetchWithRetries(definition, period, deadline, controller.signal),
        expired,
      ]);
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  private async fetchWithRetries(
    definition: ReportDefinition,
    period: ReportPeriod,
    deadline: number,
    cancelled: AbortSignal,
  ): Promise<FetchedReport> {
    const { maxAttempts, retryBaseDelayMs } = this.options.config;
    let failure: RetryableFailure | undefined;
    for (let attempt = 1; attempt <= maxAttempts && !cancelled.aborted; attempt++) {
      try {
        return await this.attempt(definition, period, deadline, cancelled);
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        failure = error;
        if (attempt === maxAttempts) break;
        const delay = error.retryAfterMs ?? backoffDelayMs(attempt, retryBaseDelayMs);
        if (Date.now() + delay >= deadline) {
          this.log.warn(`${error.message} Waiting ${delay} ms would pass the deadline; giving up.`);
          break;
        }
        this.log.warn(
          `${error.message} Retrying in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts}).`,
        );
        await this.sleep(delay, cancelled);
      }
    }
    throw failure?.finalError ?? new GraphTimeoutError('Graph did not answer in time.');
  }

  private async attempt(
    definition: ReportDefinition,
    period: ReportPeriod,
    deadline: number,
    cancelled: AbortSignal,
  ): Promise<FetchedReport> {
    const token = await this.options.tokens.getToken(cancelled);
    const cacheKey = `${this.options.config.baseUrl}|${definition.graphFunction}|${period}`;
    const cached = this.cache.get(cacheKey);
    const conditional: Record<string, string> = cached ? { 'If-None-Match': cached.etag } : {};
    const path = `reports/${definition.graphFunction}(period='${period}')`;
    let url = new URL(`${this.options.config.baseUrl}/${path}`);
    this.apiCalls++;
    let response = await this.call(
      url,
      { Authorization: `Bearer ${token}`, ...conditional },
      deadline,
      `GET ${path}`,
    );

    let hops = 0;
    for (; REDIRECT_STATUSES.has(response.status); hops++) {
      await response.body?.cancel();
      if (hops === MAX_REDIRECTS) {
        throw new GraphBadResponseError(`Graph redirected more than ${MAX_REDIRECTS} times.`);
      }
      url = redirectTarget(response.headers.get('location'), url);
      // The download URL is pre-authenticated: it never gets our token, and is never logged.
      response = await this.call(url, conditional, deadline, `GET download from ${url.host}`);
    }

    const fetchedAt = new Date();
    if (response.status === 304) {
      if (!cached)
        throw new GraphBadResponseError('Graph answered 304 to a request that had no ETag.', 304);
      return {
        bytes: cached.bytes,
        etag: cached.etag,
        fetchedAt,
        fromCache: true,
      };
    }
    if (response.status === 200) {
      const bytes = await this.readBody(response, url);
      const etag = response.headers.get('etag') ?? undefined;
      if (etag) this.cache.set(cacheKey, { etag, bytes });
      return { bytes, etag, fetchedAt, fromCache: false };
    }
    await response.body?.cancel();
    throw this.failureFor(response, url, hops === 0);
  }

  private async readBody(response: Response, url: URL): Promise<Buffer> {
    try {
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      const timedOut = isTimeout(error);
      throw new RetryableFailure(
        timedOut
          ? new GraphTimeoutError(`The report download from ${url.host} did not finish in time.`)
          : new GraphBadResponseError(`The report download from ${url.host} was cut off.`),
      );
    }
  }

  private failureFor(response: Response, url: URL, isReportApi: boolean): Error {
    const status = response.status;
    const where = `Graph (${url.host}) answered ${status}`;
    // Graph sends Retry-After with 503 as well as with 429.
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    if (status === 429) {
      const seconds = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
      return new RetryableFailure(
        new GraphThrottledError(`${where}: the report API is throttling this app.`, seconds),
        retryAfterMs,
      );
    }
    if (RETRYABLE_STATUSES.has(status)) {
      return new RetryableFailure(new GraphBadResponseError(`${where}.`, status), retryAfterMs);
    }
    if (status === 401 && isReportApi) {
      return new GraphAuthError(
        401,
        `${where}: Graph rejected the app's token. Check the tenant and the app's credentials; the token must be for Microsoft Graph.`,
      );
    }
    if (status === 403 && isReportApi) {
      return new GraphAuthError(
        403,
        `${where}: the app needs the Microsoft Graph application permission Reports.Read.All, with admin consent.`,
      );
    }
    const unusable = new GraphBadResponseError(`${where}, which this service cannot use.`, status);
    // A refused download usually means its short-lived URL expired: a new attempt gets a new one.
    return isReportApi ? unusable : new RetryableFailure(unusable);
  }

  private async call(url: URL, headers: Record<string, string>, deadline: number, label: string) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new GraphTimeoutError('Graph did not answer in time.');
    const timeoutMs = Math.min(this.options.config.callTimeoutMs, remaining);
    const started = Date.now();
    try {
      const response = await fetch(url, {
        headers: { Accept: 'text/csv, */*', ...headers },
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      this.log.info(`Graph ${label} -> ${response.status} in ${Date.now() - started} ms`);
      return response;
    } catch (error) {
      const timedOut = isTimeout(error);
      this.log.warn(
        `Graph ${label} -> ${timedOut ? 'timed out' : 'network error'} after ${Date.now() - started} ms`,
      );
      throw new RetryableFailure(
        timedOut
          ? new GraphTimeoutError(`Graph (${url.host}) did not answer within ${timeoutMs} ms.`)
          : new GraphBadResponseError(`Could not reach Graph (${url.host}).`),
      );
    }
  }
}
