import fc from 'fast-check';
import {
  addDays,
  daysBetween,
  eachDay,
  firstOfNextMonth,
  isCalendarDate,
  MAX_DATE,
  MIN_DATE,
  readCalendarDate,
  utcDate,
} from '../../../shared/reports/dates';

/** Any date of the app's range, as a day offset from MIN_DATE. */
const SPAN = daysBetween(MIN_DATE, MAX_DATE);
const inRange = fc.integer({ min: 0, max: SPAN }).map((day) => addDays(MIN_DATE, day));

describe('the calendar date: one type for request parameters, CSV cells and the index', () => {
  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2000-01-01', true],
    ['9999-12-30', true],
    ['2026-02-29', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-13-45', false],
    ['2026-00-10', false],
    ['2026-1-01', false],
    ['2026-01-01T00:00:00Z', false],
    [' 2026-01-01', false],
    ['"><svg onload=alert(1)>', false],
    ['', false],
    ['1999-12-31', false],
    ['0001-01-01', false],
    ['0000-01-01', false],
    ['9999-12-31', false],
    ['+010000-01-01', false],
  ])('%j is a calendar date in range: %s', (text, expected) => {
    expect(isCalendarDate(text)).toBe(expected);
  });

  it.each([
    ['9999-12-31', 'out-of-range'],
    ['1999-12-31', 'out-of-range'],
    ['2026-02-30', 'not-a-date'],
  ])('%j is refused as %s', (text, reason) => {
    expect(readCalendarDate(text)).toEqual({ ok: false, reason });
  });

  it('keeps arithmetic inside the range: past either end it stops at the end', () => {
    expect(addDays(MAX_DATE, 1)).toBe(MAX_DATE);
    expect(addDays(MAX_DATE, 1e9)).toBe(MAX_DATE);
    expect(addDays(MIN_DATE, -1)).toBe(MIN_DATE);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(firstOfNextMonth('9999-12-05')).toBe(MAX_DATE);
    expect(utcDate(new Date('2026-03-05T23:59:59Z'))).toBe('2026-03-05');
    expect(utcDate(new Date(Number.NaN))).toBe(MIN_DATE);
  });

  it('never yields a date outside the range, whatever the offset', () => {
    fc.assert(
      fc.property(inRange, fc.integer({ min: -1e7, max: 1e7 }), (date, days) => {
        expect(isCalendarDate(addDays(date, days))).toBe(true);
      }),
    );
  });

  it('walks any two dates in range in exactly daysBetween + 1 steps (none when reversed)', () => {
    // The second date within ten years of the first, either side: long enough to cross the
    // range's ends, short enough that 200 walks stay quick.
    const pair = fc
      .tuple(inRange, fc.integer({ min: -3653, max: 3653 }))
      .map(([from, offset]) => [from, addDays(from, offset)] as const);
    fc.assert(
      fc.property(pair, ([from, to]) => {
        const expected = Math.max(0, daysBetween(from, to) + 1);
        let steps = 0;
        let previous = '';
        for (const date of eachDay(from, to)) {
          steps++;
          // A runaway loop fails here instead of hanging the suite.
          if (steps > expected) break;
          if (!(date > previous)) throw new Error(`${date} does not follow ${previous}`);
          previous = date;
        }
        expect(steps).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('ends the walk to the last date of the range, where a compared loop never did [bad-input]', () => {
    const days = [...eachDay('9999-12-25', MAX_DATE)];
    expect(days).toHaveLength(6);
    expect(days.at(-1)).toBe(MAX_DATE);
  });
});
