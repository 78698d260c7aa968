import {
  archiveStatus,
  ArchiveStatusInput,
  DEFAULT_STALE_AFTER_HOURS,
  LastRun,
  silentSince,
} from '../../../shared/archive/status';
import type { HistoryEntry, HistoryIndex } from '../../../shared/archive/historyIndex';
import { catalogueReport } from '../../../shared/reports/catalogue';
import { addDays } from '../../../shared/reports/dates';

const succeeded: LastRun = {
  startedAt: '2026-03-11T02:00:00.000Z',
  finishedAt: '2026-03-11T02:00:05.000Z',
  succeeded: true,
  summary: { blobsWritten: 1 },
};
const failed: LastRun = {
  ...succeeded,
  succeeded: false,
  error: 'Graph kept answering 429 beyond our retry budget.',
};

/** Refreshed for 03-10: fresh until 96 hours after 03-11T00:00Z, that is 03-15T00:00Z. */
const healthy: ArchiveStatusInput = {
  coverage: { first: '2025-09-12', last: '2026-03-10' },
  missingDates: [],
  newestRefreshDate: '2026-03-10',
  lastRun: succeeded,
  now: new Date('2026-03-11T02:00:05.000Z'),
};
const at = (iso: string) => new Date(iso);

describe('archiveStatus', () => {
  it.each<
    [string, Partial<ArchiveStatusInput>, { healthy: boolean; reason?: string; stale: boolean }]
  >([
    ['fresh data and a successful run', {}, { healthy: true, stale: false }],
    ['no run recorded yet, but fresh data', { lastRun: null }, { healthy: true, stale: false }],
    [
      'data older than 96 hours',
      { now: at('2026-03-16T00:00:00.000Z') },
      { healthy: false, reason: 'stale', stale: true },
    ],
    [
      'a failed last run, data still fresh',
      { lastRun: failed },
      { healthy: false, reason: 'last-run-failed', stale: false },
    ],
    [
      'a failed last run and stale data: the failure explains the staleness',
      { lastRun: failed, now: at('2026-03-20T00:00:00.000Z') },
      { healthy: false, reason: 'last-run-failed', stale: true },
    ],
    [
      'an empty archive',
      { coverage: null, newestRefreshDate: null, lastRun: null },
      { healthy: false, reason: 'empty', stale: true },
    ],
    [
      'an empty archive after a failed first run',
      { coverage: null, newestRefreshDate: null, lastRun: failed },
      { healthy: false, reason: 'last-run-failed', stale: true },
    ],
    [
      'storage that could not be read',
      { storageAvailable: false, coverage: null, newestRefreshDate: null, lastRun: null },
      { healthy: false, reason: 'storage-unavailable', stale: true },
    ],
    [
      'storage unavailable outranks a failed run',
      { storageAvailable: false, lastRun: failed },
      { healthy: false, reason: 'storage-unavailable', stale: false },
    ],
  ])('%s', (_, change, expected) => {
    const status = archiveStatus({ ...healthy, ...change });
    expect({ healthy: status.healthy, reason: status.reason, stale: status.stale }).toEqual({
      reason: undefined,
      ...expected,
    });
    expect('reason' in status).toBe(!expected.healthy);
  });

  describe('staleness is counted from the end of the refresh date, UTC', () => {
    it.each([
      ['the refresh day itself', '2026-03-10T23:59:59.999Z', DEFAULT_STALE_AFTER_HOURS, false],
      ['one millisecond before the limit', '2026-03-14T23:59:59.999Z', 96, false],
      ['exactly at the limit', '2026-03-15T00:00:00.000Z', 96, false],
      ['one millisecond past the limit', '2026-03-15T00:00:00.001Z', 96, true],
      ['24 hours configured, at the limit', '2026-03-12T00:00:00.000Z', 24, false],
      ['24 hours configured, past the limit', '2026-03-12T00:00:00.001Z', 24, true],
      ['0 hours configured, at the end of the day', '2026-03-11T00:00:00.000Z', 0, false],
      ['0 hours configured, just after', '2026-03-11T00:00:00.001Z', 0, true],
    ])('%s (%s, %i hours): stale %s', (_, now, staleAfterHours, stale) => {
      const status = archiveStatus({ ...healthy, now: at(now), staleAfterHours });
      expect(status.stale).toBe(stale);
      expect(status.healthy).toBe(!stale);
      expect(status.staleAt).toBe(
        new Date(Date.parse('2026-03-11T00:00:00Z') + staleAfterHours * 3_600_000).toISOString(),
      );
    });

    it('defaults to 96 hours', () => {
      expect(DEFAULT_STALE_AFTER_HOURS).toBe(96);
      expect(archiveStatus(healthy).staleAt).toBe('2026-03-15T00:00:00.000Z');
    });

    it('has no limit without data', () => {
      expect(archiveStatus({ ...healthy, newestRefreshDate: null }).staleAt).toBeNull();
    });
  });

  it('counts every missing date and lists the latest ten, ascending', () => {
    const missing = Array.from({ length: 12 }, (_, day) => addDays('2026-01-01', day)).reverse();
    const status = archiveStatus({ ...healthy, missingDates: missing });
    expect(status.missingDates).toEqual({
      count: 12,
      latest: missing.slice(0, 10).reverse(),
    });
    expect(status.healthy).toBe(true);
  });

  it('passes the coverage, the newest refresh date and the last run through', () => {
    expect(archiveStatus({ ...healthy, lastRun: failed })).toEqual({
      healthy: false,
      reason: 'last-run-failed',
      coverage: { first: '2025-09-12', last: '2026-03-10' },
      newestRefreshDate: '2026-03-10',
      missingDates: { count: 0, latest: [] },
      lastRun: failed,
      stale: false,
      staleAt: '2026-03-15T00:00:00.000Z',
      source: { silentSince: null },
    });
  });
});

describe('silentSince: a silent source, said rather than hidden', () => {
  const teams = catalogueReport('teams-user-activity-counts')!;
  const NEWEST = '2026-03-10';

  /** An index of `days` days ending on NEWEST; `active(daysBack)` says which hold activity. */
  function indexOf(days: number, active: (daysBack: number) => boolean): HistoryIndex {
    const entries: Record<string, HistoryEntry> = {};
    for (let back = 0; back < days; back++) {
      const reportDate = addDays(NEWEST, -back);
      const on = active(back);
      entries[reportDate] = {
        blob: `teams-user-activity-counts/D180/${NEWEST}.csv`,
        row: {
          reportDate,
          calls: 0,
          meetings: on ? 0 : null,
          audioDuration: on ? 'PT1M' : 'PT0S',
          audioDurationInSeconds: on ? 60 : 0,
        },
      };
    }
    return { version: 1, report: teams.graphFunction, snapshots: {}, entries };
  }
  const headerOnlyRun: LastRun = {
    ...succeeded,
    summary: { periodsFetched: ['D7'], invalid: 0, reportRefreshDate: null },
  };

  it.each([
    ['every day zero, 40 held: the first of the zeros', 40, () => false, addDays(NEWEST, -39)],
    ['zeros for 30 days after activity', 60, (back: number) => back >= 30, addDays(NEWEST, -29)],
    ['all 7 held days zero', 7, () => false, addDays(NEWEST, -6)],
    ['zeros for 20 days of 40: not 28', 40, (back: number) => back >= 20, null],
    ['only 6 days held', 6, () => false, null],
    ['a duration on the newest day', 40, (back: number) => back === 0, null],
  ])('%s', (_, days, active, expected) => {
    expect(silentSince(teams, indexOf(days, active), succeeded)).toBe(expected);
  });

  it('counts a header-only newest report from the day after the newest day held', () => {
    expect(
      silentSince(
        teams,
        indexOf(10, () => true),
        headerOnlyRun,
      ),
    ).toBe(addDays(NEWEST, 1));
  });

  it('counts a header-only report from its fetch date when nothing is held', () => {
    expect(silentSince(teams, undefined, headerOnlyRun)).toBe('2026-03-11');
  });

  it('leaves an archive with activity, or a failed run, at null', () => {
    expect(
      silentSince(
        teams,
        indexOf(40, () => true),
        succeeded,
      ),
    ).toBeNull();
    expect(silentSince(teams, undefined, { ...headerOnlyRun, succeeded: false })).toBeNull();
  });

  it('keeps a silent archive healthy', () => {
    const status = archiveStatus({ ...healthy, silentSince: '2026-02-01' });
    expect(status).toMatchObject({ healthy: true, source: { silentSince: '2026-02-01' } });
  });
});

describe('a refresh date in the future', () => {
  it.each(['2030-06-01', '9999-12-30'])(
    'at %s is never the basis of staleAt: the archive is not called healthy (defect 2) [graph-fault]',
    (future) => {
      const status = archiveStatus({ ...healthy, newestRefreshDate: future });
      expect(status).toMatchObject({ healthy: false, reason: 'stale', stale: true, staleAt: null });
    },
  );

  it('allows a day of clock skew', () => {
    const status = archiveStatus({ ...healthy, newestRefreshDate: '2026-03-12' });
    expect(status).toMatchObject({ healthy: true, staleAt: '2026-03-17T00:00:00.000Z' });
  });
});
