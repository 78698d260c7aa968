import { periodDays, ReportPeriod } from './reportDefinitions';

const BACKFILL_PERIODS: readonly ReportPeriod[] = ['D30', 'D90', 'D180'];
const DAY_MS = 86_400_000;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * The one extra, wider report worth fetching so the archive has no hole: none while the configured
 * periods already reach back to the newest stored refresh date; otherwise the smallest of D30,
 * D90, D180 that covers the gap (D180, all Graph keeps, for an empty archive or a longer gap).
 */
export function backfillPeriod(
  newestStored: string | undefined,
  currentRefresh: string | undefined,
  configured: readonly ReportPeriod[],
): ReportPeriod | undefined {
  const longest = Math.max(...configured.map(periodDays));
  let needed: ReportPeriod;
  if (newestStored === undefined) {
    needed = 'D180';
  } else {
    if (currentRefresh === undefined) return undefined;
    const gap = daysBetween(newestStored, currentRefresh);
    if (gap <= longest) return undefined;
    needed = BACKFILL_PERIODS.find((period) => periodDays(period) >= gap) ?? 'D180';
  }
  return periodDays(needed) > longest ? needed : undefined;
}
