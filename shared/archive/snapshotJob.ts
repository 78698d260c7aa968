import { createHash } from 'node:crypto';
import { planBackfill } from './backfill';
import { readSnapshotConfig, Settings, SnapshotConfig } from '../config';
import { parseReportCsv } from '../reports/csv';
import { errorMessage, ReportFormatError, StorageError } from '../common/errors';
import { FetchedReport, GraphReportClient } from '../graph/client';
import { Logger } from '../common/logger';
import {
  periodDays,
  ReportDefinition,
  ReportPeriod,
  skypeP2pMinuteCounts,
} from '../reports/definitions';
import { createGraphClient } from '../graph/reportService';
import { headerSafe, SnapshotArchive } from './blobArchive';
import { snapshotBlobName } from './blobNames';
import { archiveContainer } from './container';

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

export interface SnapshotJob {
  readonly definition: ReportDefinition;
  readonly periods: readonly ReportPeriod[];
  readonly graph: GraphReportClient;
  readonly archive: SnapshotArchive;
  readonly fetchTimeoutMs: number;
  readonly log: Logger;
}

type Outcome = 'written' | 'identical' | 'restated';

/** What the CSV says about itself: read once, used to key, count and flag it. */
type Reading =
  | { readonly valid: true; readonly rows: number; readonly refreshDate?: string }
  | { readonly valid: false; readonly problem: string; readonly refreshDate?: string };

interface Fetched {
  readonly period: ReportPeriod;
  readonly report: FetchedReport;
  readonly reading: Reading;
}

function readReport(definition: ReportDefinition, bytes: Buffer, period: ReportPeriod): Reading {
  try {
    const parsed = parseReportCsv(definition, bytes, period);
    return {
      valid: true,
      rows: parsed.rows.length,
      refreshDate: parsed.reportRefreshDate ?? undefined,
    };
  } catch (error) {
    if (!(error instanceof ReportFormatError)) throw error;
    return { valid: false, problem: error.message, refreshDate: error.reportRefreshDate };
  }
}

function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
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

/**
 * One snapshot run, safe to repeat and to run twice at once: fetches the configured periods, plus
 * one wider period when the archive has a gap, and stores each CSV create-only. Invalid data is
 * stored and counted, not thrown; Graph and storage failures throw so the host retries.

 * Fills `summary` as it goes, so a caller can report what a failed run had done.
 */
export async function runSnapshot(
  job: SnapshotJob,
  summary = emptySummary(),
): Promise<SnapshotSummary> {
  const callsBefore = job.graph.apiCalls;
  try {
    return await snapshotSteps(job, summary);
  } finally {
    summary.graphCalls = job.graph.apiCalls - callsBefore;
  }
}

async function snapshotSteps(job: SnapshotJob, summary: SnapshotSummary): Promise<SnapshotSummary> {
  await job.archive.prepare();
  const stored = (await job.archive.list()).flatMap(({ kind, period, reportRefreshDate }) =>
    reportRefreshDate && (kind === 'original' || kind === 'restated')
      ? [{ period, reportRefreshDate }]
      : [],
  );

  const fetched: Fetched[] = [];
  const fetchPeriod = async (period: ReportPeriod) => {
    try {
      const report = await job.graph.fetchReport(job.definition, period, job.fetchTimeoutMs);
      summary.periodsFetched.push(period);
      fetched.push({ period, report, reading: readReport(job.definition, report.bytes, period) });
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
    const outcome = await storeSnapshot(job, snapshot, summary);
    if (outcome === 'identical') summary.skippedIdentical++;
    else summary.blobsWritten++;
    if (outcome === 'restated') summary.restatementsKept++;
  }
  return summary;
}

function newestRefreshDate(fetched: readonly Fetched[]): string | null {
  const dates = fetched.flatMap(({ reading }) =>
    reading.valid && reading.refreshDate ? [reading.refreshDate] : [],
  );
  return dates.length ? dates.sort().at(-1)! : null;
}

async function storeSnapshot(
  job: SnapshotJob,
  { period, report, reading }: Fetched,
  summary: SnapshotSummary,
): Promise<Outcome> {
  const { definition, archive, log } = job;
  const sha256 = sha256Hex(report.bytes);
  const refreshDate = reading.refreshDate;
  const problem = reading.valid ? undefined : reading.problem;
  const metadata: Record<string, string> & { sha256: string } = {
    period,
    sha256,
    fetchedat: report.fetchedAt.toISOString(),
    ...(report.etag ? { graphetag: headerSafe(report.etag) } : {}),
    ...(refreshDate ? { reportrefreshdate: refreshDate } : {}),
    ...(reading.valid
      ? { rows: String(reading.rows), valid: 'true' }
      : { valid: 'false', validationerror: headerSafe(reading.problem) }),
  };

  if (problem !== undefined || !refreshDate) {
    const kind = refreshDate ? 'invalid' : 'unkeyed';
    const name = snapshotBlobName(definition, period, kind, refreshDate, sha256);
    if (problem !== undefined) {
      summary.invalid++;
      log.error(
        `The ${period} report is invalid and is kept as ${name} for inspection: ${problem}`,
      );
    } else {
      log.warn(`The ${period} report has no rows to key on; kept as ${name}.`);
    }
    return hashNamed(await archive.writeOnce(name, report.bytes, metadata), name);
  }

  const copies = await archive.copiesOf(period, refreshDate);
  const same = copies.find((copy) => copy.metadata.sha256 === sha256);
  if (same) {
    log.info(`Already archived: ${same.name}`);
    return 'identical';
  }
  const original = snapshotBlobName(definition, period, 'original', refreshDate, sha256);
  if (!copies.some((copy) => copy.name === original)) {
    const written = await archive.writeOnce(original, report.bytes, metadata);
    if (written === 'created') {
      log.info(`Stored ${original} (${metadata.rows} rows).`);
      return 'written';
    }
    if (written === 'identical') {
      log.info(`Already archived by a concurrent run: ${original}`);
      return 'identical';
    }
    // A concurrent run stored other bytes for this date first: ours are a restatement.
  }
  const restated = snapshotBlobName(definition, period, 'restated', refreshDate, sha256);
  if (
    hashNamed(await archive.writeOnce(restated, report.bytes, metadata), restated) === 'identical'
  ) {
    return 'identical';
  }
  log.warn(`Graph restated ${period} for ${refreshDate}; both versions are kept (${restated}).`);
  return 'restated';
}

/** A name that carries the content's hash can only be taken by the same bytes; anything else is loud. */
function hashNamed(written: 'created' | 'identical' | 'different', name: string): Outcome {
  if (written === 'different') {
    throw new StorageError(`${name} already holds different bytes; it is never overwritten.`);
  }
  return written === 'created' ? 'written' : 'identical';
}

/** Builds the job from configuration: what the timer function, the command and the demo all run. */
export function snapshotJobFromConfig(config: SnapshotConfig, log: Logger): SnapshotJob {
  return {
    definition: skypeP2pMinuteCounts,
    periods: config.periods,
    graph: createGraphClient(config.graph, log),
    archive: new SnapshotArchive(archiveContainer(config.storage), skypeP2pMinuteCounts),
    fetchTimeoutMs: config.fetchTimeoutMs,
    log,
  };
}

export function runSnapshotFromSettings(
  settings: Settings,
  log: Logger,
  summary = emptySummary(),
): Promise<SnapshotSummary> {
  return runSnapshot(snapshotJobFromConfig(readSnapshotConfig(settings), log), summary);
}
