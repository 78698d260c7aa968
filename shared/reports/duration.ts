/**
 * Graph's ISO 8601 durations (`PT0S`, `PT1H2M3S`, `P1DT2H`, `PT12.5S`), the form its Teams
 * reports give audio, video and screen-share time in, read into whole seconds and written back.
 *
 * Written here rather than taken from a library (tinyduration, iso8601-duration, luxon): those
 * accept the whole grammar, years and months included, and hand back components or a float that
 * we would still have to check for everything below, so the library would save only the regex.
 */

/**
 * The key of the whole seconds a JSON row carries beside a duration column's own value, e.g.
 * `audioDuration` → `audioDurationInSeconds` (Graph's user-detail report names its durations
 * "… In Seconds").
 */
export function inSecondsKey(key: string): string {
  return `${key}InSeconds`;
}

/** What reading one duration gives: whole seconds, or why the text is not a usable duration. */
export type DurationResult =
  { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly reason: string };

/**
 * 10,000 years of 365.25 days. A row is one day's total for a whole tenant, so it is bounded by
 * the tenant's users × 24 h: the largest tenants hold a few million users (2 million all day is
 * about 5,500 years), so a longer duration is a fault (an overflow, a unit mix-up), not data.
 * (100 years would be too tight: 36,525 users on calls all day reach it, and tenants ten times
 * that size exist.) It also keeps the sum of a D180 report's durations a safe integer.
 */
export const MAX_DURATION_SECONDS = 3_652_500 * 86_400;

// Designators in ISO 8601 order. Years and months are captured only to be refused with a clear
// reason; a fraction is allowed on the seconds only (ISO 8601 allows it on the smallest component
// given, and serializers of time spans put sub-second precision there). A comma is ISO 8601's
// other decimal sign.
const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d+))?S)?)?$/;

const SECONDS = { W: 604_800, D: 86_400, H: 3_600, M: 60 } as const;

function fail(reason: string): DurationResult {
  return { ok: false, reason };
}

/**
 * Reads an ISO 8601 duration into whole seconds. A fraction of a second rounds half up (to the
 * nearest second, `PT12.5S` → 13, `PT12.4S` → 12): a sum of many rounded rows stays unbiased,
 * where truncating would lose up to a second on each.
 *
 * Refused:
 * - years and months (`P1Y`, `P2M`): their length in seconds depends on which year and month,
 *   which a duration does not say; a day's activity never needs them, so one seen here means a
 *   corrupted value or another producer, and guessing 30 or 365 days would silently misstate
 *   minutes;
 * - a sign (`-PT5S`): activity time cannot be negative;
 * - more than `MAX_DURATION_SECONDS`;
 * - anything else outside `P[nW][nD][T[nH][nM][n[.f]S]]` with at least one component.
 */
export function parseDuration(text: string): DurationResult {
  const value = text.trim();
  if (value === '') return fail('it is empty');
  if (/^[-+−]/.test(value)) return fail(`"${value}" is signed; a duration must not be negative`);
  const match = DURATION.exec(value);
  // ISO 8601 needs at least one component, and a `T` must be followed by one.
  if (!match || value === 'P' || value.endsWith('T')) {
    return fail(`"${value}" is not an ISO 8601 duration such as PT1H2M3S`);
  }
  const [, years, months, weeks, days, hours, minutes, wholeSeconds, fraction] = match;
  if (years !== undefined || months !== undefined) {
    return fail(
      `"${value}" counts years or months, whose length in seconds is ambiguous; expected days, hours, minutes and seconds`,
    );
  }
  const seconds =
    Number(weeks ?? 0) * SECONDS.W +
    Number(days ?? 0) * SECONDS.D +
    Number(hours ?? 0) * SECONDS.H +
    Number(minutes ?? 0) * SECONDS.M +
    Number(wholeSeconds ?? 0) +
    // Half up, decided on the first digit so no binary fraction is involved.
    (fraction !== undefined && fraction[0]! >= '5' ? 1 : 0);
  // Huge digit strings make `seconds` Infinity or imprecise; both fail this comparison.
  if (!(seconds <= MAX_DURATION_SECONDS)) {
    return fail(`"${value}" is longer than 10,000 years`);
  }
  return { ok: true, seconds };
}

/**
 * Whole seconds as `PT#H#M#S`, zero components left out (`PT1H3S`, `PT0S`), hours not carried
 * into days (`PT30H`): one fixed shape, which `parseDuration` reads back exactly.
 * Throws a RangeError for what no report could hold: a fraction, a negative, too large.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > MAX_DURATION_SECONDS) {
    throw new RangeError(
      `A duration must be whole seconds from 0 to ${MAX_DURATION_SECONDS}, got ${seconds}.`,
    );
  }
  const hours = Math.floor(seconds / SECONDS.H);
  const minutes = Math.floor((seconds % SECONDS.H) / SECONDS.M);
  const rest = seconds % SECONDS.M;
  const parts = [
    hours ? `${hours}H` : '',
    minutes ? `${minutes}M` : '',
    rest || (!hours && !minutes) ? `${rest}S` : '',
  ];
  return `PT${parts.join('')}`;
}
