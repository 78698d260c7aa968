import { isCalendarDate } from '../archive/historyIndex';
import { BadRequestError } from '../common/errors';
import { daysBetween } from '../reports/dates';
import { REPORT_FORMATS, ReportFormat } from './reportBody';

/** Ten years of days, leap days included: bounds one response and one walk over the index. */
export const MAX_HISTORY_RANGE_DAYS = 3653;

export interface HistoryQuery {
  /** Omitted bounds default to the archive's coverage. */
  readonly from?: string;
  readonly to?: string;
  readonly format: ReportFormat;
}

/** The one value of a parameter; a repeated one is ambiguous, so it is refused, not guessed. */
function single(query: URLSearchParams, parameter: string): string | undefined {
  const values = query.getAll(parameter);
  if (values.length > 1) {
    throw new BadRequestError(
      parameter,
      `${parameter} may be given once (got ${values.length} values).`,
    );
  }
  return values[0];
}

function readDate(query: URLSearchParams, parameter: string): string | undefined {
  const value = single(query, parameter);
  if (value !== undefined && !isCalendarDate(value)) {
    throw new BadRequestError(
      parameter,
      `${parameter} must be a calendar date as YYYY-MM-DD (got "${value}").`,
    );
  }
  return value;
}

/** `from`, `to` (inclusive report dates) and `format` of a history request, strictly checked. */
export function readHistoryQuery(query: URLSearchParams): HistoryQuery {
  const from = readDate(query, 'from');
  const to = readDate(query, 'to');
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
  const rawFormat = single(query, 'format');
  const wanted = (rawFormat ?? 'json').trim().toLowerCase();
  const format = REPORT_FORMATS.find((candidate) => candidate === wanted);
  if (!format) {
    throw new BadRequestError('format', `format must be json or csv (got "${rawFormat}").`);
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), format };
}
