import { backfillPeriod, daysBetween } from '../../shared/backfill';

describe('backfillPeriod', () => {
  it('seeds an empty archive with D180, all Graph keeps', () => {
    expect(backfillPeriod(undefined, '2026-11-26', ['D7'])).toBe('D180');
    expect(backfillPeriod(undefined, undefined, ['D7'])).toBe('D180');
  });

  it('needs nothing while the longest configured period reaches the newest stored date', () => {
    expect(backfillPeriod('2026-11-19', '2026-11-26', ['D7'])).toBeUndefined();
    expect(backfillPeriod('2026-11-26', '2026-11-26', ['D7'])).toBeUndefined();
    expect(backfillPeriod('2026-10-01', '2026-11-26', ['D7', 'D90'])).toBeUndefined();
  });

  it('picks the smallest of D30, D90, D180 that covers the gap', () => {
    expect(backfillPeriod('2026-11-18', '2026-11-26', ['D7'])).toBe('D30');
    expect(backfillPeriod('2026-10-27', '2026-11-26', ['D7'])).toBe('D30');
    expect(backfillPeriod('2026-10-26', '2026-11-26', ['D7'])).toBe('D90');
    expect(backfillPeriod('2026-08-01', '2026-11-26', ['D7'])).toBe('D180');
  });

  it('still takes D180 for a gap longer than Graph keeps', () => {
    expect(backfillPeriod('2025-01-01', '2026-11-26', ['D7'])).toBe('D180');
  });

  it('fetches nothing extra when the wider period is configured anyway', () => {
    expect(backfillPeriod(undefined, '2026-11-26', ['D180'])).toBeUndefined();
    expect(backfillPeriod('2026-06-01', '2026-11-26', ['D7', 'D180'])).toBeUndefined();
  });

  it('cannot measure a gap without a current refresh date, nor a negative one', () => {
    expect(backfillPeriod('2026-11-01', undefined, ['D7'])).toBeUndefined();
    expect(backfillPeriod('2026-11-30', '2026-11-26', ['D7'])).toBeUndefined();
  });

  it('counts days across month and leap-year ends', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
  });
});
