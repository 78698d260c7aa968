/**
 * The catalogue of Graph usage reports beyond the first (`skypeP2pMinuteCounts` in
 * `../definitions`): one file per report, each a `ServedReportDefinition` (what the app registers,
 * archives, charts and names on its dashboard). This file holds what they share.
 */
import { skypeP2pMinuteCounts, type ReportRule } from '../definitions';

/**
 * The period and window rules every report keeps, the same as `skypeP2pMinuteCounts`'s: one
 * refresh date, a period that matches the request, every day inside the period's window and at
 * most once. Fewer days than the period is normal (a young tenant, days Graph has no data for),
 * so that is only a warning. A report adds its own count rules after these.
 */
export const periodAndWindowRules: readonly ReportRule[] = skypeP2pMinuteCounts.rules.filter(
  // Taken from the first report, not copied: a rule added there (refresh-date-not-future was)
  // holds for every report. Its count rule names its own columns, so each report brings its own.
  (rule) => rule.kind !== 'non-negative-integer',
);
