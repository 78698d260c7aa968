/**
 * The catalogue of Graph usage reports beyond the first (`skypeP2pMinuteCounts` in
 * `../definitions`): one file per report, each a `ServedReportDefinition` (what the app registers,
 * archives, charts and names on its pages). This file holds what they share.
 */
import {
  skypeP2pMinuteCounts,
  type ChartSeries,
  type ReportColumn,
  type ReportFunctionNames,
  type ReportRule,
  type ReportSuccessor,
  type ServedReportDefinition,
  REFRESH_DATE,
  REPORT_DATE,
} from '../definitions';

export { REFRESH_DATE, REPORT_DATE, REPORT_PERIOD } from '../definitions';

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

/** A count column: Graph's CSV header and its JSON key. */
export const count = (header: string, key: string): ReportColumn => ({
  header,
  key,
  type: 'integer',
});

/** An ISO 8601 duration column (its JSON row adds `{key}InSeconds`, see ../duration). */
export const duration = (header: string, key: string): ReportColumn => ({
  header,
  key,
  type: 'duration',
});

/**
 * A new report's function names: its slug in camelCase plus a suffix (issue 19), e.g.
 * `teamsUserActivityCountsHistory`. The first report keeps the names it was deployed with.
 */
export function functionNamesFor(routeSlug: string): ReportFunctionNames {
  const base = routeSlug.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
  return {
    report: base,
    history: `${base}History`,
    chart: `${base}Chart`,
    status: `${base}Status`,
    dashboard: `${base}Dashboard`,
    dashboardIcon: `${base}DashboardIcon`,
    snapshot: `${base}Snapshot`,
  };
}

/** What a catalogue report says of itself; `describeReport` adds what every report shares. */
export interface ReportSpec {
  readonly graphFunction: string;
  /** URL segment under `/api/reports/`; also the blob prefix and the base of function names. */
  readonly routeSlug: string;
  readonly columns: readonly ReportColumn[];
  readonly chartSeries: readonly ChartSeries[];
  /** The report's name on its dashboard and the home page. */
  readonly title: string;
  /** Set for a report whose source was retired: its dashboard points there. */
  readonly successor?: ReportSuccessor;
}

/**
 * A served definition from a report's own facts: function names from its slug, its blobs under
 * its slug, keyed and sorted by the report dates every usage report has, the first report's
 * period and window rules, and every count column non-negative. Durations need no rule: reading
 * one already refuses a negative or malformed value (see `parseDuration`), naming column and line.
 */
export function describeReport(spec: ReportSpec): ServedReportDefinition {
  const counts = spec.columns.filter((column) => column.type === 'integer');
  return {
    ...spec,
    functionNames: functionNamesFor(spec.routeSlug),
    blobPrefix: spec.routeSlug,
    refreshDateKey: REFRESH_DATE.key,
    sortKey: REPORT_DATE.key,
    rules: [
      ...periodAndWindowRules,
      {
        id: 'non-negative-count',
        kind: 'non-negative-integer',
        keys: counts.map((column) => column.key),
      },
    ],
  };
}
