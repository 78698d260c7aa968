/**
 * The catalogue of Graph usage reports beyond the first (`skypeP2pMinuteCounts` in
 * `../definitions`): one file per report, each a `ServedReportDefinition` (what the app registers,
 * archives, charts and names on its dashboard). This file holds what they share.
 */
import type { ReportRule } from '../definitions';

/**
 * The period and window rules every report keeps, the same as `skypeP2pMinuteCounts`'s: one
 * refresh date, a period that matches the request, every day inside the period's window and at
 * most once. Fewer days than the period is normal (a young tenant, days Graph has no data for),
 * so that is only a warning. A report adds its own count rules after these.
 */
export const periodAndWindowRules: readonly ReportRule[] = [
  { id: 'report-period', kind: 'equals-period-days', key: 'reportPeriod' },
  { id: 'single-refresh-date', kind: 'same-in-every-row', key: 'reportRefreshDate' },
  // A day of tolerance: Graph's clock and ours may sit either side of midnight UTC.
  {
    id: 'refresh-date-not-future',
    kind: 'not-after-fetch-date',
    key: 'reportRefreshDate',
    toleranceDays: 1,
  },
  {
    id: 'date-in-window',
    kind: 'date-in-period-window',
    key: 'reportDate',
    windowEndKey: 'reportRefreshDate',
  },
  { id: 'unique-report-date', kind: 'unique', key: 'reportDate' },
  { id: 'complete-period', kind: 'row-per-period-day', key: 'reportDate', severity: 'warning' },
];
