/**
 * The catalogue of Graph usage reports beyond the first (`skypeP2pMinuteCounts` in
 * `../definitions`): one file per report, each a `ReportDefinition` plus the extras the
 * function registration, the chart and the dashboard will read. This file holds what they share.
 */
import { skypeP2pMinuteCounts, type ReportRule } from '../definitions';

/** One line of a report's chart, drawn from one column. */
export interface ChartSeries {
  /**
   * The column's key. For a `duration` column the chart reads the row's `inSecondsKey(key)`
   * (`{key}InSeconds`, see `../duration`) and draws minutes; a count column is drawn as it is.
   */
  readonly key: string;
  /** The legend's words. */
  readonly label: string;
  readonly unit: 'minutes' | 'count';
}

/** The Azure Functions names of a report: its route slug in camelCase plus a suffix. */
export interface ReportFunctionNames {
  /** `GET /api/reports/{slug}`: the report itself. */
  readonly report: string;
  readonly history: string;
  readonly chart: string;
  readonly status: string;
  readonly dashboard: string;
  /** The daily timer that archives the report. */
  readonly snapshot: string;
}

export interface ReportExtras {
  readonly functionNames: ReportFunctionNames;
  readonly chartSeries: readonly ChartSeries[];
  /** The report's name on its dashboard and the home page. */
  readonly title: string;
}

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
