import { settingDefinition } from '../config';
import { addDays, utcDate } from '../reports/dates';
import type { ReportDefinition } from '../reports/definitions';
import { inSecondsKey } from '../reports/duration';
import type { Coverage, HistoryIndex } from './historyIndex';

/**
 * The archive's health, for an operator or a monitor: is there history, is it current, did the
 * last snapshot run succeed. Pure: the caller reads the index and the run record and says when
 * it is; a storage failure is passed in rather than thrown, so the status can still answer.
 */
/** STATUS_STALE_AFTER_HOURS's default, from the settings registry (its one source). */
export const DEFAULT_STALE_AFTER_HOURS = Number(
  settingDefinition('STATUS_STALE_AFTER_HOURS').default,
);
/** How many of the latest missing dates the status lists; the count says how many in all. */
export const MISSING_DATES_SHOWN = 10;

const HOUR_MS = 3_600_000;

export interface LastRun<Summary = unknown> {
  /** ISO 8601. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly succeeded: boolean;
  readonly summary: Summary;
  readonly error?: string;
}

export type ArchiveStatusReason = 'storage-unavailable' | 'last-run-failed' | 'empty' | 'stale';

export interface ArchiveStatusInput<Summary = unknown> {
  /** False when the index or the run record could not be read. Defaults to true. */
  readonly storageAvailable?: boolean;
  readonly coverage: Coverage | null;
  /**
   * Report dates within the coverage that have no row, in any order, or already counted (see
   * `missingDateSummary`, which keeps the work bounded by the index).
   */
  readonly missingDates:
    readonly string[] | { readonly count: number; readonly latest: readonly string[] };
  readonly newestRefreshDate: string | null;
  readonly lastRun: LastRun<Summary> | null;
  readonly now: Date;
  readonly staleAfterHours?: number;
  /** When Graph went silent (see `silentSince`); null when it has not. Defaults to null. */
  readonly silentSince?: string | null;
}

export interface ArchiveStatus<Summary = unknown> {
  readonly healthy: boolean;
  /** Why not healthy: the first that applies, in the order of `ArchiveStatusReason`. */
  readonly reason?: ArchiveStatusReason;
  readonly coverage: Coverage | null;
  readonly newestRefreshDate: string | null;
  /** `latest`: the newest missing dates, ascending. */
  readonly missingDates: { readonly count: number; readonly latest: string[] };
  readonly lastRun: LastRun<Summary> | null;
  /** True with no data at all: there is nothing current to serve. */
  readonly stale: boolean;
  /** ISO 8601 instant the newest data turns (or turned) stale; null with no data. */
  readonly staleAt: string | null;
  /** What Graph reports, apart from the archive's health: see `silentSince`. */
  readonly source: { readonly silentSince: string | null };
}

/** Report days the index must hold before all-zero days are taken for silence. */
export const SILENCE_MIN_DAYS = 7;
/** How many of the newest days must all be zero: four weeks, so no quiet holiday counts. */
export const SILENCE_WINDOW_DAYS = 28;

/** A row with activity: any count or duration above zero (empty cells are no activity). */
function hasActivity(
  definition: ReportDefinition,
  row: Readonly<Record<string, unknown>>,
): boolean {
  return definition.columns.some((column) => {
    const value =
      column.type === 'integer'
        ? row[column.key]
        : column.type === 'duration'
          ? row[inSecondsKey(column.key)]
          : 0;
    return typeof value === 'number' && value > 0;
  });
}

/** The newest header-only fetch a last run records: `periodsFetched` with no refresh date. */
function headerOnlyFetchDate(lastRun: LastRun | null): string | undefined {
  if (!lastRun?.succeeded) return undefined;
  const summary = lastRun.summary as {
    periodsFetched?: unknown;
    reportRefreshDate?: unknown;
    invalid?: unknown;
  } | null;
  const fetched = Array.isArray(summary?.periodsFetched) && summary.periodsFetched.length > 0;
  if (!fetched || summary?.reportRefreshDate !== null || summary.invalid !== 0) return undefined;
  return lastRun.startedAt.slice(0, 10);
}

/**
 * A silent source, said rather than hidden (Skype for Business Online was retired in 2021, and
 * Graph still serves its reports: all zero, or header only). Pure, from the index and the last
 * run:
 * - with at least SILENCE_MIN_DAYS report days held and every count and duration of the newest
 *   min(SILENCE_WINDOW_DAYS, held) days zero: the first day of that run of zeros;
 * - when the last run's reports had no rows (header only): the day after the newest report date
 *   held, or that fetch's date when nothing is held;
 * - otherwise null.
 */
export function silentSince(
  definition: ReportDefinition,
  index: HistoryIndex | undefined,
  lastRun: LastRun | null,
): string | null {
  const dates = index ? Object.keys(index.entries).sort() : [];
  if (index && dates.length >= SILENCE_MIN_DAYS) {
    const window = dates.slice(-Math.min(SILENCE_WINDOW_DAYS, dates.length));
    const quiet = (date: string) => !hasActivity(definition, index.entries[date]!.row);
    if (window.every(quiet)) {
      let first = dates.length - 1;
      while (first > 0 && quiet(dates[first - 1]!)) first -= 1;
      return dates[first]!;
    }
  }
  const fetchDate = headerOnlyFetchDate(lastRun);
  if (fetchDate === undefined) return null;
  return dates.length > 0 ? addDays(dates.at(-1)!, 1) : fetchDate;
}

/**
 * A refresh date covers activity up to the end of that UTC day, so its age is counted from the
 * next midnight: with 96 hours, data refreshed for 03-10 is fresh until 03-15T00:00Z inclusive.
 */
export function staleAt(newestRefreshDate: string, staleAfterHours: number): Date {
  const endOfDay = Date.parse(`${addDays(newestRefreshDate, 1)}T00:00:00Z`);
  return new Date(endOfDay + staleAfterHours * HOUR_MS);
}

export function archiveStatus<Summary>(input: ArchiveStatusInput<Summary>): ArchiveStatus<Summary> {
  const { coverage, newestRefreshDate, lastRun, now } = input;
  // A refresh date after tomorrow is implausible (the rule refresh-date-not-future keeps such
  // data out of the index): judging freshness by it would silence alerts for years.
  const plausible = newestRefreshDate !== null && newestRefreshDate <= addDays(utcDate(now), 1);
  const limit = plausible
    ? staleAt(newestRefreshDate, input.staleAfterHours ?? DEFAULT_STALE_AFTER_HOURS)
    : null;
  const stale = limit === null || now.getTime() > limit.getTime();
  const reason: ArchiveStatusReason | undefined =
    input.storageAvailable === false
      ? 'storage-unavailable'
      : lastRun !== null && !lastRun.succeeded
        ? 'last-run-failed'
        : coverage === null
          ? 'empty'
          : stale
            ? 'stale'
            : undefined;
  const given = input.missingDates;
  const missingDates =
    'count' in given
      ? { count: given.count, latest: [...given.latest].sort().slice(-MISSING_DATES_SHOWN) }
      : {
          count: given.length,
          latest: [...given].sort().slice(-MISSING_DATES_SHOWN),
        };
  return {
    healthy: reason === undefined,
    ...(reason ? { reason } : {}),
    coverage,
    newestRefreshDate,
    missingDates,
    lastRun,
    stale,
    staleAt: limit?.toISOString() ?? null,
    source: { silentSince: input.silentSince ?? null },
  };
}
