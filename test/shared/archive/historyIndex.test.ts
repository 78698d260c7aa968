import fc from 'fast-check';
import {
  parseSnapshotName,
  snapshotBlobName,
  SnapshotKind,
} from '../../../shared/archive/blobNames';
import {
  ArchivedSnapshot,
  emptyHistoryIndex,
  HistoryIndex,
  historyIndexBlobName,
  indexedBlobs,
  mergeIndexes,
  mergeSnapshot,
  missingDateSummary,
  newestRefreshDate,
  parseIndex,
  queryHistory,
  serializeIndex,
} from '../../../shared/archive/historyIndex';
import { ReportRow } from '../../../shared/reports/csv';
import { addDays, daysBetween } from '../../../shared/reports/dates';
import {
  periodDays,
  REPORT_PERIODS,
  ReportPeriod,
  skypeP2pMinuteCounts,
} from '../../../shared/reports/definitions';
import { teamsUserActivityCounts } from '../../../shared/reports/catalogue/teamsUserActivityCounts';

const definition = skypeP2pMinuteCounts;
const EMPTY = emptyHistoryIndex(definition);

interface SnapshotSpec {
  period?: ReportPeriod;
  refresh: string;
  kind?: SnapshotKind;
  fetchedAt?: string;
  valid?: boolean;
  /** Report dates the snapshot holds rows for. */
  dates: readonly string[];
  /** Audio minutes on every row: tells the copies apart. */
  audio?: number;
  hash?: number;
}

function row(reportDate: string, refresh: string, period: ReportPeriod, audio: number): ReportRow {
  return {
    reportRefreshDate: refresh,
    reportDate,
    reportPeriod: String(periodDays(period)),
    audio,
    video: null,
  };
}

function snapshot({
  period = 'D7',
  refresh,
  kind = 'original',
  fetchedAt = `${addDays(refresh, 1)}T06:00:00.000Z`,
  valid = true,
  dates,
  audio = 1,
  hash = 1,
}: SnapshotSpec): ArchivedSnapshot {
  return {
    blob: snapshotBlobName(definition, period, kind, refresh, hash.toString(16).padStart(64, '0')),
    fetchedAt,
    valid,
    rows: dates.map((date) => row(date, refresh, period, audio)),
  };
}

const fold = (snapshots: readonly ArchivedSnapshot[], start: HistoryIndex = EMPTY) =>
  snapshots.reduce((index, each) => mergeSnapshot(definition, index, each), start);

/** The blob whose row the index serves for `date`. */
const servedBy = (index: HistoryIndex, date: string) => index.entries[date]?.blob;

describe('the history index blob', () => {
  it('sits beside the snapshots where no listing mistakes it for one', () => {
    const name = historyIndexBlobName(definition);
    expect(name).toBe('skype-p2p-minute-counts/_index/history-v1.json');
    expect(parseSnapshotName(definition, name)).toBeUndefined();
  });
});

describe('mergeSnapshot: which copy a report date is served from', () => {
  const date = '2026-03-05';
  it.each([
    {
      rule: 'the newer refresh date, though fetched earlier and wider',
      winner: { period: 'D30', refresh: '2026-03-10', fetchedAt: '2026-03-11T00:00:00.000Z' },
      loser: { period: 'D7', refresh: '2026-03-09', fetchedAt: '2026-03-20T00:00:00.000Z' },
    },
    {
      rule: 'at the same refresh date, the copy fetched last (a restatement beats the original)',
      winner: {
        kind: 'restated',
        refresh: '2026-03-10',
        fetchedAt: '2026-03-11T18:00:00.000Z',
        hash: 2,
      },
      loser: { kind: 'original', refresh: '2026-03-10', fetchedAt: '2026-03-11T06:00:00.000Z' },
    },
    {
      rule: 'a later fetch even when it is wider',
      winner: { period: 'D30', refresh: '2026-03-10', fetchedAt: '2026-03-11T18:00:00.000Z' },
      loser: { period: 'D7', refresh: '2026-03-10', fetchedAt: '2026-03-11T06:00:00.000Z' },
    },
    {
      rule: 'at the same refresh date and fetch time, the narrower period',
      winner: { period: 'D7', refresh: '2026-03-10', fetchedAt: '2026-03-11T06:00:00.000Z' },
      loser: { period: 'D90', refresh: '2026-03-10', fetchedAt: '2026-03-11T06:00:00.000Z' },
    },
    {
      rule: 'a readable fetch time over an unreadable one (which ranks oldest)',
      winner: { kind: 'restated', refresh: '2026-03-10', fetchedAt: '1970-01-01T00:00:01Z' },
      loser: { kind: 'original', refresh: '2026-03-10', fetchedAt: 'yesterday' },
    },
  ] as { rule: string; winner: Partial<SnapshotSpec>; loser: Partial<SnapshotSpec> }[])(
    'picks $rule, in either order',
    ({ winner, loser }) => {
      const won = snapshot({ refresh: '', ...winner, dates: [date], audio: 100 });
      const lost = snapshot({ refresh: '', ...loser, dates: [date], audio: 200 });
      for (const order of [
        [won, lost],
        [lost, won],
      ]) {
        const index = fold(order);
        expect(servedBy(index, date)).toBe(won.blob);
        expect(index.entries[date]?.row.audio).toBe(100);
        expect(indexedBlobs(index)).toEqual(new Set([won.blob, lost.blob]));
      }
    },
  );

  it('keeps each copy for the dates only it holds', () => {
    const wide = snapshot({ period: 'D30', refresh: '2026-03-09', dates: ['2026-03-01', date] });
    const narrow = snapshot({ refresh: '2026-03-10', dates: [date, '2026-03-10'], audio: 7 });
    const index = fold([wide, narrow]);
    expect(Object.keys(index.entries)).toEqual(['2026-03-01', date, '2026-03-10']);
    expect(servedBy(index, '2026-03-01')).toBe(wide.blob);
    expect(servedBy(index, date)).toBe(narrow.blob);
  });

  it('stores the row as the endpoint serves it, with its provenance', () => {
    const each = snapshot({ refresh: '2026-03-10', dates: [date], audio: 42 });
    expect(fold([each])).toEqual({
      version: 1,
      report: 'getSkypeForBusinessPeerToPeerActivityMinuteCounts',
      snapshots: {
        [each.blob]: {
          period: 'D7',
          reportRefreshDate: '2026-03-10',
          fetchedAt: '2026-03-11T06:00:00.000Z',
        },
      },
      entries: {
        [date]: {
          blob: each.blob,
          row: {
            reportRefreshDate: '2026-03-10',
            reportDate: date,
            reportPeriod: '7',
            audio: 42,
            video: null,
          },
        },
      },
    });
  });

  it.each([
    ['an invalid copy', { kind: 'invalid', valid: false }],
    ['an invalid copy whose metadata claims valid', { kind: 'invalid', valid: true }],
    ['an unkeyed copy', { kind: 'unkeyed' }],
    ['a copy whose metadata says invalid', { kind: 'original', valid: false }],
  ] as [string, Partial<SnapshotSpec>][])('ignores %s entirely', (_, spec) => {
    const held = fold([snapshot({ refresh: '2026-03-01', dates: ['2026-02-28'] })]);
    const ignored = snapshot({ refresh: '2026-03-10', dates: [date], ...spec });
    expect(mergeSnapshot(definition, EMPTY, ignored)).toEqual(EMPTY);
    expect(mergeSnapshot(definition, held, ignored)).toEqual(held);
  });

  it('ignores a blob that is not a snapshot of this report', () => {
    const stray = { ...snapshot({ refresh: '2026-03-10', dates: [date] }), blob: 'other/D7/x.csv' };
    expect(mergeSnapshot(definition, EMPTY, stray)).toEqual(EMPTY);
  });

  it('leaves out a row that does not fit the columns, so the stored index stays readable', () => {
    const each = snapshot({ refresh: '2026-03-10', dates: ['2026-03-04', date] });
    const odd = { ...each, rows: [{ ...each.rows[0]!, audio: 'many' }, each.rows[1]!] };
    const index = mergeSnapshot(definition, EMPTY, odd);
    expect(Object.keys(index.entries)).toEqual([date]);
    expect(parseIndex(definition, serializeIndex(index))).toEqual({ ok: true, index });
  });

  it('files an unreadable fetch time as the oldest possible', () => {
    const index = fold([snapshot({ refresh: '2026-03-10', dates: [date], fetchedAt: '?' })]);
    expect(Object.values(index.snapshots)[0]?.fetchedAt).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('indexedBlobs and newestRefreshDate', () => {
  it('tell a job run which listed snapshots still need merging, and how fresh the index is', () => {
    const merged = snapshot({ refresh: '2026-03-10', dates: ['2026-03-10'] });
    const superseded = snapshot({ period: 'D30', refresh: '2026-03-09', dates: ['2026-03-09'] });
    const index = fold([merged, superseded]);
    const listed = [
      merged.blob,
      superseded.blob,
      'skype-p2p-minute-counts/D7/2026-03-11.csv',
      'skype-p2p-minute-counts/D7/2026-03-11.restated-000000000002.csv',
    ];
    expect(listed.filter((name) => !indexedBlobs(index).has(name))).toEqual(listed.slice(2));
    expect(newestRefreshDate(index)).toBe('2026-03-10');
    expect(newestRefreshDate(EMPTY)).toBeNull();
  });
});

describe('mergeIndexes: two writers racing on the index', () => {
  it('keeps what each wrote, and the better row where both hold a date', () => {
    const first = snapshot({ refresh: '2026-03-10', dates: ['2026-03-09', '2026-03-10'] });
    const second = snapshot({ refresh: '2026-03-11', dates: ['2026-03-10', '2026-03-11'] });
    const merged = mergeIndexes(fold([first]), fold([second]));
    expect(merged).toEqual(fold([first, second]));
    expect(Object.keys(merged.entries)).toEqual(['2026-03-09', '2026-03-10', '2026-03-11']);
    expect(servedBy(merged, '2026-03-10')).toBe(second.blob);
  });

  it('agrees in either order even when two readings of one blob disagree', () => {
    const spec = { refresh: '2026-03-10', dates: ['2026-03-10'] };
    const one = fold([snapshot({ ...spec, audio: 1, fetchedAt: '2026-03-11T01:00:00Z' })]);
    const other = fold([snapshot({ ...spec, audio: 2, fetchedAt: '2026-03-11T02:00:00Z' })]);
    expect(serializeIndex(mergeIndexes(one, other))).toBe(serializeIndex(mergeIndexes(other, one)));
  });
});

describe('serializeIndex and parseIndex', () => {
  const stored = fold([
    snapshot({ refresh: '2026-03-10', dates: ['2026-03-09', '2026-03-10'] }),
    snapshot({ period: 'D30', refresh: '2026-03-10', dates: ['2026-03-01'] }),
  ]);
  const json = () => JSON.parse(serializeIndex(stored)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const [blob] = Object.keys(stored.snapshots) as [string];

  it('round-trips, from text or bytes', () => {
    expect(parseIndex(definition, serializeIndex(stored))).toEqual({ ok: true, index: stored });
    expect(parseIndex(definition, Buffer.from(serializeIndex(stored)))).toEqual({
      ok: true,
      index: stored,
    });
    expect(parseIndex(definition, serializeIndex(EMPTY))).toEqual({ ok: true, index: EMPTY });
  });

  it.each([
    ['unsupported-version', 'another version', () => ({ ...json(), version: 2 })],
    ['unsupported-version', 'no version', () => ({ ...json(), version: undefined })],
    ['other-report', 'another report', () => ({ ...json(), report: 'getTeamsUserActivity' })],
    ['corrupt', 'JSON null', () => null],
    ['corrupt', 'an array', () => [json()]],
    ['corrupt', 'entries missing', () => ({ ...json(), entries: undefined })],
    [
      'corrupt',
      'a snapshot with a name it did not give',
      () => ({ ...json(), snapshots: { ...json().snapshots, 'x.csv': json().snapshots[blob] } }),
    ],
    [
      'corrupt',
      'an invalid copy among the snapshots',
      () => ({
        ...json(),
        snapshots: {
          ...json().snapshots,
          'skype-p2p-minute-counts/D7/2026-03-10.invalid-000000000001.csv': json().snapshots[blob],
        },
      }),
    ],
    [
      'corrupt',
      'a snapshot whose period disagrees with its name',
      () => ({
        ...json(),
        snapshots: { ...json().snapshots, [blob]: { ...json().snapshots[blob], period: 'D90' } },
      }),
    ],
    [
      'corrupt',
      'a fetch time that is not ISO',
      () => ({
        ...json(),
        snapshots: { ...json().snapshots, [blob]: { ...json().snapshots[blob], fetchedAt: 'x' } },
      }),
    ],
    [
      'corrupt',
      'an entry keyed by a non-date',
      () => ({
        ...json(),
        entries: { ...json().entries, '2026-02-30': json().entries['2026-03-10'] },
      }),
    ],
    [
      'corrupt',
      'an entry under another date than its row',
      () => ({
        ...json(),
        entries: { ...json().entries, '2026-03-11': json().entries['2026-03-10'] },
      }),
    ],
    [
      'corrupt',
      'an entry from a snapshot never merged',
      () => ({
        ...json(),
        entries: { '2026-03-10': { ...json().entries['2026-03-10'], blob: 'toString' } },
      }),
    ],
    [
      'corrupt',
      'a row with a fractional count',
      () => {
        const data = json();
        data.entries['2026-03-10'].row.audio = 1.5;
        return data;
      },
    ],
    [
      'corrupt',
      'a row missing a column',
      () => {
        const data = json();
        delete data.entries['2026-03-10'].row.reportPeriod;
        return data;
      },
    ],
  ] as [string, string, () => unknown][])('answers %s for %s', (reason, _, content) => {
    const parsed = parseIndex(definition, JSON.stringify(content()));
    expect(parsed).toMatchObject({ ok: false, reason });
    expect(parsed.ok || parsed.detail.length > 0).toBe(true);
  });

  it.each([
    ['truncated bytes', serializeIndex(stored).slice(0, 40)],
    ['an empty blob', ''],
    ['a byte-order mark and garbage', '\ufeff{oops'],
  ])('answers corrupt, without throwing, for %s', (_, text) => {
    expect(parseIndex(definition, Buffer.from(text))).toMatchObject({
      ok: false,
      reason: 'corrupt',
    });
  });
});

describe('queryHistory', () => {
  // 03-01 and 03-03..03-04 held; 03-02 is a hole.
  const index = fold([
    snapshot({ refresh: '2026-03-04', dates: ['2026-03-01', '2026-03-03', '2026-03-04'] }),
  ]);
  const dates = (rows: ReportRow[]) => rows.map((each) => each.reportDate);

  it.each([
    [
      'no bounds: the coverage',
      undefined,
      undefined,
      '2026-03-01',
      '2026-03-04',
      ['2026-03-02'],
      ['2026-03-01', '2026-03-03', '2026-03-04'],
    ],
    [
      'from only',
      '2026-03-03',
      undefined,
      '2026-03-03',
      '2026-03-04',
      [],
      ['2026-03-03', '2026-03-04'],
    ],
    [
      'to only',
      undefined,
      '2026-03-02',
      '2026-03-01',
      '2026-03-02',
      ['2026-03-02'],
      ['2026-03-01'],
    ],
    [
      'bounds wider than the coverage',
      '2026-02-27',
      '2026-03-05',
      '2026-02-27',
      '2026-03-05',
      ['2026-02-27', '2026-02-28', '2026-03-02', '2026-03-05'],
      ['2026-03-01', '2026-03-03', '2026-03-04'],
    ],
    ['one day', '2026-03-02', '2026-03-02', '2026-03-02', '2026-03-02', ['2026-03-02'], []],
    ['from after the coverage', '2026-03-09', undefined, '2026-03-09', '2026-03-04', [], []],
  ])('%s', (_, from, to, expectedFrom, expectedTo, missing, served) => {
    const result = queryHistory(index, from, to);
    expect(result).toMatchObject({
      from: expectedFrom,
      to: expectedTo,
      coverage: { first: '2026-03-01', last: '2026-03-04' },
      missingDates: missing,
    });
    expect(dates(result.value)).toEqual(served);
  });

  it('serves the rows in the endpoint shape, as copies', () => {
    const [first] = queryHistory(index, '2026-03-01', '2026-03-01').value;
    expect(first).toEqual(row('2026-03-01', '2026-03-04', 'D7', 1));
    first!.audio = 999;
    expect(index.entries['2026-03-01']?.row.audio).toBe(1);
  });

  it('answers an empty index with no coverage and no rows', () => {
    expect(queryHistory(EMPTY)).toEqual({
      from: null,
      to: null,
      coverage: null,
      missingDates: [],
      value: [],
    });
  });

  it('reports every asked date of an empty index as missing', () => {
    expect(queryHistory(EMPTY, '2026-03-01', '2026-03-02')).toEqual({
      from: '2026-03-01',
      to: '2026-03-02',
      coverage: null,
      missingDates: ['2026-03-01', '2026-03-02'],
      value: [],
    });
  });
});

describe('merge properties (fast-check)', () => {
  const BASE = '2026-01-01';
  const KINDS: SnapshotKind[] = ['original', 'restated', 'invalid', 'unkeyed'];

  const anySnapshot = fc
    .record({
      period: fc.constantFrom(...REPORT_PERIODS),
      refreshOffset: fc.integer({ min: 0, max: 6 }),
      kind: fc.constantFrom(...KINDS),
      valid: fc.boolean(),
      fetchHours: fc.integer({ min: 0, max: 1 }),
      ages: fc.uniqueArray(fc.integer({ min: 0, max: 12 }), { maxLength: 6 }),
      audio: fc.nat({ max: 1 }),
      hash: fc.integer({ min: 1, max: 3 }),
    })
    .map(({ period, refreshOffset, kind, valid, fetchHours, ages, audio, hash }) => {
      const refresh = addDays(BASE, refreshOffset);
      return snapshot({
        period,
        refresh,
        kind,
        valid,
        // Collisions of fetch time are likely, so the period and name tie-breaks are exercised.
        fetchedAt: new Date(
          Date.parse(`${addDays(refresh, 1)}T00:00:00Z`) + fetchHours * 3_600_000,
        ).toISOString(),
        dates: ages.filter((age) => age < periodDays(period)).map((age) => addDays(refresh, -age)),
        audio,
        hash,
      });
    });
  // One blob name, one content: as in the archive, where names are create-only.
  const anySnapshots = fc.uniqueArray(anySnapshot, {
    selector: (each) => each.blob,
    maxLength: 16,
    size: 'medium',
  });

  const contributes = (each: ArchivedSnapshot) => {
    const kind = parseSnapshotName(definition, each.blob)?.kind;
    return each.valid && (kind === 'original' || kind === 'restated');
  };
  const bytes = (index: HistoryIndex) => serializeIndex(index);

  it('is order-independent: any order of the same snapshots gives the same bytes', () => {
    fc.assert(
      fc.property(
        anySnapshots.chain((all) =>
          fc.tuple(fc.constant(all), fc.shuffledSubarray(all, { minLength: all.length })),
        ),
        ([all, shuffled]) => {
          expect(bytes(fold(shuffled))).toBe(bytes(fold(all)));
        },
      ),
    );
  });

  it('is idempotent: merging a snapshot again changes nothing', () => {
    fc.assert(
      fc.property(anySnapshots, (all) => {
        const once = fold(all);
        expect(fold(all, once)).toEqual(once);
        expect(fold([...all, ...all])).toEqual(once);
      }),
    );
  });

  it('mergeIndexes loses nothing: two writers end where one writer of both would', () => {
    fc.assert(
      fc.property(anySnapshots, fc.nat(), fc.nat(), (all, cut, overlap) => {
        const split = all.length ? cut % (all.length + 1) : 0;
        const mine = all.slice(0, split);
        const theirs = all.slice(Math.max(0, split - (overlap % 3)));
        const expected = fold(all);
        expect(mergeIndexes(fold(mine), fold(theirs))).toEqual(expected);
        expect(bytes(mergeIndexes(fold(theirs), fold(mine)))).toBe(bytes(expected));
        expect(mergeIndexes(expected, expected)).toEqual(expected);
      }),
    );
  });

  it('serves exactly the dates of valid keyed snapshots, each from the best copy holding it', () => {
    // The ranking spelt out as a sort key: refresh date, fetch time, narrower period, name.
    const rank = (each: ArchivedSnapshot) => {
      const name = parseSnapshotName(definition, each.blob)!;
      return [
        name.reportRefreshDate!,
        each.fetchedAt,
        String(1000 - periodDays(name.period)),
        each.blob,
      ].join('|');
    };
    fc.assert(
      fc.property(anySnapshots, (all) => {
        const index = fold(all);
        const valid = all.filter(contributes);
        const held = new Set(valid.flatMap((each) => each.rows.map((r) => r.reportDate as string)));
        expect(Object.keys(index.entries)).toEqual([...held].sort());
        expect(indexedBlobs(index)).toEqual(new Set(valid.map((each) => each.blob)));
        for (const date of held) {
          const best = valid
            .filter((each) => each.rows.some((r) => r.reportDate === date))
            .sort((a, b) => (rank(a) < rank(b) ? 1 : -1))[0]!;
          expect(index.entries[date]).toEqual({
            blob: best.blob,
            row: best.rows.find((r) => r.reportDate === date),
          });
        }
      }),
    );
  });

  it('round-trips through serializeIndex and parseIndex', () => {
    fc.assert(
      fc.property(anySnapshots, (all) => {
        const index = fold(all);
        expect(parseIndex(definition, serializeIndex(index))).toEqual({ ok: true, index });
      }),
    );
  });

  it('queryHistory splits any range into served and missing dates, each once, in order', () => {
    fc.assert(
      fc.property(
        anySnapshots,
        fc.integer({ min: -25, max: 20 }),
        fc.integer({ min: 0, max: 30 }),
        (all, start, length) => {
          const from = addDays(BASE, start);
          const to = addDays(from, length);
          const result = queryHistory(fold(all), from, to);
          const served = result.value.map((r) => r.reportDate as string);
          const every = [...served, ...result.missingDates].sort();
          expect(every).toHaveLength(daysBetween(from, to) + 1);
          expect(every).toEqual(
            Array.from({ length: length + 1 }, (_, offset) => addDays(from, offset)),
          );
          expect(served).toEqual([...served].sort());
          expect(result.missingDates).toEqual([...result.missingDates].sort());
        },
      ),
    );
  });
});

describe("a duration column's rows in the index (Teams)", () => {
  const teams = teamsUserActivityCounts;
  const teamsRow = (reportDate: string, audio: string | null): ReportRow => {
    const values: ReportRow = {};
    for (const column of teams.columns)
      values[column.key] =
        column.type === 'integer' ? 1 : column.type === 'duration' ? 'PT0S' : '7';
    return {
      ...values,
      reportRefreshDate: '2026-03-10',
      reportDate,
      audioDuration: audio,
      audioDurationInSeconds: audio === null ? null : 3723,
      videoDurationInSeconds: 0,
      screenShareDurationInSeconds: 0,
    };
  };
  const merged = (rows: ReportRow[]) =>
    mergeSnapshot(teams, emptyHistoryIndex(teams), {
      blob: snapshotBlobName(teams, 'D7', 'original', '2026-03-10', '1'.padStart(64, '0')),
      fetchedAt: '2026-03-11T06:00:00.000Z',
      valid: true,
      rows,
    });

  it("keeps Graph's text and the whole seconds, through a round trip", () => {
    const index = merged([teamsRow('2026-03-09', 'PT1H2M3S'), teamsRow('2026-03-10', null)]);
    expect(index.entries['2026-03-09']!.row).toMatchObject({
      audioDuration: 'PT1H2M3S',
      audioDurationInSeconds: 3723,
    });
    expect(index.entries['2026-03-10']!.row).toMatchObject({
      audioDuration: null,
      audioDurationInSeconds: null,
    });
    expect(parseIndex(teams, serializeIndex(index))).toEqual({ ok: true, index });
  });

  it('reads the seconds from the text for a row stored without them', () => {
    const index = merged([teamsRow('2026-03-09', 'PT1H2M3S')]);
    const stored = JSON.parse(serializeIndex(index)) as {
      entries: Record<string, { row: Record<string, unknown> }>;
    };
    delete stored.entries['2026-03-09']!.row.audioDurationInSeconds;
    const parsed = parseIndex(teams, JSON.stringify(stored));
    expect(parsed.ok && parsed.index.entries['2026-03-09']!.row.audioDurationInSeconds).toBe(3723);
  });
});

describe('missingDateSummary: the status counts gaps by the index, not the calendar', () => {
  it('counts and lists the latest gaps as a walk over every date would', () => {
    const index = fold([
      snapshot({ refresh: '2026-03-10', dates: ['2026-03-01', '2026-03-04', '2026-03-10'] }),
    ]);
    const walked = queryHistory(index).missingDates;
    expect(missingDateSummary(index, 3)).toEqual({
      count: walked.length,
      latest: walked.slice(-3),
    });
    expect(missingDateSummary(index, 100)).toEqual({ count: 7, latest: walked });
    expect(missingDateSummary(EMPTY, 10)).toEqual({ count: 0, latest: [] });
  });

  it('answers at once for entries at both ends of the date range (defect 6) [bad-input]', () => {
    const ends = fold([
      snapshot({ refresh: '2000-01-01', dates: ['2000-01-01'] }),
      snapshot({ refresh: '9999-12-30', dates: ['9999-12-30'] }),
    ]);
    // A walk over the ~2.9 million days between them took seconds and hundreds of MB.
    const summary = missingDateSummary(ends, 10);
    expect(summary.count).toBe(daysBetween('2000-01-01', '9999-12-30') - 1);
    expect(summary.latest).toEqual(
      Array.from({ length: 10 }, (_, at) => addDays('9999-12-20', at)),
    );
  });
});
