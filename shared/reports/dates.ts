/**
 * The app's one calendar-date type and its arithmetic: a `YYYY-MM-DD` day in UTC between
 * `MIN_DATE` and `MAX_DATE`. Request parameters, Graph's CSV, the history index and every loop
 * over days go through here, so no date can step outside the range: past 9999-12-31 an ISO
 * string grows a sign (`+010000-01-01`) and sorts before the dates it follows, which once made a
 * day loop never end. Hand-written rather than a date library: it is a few lines of integer
 * arithmetic on UTC days, and the range check is the point.
 */

/** A real calendar date in `MIN_DATE..MAX_DATE`, as `YYYY-MM-DD`. Made only by this module. */
export type CalendarDate = string & { readonly __calendarDate: true };

/** No usage report predates 2000; a date before it is a fault, not history. */
export const MIN_DATE = '2000-01-01' as CalendarDate;
/** One day short of the last four-digit year, so `MAX_DATE + 1` still prints as `YYYY-MM-DD`. */
export const MAX_DATE = '9999-12-30' as CalendarDate;

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_DAY = Date.UTC(2000, 0, 1) / DAY_MS;
const MAX_DAY = Date.UTC(9999, 11, 30) / DAY_MS;

/** Days since 1970-01-01 of a `YYYY-MM-DD` string naming a real date, in any range. */
function dayNumber(text: string): number | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // setUTCFullYear rolls 02-30 over to March; a real date survives the round trip.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return undefined;
  if (date.getUTCDate() !== day) return undefined;
  return date.getTime() / DAY_MS;
}

function fromDayNumber(day: number): CalendarDate {
  const clamped = Math.min(MAX_DAY, Math.max(MIN_DAY, Math.trunc(day)));
  return new Date(clamped * DAY_MS).toISOString().slice(0, 10) as CalendarDate;
}

/** Why a text is not a `CalendarDate`: not a date at all, or a real date outside the range. */
export type DateReading =
  | { readonly ok: true; readonly date: CalendarDate }
  | { readonly ok: false; readonly reason: 'not-a-date' | 'out-of-range' };

export function readCalendarDate(text: string): DateReading {
  const day = dayNumber(text);
  if (day === undefined) return { ok: false, reason: 'not-a-date' };
  if (day < MIN_DAY || day > MAX_DAY) return { ok: false, reason: 'out-of-range' };
  return { ok: true, date: text as CalendarDate };
}

/** True for `YYYY-MM-DD` naming a real date in `MIN_DATE..MAX_DATE`. */
export function isCalendarDate(text: unknown): text is CalendarDate {
  return typeof text === 'string' && readCalendarDate(text).ok;
}

/** The words a 400 or a format error uses for the range. */
export const DATE_RANGE_TEXT = `a calendar date as YYYY-MM-DD from ${MIN_DATE} to ${MAX_DATE}`;

/** The UTC day of an instant, clamped to the range (a clock is not a request parameter). */
export function utcDate(instant: Date): CalendarDate {
  const ms = instant.getTime();
  return fromDayNumber(Number.isFinite(ms) ? Math.floor(ms / DAY_MS) : MIN_DAY);
}

/** `date` moved by `days`; the result is clamped to `MIN_DATE..MAX_DATE`, never past them. */
export function addDays(date: string, days: number): CalendarDate {
  const day = dayNumber(date);
  if (day === undefined) throw new RangeError(`"${date}" is not a date as YYYY-MM-DD.`);
  return fromDayNumber(day + (Number.isFinite(days) ? Math.trunc(days) : 0));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (a === undefined || b === undefined) {
    throw new RangeError(`"${from}" and "${to}" must be dates as YYYY-MM-DD.`);
  }
  return b - a;
}

/**
 * Every day of `from..to`, inclusive, ascending; none when `from` is after `to`. The loop is
 * counted, not compared, so it ends after `daysBetween(from, to) + 1` steps whatever the dates.
 */
export function* eachDay(from: string, to: string): Generator<CalendarDate> {
  const first = dayNumber(from);
  const count = daysBetween(from, to) + 1;
  if (first === undefined) return;
  for (let step = 0; step < count; step++) yield fromDayNumber(first + step);
}

/** The first day of the month after `date`'s (or `date` itself when `inclusive` and a first). */
export function firstOfNextMonth(date: string, inclusive = false): CalendarDate {
  if (inclusive && date.endsWith('-01')) return date as CalendarDate;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return fromDayNumber(Date.UTC(year, month, 1) / DAY_MS);
}
