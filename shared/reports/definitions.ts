/**
 * Each Graph usage report is described here as data; the fetch, parse, archive and HTTP layers
 * read these definitions instead of hard-wiring one report, so another report needs only a new
 * entry.
 */
export type ColumnType = 'date' | 'integer' | 'string' | 'duration';

/** One cell of a parsed report: a date (`YYYY-MM-DD`), a string, a count, or empty. */
export type ReportValue = string | number | null;
/** A parsed row, by the definition's column keys (Graph's JSON keys). */
export type ReportRow = Record<string, ReportValue>;

export interface ReportColumn {
  /** The header Graph uses in the CSV. */
  readonly header: string;
  /** The key Graph uses in its JSON form of the report, and ours. */
  readonly key: string;
  readonly type: ColumnType;
}

/**
 * A plausibility rule, declared as data like the columns: a `kind` names the small pure checker
 * in `rules.ts` that applies it, the other fields are that checker's parameters (column keys), so
 * another report reuses a kind with its own columns. `id` is stable: errors and problem documents
 * carry it, so callers and alerts can tell which rule broke without reading messages.
 */
export type ReportRule = RuleSeverity &
  (
    | {
        /** The column's value is the requested period's number of days, e.g. "7" for D7. */
        readonly kind: 'equals-period-days';
        readonly key: string;
      }
    | {
        /** Every row has the same value in the column. */
        readonly kind: 'same-in-every-row';
        readonly key: string;
      }
    | {
        /** The date column lies in the period's n days ending on the row's `windowEndKey` date. */
        readonly kind: 'date-in-period-window';
        readonly key: string;
        readonly windowEndKey: string;
      }
    | {
        /** No two rows share a value in the column. */
        readonly kind: 'unique';
        readonly key: string;
      }
    | {
        /** The columns hold whole numbers of zero or more, or nothing. */
        readonly kind: 'non-negative-integer';
        readonly keys: readonly string[];
      }
    | {
        /**
         * The date column is no later than the day the report was fetched (UTC) plus
         * `toleranceDays`: Graph cannot have refreshed data in the future, and a date there
         * would keep the archive looking fresh for years.
         */
        readonly kind: 'not-after-fetch-date';
        readonly key: string;
        readonly toleranceDays: number;
      }
    | {
        /** The date column has a row for each of the period's n days. */
        readonly kind: 'row-per-period-day';
        readonly key: string;
      }
  );

interface RuleSeverity {
  /** Stable identifier, e.g. `non-negative-count`. */
  readonly id: string;
  /** `error` (the default) rejects the report; `warning` keeps it and says why in `warnings`. */
  readonly severity?: 'error' | 'warning';
}

export type ReportRuleKind = ReportRule['kind'];

export const REPORT_PERIODS = ['D7', 'D30', 'D90', 'D180'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/**
 * The names of a report's functions in the Functions host: what its function keys, logs, metrics
 * and `POST /admin/functions/{name}` know them by, so they never change once deployed.
 */
export interface ReportFunctionNames {
  /** The live report, `GET reports/{routeSlug}`. */
  readonly report: string;
  /** `GET reports/{routeSlug}/history` */
  readonly history: string;
  /** `GET reports/{routeSlug}/status` */
  readonly status: string;
  /** `GET reports/{routeSlug}/chart` */
  readonly chart: string;
  /** `GET reports/{routeSlug}/dashboard` */
  readonly dashboard: string;
  /** `GET reports/{routeSlug}/icon.svg` */
  readonly dashboardIcon: string;
  /** The report's own snapshot timer. */
  readonly snapshot: string;
}

/**
 * A number column the chart and the dashboard's headline figures draw, each on its own scale:
 * the chart, its description and the page's figures read these, never a report's column names.
 */
export interface ChartSeries {
  /**
   * The row key: one of the definition's integer columns, or a `duration` column, which the
   * chart reads as its `{key}InSeconds` and draws in minutes (`unit: 'minutes'`).
   */
  readonly key: string;
  /** What a reader calls it, e.g. `Audio`. */
  readonly label: string;
  /** What its values count, e.g. `minutes`. */
  readonly unit: string;
}

export interface ReportDefinition {
  /** The Graph function, e.g. `getSkypeForBusinessPeerToPeerActivityMinuteCounts`. */
  readonly graphFunction: string;
  /** URL segment under `/api/reports/`. */
  readonly routeSlug: string;
  /** Folder of this report's snapshots in the archive container. */
  readonly blobPrefix: string;
  readonly columns: readonly ReportColumn[];
  /** Key of the column naming the report's refresh date (the snapshot key). */
  readonly refreshDateKey: string;
  /** Key of the column the rows are ordered by. */
  readonly sortKey: string;
  /** Checked in order on every parse; the first broken `error` rule rejects the report. */
  readonly rules: readonly ReportRule[];
  /**
   * What the chart and the dashboard draw, in order; each an integer column. Optional, so a
   * report described for the archive alone needs none; its chart then says there is nothing
   * to draw.
   */
  readonly chartSeries?: readonly ChartSeries[];
}

/**
 * Where a report's readers went when its source was retired: its dashboard says so, with a link,
 * once Graph reports no activity (see the status's `source.silentSince`).
 */
export interface ReportSuccessor {
  /** The route slug of the report that carries the activity now. */
  readonly routeSlug: string;
  /** Why, said before "see {routeSlug}", e.g. `Skype for Business Online was retired in 2021`. */
  readonly note: string;
}

/** A report the app serves: its definition, and the names functions/ registers it under. */
export interface ServedReportDefinition extends ReportDefinition {
  readonly functionNames: ReportFunctionNames;
  /** The report's name on its dashboard and the home page. */
  readonly title: string;
  /** Set for a report whose source was retired. */
  readonly successor?: ReportSuccessor;
}

/** Skype for Business Online's end, said on each Skype report's dashboard when Graph goes silent. */
export const SKYPE_RETIRED = 'Skype for Business Online was retired in 2021';
/** The three columns every usage report has (where they stand varies: Teams puts the period last). */
export const REFRESH_DATE: ReportColumn = {
  header: 'Report Refresh Date',
  key: 'reportRefreshDate',
  type: 'date',
};
export const REPORT_DATE: ReportColumn = { header: 'Report Date', key: 'reportDate', type: 'date' };
export const REPORT_PERIOD: ReportColumn = {
  header: 'Report Period',
  key: 'reportPeriod',
  type: 'string',
};

export const skypeP2pMinuteCounts: ServedReportDefinition = {
  graphFunction: 'getSkypeForBusinessPeerToPeerActivityMinuteCounts',
  routeSlug: 'skype-p2p-minute-counts',
  title: 'Skype for Business peer-to-peer minutes',
  successor: { routeSlug: 'teams-user-activity-counts', note: SKYPE_RETIRED },
  functionNames: {
    report: 'skypeP2pMinuteCounts',
    history: 'skypeP2pMinuteCountsHistory',
    status: 'skypeP2pArchiveStatus',
    chart: 'skypeP2pMinuteCountsChart',
    dashboard: 'skypeP2pDashboard',
    dashboardIcon: 'skypeP2pDashboardIcon',
    snapshot: 'skypeP2pSnapshot',
  },
  blobPrefix: 'skype-p2p-minute-counts',
  columns: [
    REFRESH_DATE,
    REPORT_DATE,
    REPORT_PERIOD,
    { header: 'Audio', key: 'audio', type: 'integer' },
    { header: 'Video', key: 'video', type: 'integer' },
  ],
  refreshDateKey: 'reportRefreshDate',
  sortKey: 'reportDate',
  // A D{n} report holds at most one row per day of the n days ending on its refresh date. Fewer
  // rows are normal (a young tenant, days Graph has no data for), so that is only a warning.
  rules: [
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
    { id: 'non-negative-count', kind: 'non-negative-integer', keys: ['audio', 'video'] },
    { id: 'complete-period', kind: 'row-per-period-day', key: 'reportDate', severity: 'warning' },
  ],
  chartSeries: [
    { key: 'audio', label: 'Audio', unit: 'minutes' },
    { key: 'video', label: 'Video', unit: 'minutes' },
  ],
};

export function periodDays(period: ReportPeriod): number {
  return Number(period.slice(1));
}

/** Accepts `d30`, `D30`; returns the canonical period or undefined. */
export function parsePeriod(value: string): ReportPeriod | undefined {
  const upper = value.trim().toUpperCase();
  return REPORT_PERIODS.find((period) => period === upper);
}

/**
 * The report's path under the Graph root, e.g.
 * `/reports/getSkypeForBusinessPeerToPeerActivityMinuteCounts(period='D7')`: the one way to build
 * it, so the client and the Graph simulator cannot drift apart.
 */
export function reportPath(definition: ReportDefinition, period: ReportPeriod): string {
  return `/reports/${definition.graphFunction}(period='${period}')`;
}
