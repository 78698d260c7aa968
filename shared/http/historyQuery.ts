import { BadRequestError } from '../common/errors';
import { CalendarDate, DATE_RANGE_TEXT, daysBetween, readCalendarDate } from '../reports/dates';
import { single } from './queryParameters';
import { REPORT_FORMATS, ReportFormat } from './reportBody';

/** Ten years of days, leap days included: bounds one response and one walk over the index. */
export const MAX_HISTORY_RANGE_DAYS = 3653;

export interface HistoryQuery {
  /** Omitted bounds default to the archive's coverage. */
  readonly from?: string;
  readonly to?: string;
  readonly format: ReportFormat;
}

/** The one value of a history parameter, worded as the history's contract words a repeat. */
function once(query: URLSearchParams, parameter: string): string | undefined {
  return single(
    query,
    parameter,
    (count) => `${parameter} may be given once (got ${count} values).`,
  );
}

/** A bound outside the app's date range is refused: no history lies there, and walking to it
 * once never ended (see `eachDay`). */
function readBound(query: URLSearchParams, parameter: string): CalendarDate | undefined {
  const value = once(query, parameter);
  if (value === undefined) return undefined;
  const date = readCalendarDate(value);
  if (!date.ok) {
    throw new BadRequestError(
      parameter,
      `${parameter} must be ${DATE_RANGE_TEXT} (got "${value}").`,
    );
  }
  return date.date;
}

/** `from`, `to` (inclusive report dates) and `format` of a history request, strictly checked. */
export function readHistoryQuery(query: URLSearchParams): HistoryQuery {
  const from = readBound(query, 'from');
  const to = readBound(query, 'to');
  if (from !== undefined && to !== undefined) {
    if (from > to) {
      throw new BadRequestError('from', `from (${from}) must not be after to (${to}).`);
    }
    const days = daysBetween(from, to) + 1;
    if (days > MAX_HISTORY_RANGE_DAYS) {
      throw new BadRequestError(
        'to',
        `The range from ${from} to ${to} spans ${days} days; at most ${MAX_HISTORY_RANGE_DAYS} may be asked at once.`,
      );
    }
  }
  const rawFormat = once(query, 'format');
  const wanted = (rawFormat ?? 'json').trim().toLowerCase();
  const format = REPORT_FORMATS.find((candidate) => candidate === wanted);
  if (!format) {
    throw new BadRequestError('format', `format must be json or csv (got "${rawFormat}").`);
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), format };
}
