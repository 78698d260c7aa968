import { addDays, daysBetween } from './dates';
import { periodDays, ReportPeriod } from './reportDefinitions';

const BACKFILL_PERIODS: readonly ReportPeriod[] = ['D30', 'D90', 'D180'];
/** Graph keeps this many days: older holes cannot be filled, so they are not looked for. */
const GRAPH_WINDOW_DAYS = 180;

export interface StoredSnapshotDate {
  readonly period: ReportPeriod;
  readonly reportRefreshDate: string;
}

/**
 * The earliest report date Graph still keeps that neither a stored valid snapshot nor this
 * run's configured periods cover. A D{n} snapshot at refresh date R covers R-n+1 through R.
 */
export function firstUncoveredDay(
  stored: readonly StoredSnapshotDate[],
  currentRefresh: string,
  configured: readonly ReportPeriod[],
): string | undefined {
  const longest = Math.max(...configured.map(periodDays));
  const spans = [
    ...stored.map(({ period, reportRefreshDate }) => ({
      from: addDays(reportRefreshDate, 1 - periodDays(period)),
      to: reportRefreshDate,
    })),
    { from: addDays(currentRefresh, 1 - longest), to: currentRefresh },
  ].sort((a, b) => a.from.localeCompare(b.from));
  let cursor = addDays(currentRefresh, 1 - GRAPH_WINDOW_DAYS);
  for (const span of spans) {
    if (span.from > cursor) return cursor;
    if (span.to >= cursor) cursor = addDays(span.to, 1);
    if (cursor > currentRefresh) return undefined;
  }
  return cursor <= currentRefresh ? cursor : undefined;
}

/**
 * The one extra, wider report worth fetching so the archive has no hole Graph could still fill:
 * none when everything is covered; otherwise the smallest of D30, D90, D180 reaching back to the
 * first uncovered day (D180, all Graph keeps, for an empty archive).
 */
export function backfillPeriod(
  stored: readonly StoredSnapshotDate[],
  currentRefresh: string | undefined,
  configured: readonly ReportPeriod[],
): ReportPeriod | undefined {
  const longest = Math.max(...configured.map(periodDays));
  let needed: ReportPeriod;
  if (stored.length === 0) {
    needed = 'D180';
  } else {
    if (currentRefresh === undefined) return undefined;
    const uncovered = firstUncoveredDay(stored, currentRefresh, configured);
    if (uncovered === undefined) return undefined;
    const reach = daysBetween(uncovered, currentRefresh) + 1;
    needed = BACKFILL_PERIODS.find((period) => periodDays(period) >= reach) ?? 'D180';
  }
  return periodDays(needed) > longest ? needed : undefined;
}
