import {
  changeText,
  headlineFigures,
  isWorkingDay,
  previousRange,
  seriesPhrases,
  seriesValue,
} from '../../../shared/http/chartFigures';
import { catalogueReport } from '../../../shared/reports/catalogue';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';

const SERIES = skypeP2pMinuteCounts.chartSeries!;
const row = (reportDate: string, audio: number | null, video: number | null, refresh = 'x') => ({
  reportDate,
  reportRefreshDate: refresh,
  audio,
  video,
});

describe('previousRange', () => {
  it.each([
    ['2026-03-01', '2026-03-31', '2026-01-29', '2026-02-28'],
    ['2026-01-01', '2026-01-01', '2025-12-31', '2025-12-31'],
    ['2024-03-01', '2024-03-07', '2024-02-23', '2024-02-29'],
  ])('of %s to %s is %s to %s', (from, to, before, end) => {
    expect(previousRange(from, to)).toEqual({ from: before, to: end });
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-12-07', true], // Monday
    ['2026-12-11', true], // Friday
    ['2026-12-12', false], // Saturday
    ['2026-12-13', false], // Sunday
    ['1970-01-01', true], // Thursday
    ['1969-12-28', false], // Sunday, before day 0
  ])('%s is %s', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });
});

describe('headlineFigures', () => {
  // Monday 2026-12-07 to Sunday 2026-12-13.
  const week = [
    row('2026-12-07', 100, 10),
    row('2026-12-08', 300, 5),
    row('2026-12-09', 200, null),
    row('2026-12-11', 100, 20),
    row('2026-12-12', 900, 1),
    row('2026-12-13', 50, 0),
  ];

  it('sums the days held, averages over the working days held, and finds the busiest day', () => {
    const figures = headlineFigures(SERIES, '2026-12-07', '2026-12-13', week, []);
    expect(figures.previous).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(figures.daysHeld).toBe(5);
    expect(figures.series[0]).toEqual({
      key: 'audio',
      label: 'Audio',
      unit: 'minutes',
      total: 1650,
      perWorkingDay: 175, // (100 + 300 + 200 + 100) / 4; the 10th is not held, the weekend not counted
      busiest: { date: '2026-12-12', value: 900 },
      change: { kind: 'no-earlier-data' },
    });
    // Video has no value on the 9th: three working days held.
    expect(figures.series[1]).toMatchObject({ total: 36, perWorkingDay: 12 });
  });

  it('takes the newest refresh of a day, and leaves out days listed as missing or outside', () => {
    const rows = [
      row('2026-12-07', 1, 1, '2026-12-08'),
      row('2026-12-07', 7, 7, '2026-12-09'),
      row('2026-12-08', 50, 50),
      row('2026-12-14', 1000, 1000),
    ];
    const figures = headlineFigures(SERIES, '2026-12-07', '2026-12-13', rows, [], ['2026-12-08']);
    expect(figures.series[0]).toMatchObject({
      total: 7,
      busiest: { date: '2026-12-07', value: 7 },
    });
  });

  it.each<[string, Array<ReturnType<typeof row>>, string]>([
    ['more than before', [row('2026-12-01', 1000, 1)], '▲ +65%'],
    ['less than before', [row('2026-12-01', 3300, 1)], '▼ −50%'],
    ['the same', [row('2026-12-01', 1650, 1)], '→ 0% (no change)'],
    ['up from nothing', [row('2026-12-01', 0, 0)], '▲ up from 0'],
    ['no day held before', [], 'no earlier data'],
  ])('says the change against the range before: %s', (_case, before, text) => {
    const figures = headlineFigures(SERIES, '2026-12-07', '2026-12-13', week, before);
    expect(changeText(figures.series[0]!.change)).toBe(text);
  });

  it('says what is not there rather than a zero', () => {
    const figures = headlineFigures(SERIES, '2026-12-12', '2026-12-13', [], []);
    expect(seriesPhrases(figures.series[0]!)).toEqual({
      total: '0 minutes',
      perWorkingDay: 'no working day held',
      busiest: 'none',
      change: 'no earlier data',
    });
  });
});

describe('a duration series (Teams): minutes from the history’s InSeconds', () => {
  const teams = catalogueReport('teams-user-activity-counts')!;
  const row = (reportDate: string, audio: number, video: number, screen: number) => ({
    reportDate,
    reportRefreshDate: '2026-03-10',
    audioDuration: 'PT1S',
    audioDurationInSeconds: audio,
    videoDuration: 'PT1S',
    videoDurationInSeconds: video,
    screenShareDuration: 'PT1S',
    screenShareDurationInSeconds: screen,
  });

  it.each([
    [{ audioDuration: 'PT1H2M3S', audioDurationInSeconds: 3723 }, 62.05],
    [{ audioDuration: null, audioDurationInSeconds: null }, null],
    [{ audioDuration: 'PT0S', audioDurationInSeconds: 0 }, 0],
    [{ audio: 836 }, null],
  ])('reads %j as %p minutes', (values, expected) => {
    expect(seriesValue(values, 'audioDuration')).toBe(expected);
  });

  it('reads a count as it is', () => {
    expect(seriesValue({ calls: 12 }, 'calls')).toBe(12);
  });

  it('sums three series, each its own, and says them in whole minutes', () => {
    const figures = headlineFigures(
      teams.chartSeries!,
      '2026-03-09',
      '2026-03-10',
      [row('2026-03-09', 3723, 600, 90), row('2026-03-10', 60, 1200, 30)],
      [row('2026-03-07', 1800, 600, 0), row('2026-03-08', 1800, 600, 0)],
    );
    expect(figures.series.map((one) => [one.key, seriesPhrases(one).total])).toEqual([
      ['audioDuration', '63 minutes'],
      ['videoDuration', '30 minutes'],
      ['screenShareDuration', '2 minutes'],
    ]);
    expect(seriesPhrases(figures.series[0]!).busiest).toBe('2026-03-09 (62)');
    expect(figures.series.map((one) => seriesPhrases(one).change)).toEqual([
      '▲ +5.1%',
      '▲ +50%',
      '▲ up from 0',
    ]);
  });
});
