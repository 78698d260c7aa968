/**
 * The archive `npm run demo`, `npm run screenshot` and the browser tests start from, built the
 * way production builds one: the real snapshot job, run against the Graph simulator as its
 * refresh date moves on. One module for all three, so what the README's screenshots show is what
 * the demo shows. It holds about 19 months of days with real gaps of both kinds:
 * - an outage longer than the 180 days Graph keeps (runs too far apart; no backfill can mend it);
 * - a missed week Graph itself had no rows for, inside the last 90 days.
 */
import { Settings } from '../shared/config';
import { Logger, silentLogger } from '../shared/common/logger';
import { SnapshotSummary } from '../shared/archive/snapshotJob';
import { runSnapshotFromSettings } from '../shared/app/snapshotJobs';
import { processRegistry } from '../shared/app/services';
import { SnapshotArchive } from '../shared/archive/blobArchive';
import { readStorageConfig } from '../shared/config';
import { addDays } from '../shared/reports/dates';
import { ReportDefinition, skypeP2pMinuteCounts } from '../shared/reports/definitions';
import { withoutReportDates } from './graphSimulator/server';

export interface DateSpan {
  readonly from: string;
  readonly to: string;
}

/** How a seeding moves the simulator: in this process, or in another over its control API. */
export interface SimulatorControl {
  setRefreshDate(refreshDate: string): Promise<void>;
  /** Graph serving no rows for the span's report dates; null serves every row again. */
  omitReportDates(span: DateSpan | null): Promise<void>;
}

/** The part of an in-process simulator a seeding needs: its clock and its CSV rewriting. */
export interface SimulatedGraph {
  refreshDate: string;
  csvTransform: ((csv: string) => string) | undefined;
}

export function inProcessSimulator(graph: SimulatedGraph): SimulatorControl {
  return {
    setRefreshDate: async (refreshDate) => {
      graph.refreshDate = refreshDate;
    },
    omitReportDates: async (span) => {
      graph.csvTransform = span ? withoutReportDates(span) : undefined;
    },
  };
}

/** A simulator in another process (the demo's), through `PUT /_simulator/state`. */
export function simulatorOverHttp(simulatorUrl: string): SimulatorControl {
  const control = `${new URL(simulatorUrl).origin}/_simulator/state`;
  const put = async (state: Record<string, unknown>) => {
    const response = await fetch(control, { method: 'PUT', body: JSON.stringify(state) });
    if (!response.ok) {
      throw new Error(`The Graph simulator refused ${JSON.stringify(state)}: ${response.status}.`);
    }
  };
  return {
    setRefreshDate: (refreshDate) => put({ refreshDate }),
    omitReportDates: (span) => put({ omitReportDates: span }),
  };
}

export interface DemoArchivePlan {
  /** The job runs once at each, in order. */
  readonly refreshDates: readonly string[];
  /** The newest refresh date: the last day the archive holds. */
  readonly last: string;
  /** The first day it holds: the first run's D180 reaches 179 days back. */
  readonly first: string;
  /** Days between two runs further apart than Graph keeps: no backfill could fetch them. */
  readonly outage: DateSpan;
  /** A missed week: days Graph's reports had no row for, inside the last 90 days. */
  readonly graphGap: DateSpan;
}

/** The plan for an archive whose newest refresh date (and last day held) is `last`. */
export function demoArchivePlan(last: string, options: { quick?: boolean } = {}): DemoArchivePlan {
  // Quick: the newest run alone (D180 back from `last`), for tests and a fast start.
  const refreshDates = (options.quick ? [0] : [-400, -120, -60, 0]).map((days) =>
    addDays(last, days),
  );
  return {
    refreshDates,
    last,
    first: addDays(refreshDates[0]!, -179),
    // The run at last-120 backfills D180, back to last-299; the days before that were lost.
    outage: { from: addDays(last, -399), to: addDays(last, -300) },
    graphGap: { from: addDays(last, -40), to: addDays(last, -34) },
  };
}

/** Every day of a span, ascending. */
export function daysOf(span: DateSpan): string[] {
  const days: string[] = [];
  for (let day = span.from; day <= span.to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** One report's part of the seeded archive. */
export interface SeededReport {
  readonly report: ReportDefinition;
  /** Snapshot blobs of this report. */
  readonly blobs: number;
  readonly firstRefresh: string | undefined;
  readonly lastRefresh: string | undefined;
}

export interface SeededArchive {
  /** The first report's runs (its fields below too); `reports` has every report's. */
  readonly summaries: readonly SnapshotSummary[];
  readonly reports: readonly SeededReport[];
  /** Snapshot blobs in the archive. */
  readonly blobs: number;
  readonly firstRefresh: string | undefined;
  readonly lastRefresh: string | undefined;
  /** The first day the archive holds. */
  readonly oldestDay: string;
}

/**
 * Runs the job at each refresh date of the plan with `settings` (Graph and storage), Graph
 * dropping the plan's missed week from what it serves on the last run; leaves the simulator at
 * the plan's last refresh date, serving every row. Throws if a run fails.
 */
export async function seedDemoArchive(
  simulator: SimulatorControl,
  settings: Settings,
  plan: DemoArchivePlan,
  log: Logger = silentLogger,
  reports: readonly ReportDefinition[] = [skypeP2pMinuteCounts],
): Promise<SeededArchive> {
  // Simulated months in a few seconds: the per-10-minute call budget models real time, so the
  // seeding runs go without it. They also leave the shared cache warm for the app.
  const seeding = { ...settings, GRAPH_CALL_BUDGET: '0', GRAPH_APP_CALL_BUDGET: '0' };
  const summaries: SnapshotSummary[] = [];
  try {
    for (const refreshDate of plan.refreshDates) {
      await simulator.setRefreshDate(refreshDate);
      await simulator.omitReportDates(refreshDate === plan.last ? plan.graphGap : null);
      // The reports of one refresh date together: each run is its own report's, so the months
      // take about as long for the catalogue as for one report.
      const runs = await Promise.all(
        reports.map((report) => runSnapshotFromSettings(report, seeding, log)),
      );
      summaries.push(runs[0]!);
    }
  } finally {
    await simulator.omitReportDates(null);
  }
  await simulator.setRefreshDate(plan.last);
  const container = processRegistry().containerFor(readStorageConfig(settings));
  const seeded: SeededReport[] = [];
  for (const report of reports) {
    const snapshots = await new SnapshotArchive(container, report).list();
    const refreshDates = snapshots
      .map((snapshot) => snapshot.reportRefreshDate ?? '')
      .filter(Boolean)
      .sort();
    seeded.push({
      report,
      blobs: snapshots.length,
      firstRefresh: refreshDates[0],
      lastRefresh: refreshDates.at(-1),
    });
  }
  const [first] = seeded as [SeededReport];
  return {
    summaries,
    reports: seeded,
    blobs: first.blobs,
    firstRefresh: first.firstRefresh,
    lastRefresh: first.lastRefresh,
    oldestDay: plan.first,
  };
}
