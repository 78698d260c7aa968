import { BadRequestError } from '../../../shared/common/errors';
import { MAX_HISTORY_RANGE_DAYS, readHistoryQuery } from '../../../shared/http/historyQuery';
import { addDays } from '../../../shared/reports/dates';
import { thrownBy } from '../../support/errors';

const read = (search: string) => readHistoryQuery(new URLSearchParams(search));

describe('readHistoryQuery', () => {
  it.each([
    ['', { format: 'json' }],
    ['from=2016-01-01', { from: '2016-01-01', format: 'json' }],
    ['to=2026-03-10', { to: '2026-03-10', format: 'json' }],
    ['from=2026-03-10&to=2026-03-10', { from: '2026-03-10', to: '2026-03-10', format: 'json' }],
    [
      'from=2024-02-29&to=2024-03-01&format=csv',
      { from: '2024-02-29', to: '2024-03-01', format: 'csv' },
    ],
    ['format=CSV', { format: 'csv' }],
    ['format=%20Json%20', { format: 'json' }],
    ['period=D7&from=2026-01-01', { from: '2026-01-01', format: 'json' }],
  ])('reads "%s"', (search, expected) => {
    expect(read(search)).toEqual(expected);
  });

  it.each([
    ['from=2026-02-30', 'from', 'calendar date'],
    ['from=2026-2-01', 'from', 'calendar date'],
    ['from=', 'from', 'calendar date'],
    ['from=%202026-01-01', 'from', 'calendar date'],
    ['to=2026-03-10T00:00:00Z', 'to', 'calendar date'],
    ['to=yesterday', 'to', 'calendar date'],
    ['to=2026-13-01', 'to', 'calendar date'],
    ['from=2026-03-11&to=2026-03-10', 'from', 'must not be after'],
    ['from=2026-01-01&from=2026-01-02', 'from', 'once'],
    ['to=2026-01-01&to=2026-01-01', 'to', 'once'],
    ['format=json&format=csv', 'format', 'once'],
    ['format=xml', 'format', 'json or csv'],
    ['format=', 'format', 'json or csv'],
  ])('refuses "%s", naming %s', (search, parameter, detail) => {
    const error = thrownBy(BadRequestError, () => read(search));
    expect(error.parameter).toBe(parameter);
    expect(error.message).toContain(detail);
  });

  describe('a range of at most ten years', () => {
    const from = '2016-03-11';
    it.each([
      [MAX_HISTORY_RANGE_DAYS - 1, true],
      [MAX_HISTORY_RANGE_DAYS, true],
      [MAX_HISTORY_RANGE_DAYS + 1, false],
    ])('of %i days is accepted: %s', (days, accepted) => {
      const to = addDays(from, days - 1);
      if (accepted) {
        expect(read(`from=${from}&to=${to}`)).toEqual({ from, to, format: 'json' });
      } else {
        const error = thrownBy(BadRequestError, () => read(`from=${from}&to=${to}`));
        expect(error.parameter).toBe('to');
        expect(error.message).toContain(`${days} days`);
      }
    });

    it('is ten years to the day, leap days included', () => {
      expect(MAX_HISTORY_RANGE_DAYS).toBe(3653);
      expect(read('from=2016-01-01&to=2025-12-31')).toMatchObject({ to: '2025-12-31' });
    });
  });
});
