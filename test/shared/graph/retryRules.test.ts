import {
  GraphAuthError,
  GraphBadResponseError,
  GraphThrottledError,
} from '../../../shared/common/errors';
import {
  backoffDelayMs,
  classifyFailure,
  parseRetryAfter,
  RETRYABLE_STATUSES,
  retryDelayMs,
} from '../../../shared/graph/retryRules';

const NOW = Date.parse('2026-02-07T12:00:00.000Z');

describe('RETRYABLE_STATUSES', () => {
  it.each([429, 500, 502, 503, 504])('retries %i', (status) => {
    expect(RETRYABLE_STATUSES.has(status)).toBe(true);
  });

  it.each([200, 304, 400, 401, 403, 404, 408, 501, 505])('does not retry %i', (status) => {
    expect(RETRYABLE_STATUSES.has(status)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['1', 1_000],
    ['30', 30_000],
    ['120', 120_000],
    ['007', 7_000],
  ])('reads "%s" seconds as %i ms', (header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });

  it('ignores surrounding whitespace', () => {
    expect(parseRetryAfter('  5\t', NOW)).toBe(5_000);
  });

  it('does not depend on now for a number of seconds', () => {
    expect(parseRetryAfter('10', 0)).toBe(10_000);
    expect(parseRetryAfter('10', NOW)).toBe(10_000);
  });

  it('reads an HTTP date in the future as the time until then', () => {
    expect(parseRetryAfter('Sat, 07 Feb 2026 12:00:45 GMT', NOW)).toBe(45_000);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
  });

  it('reads an HTTP date that is now as no wait', () => {
    expect(parseRetryAfter(new Date(NOW).toUTCString(), NOW)).toBe(0);
  });

  it('reads an HTTP date in the past as no wait, never a negative delay', () => {
    expect(parseRetryAfter('Sat, 07 Feb 2026 11:59:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', NOW)).toBe(0);
  });

  it.each([null, undefined, '', '   '])('returns undefined for an absent header (%p)', (header) => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined();
  });

  it.each(['soon', 'tomorrow', '5 seconds', '12abc', '1e3', '0x10', 'NaN', 'Infinity'])(
    'returns undefined for the unreadable value "%s"',
    (header) => {
      expect(parseRetryAfter(header, NOW)).toBeUndefined();
    },
  );
});

describe('backoffDelayMs', () => {
  const fixed = (value: number) => () => value;

  it('waits the base delay on the first attempt, between half and all of it', () => {
    expect(backoffDelayMs(1, 1_000, fixed(0))).toBe(500);
    expect(backoffDelayMs(1, 1_000, fixed(0.5))).toBe(750);
    expect(backoffDelayMs(1, 1_000, fixed(1))).toBe(1_000);
  });

  it('doubles the step with each attempt', () => {
    const steps = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, 1_000, fixed(1)));
    expect(steps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
    const floors = [1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, 200, fixed(0)));
    expect(floors).toEqual([100, 200, 400, 800]);
  });

  it('treats attempt 0 or below like the first attempt', () => {
    expect(backoffDelayMs(0, 1_000, fixed(1))).toBe(1_000);
    expect(backoffDelayMs(-3, 1_000, fixed(1))).toBe(1_000);
  });

  it('caps the step at 60 seconds', () => {
    expect(backoffDelayMs(7, 1_000, fixed(1))).toBe(60_000);
    expect(backoffDelayMs(7, 1_000, fixed(0))).toBe(30_000);
    expect(backoffDelayMs(30, 1_000, fixed(1))).toBe(60_000);
    expect(backoffDelayMs(1, 600_000, fixed(1))).toBe(60_000);
    expect(backoffDelayMs(1, 600_000, fixed(0))).toBe(30_000);
  });

  it('stays within [step/2, step] for any random value', () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const step = Math.min(60_000, 1_000 * 2 ** (attempt - 1));
      for (const random of [0, 0.001, 0.25, 0.5, 0.75, 0.999, 1]) {
        const delay = backoffDelayMs(attempt, 1_000, fixed(random));
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('grows linearly with the random value within a step', () => {
    expect(backoffDelayMs(2, 1_000, fixed(0.25))).toBe(1_250);
    expect(backoffDelayMs(2, 1_000, fixed(0.75))).toBe(1_750);
  });

  it('rounds to whole milliseconds', () => {
    expect(backoffDelayMs(1, 3, fixed(0))).toBe(2);
    expect(backoffDelayMs(1, 3, fixed(0.1))).toBe(2);
  });

  it('is zero when the base delay is zero', () => {
    expect(backoffDelayMs(1, 0, fixed(1))).toBe(0);
    expect(backoffDelayMs(5, 0, fixed(0.5))).toBe(0);
  });

  it('asks the random source once per call', () => {
    const random = jest.fn(() => 0.5);
    backoffDelayMs(3, 1_000, random);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it('uses Math.random by default', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(0);
    try {
      expect(backoffDelayMs(3, 1_000)).toBe(2_000);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('never collapses to zero with a real random source', () => {
    for (let i = 0; i < 200; i += 1) {
      const delay = backoffDelayMs(2, 1_000);
      expect(delay).toBeGreaterThanOrEqual(1_000);
      expect(delay).toBeLessThanOrEqual(2_000);
    }
  });
});

describe('parseRetryAfter with text that is neither seconds nor an HTTP date', () => {
  it.each(['-1', '1.5', 'a 1', '2026-02-07T12:00:05Z'])(
    'ignores %p, so backoff applies',
    (header) => {
      expect(parseRetryAfter(header, NOW)).toBeUndefined();
    },
  );

  it('accepts the obsolete asctime form HTTP still allows', () => {
    expect(parseRetryAfter('Sat Feb  7 12:00:05 2026', NOW)).toBe(5000);
  });
});

describe('classifyFailure', () => {
  const HOST = 'graph.example';
  const where = (status: number) => `Graph (${HOST}) answered ${status}`;
  const throttled = (retryAfterSeconds?: number) =>
    new GraphThrottledError(
      `${where(429)}: the report API is throttling this app.`,
      retryAfterSeconds,
    );
  const failed = (status: number) => new GraphBadResponseError(`${where(status)}.`, status);
  const unusable = (status: number) =>
    new GraphBadResponseError(`${where(status)}, which this service cannot use.`, status);
  const rejected = new GraphAuthError(
    401,
    `${where(401)}: Graph rejected the app's token. Check the tenant and the app's credentials; the token must be for Microsoft Graph.`,
  );
  const forbidden = new GraphAuthError(
    403,
    `${where(403)}: the app needs the Microsoft Graph application permission Reports.Read.All, with admin consent.`,
  );
  /** One second after NOW, as an HTTP date. */
  const DATE_1S = 'Sat, 07 Feb 2026 12:00:01 GMT';

  // prettier-ignore
  it.each([
    // status, Retry-After,  asked,      action,  delayMs,   error
    [429,      null,         'api',      'retry', undefined, throttled()],
    [429,      '2',          'api',      'retry', 2_000,     throttled(2)],
    [429,      '0',          'api',      'retry', 0,         throttled(0)],
    [429,      DATE_1S,      'api',      'retry', 1_000,     throttled(1)],
    [429,      'soon',       'api',      'retry', undefined, throttled()],
    [500,      null,         'api',      'retry', undefined, failed(500)],
    [502,      null,         'api',      'retry', undefined, failed(502)],
    [503,      '3',          'api',      'retry', 3_000,     failed(503)],
    [504,      null,         'download', 'retry', undefined, failed(504)],
    [401,      null,         'api',      'fail',  undefined, rejected],
    [403,      null,         'api',      'fail',  undefined, forbidden],
    [403,      '5',          'api',      'fail',  undefined, forbidden],
    [400,      null,         'api',      'fail',  undefined, unusable(400)],
    [404,      null,         'api',      'fail',  undefined, unusable(404)],
    [418,      null,         'api',      'fail',  undefined, unusable(418)],
    [304,      null,         'api',      'fail',  undefined, unusable(304)],
    // The download host refuses only an expired pre-authenticated URL: a new attempt gets a new one.
    [401,      null,         'download', 'retry', undefined, unusable(401)],
    [403,      null,         'download', 'retry', undefined, unusable(403)],
    [404,      null,         'download', 'retry', undefined, unusable(404)],
  ] as const)(
    '%i with Retry-After %p from the %s host -> %s after %p ms',
    (status, retryAfter, asked, action, delayMs, error) => {
      const headers = new Headers(retryAfter === null ? {} : { 'Retry-After': retryAfter });
      const decision = classifyFailure(status, headers, asked === 'api', NOW, HOST);
      expect(decision.action).toBe(action);
      expect(decision.action === 'retry' ? decision.delayMs : undefined).toBe(delayMs);
      expect(decision.error).toBeInstanceOf(error.constructor);
      expect(decision.error.message).toBe(error.message);
      expect({ ...decision.error }).toEqual({ ...error });
    },
  );

  it('leaves delayMs out when Graph did not say how long to wait', () => {
    expect(classifyFailure(500, new Headers(), true, NOW, HOST)).not.toHaveProperty('delayMs');
  });
});

describe('retryDelayMs', () => {
  const BASE = 1_000;
  const fixed = () => 0.5;

  it.each([
    // Retry-After in ms (undefined: none), attempt, expected wait
    [5_000, 1, 5_000],
    [1_000, 1, 1_000],
    [120_000, 3, 120_000],
    // Less than the base delay is raised to it: Retry-After: 0 must not become a burst of calls.
    [0, 1, 1_000],
    [0, 3, 1_000],
    [999, 2, 1_000],
    // None: exponential backoff with jitter.
    [undefined, 1, 750],
    [undefined, 2, 1_500],
    [undefined, 3, 3_000],
  ])('with Retry-After %p ms on attempt %i, waits %i ms', (requested, attempt, expected) => {
    expect(retryDelayMs(requested, attempt, BASE, fixed)).toBe(expected);
  });

  it('waits nothing extra when the base delay is zero', () => {
    expect(retryDelayMs(0, 1, 0, fixed)).toBe(0);
  });
});
