import { ReportDefinition, ReportPeriod, REPORT_PERIODS } from '../reports/definitions';

/**
 * Where each snapshot lives in the archive container. Names sort by refresh date within a
 * period, and a restated or invalid copy sits beside the snapshot of its date.
 *   {prefix}/{period}/{date}.csv                     the first bytes seen for that refresh date
 *   {prefix}/{period}/{date}.restated-{sha12}.csv    different bytes Graph served later
 *   {prefix}/{period}/{date}.invalid-{sha12}.csv     bytes that failed validation
 *   {prefix}/{period}/unkeyed/{sha12}.csv            no refresh date to key on
 */
export type SnapshotKind = 'original' | 'restated' | 'invalid' | 'unkeyed';

export interface SnapshotName {
  readonly name: string;
  readonly period: ReportPeriod;
  readonly kind: SnapshotKind;
  readonly reportRefreshDate?: string;
}

function shortHash(sha256Hex: string): string {
  return sha256Hex.slice(0, 12);
}

function periodFolder(definition: ReportDefinition, period: ReportPeriod): string {
  return `${definition.blobPrefix}/${period}/`;
}

export function snapshotBlobName(
  definition: ReportDefinition,
  period: ReportPeriod,
  kind: SnapshotKind,
  reportRefreshDate: string | undefined,
  sha256Hex: string,
): string {
  const folder = periodFolder(definition, period);
  if (kind === 'unkeyed' || !reportRefreshDate)
    return `${folder}unkeyed/${shortHash(sha256Hex)}.csv`;
  if (kind === 'original') return `${folder}${reportRefreshDate}.csv`;
  return `${folder}${reportRefreshDate}.${kind}-${shortHash(sha256Hex)}.csv`;
}

/** Prefix that lists every copy held for one period and refresh date. */
export function refreshDatePrefix(
  definition: ReportDefinition,
  period: ReportPeriod,
  date: string,
) {
  return `${periodFolder(definition, period)}${date}.`;
}

export function parseSnapshotName(
  definition: ReportDefinition,
  name: string,
): SnapshotName | undefined {
  if (!name.startsWith(`${definition.blobPrefix}/`)) return undefined;
  const rest = name.slice(definition.blobPrefix.length + 1);
  const keyed = /^(D\d+)\/(\d{4}-\d{2}-\d{2})(?:\.(restated|invalid)-[0-9a-f]{12})?\.csv$/.exec(
    rest,
  );
  const unkeyed = /^(D\d+)\/unkeyed\/[0-9a-f]{12}\.csv$/.exec(rest);
  const period = REPORT_PERIODS.find((candidate) => candidate === (keyed ?? unkeyed)?.[1]);
  if (!period) return undefined;
  if (unkeyed) return { name, period, kind: 'unkeyed' };
  const kind = (keyed![3] as 'restated' | 'invalid' | undefined) ?? 'original';
  return { name, period, kind, reportRefreshDate: keyed![2] };
}
