import { addDays, daysBetween, eachDay, isCalendarDate } from '../reports/dates';
import {
  periodDays,
  ReportDefinition,
  ReportPeriod,
  ReportRow,
  ReportValue,
} from '../reports/definitions';
import { inSecondsKey, parseDuration } from '../reports/duration';
import { parseSnapshotName } from './blobNames';

/**
 * The history index: one row per report date, picked from every valid snapshot merged so far,
 * so history older than Graph's 180 days is served from one small blob instead of re-reading
 * the archive. It is derived data: when it is missing, corrupt or of another version, the job
 * rebuilds it from the snapshots, which stay the source of truth.
 *
 * Merging is a per-date maximum over a total order of snapshots (see `outranks`) plus a union
 * of the merged blob names, so it is idempotent, commutative and associative: concurrent
 * writers re-read, merge and retry without losing either side's work.
 */
export const HISTORY_INDEX_VERSION = 1;

export function historyIndexBlobName(definition: ReportDefinition): string {
  return `${definition.blobPrefix}/_index/history-v${HISTORY_INDEX_VERSION}.json`;
}

/** What ranks one snapshot's rows against another's; read from the blob name and metadata. */
export interface SnapshotSource {
  readonly period: ReportPeriod;
  readonly reportRefreshDate: string;
  /** ISO 8601, UTC. */
  readonly fetchedAt: string;
}

export interface HistoryEntry {
  /** The snapshot the row was taken from: a key of `HistoryIndex.snapshots`. */
  readonly blob: string;
  /** The row as the live endpoint serves it: the definition's keys, in column order. */
  readonly row: ReportRow;
}

export interface HistoryIndex {
  readonly version: typeof HISTORY_INDEX_VERSION;
  /** The Graph function the rows belong to. */
  readonly report: string;
  /** Every snapshot merged so far, by blob name, including those none of whose rows won. */
  readonly snapshots: Readonly<Record<string, SnapshotSource>>;
  /** By report date (`YYYY-MM-DD`). */
  readonly entries: Readonly<Record<string, HistoryEntry>>;
}

/** One archived snapshot as the job reads it back: blob name, metadata and parsed rows. */
export interface ArchivedSnapshot {
  readonly blob: string;
  /** The `fetchedat` metadata. An unreadable value ranks as the oldest fetch. */
  readonly fetchedAt: string;
  /** The `valid` metadata. */
  readonly valid: boolean;
  readonly rows: readonly ReportRow[];
}

export type IndexParse =
  | { readonly ok: true; readonly index: HistoryIndex }
  | {
      readonly ok: false;
      readonly reason: 'corrupt' | 'unsupported-version' | 'other-report';
      readonly detail: string;
    };

export interface Coverage {
  readonly first: string;
  readonly last: string;
}

export interface HistoryResult {
  /** Null only when neither asked for nor implied by an index with data. */
  readonly from: string | null;
  readonly to: string | null;
  /** The first and last report dates the index holds; null when it holds none. */
  readonly coverage: Coverage | null;
  /** Dates in [from, to] the index has no row for, ascending. */
  readonly missingDates: string[];
  /** Rows in [from, to], ascending by report date. */
  readonly value: ReportRow[];
}

export function emptyHistoryIndex(definition: ReportDefinition): HistoryIndex {
  return {
    version: HISTORY_INDEX_VERSION,
    report: definition.graphFunction,
    snapshots: {},
    entries: {},
  };
}

/** Only a valid, keyed copy (original or restatement) carries rows worth serving. */
function contributingSource(
  definition: ReportDefinition,
  snapshot: ArchivedSnapshot,
): SnapshotSource | undefined {
  const name = parseSnapshotName(definition, snapshot.blob);
  if (!snapshot.valid || !name?.reportRefreshDate) return undefined;
  if (name.kind !== 'original' && name.kind !== 'restated') return undefined;
  const fetchedMs = Date.parse(snapshot.fetchedAt);
  return {
    period: name.period,
    reportRefreshDate: name.reportRefreshDate,
    fetchedAt: new Date(Number.isNaN(fetchedMs) ? 0 : fetchedMs).toISOString(),
  };
}

/** The row in canonical form, or undefined when it does not fit the definition's columns. */
function readRow(definition: ReportDefinition, value: unknown): ReportRow | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const source = value as Record<string, unknown>;
  const row: ReportRow = {};
  for (const column of definition.columns) {
    const cell = source[column.key] ?? null;
    const fits =
      column.type === 'date'
        ? typeof cell === 'string' && isCalendarDate(cell)
        : column.type === 'integer'
          ? cell === null || Number.isSafeInteger(cell)
          : column.type === 'duration'
            ? cell === null || typeof cell === 'string'
            : typeof cell === 'string';
    if (!fits) return undefined;
    row[column.key] = cell as ReportValue;
    if (column.type === 'duration') {
      // The whole seconds beside Graph's text, as the live report has them: read from the index
      // when it has them, else from the text (an index written before durations had them).
      const key = inSecondsKey(column.key);
      const stored = source[key];
      if (Number.isSafeInteger(stored)) row[key] = stored as number;
      else if (cell === null) row[key] = null;
      else {
        const duration = parseDuration(cell as string);
        if (!duration.ok) return undefined;
        row[key] = duration.seconds;
      }
    }
  }
  return row;
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Positive when `a`'s rows beat `b`'s for a date both hold: the newer refresh date; at the same
 * refresh date the later fetch (a restatement beats the original); then the narrower period.
 * The blob name settles the rest, so the order is total and merging order-independent.
 */
function outranks(a: string, aSource: SnapshotSource, b: string, bSource: SnapshotSource): number {
  return (
    compare(aSource.reportRefreshDate, bSource.reportRefreshDate) ||
    compare(Date.parse(aSource.fetchedAt), Date.parse(bSource.fetchedAt)) ||
    compare(periodDays(bSource.period), periodDays(aSource.period)) ||
    compare(a, b)
  );
}

/** A blob's metadata never changes; should two readings differ, either writer picks the same. */
function pickSource(a: SnapshotSource, b: SnapshotSource): SnapshotSource {
  return compare(JSON.stringify(a), JSON.stringify(b)) >= 0 ? a : b;
}

function pickEntry(
  snapshots: Readonly<Record<string, SnapshotSource>>,
  a: HistoryEntry,
  b: HistoryEntry,
): HistoryEntry {
  const order =
    outranks(a.blob, snapshots[a.blob]!, b.blob, snapshots[b.blob]!) ||
    compare(JSON.stringify(a.row), JSON.stringify(b.row));
  return order >= 0 ? a : b;
}

function sortedRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => compare(a, b)));
}

/** Both writers' work: every merged blob, and each date's best row. Loses nothing. */
export function mergeIndexes(a: HistoryIndex, b: HistoryIndex): HistoryIndex {
  const snapshots = new Map(Object.entries(a.snapshots));
  for (const [blob, source] of Object.entries(b.snapshots)) {
    const held = snapshots.get(blob);
    snapshots.set(blob, held ? pickSource(held, source) : source);
  }
  const merged = sortedRecord(snapshots);
  const entries = new Map(Object.entries(a.entries));
  for (const [date, entry] of Object.entries(b.entries)) {
    const held = entries.get(date);
    entries.set(date, held ? pickEntry(merged, held, entry) : entry);
  }
  return {
    version: HISTORY_INDEX_VERSION,
    report: a.report,
    snapshots: merged,
    entries: sortedRecord(entries),
  };
}

/** The index with one more snapshot's rows; invalid and unkeyed snapshots change nothing. */
export function mergeSnapshot(
  definition: ReportDefinition,
  index: HistoryIndex,
  snapshot: ArchivedSnapshot,
): HistoryIndex {
  const source = contributingSource(definition, snapshot);
  if (!source) return index;
  const snapshots = { [snapshot.blob]: source };
  const entries = new Map<string, HistoryEntry>();
  for (const value of snapshot.rows) {
    // A row that does not fit the columns would make the stored index unreadable: leave it out.
    const row = readRow(definition, value);
    if (!row) continue;
    const date = row[definition.sortKey] as string;
    const entry = { blob: snapshot.blob, row };
    const held = entries.get(date);
    entries.set(date, held ? pickEntry(snapshots, held, entry) : entry);
  }
  return mergeIndexes(index, { ...index, snapshots, entries: Object.fromEntries(entries) });
}

/** Blob names already merged: a job run merges the listed valid snapshots not among them. */
export function indexedBlobs(index: HistoryIndex): ReadonlySet<string> {
  return new Set(Object.keys(index.snapshots));
}

/** The newest refresh date among merged snapshots; null for an empty index. */
export function newestRefreshDate(index: HistoryIndex): string | null {
  let newest: string | null = null;
  for (const { reportRefreshDate } of Object.values(index.snapshots)) {
    if (newest === null || reportRefreshDate > newest) newest = reportRefreshDate;
  }
  return newest;
}

/** Canonical JSON: keys sorted, so equal indexes are equal bytes. */
export function serializeIndex(index: HistoryIndex): string {
  const canonical = mergeIndexes(index, { ...index, snapshots: {}, entries: {} });
  return JSON.stringify(canonical);
}

type Failure = Extract<IndexParse, { ok: false }>;

function corrupt(detail: string): Failure {
  return { ok: false, reason: 'corrupt', detail };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSource(
  definition: ReportDefinition,
  blob: string,
  value: unknown,
): SnapshotSource | string {
  const name = parseSnapshotName(definition, blob);
  if (!name?.reportRefreshDate || (name.kind !== 'original' && name.kind !== 'restated')) {
    return `"${blob}" is not a valid, keyed snapshot name.`;
  }
  if (!isObject(value)) return `snapshot "${blob}" is not an object.`;
  const { period, reportRefreshDate, fetchedAt } = value;
  if (period !== name.period || reportRefreshDate !== name.reportRefreshDate) {
    return `snapshot "${blob}" disagrees with its name.`;
  }
  if (
    typeof fetchedAt !== 'string' ||
    Number.isNaN(Date.parse(fetchedAt)) ||
    new Date(fetchedAt).toISOString() !== fetchedAt
  ) {
    return `snapshot "${blob}" has no ISO fetchedAt.`;
  }
  return { period: name.period, reportRefreshDate: name.reportRefreshDate, fetchedAt };
}

function readIndex(definition: ReportDefinition, text: string): IndexParse {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return corrupt(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(data)) return corrupt('not a JSON object.');
  if (data.version !== HISTORY_INDEX_VERSION) {
    return {
      ok: false,
      reason: 'unsupported-version',
      detail: `version ${JSON.stringify(data.version)}; this service reads version ${HISTORY_INDEX_VERSION}.`,
    };
  }
  if (data.report !== definition.graphFunction) {
    return {
      ok: false,
      reason: 'other-report',
      detail: `report ${JSON.stringify(data.report)}, expected "${definition.graphFunction}".`,
    };
  }
  if (!isObject(data.snapshots) || !isObject(data.entries)) {
    return corrupt('snapshots and entries must be objects.');
  }
  const snapshots: Record<string, SnapshotSource> = {};
  for (const [blob, value] of Object.entries(data.snapshots)) {
    const source = readSource(definition, blob, value);
    if (typeof source === 'string') return corrupt(source);
    snapshots[blob] = source;
  }
  const entries: [string, HistoryEntry][] = [];
  for (const [date, value] of Object.entries(data.entries)) {
    if (!isCalendarDate(date)) return corrupt(`entry key "${date}" is not a date in range.`);
    if (
      !isObject(value) ||
      typeof value.blob !== 'string' ||
      !Object.hasOwn(snapshots, value.blob)
    ) {
      return corrupt(`entry ${date} does not name a merged snapshot.`);
    }
    const row = readRow(definition, value.row);
    if (!row || row[definition.sortKey] !== date) {
      return corrupt(`entry ${date} does not hold a row of this report for that date.`);
    }
    entries.push([date, { blob: value.blob, row }]);
  }
  return {
    ok: true,
    index: {
      version: HISTORY_INDEX_VERSION,
      report: definition.graphFunction,
      snapshots: sortedRecord(Object.entries(snapshots)),
      entries: sortedRecord(entries),
    },
  };
}

/** Reads a stored index; any flaw is a typed result, never a throw, so the job can rebuild. */
export function parseIndex(definition: ReportDefinition, bytes: Buffer | string): IndexParse {
  try {
    return readIndex(definition, typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (error) {
    return corrupt(error instanceof Error ? error.message : String(error));
  }
}

export function historyCoverage(index: HistoryIndex): Coverage | null {
  const dates = Object.keys(index.entries).sort();
  return dates.length ? { first: dates[0]!, last: dates.at(-1)! } : null;
}

/**
 * The rows for [from, to], each bound defaulting to the coverage, and the dates in between that
 * have no row. The caller bounds the range (see `MAX_HISTORY_RANGE_DAYS`).
 */
export function queryHistory(index: HistoryIndex, from?: string, to?: string): HistoryResult {
  const coverage = historyCoverage(index);
  const start = from ?? coverage?.first ?? null;
  const end = to ?? coverage?.last ?? null;
  const missingDates: string[] = [];
  const value: ReportRow[] = [];
  if (start !== null && end !== null) {
    // Counted by eachDay: the walk takes as many steps as the range has days, never more.
    for (const date of eachDay(start, end)) {
      const entry = index.entries[date];
      if (entry) value.push({ ...entry.row });
      else missingDates.push(date);
    }
  }
  return { from: start, to: end, coverage, missingDates, value };
}

/**
 * How many dates of the coverage have no row, and the latest `shown` of them, ascending. The
 * work is bounded by the index, not the calendar: the count is arithmetic, and the walk back
 * from the last date meets either a held date (at most the index's size) or a missing one (at
 * most `shown`), so entries at 2000-01-01 and 9999-12-30 cost no more than any other two.
 */
export function missingDateSummary(
  index: HistoryIndex,
  shown: number,
): { count: number; latest: string[] } {
  const coverage = historyCoverage(index);
  if (!coverage) return { count: 0, latest: [] };
  const held = Object.keys(index.entries).length;
  const count = daysBetween(coverage.first, coverage.last) + 1 - held;
  const latest: string[] = [];
  let date = coverage.last;
  for (let step = 0; step < held + shown && latest.length < Math.min(shown, count); step++) {
    if (!Object.hasOwn(index.entries, date)) latest.unshift(date);
    if (date === coverage.first) break;
    date = addDays(date, -1);
  }
  return { count, latest };
}
