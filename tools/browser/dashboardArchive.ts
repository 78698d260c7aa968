/**
 * An archive worth looking at on the dashboard, built the way production builds one: the real
 * snapshot job, run against the Graph simulator as its refresh date moves on. It holds about 19
 * months of days with two kinds of gap: an outage longer than the 180 days Graph keeps (which no
 * backfill can mend) and a week Graph itself had no rows for, inside the last 90 days. Browser
 * tests and the screenshot tool share it.
 */
import { Settings } from '../../shared/config';
import { Logger, silentLogger } from '../../shared/common/logger';
import type { SnapshotSummary } from '../../shared/archive/snapshotJob';
import { runSnapshotFromSettings } from '../../shared/app/snapshotJobs';
import { addDays } from '../../shared/reports/dates';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';

/** The part of the simulator a seeding needs: its clock and its rewriting of the CSV it serves. */
export interface SimulatedGraph {
  refreshDate: string;
  csvTransform: ((csv: string) => string) | undefined;
}

export interface DateSpan {
  readonly from: string;
  readonly to: string;
}

export interface DashboardArchivePlan {
  /** The job runs once at each, in order. */
  readonly refreshDates: readonly string[];
  /** The newest refresh date: the last day the archive holds. */
  readonly last: string;
  /** The first day it holds: the first run's D180 reaches 179 days back. */
  readonly first: string;
  /** Days between two runs further apart than Graph keeps: no backfill could fetch them. */
  readonly outage: DateSpan;
  /** Days Graph's reports had no row for, inside the last 90 days. */
  readonly graphGap: DateSpan;
}

/** The plan for an archive whose newest refresh is two days before `today`, as Graph lags. */
export function dashboardArchivePlan(today: string): DashboardArchivePlan {
  const last = addDays(today, -2);
  const refreshDates = [-400, -120, -60, 0].map((days) => addDays(last, days));
  return {
    refreshDates,
    last,
    first: addDays(refreshDates[0]!, -179),
    // The run at last-120 backfills D180, back to last-299; the days before that were lost.
    outage: { from: addDays(last, -399), to: addDays(last, -300) },
    graphGap: { from: addDays(last, -40), to: addDays(last, -35) },
  };
}

/** Every day of a span, ascending. */
export function daysOf(span: DateSpan): string[] {
  const days: string[] = [];
  for (let day = span.from; day <= span.to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** A simulator `csvTransform`: Graph serving no rows for the report dates of `span`. */
export function withoutReportDates(span: DateSpan) {
  return (csv: string) =>
    csv
      .split('\r\n')
      .filter((line, index) => {
        const reportDate = line.split(',')[1] ?? '';
        return index === 0 || !(reportDate >= span.from && reportDate <= span.to);
      })
      .join('\r\n');
}

/**
 * Runs the job at each refresh date of the plan with `settings` (Graph and storage), Graph
 * dropping the plan's gap from what it serves on the last run. Throws if a run fails.
 */
export async function seedDashboardArchive(
  graph: SimulatedGraph,
  settings: Settings,
  plan: DashboardArchivePlan,
  log: Logger = silentLogger,
): Promise<SnapshotSummary[]> {
  const summaries: SnapshotSummary[] = [];
  const transform = graph.csvTransform;
  try {
    for (const refreshDate of plan.refreshDates) {
      graph.refreshDate = refreshDate;
      graph.csvTransform =
        refreshDate === plan.last ? withoutReportDates(plan.graphGap) : transform;
      summaries.push(await runSnapshotFromSettings(skypeP2pMinuteCounts, settings, log));
    }
  } finally {
    graph.csvTransform = transform;
  }
  return summaries;
}
