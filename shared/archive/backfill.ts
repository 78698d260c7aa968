import { addDays, daysBetween } from '../reports/dates';
import { periodDays, ReportPeriod } from '../reports/definitions';

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

export interface Backfill {
  readonly period: ReportPeriod;
  /** The first report date it is fetched for; undefined when the archive is empty. */
  readonly from?: string;
}

/**
 * The one extra, wider report worth fetching so the archive has no hole Graph could still fill:
 * none when everything is covered; otherwise the smallest of D30, D90, D180 reaching back to the
 * first uncovered day (D180, all Graph keeps, for an empty archive).
 */
export function planBackfill(
  stored: readonly StoredSnapshotDate[],
  currentRefresh: string | undefined,
  configured: readonly ReportPeriod[],
): Backfill | undefined {
  const longest = Math.max(...configured.map(periodDays));
  if (stored.length === 0) return longest < periodDays('D180') ? { period: 'D180' } : undefined;
  if (currentRefresh === undefined) return undefined;
  const from = firstUncoveredDay(stored, currentRefresh, configured);
  if (from === undefined) return undefined;
  const reach = daysBetween(from, currentRefresh) + 1;
  const period = BACKFILL_PERIODS.find((candidate) => periodDays(candidate) >= reach) ?? 'D180';
  return periodDays(period) > longest ? { period, from } : undefined;
}
