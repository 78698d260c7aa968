import { planBackfill } from './backfill';
import { ParsedReport, parseReportCsv, ReportRow } from '../reports/csv';
import { errorMessage, ReportFormatError } from '../common/errors';
import { GraphReportClient } from '../graph/client';
import { Logger } from '../common/logger';
import { periodDays, ReportDefinition, ReportPeriod } from '../reports/definitions';
import { ReportCache, takeCall } from '../cache/reportCache';
import {
  ReportReading,
  Snapshot,
  SnapshotArchive,
  StoredSnapshot,
  StoreResult,
} from './blobArchive';
import { ArchivedSnapshot } from './historyIndex';
import { describeIndexSync, HistoryIndexStore, syncHistoryIndex } from './historyStore';
import { RunRecords } from './runRecord';

export interface SnapshotSummary {
  /** Reports fetched from Graph this run, backfill included. */
  periodsFetched: ReportPeriod[];
  blobsWritten: number;
  skippedIdentical: number;
  restatementsKept: number;
  invalid: number;
  /** Report API requests (downloads not counted): what Graph's throttling counts. */
  graphCalls: number;
  /** Newest refresh date Graph served this run, if any report had rows. */
  reportRefreshDate: string | null;
}

/**
 * What a failed run throws: the error it failed with, typed as before (so adapters map it as
 * they would), carrying what the run had done until then.
 */
export type SnapshotRunFailure = Error & { readonly summary: SnapshotSummary };

/** What a failed run had done, when `error` came from one. */
export function summaryOfFailedRun(error: unknown): SnapshotSummary | undefined {
  return error instanceof Error && 'summary' in error
    ? (error as SnapshotRunFailure).summary
    : undefined;
}

/** The error a run failed with, carrying what it had done (see summaryOfFailedRun). */
export function failedRun(error: unknown, summary: SnapshotSummary): SnapshotRunFailure {
  const failure = error instanceof Error ? error : new Error(errorMessage(error));
  return Object.assign(failure, { summary: { ...summary } });
}

export interface SnapshotJob {
  readonly definition: ReportDefinition;
  readonly periods: readonly ReportPeriod[];
  readonly graph: GraphReportClient;
  readonly archive: SnapshotArchive;
  /** The history index, kept current from the snapshots by every run. */
  readonly history: HistoryIndexStore;
  /** Where the run records itself for the status endpoint. */
  readonly runs: RunRecords;
  readonly fetchTimeoutMs: number;
  readonly log: Logger;
  /**
   * The live endpoint's report cache under the same settings: each fetch spends its call budget,
   * and each valid report fetched becomes the shared copy, so the first request after a run needs
   * no Graph call. Absent in runs that have no cache to warm.
   */
  readonly cache?: ReportCache<ParsedReport>;
}

/**
 * Asked before each report API request of the run: the endpoint's call budget counts the job's
 * calls too (it does not apply when REPORT_CACHE_SECONDS=0). A spent budget fails the run, and
 * the host retries it later.
 */
function budgetCheck(job: SnapshotJob): (() => void) | undefined {
  const cache = job.cache;
  if (!cache?.caching) return undefined;
  return () => takeCall(cache.budget);
}

/** The span of report dates the rows hold; the definition orders rows by their report date. */
function reportDateSpan(definition: ReportDefinition, rows: readonly ReportRow[]) {
  const column = definition.columns.find((candidate) => candidate.key === definition.sortKey);
  if (column?.type !== 'date') return {};
  const dates = rows
    .map((row) => row[definition.sortKey])
    .filter((date): date is string => typeof date === 'string')
    .sort();
  return dates.length ? { firstReportDate: dates[0], lastReportDate: dates.at(-1) } : {};
}

function readReport(
  definition: ReportDefinition,
  bytes: Buffer,
  period: ReportPeriod,
  fetchedAt: Date,
): ReportReading {
  try {
    const parsed = parseReportCsv(definition, bytes, period, fetchedAt);
    return {
      valid: true,
      rows: parsed.rows.length,
      refreshDate: parsed.reportRefreshDate ?? undefined,
      ...reportDateSpan(definition, parsed.rows),
    };
  } catch (error) {
    if (!(error instanceof ReportFormatError)) throw error;
    return { valid: false, problem: error.message, refreshDate: error.reportRefreshDate };
  }
}

export function emptySummary(): SnapshotSummary {
  return {
    periodsFetched: [],
    blobsWritten: 0,
    skippedIdentical: 0,
    restatementsKept: 0,
    invalid: 0,
    graphCalls: 0,
    reportRefreshDate: null,
  };
}

/** Where each stored snapshot is counted: the summary's outcome fields change only here. */
function countOutcome(summary: SnapshotSummary, snapshot: Snapshot, stored: StoreResult): void {
  if (!snapshot.reading.valid) summary.invalid++;
  if (stored.outcome === 'identical') summary.skippedIdentical++;
  else summary.blobsWritten++;
  if (stored.outcome === 'restated') summary.restatementsKept++;
}

/**
 * One snapshot run, safe to repeat and to run twice at once: fetches the configured periods, plus
 * one wider period when the archive has a gap, stores each CSV create-only, and brings the history
 * index up to date. Invalid data is stored and counted, not thrown; Graph and storage failures
 * throw so the host retries, and the error thrown carries the summary of what was done until then
 * (see summaryOfFailedRun). Either way the run is recorded for the status endpoint.
 */
export async function runSnapshot(job: SnapshotJob): Promise<SnapshotSummary> {
  const startedAt = new Date();
  const summary = emptySummary();
  const callsBefore = job.graph.apiCalls;
  let failure: { error: unknown } | undefined;
  try {
    await snapshotSteps(job, summary);
  } catch (error) {
    failure = { error };
  } finally {
    summary.graphCalls = job.graph.apiCalls - callsBefore;
    await job.runs.record(
      {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        succeeded: failure === undefined,
        summary: { ...summary },
        ...(failure ? { error: errorMessage(failure.error) } : {}),
      },
      job.log,
    );
  }
  if (failure) throw failedRun(failure.error, summary);
  return summary;
}

async function snapshotSteps(job: SnapshotJob, summary: SnapshotSummary): Promise<void> {
  await job.archive.prepare();
  const listed = await job.archive.list();
  const kept: { snapshot: Snapshot; result: StoreResult }[] = [];
  let failure: { error: unknown } | undefined;
  try {
    await fetchAndStore(job, summary, listed, kept);
  } catch (error) {
    failure = { error };
  }
  // Even after a Graph failure: the index then still catches up with what the archive holds.
  try {
    const sync = await syncHistoryIndex({
      definition: job.definition,
      archive: job.archive,
      store: job.history,
      listed,
      ...keptForIndex(job.definition, kept),
      log: job.log,
    });
    job.log.info(describeIndexSync(sync));
  } catch (error) {
    if (!failure) throw error;
    job.log.error(`Updating the history index failed too: ${errorMessage(error)}`);
  }
  if (failure) throw failure.error;
}

/**
 * What this run stored, for the index: bytes it wrote are merged as read, without reading them
 * back; bytes it found already stored (by an overlapping run) are read back if need be, since
 * that blob's fetch time is the other run's.
 */
function keptForIndex(
  definition: ReportDefinition,
  kept: readonly { snapshot: Snapshot; result: StoreResult }[],
): { stored: ArchivedSnapshot[]; found: string[] } {
  const stored: ArchivedSnapshot[] = [];
  const found: string[] = [];
  for (const { snapshot, result } of kept) {
    if (!snapshot.reading.valid || !snapshot.reading.refreshDate) continue;
    if (result.outcome === 'identical') {
      found.push(result.name);
      continue;
    }
    stored.push({
      blob: result.name,
      fetchedAt: snapshot.fetchedAt.toISOString(),
      valid: true,
      rows: parseReportCsv(definition, snapshot.bytes, snapshot.period, snapshot.fetchedAt).rows,
    });
  }
  return { stored, found };
}

async function fetchAndStore(
  job: SnapshotJob,
  summary: SnapshotSummary,
  listed: readonly StoredSnapshot[],
  kept: { snapshot: Snapshot; result: StoreResult }[],
): Promise<void> {
  // Coverage comes from what is stored (period and refresh date), never from the rows inside:
  // a young tenant's D7 with three rows still covers its seven days.
  const stored = listed.flatMap(({ kind, period, reportRefreshDate }) =>
    reportRefreshDate && (kind === 'original' || kind === 'restated')
      ? [{ period, reportRefreshDate }]
      : [],
  );

  const fetched: Snapshot[] = [];
  const fetchPeriod = async (period: ReportPeriod) => {
    try {
      const report = await job.graph.fetchReport(
        job.definition,
        period,
        job.fetchTimeoutMs,
        job.log,
        { beforeCall: budgetCheck(job) },
      );
      summary.periodsFetched.push(period);
      const reading = readReport(job.definition, report.bytes, period, report.fetchedAt);
      fetched.push({
        period,
        bytes: report.bytes,
        fetchedAt: report.fetchedAt,
        etag: report.etag,
        reading,
      });
      // Never fails the run: the cache logs its own storage trouble.
      if (reading.valid) await job.cache?.offer(period, report.bytes, report.etag, job.log);
    } catch (error) {
      job.log.error(`Fetching ${period} failed: ${errorMessage(error)}`);
      throw error;
    }
  };
  for (const period of [...job.periods].sort((a, b) => periodDays(a) - periodDays(b))) {
    await fetchPeriod(period);
  }
  summary.reportRefreshDate = newestRefreshDate(fetched);

  const backfill = planBackfill(stored, summary.reportRefreshDate ?? undefined, job.periods);
  if (backfill) {
    job.log.info(
      backfill.from
        ? `The archive has a gap from ${backfill.from}; fetching ${backfill.period} to fill it.`
        : `The archive is empty; fetching ${backfill.period} to seed it.`,
    );
    await fetchPeriod(backfill.period);
  }

  // Widest first, so a run that fails part-way has stored the coverage the others rely on.
  for (const snapshot of [...fetched].sort((a, b) => periodDays(b.period) - periodDays(a.period))) {
    const result = await job.archive.store(snapshot, job.log);
    logStored(job.log, snapshot, result);
    countOutcome(summary, snapshot, result);
    kept.push({ snapshot, result });
  }
}

function newestRefreshDate(fetched: readonly Snapshot[]): string | null {
  const dates = fetched.flatMap(({ reading }) =>
    reading.valid && reading.refreshDate ? [reading.refreshDate] : [],
  );
  return dates.length ? dates.sort().at(-1)! : null;
}

function logStored(
  log: Logger,
  { period, reading }: Snapshot,
  { outcome, name, raced }: StoreResult,
) {
  if (!reading.valid) {
    log.error(
      `The ${period} report is invalid and is kept as ${name} for inspection: ${reading.problem}`,
    );
  } else if (!reading.refreshDate) {
    log.warn(`The ${period} report has no rows to key on; kept as ${name}.`);
  } else if (outcome === 'written') {
    log.info(`Stored ${name} (${reading.rows} rows).`);
  } else if (outcome === 'restated') {
    log.warn(
      `Graph restated ${period} for ${reading.refreshDate}; both versions are kept (${name}).`,
    );
  } else {
    log.info(`Already archived${raced ? ' by a concurrent run' : ''}: ${name}`);
  }
}
