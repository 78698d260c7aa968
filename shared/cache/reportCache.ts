/**
 * shared/cache owns how often Graph is asked: the report cache in front of the Graph client.
 *   reportCache.ts  memory entries per period, single-flight, stale serving, budget (this file)
 *   blobCache.ts    the copy and fetch lock shared by every instance through Blob Storage
 *   freshness.ts    fresh / stale / unusable from the time Graph last confirmed a report
 *   callBudget.ts   report calls per 10 minutes per instance
 *   cacheStatus.ts  the RFC 9211 Cache-Status header saying where an answer came from
 *
 * Order of questions for a period: a fresh memory entry answers at once; otherwise requests in
 * this process share one refresh, which reads the shared copy, takes the fetch lock (or waits for
 * the instance that holds it), asks Graph conditionally within the budget, and stores only good
 * reports. Graph failures that retrying later can cure serve the last good report stale.
 */
import { errorMessage, FetchLockUnavailableError, GraphThrottledError } from '../common/errors';
import { staleDecisionFor } from '../common/errorTable';
import { Logger } from '../common/logger';
import { ReportPeriod } from '../reports/definitions';
import { FetchLock, SharedReportCache } from './blobCache';
import { CallBudget } from './callBudget';
import { AnswerSource } from './cacheStatus';
import { freshness, FreshnessPolicy } from './freshness';

/** One good report held in memory: Graph's bytes, what was read from them, and renderings. */
export interface CacheEntry<Parsed> {
  readonly bytes: Buffer;
  readonly graphEtag?: string;
  /** When Graph last confirmed these bytes (epoch ms). */
  readonly confirmedAt: number;
  readonly parsed: Parsed;
  /** Bodies rendered from this entry, by a key the caller chooses (format, staleness). */
  readonly rendered: Map<string, unknown>;
}

export interface CachedAnswer<Parsed> {
  readonly entry: CacheEntry<Parsed>;
  readonly source: AnswerSource;
  readonly stale: boolean;
  /** Seconds since Graph last confirmed the report (the `Age` header). */
  readonly ageSeconds: number;
  /** Seconds of freshness left; 0 or less when stale (for `Cache-Control: max-age`). */
  readonly ttlSeconds: number;
}

/** What the cache needs of Graph: one conditional fetch, asking the budget before each call. */
export type ConditionalFetch = (
  period: ReportPeriod,
  options: {
    readonly timeoutMs: number;
    readonly known?: { readonly etag: string; readonly bytes: Buffer };
    /** Called before every report API request (retries included); throws to refuse it. */
    readonly beforeCall: () => void;
    /** The invocation's log. */
    readonly log: Logger;
  },
) => Promise<{ readonly bytes: Buffer; readonly etag?: string; readonly notModified: boolean }>;

export interface ReportCacheOptions<Parsed> {
  readonly fetch: ConditionalFetch;
  /** Reads the bytes as the report; throws ReportFormatError for bytes that are not usable. */
  readonly parse: (period: ReportPeriod, bytes: Buffer) => Parsed;
  readonly policy: FreshnessPolicy;
  readonly budget: CallBudget;
  /** Absent when no storage is configured or REPORT_CACHE_SECONDS=0. */
  readonly shared?: SharedReportCache;
  /** The default log; each request can pass its own (the invocation it serves). */
  readonly log: Logger;
  readonly now?: () => number;
  /** How often a waiting instance looks for the lock holder's copy. */
  readonly lockPollMs?: number;
  /** Bound on each shared-cache storage call, so storage trouble never fails a request. */
  readonly sharedTimeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** This instance's budget is spent: an answer of ours, not Graph's, with the window's end. */
export class CallBudgetSpentError extends GraphThrottledError {
  override readonly kind = 'call-budget-spent';
  constructor(limit: number, retryAfterSeconds: number, scope: 'report' | 'app' = 'report') {
    super(
      scope === 'report'
        ? `This instance has made its ${limit} Graph report calls for the last 10 minutes (GRAPH_CALL_BUDGET), to stay inside Graph's throttling limit.`
        : `This instance has made its ${limit} Graph report calls for the last 10 minutes across all reports (GRAPH_APP_CALL_BUDGET), to stay inside Graph's throttling limit.`,
      retryAfterSeconds,
    );
  }
}

/** Takes one call from the budget (and its app-wide one), or throws which of them is spent. */
export function takeCall(budget: CallBudget): void {
  if (budget.tryTake()) return;
  const scope = budget.spent() ?? 'report';
  const limit = scope === 'app' && budget.appWide ? budget.appWide.limit : budget.limit;
  throw new CallBudgetSpentError(limit, Math.ceil(budget.msUntilRoom() / 1000), scope);
}

/** Another instance holds the fetch lock and did not finish within this request's time. */
export class FetchInProgressError extends FetchLockUnavailableError {
  constructor(retryAfterSeconds: number) {
    super(
      "Another instance of this service holds the fetch lock for this report and published nothing within this request's time.",
      retryAfterSeconds,
    );
  }
}

/** A bounded shared-cache call: its value, or `failed` (already logged) when storage failed. */
type StorageCall<T> = { readonly kind: 'done'; readonly value: T } | { readonly kind: 'failed' };

/** How waiting for the lock holder ended. */
type LockOutcome<Parsed> =
  | { readonly kind: 'locked'; readonly lock: FetchLock }
  /** Storage failed: fetch without the lock (storage trouble must never stop the report). */
  | { readonly kind: 'storage-failed' }
  /** The holder published a fresh copy: it answers the request. */
  | { readonly kind: 'answered'; readonly answer: CachedAnswer<Parsed> };

/** The shared copy's ETag as last seen while waiting, once it was looked at. */
type WatchedCopy =
  | { readonly kind: 'not-yet' }
  /** `etag` is undefined while no copy exists. */
  | { readonly kind: 'seen'; readonly etag: string | undefined };

/** `call`'s answer, or a rejection after `ms`; the timer never outlives the race. */
async function within<T>(ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([call(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

export class ReportCache<Parsed> {
  private readonly entries = new Map<ReportPeriod, CacheEntry<Parsed>>();
  private readonly flights = new Map<ReportPeriod, Promise<CachedAnswer<Parsed>>>();
  private readonly background = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ReportCacheOptions<Parsed>) {
    this.now = options.now ?? Date.now;
    this.sleep =
      options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  /** GRAPH_CALL_BUDGET's count for this cache: whoever fills it spends from it. */
  get budget(): CallBudget {
    return this.options.budget;
  }

  /** The report for a period, answered or failed within `timeoutMs`. */
  async get(
    period: ReportPeriod,
    timeoutMs: number,
    log: Logger = this.options.log,
  ): Promise<CachedAnswer<Parsed>> {
    const entry = this.entries.get(period);
    if (entry && this.caching) {
      const state = freshness(entry.confirmedAt, this.now(), this.options.policy);
      if (state.state === 'fresh') {
        return {
          entry,
          source: { kind: 'hit', ttlSeconds: state.ttlSeconds },
          stale: false,
          ...state,
        };
      }
    }
    const running = this.flights.get(period);
    if (running) {
      const shared = await running;
      return shared.stale || shared.source.kind === 'uncached'
        ? shared
        : { ...shared, source: { kind: 'collapsed', ttlSeconds: shared.ttlSeconds } };
    }
    const flight = this.refresh(period, this.now() + timeoutMs, log).finally(() =>
      this.flights.delete(period),
    );
    this.flights.set(period, flight);
    return flight;
  }

  /** Stores a report fetched elsewhere (the snapshot job), in memory and in the shared copy. */
  async offer(
    period: ReportPeriod,
    bytes: Buffer,
    graphEtag: string | undefined,
    log: Logger = this.options.log,
  ): Promise<void> {
    if (!this.caching) return;
    const entry = this.adopt(period, { bytes, graphEtag, confirmedAt: this.now() });
    await this.writeShared(period, entry, log);
  }

  /** Whether reports are kept at all (REPORT_CACHE_SECONDS above 0). */
  get caching(): boolean {
    return this.options.policy.cacheSeconds > 0;
  }

  private answer(entry: CacheEntry<Parsed>, source: AnswerSource): CachedAnswer<Parsed> {
    const state = freshness(entry.confirmedAt, this.now(), this.options.policy);
    const stale = source.kind === 'stale-hit' || source.kind === 'stale-after-error';
    return { entry, source, stale, ageSeconds: state.ageSeconds, ttlSeconds: state.ttlSeconds };
  }

  private adopt(
    period: ReportPeriod,
    copy: { bytes: Buffer; graphEtag?: string; confirmedAt: number },
  ): CacheEntry<Parsed> {
    const held = this.entries.get(period);
    // Same bytes: keep what was read and rendered, only the confirmation time moves.
    const sameBytes = held !== undefined && held.bytes.equals(copy.bytes);
    const entry: CacheEntry<Parsed> = {
      bytes: copy.bytes,
      graphEtag: copy.graphEtag,
      confirmedAt: copy.confirmedAt,
      parsed: sameBytes ? held.parsed : this.options.parse(period, copy.bytes),
      rendered: new Map(),
    };
    this.entries.set(period, entry);
    return entry;
  }

  private async refresh(
    period: ReportPeriod,
    deadline: number,
    log: Logger,
  ): Promise<CachedAnswer<Parsed>> {
    const shared = this.caching ? this.options.shared : undefined;
    let lock: FetchLock | undefined;
    try {
      if (shared) {
        const adopted = await this.readShared(shared, period, log);
        if (adopted) return adopted;
        const outcome = await this.lockOrWait(shared, period, deadline, log);
        if (outcome.kind === 'answered') return outcome.answer;
        if (outcome.kind === 'locked') {
          lock = outcome.lock;
          // The previous holder may have published between our read and our lock.
          const published = await this.readShared(shared, period, log);
          if (published) return published;
        }
      }
      return await this.fetchFromGraph(period, deadline, log, lock);
    } catch (error) {
      void lock?.release();
      return this.staleOrThrow(period, error, log);
    }
  }

  /** A fresher shared copy than memory, adopted; a fresh one answers the request. */
  private async readShared(
    shared: SharedReportCache,
    period: ReportPeriod,
    log: Logger,
  ): Promise<CachedAnswer<Parsed> | undefined> {
    const call = await this.bounded(log, `read the shared ${period} copy`, () =>
      shared.read(period),
    );
    if (call.kind === 'failed') return undefined;
    const read = call.value;
    if (read.kind === 'absent') return undefined;
    if (read.kind === 'corrupt') {
      log.warn(`Ignoring the shared ${period} copy: ${read.reason}.`);
      return undefined;
    }
    const held = this.entries.get(period);
    let entry = held;
    if (!held || read.copy.confirmedAt > held.confirmedAt) {
      try {
        entry = this.adopt(period, read.copy);
      } catch (error) {
        log.warn(`Ignoring the shared ${period} copy: ${errorMessage(error)}`);
        return undefined;
      }
    }
    const state = freshness(entry!.confirmedAt, this.now(), this.options.policy);
    if (state.state !== 'fresh') return undefined;
    return this.answer(entry!, { kind: 'hit', ttlSeconds: state.ttlSeconds });
  }

  /**
   * Takes the fetch lock, or waits for the instance that holds it to publish a new copy. Without
   * storage it proceeds unlocked: storage trouble must never stop the report.
   */
  private async lockOrWait(
    shared: SharedReportCache,
    period: ReportPeriod,
    deadline: number,
    log: Logger,
  ): Promise<LockOutcome<Parsed>> {
    const pollMs = this.options.lockPollMs ?? 250;
    let seen: WatchedCopy = { kind: 'not-yet' };
    for (;;) {
      const attempt = await this.bounded(log, `take the ${period} fetch lock`, () =>
        shared.tryLock(period),
      );
      if (attempt.kind === 'failed') return { kind: 'storage-failed' };
      if (attempt.value) return { kind: 'locked', lock: attempt.value };
      if (seen.kind === 'not-yet') {
        const etag = await this.bounded(log, `watch the shared ${period} copy`, () =>
          shared.etag(period),
        );
        if (etag.kind === 'failed') return { kind: 'storage-failed' };
        seen = { kind: 'seen', etag: etag.value };
      }
      // Wait for the holder's copy, leaving time to answer before the deadline.
      while (this.now() + pollMs * 2 < deadline) {
        await this.sleep(pollMs);
        const etag = await this.bounded(log, `watch the shared ${period} copy`, () =>
          shared.etag(period),
        );
        if (etag.kind === 'failed') return { kind: 'storage-failed' };
        if (etag.value !== undefined && etag.value !== seen.etag) {
          const adopted = await this.readShared(shared, period, log);
          if (adopted) {
            const source = { kind: 'collapsed', ttlSeconds: adopted.ttlSeconds } as const;
            return { kind: 'answered', answer: { ...adopted, source } };
          }
          seen = { kind: 'seen', etag: etag.value };
        }
        const locked = await this.bounded(log, `watch the ${period} fetch lock`, () =>
          shared.isLocked(period),
        );
        if (locked.kind === 'failed') return { kind: 'storage-failed' };
        if (!locked.value) break; // the holder finished without a new copy, or died: try the lock
      }
      if (this.now() + pollMs * 2 >= deadline) {
        throw new FetchInProgressError(Math.max(1, Math.ceil(pollMs / 1000)));
      }
    }
  }

  private async fetchFromGraph(
    period: ReportPeriod,
    deadline: number,
    log: Logger,
    lock?: FetchLock,
  ): Promise<CachedAnswer<Parsed>> {
    const held = this.entries.get(period);
    const { budget } = this.options;
    const result = await this.options.fetch(period, {
      timeoutMs: Math.max(1, deadline - this.now()),
      known: held?.graphEtag ? { etag: held.graphEtag, bytes: held.bytes } : undefined,
      log,
      beforeCall: () => {
        // REPORT_CACHE_SECONDS=0 asks Graph every time by choice: the budget does not apply.
        if (this.caching) takeCall(budget);
      },
    });
    const entry = this.adopt(period, {
      bytes: result.bytes,
      graphEtag: result.etag,
      confirmedAt: this.now(),
    });
    if (!this.caching) {
      void lock?.release();
      return this.answer(entry, { kind: 'uncached', fwdStatus: result.notModified ? 304 : 200 });
    }
    // The answer does not wait for the shared copy: it is written, then the lease released, in
    // the background (waiting instances watch the copy; every step logs its own failure).
    // Stored: the fetch lock was ours, so storage answered; without it the copy is attempted but
    // storage is likely down (the write logs how it went).
    const stored = lock !== undefined;
    this.inBackground(this.writeShared(period, entry, log).finally(() => lock?.release()));
    return this.answer(
      entry,
      result.notModified ? { kind: 'revalidated' } : { kind: 'miss', stored },
    );
  }

  private inBackground(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      () => undefined,
    );
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  /** Resolves once the shared copies and lock releases started so far are done (for tests). */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  private async writeShared(
    period: ReportPeriod,
    entry: CacheEntry<Parsed>,
    log: Logger,
  ): Promise<boolean> {
    const shared = this.options.shared;
    if (!shared || !this.caching) return false;
    const written = await this.bounded(log, `write the shared ${period} copy`, () =>
      shared.write(period, entry),
    );
    return written.kind === 'done';
  }

  private staleOrThrow(period: ReportPeriod, error: unknown, log: Logger): CachedAnswer<Parsed> {
    const entry = this.entries.get(period);
    // Which failures a later try can cure, and how the answer says so: the error table.
    const decision = staleDecisionFor(error);
    if (!entry || decision.serve === 'never') throw error;
    const state = freshness(entry.confirmedAt, this.now(), this.options.policy);
    if (state.state === 'unusable') throw error;
    // A fresh entry can only meet a failure while waiting for a lock holder: still a hit.
    log.warn(
      `Serving the last good ${period} report (age ${state.ageSeconds} s) after: ${errorMessage(error)}`,
    );
    if (decision.serve === 'stale-hit') {
      return this.answer(entry, {
        kind: 'stale-hit',
        ttlSeconds: state.ttlSeconds,
        detail: decision.detail,
      });
    }
    const { fwdStatus, detail } = decision;
    return this.answer(entry, { kind: 'stale-after-error', fwdStatus, detail });
  }

  /** One try at a shared-cache call, bounded in time; `failed` (and a log line) when it fails. */
  private async bounded<T>(
    log: Logger,
    action: string,
    call: () => Promise<T>,
  ): Promise<StorageCall<T>> {
    const ms = this.options.sharedTimeoutMs ?? 2_000;
    try {
      return { kind: 'done', value: await within(ms, call) };
    } catch (error) {
      log.warn(`Shared cache: could not ${action}: ${errorMessage(error)}`);
      return { kind: 'failed' };
    }
  }
}
