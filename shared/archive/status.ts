import { settingDefinition } from '../config';
import { addDays, utcDate } from '../reports/dates';
import { Coverage } from './historyIndex';

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
  };
}
