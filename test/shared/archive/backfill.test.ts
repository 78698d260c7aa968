import {
  firstUncoveredDay,
  planBackfill,
  StoredSnapshotDate,
} from '../../../shared/archive/backfill';
import { addDays, daysBetween } from '../../../shared/reports/dates';
import { ReportPeriod } from '../../../shared/reports/definitions';

const TODAY = '2026-11-26';

const backfillPeriod = (...args: Parameters<typeof planBackfill>) => planBackfill(...args)?.period;

/** Daily snapshots of one period for every refresh date from `from` through `to`. */
function daily(period: ReportPeriod, from: string, to: string): StoredSnapshotDate[] {
  return Array.from({ length: daysBetween(from, to) + 1 }, (_, index) => ({
    period,
    reportRefreshDate: addDays(from, index),
  }));
}

describe('planBackfill', () => {
  it('seeds an empty archive with D180, all Graph keeps', () => {
    expect(backfillPeriod([], TODAY, ['D7'])).toBe('D180');
    expect(backfillPeriod([], undefined, ['D7'])).toBe('D180');
  });

  it("needs nothing while daily snapshots are contiguous back through Graph's window", () => {
    const stored = [
      { period: 'D180', reportRefreshDate: '2026-06-01' } as const,
      ...daily('D7', '2026-06-02', '2026-11-20'),
    ];
    expect(backfillPeriod(stored, TODAY, ['D7'])).toBeUndefined();
  });

  it.each([
    ['2026-11-19', undefined],
    ['2026-11-18', 'D30'],
    ['2026-10-27', 'D30'],
    ['2026-10-26', 'D90'],
    ['2026-08-28', 'D90'],
    ['2026-08-27', 'D180'],
    ['2025-01-01', 'D180'],
  ] as const)('after daily snapshots ending %s, fetches %s', (lastStored, expected) => {
    const stored = [
      { period: 'D180', reportRefreshDate: addDays(lastStored, -30) } as const,
      ...daily('D7', addDays(lastStored, -29), lastStored),
    ];
    expect(backfillPeriod(stored, TODAY, ['D7'])).toBe(expected);
  });

  it('finds a hole left before the newest snapshot, such as a failed backfill', () => {
    // Seeded long ago, then a 40-day outage; the run after it stored D7 but its D90 was invalid.
    const stored = [
      { period: 'D180', reportRefreshDate: '2026-10-17' } as const,
      { period: 'D7', reportRefreshDate: '2026-11-26' } as const,
    ];
    expect(firstUncoveredDay(stored, TODAY, ['D7'])).toBe('2026-10-18');
    expect(planBackfill(stored, TODAY, ['D7'])).toEqual({ period: 'D90', from: '2026-10-18' });
  });

  it('ignores holes older than Graph keeps: they can never be filled', () => {
    const stored = [
      { period: 'D7', reportRefreshDate: '2025-01-07' } as const,
      { period: 'D180', reportRefreshDate: '2026-11-20' } as const,
    ];
    expect(backfillPeriod(stored, TODAY, ['D7'])).toBeUndefined();
  });

  it('fetches nothing extra when the wider period is configured anyway', () => {
    expect(backfillPeriod([], TODAY, ['D180'])).toBeUndefined();
    expect(
      backfillPeriod([{ period: 'D7', reportRefreshDate: '2026-06-01' }], TODAY, ['D7', 'D180']),
    ).toBeUndefined();
  });

  it('counts the configured periods of this run as covering their days', () => {
    const stored = [{ period: 'D180', reportRefreshDate: '2026-10-01' } as const];
    expect(backfillPeriod(stored, TODAY, ['D7', 'D90'])).toBeUndefined();
    expect(backfillPeriod(stored, TODAY, ['D7', 'D30'])).toBe('D90');
  });

  it('cannot measure a gap without a current refresh date', () => {
    expect(
      backfillPeriod([{ period: 'D7', reportRefreshDate: '2026-11-01' }], undefined, ['D7']),
    ).toBeUndefined();
  });
});

describe('dates', () => {
  it('count days across month and leap-year ends', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });
});
