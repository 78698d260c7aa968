import fc from 'fast-check';
import {
  formatDuration,
  inSecondsKey,
  MAX_DURATION_SECONDS,
  parseDuration,
} from '../../../shared/reports/duration';

describe('inSecondsKey', () => {
  it('names the whole seconds beside a duration as Graph names its own', () => {
    expect(inSecondsKey('audioDuration')).toBe('audioDurationInSeconds');
  });
});

describe('parseDuration', () => {
  it.each([
    ['PT0S', 0],
    ['P0D', 0],
    ['PT1H2M3S', 3_723],
    ['P1DT2H', 93_600],
    ['P2W', 1_209_600],
    ['PT90M', 5_400],
    ['PT36H', 129_600],
    ['P1DT0H0M1S', 86_401],
    ['PT45S', 45],
    ['PT12.5S', 13],
    ['PT12.4999S', 12],
    ['PT0.5S', 1],
    ['PT0.49S', 0],
    ['PT1M59.9S', 120],
    ['PT3,5S', 4],
    [' PT5S ', 5],
    [`P${3_652_500}D`, MAX_DURATION_SECONDS],
    // Two million users on calls all day: a day of the largest tenants, still data.
    ['PT48000000H', 172_800_000_000],
  ])('reads %j as %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toEqual({ ok: true, seconds });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['-PT5S', /negative/],
    ['+PT5S', /negative/],
    ['P1Y', /years or months.*ambiguous/],
    ['P2M', /years or months.*ambiguous/],
    ['P1Y2M3DT4H', /years or months.*ambiguous/],
    ...[
      'P',
      'PT',
      'P1DT',
      '1H2M',
      'PT1H2M3',
      'PT1S2M',
      'PT1.5H',
      'PT.5S',
      'pt5s',
      'PT-5S',
      '01:02:03',
      '3723',
    ].map((text): [string, RegExp] => [text, /not an ISO 8601 duration/]),
    [`P${3_652_500}DT1S`, /longer than 10,000 years/],
    ['PT99999999999999999999999S', /longer than 10,000 years/],
  ])('refuses %j', (text, reason) => {
    expect(parseDuration(text)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('refuses a duration whose digits overflow a number', () => {
    expect(parseDuration(`PT${'9'.repeat(400)}S`)).toEqual({
      ok: false,
      reason: expect.stringMatching(/longer than 10,000 years/),
    });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'PT0S'],
    [45, 'PT45S'],
    [60, 'PT1M'],
    [3_600, 'PT1H'],
    [3_603, 'PT1H3S'],
    [3_723, 'PT1H2M3S'],
    [129_600, 'PT36H'],
  ])('writes %d seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_DURATION_SECONDS + 1])(
    'refuses %d seconds',
    (seconds) => {
      expect(() => formatDuration(seconds)).toThrow(RangeError);
    },
  );
});

describe('durations, over generated input', () => {
  const seconds = fc.integer({ min: 0, max: MAX_DURATION_SECONDS });

  it('reads back every duration it writes', () => {
    fc.assert(
      fc.property(seconds, (n) => {
        expect(parseDuration(formatDuration(n))).toEqual({ ok: true, seconds: n });
      }),
    );
  });

  it('reads any mix of days, hours, minutes and seconds as their sum', () => {
    const part = fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, part, (d, h, m, s) => {
        const time = [h === undefined ? '' : `${h}H`, m === undefined ? '' : `${m}M`].join('');
        const text = `P${d === undefined ? '' : `${d}D`}${time || s !== undefined ? `T${time}${s === undefined ? '' : `${s}S`}` : ''}`;
        const expected = (d ?? 0) * 86_400 + (h ?? 0) * 3_600 + (m ?? 0) * 60 + (s ?? 0);
        const none = [d, h, m, s].every((value) => value === undefined);
        expect(parseDuration(text)).toEqual(
          none ? expect.objectContaining({ ok: false }) : { ok: true, seconds: expected },
        );
      }),
    );
  });

  it('never throws, and only ever gives whole seconds within the bound', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^-?P[0-9YMWDTHS.,]{0,12}$/)), (text) => {
        const result = parseDuration(text);
        if (result.ok) {
          expect(Number.isSafeInteger(result.seconds)).toBe(true);
          expect(result.seconds).toBeGreaterThanOrEqual(0);
          expect(result.seconds).toBeLessThanOrEqual(MAX_DURATION_SECONDS);
        } else {
          expect(result.reason).not.toBe('');
        }
      }),
    );
  });
});
