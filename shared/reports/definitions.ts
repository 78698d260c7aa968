/**
 * Each Graph usage report is described here as data; the fetch, parse, archive and HTTP layers
 * read these definitions instead of hard-wiring one report, so another report needs only a new
 * entry.
 */
export type ColumnType = 'date' | 'integer' | 'string';

export interface ReportColumn {
  /** The header Graph uses in the CSV. */
  readonly header: string;
  /** The key Graph uses in its JSON form of the report, and ours. */
  readonly key: string;
  readonly type: ColumnType;
}

export const REPORT_PERIODS = ['D7', 'D30', 'D90', 'D180'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

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
}

export const skypeP2pMinuteCounts: ReportDefinition = {
  graphFunction: 'getSkypeForBusinessPeerToPeerActivityMinuteCounts',
  routeSlug: 'skype-p2p-minute-counts',
  blobPrefix: 'skype-p2p-minute-counts',
  columns: [
    { header: 'Report Refresh Date', key: 'reportRefreshDate', type: 'date' },
    { header: 'Report Date', key: 'reportDate', type: 'date' },
    { header: 'Report Period', key: 'reportPeriod', type: 'string' },
    { header: 'Audio', key: 'audio', type: 'integer' },
    { header: 'Video', key: 'video', type: 'integer' },
  ],
  refreshDateKey: 'reportRefreshDate',
  sortKey: 'reportDate',
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
