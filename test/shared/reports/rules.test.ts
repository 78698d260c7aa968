import { problemFor } from '../../../shared/http/problem';
import { ReportPeriod, skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import {
  csv,
  formatError,
  HEADER,
  missingDaysWarning,
  parse,
  reportNamed,
} from '../../support/reports';

/** Parses data lines under the Skype header, as a report for `period`. */
function read(lines: string[], period: ReportPeriod = 'D7') {
  return parse(csv([HEADER, ...lines]), period);
}

/** Asserts that `lines` break `rule`, and returns the error's message. */
function broken(rule: string, lines: string[], period: ReportPeriod = 'D7'): string {
  const error = formatError(() => read(lines, period));
  expect(error.rule).toBe(rule);
  expect(error.message).toMatch(new RegExp(`\\(rule ${rule}\\)$`));
  return error.message;
}

/** A D7 row refreshed on 2026-02-07 (window 2026-02-01 to 2026-02-07). */
const row = (date: string, audio = '1', video = '0') => `2026-02-07,${date},7,${audio},${video}`;

it('declares the rules of the Skype report, in the order they are checked', () => {
  expect(skypeP2pMinuteCounts.rules.map((rule) => rule.id)).toEqual([
    'report-period',
    'single-refresh-date',
    'refresh-date-not-future',
    'date-in-window',
    'unique-report-date',
    'non-negative-count',
    'complete-period',
  ]);
});

describe('report-period: "Report Period" is the number of days of the requested period', () => {
  it.each<[ReportPeriod, string]>([
    ['D7', '7'],
    ['D30', '30'],
    ['D90', '90'],
    ['D180', '180'],
    ['D7', ' 7 '],
    ['D7', '"7"'],
  ])('accepts a %s report whose Report Period is %s', (period, value) => {
    expect(read([`2026-02-07,2026-02-07,${value},1,0`], period).rows).toHaveLength(1);
  });

  it.each<[ReportPeriod, string, string]>([
    ['D7', '30', '"30"'],
    ['D30', '7', '"7"'],
    ['D180', '90', '"90"'],
    ['D7', '', 'empty'],
    ['D7', '07', '"07"'],
    ['D7', 'D7', '"D7"'],
    ['D7', '7 days', '"7 days"'],
  ])('rejects a %s report whose Report Period is "%s"', (period, value, shown) => {
    const message = broken('report-period', [`2026-02-07,2026-02-07,${value},1,0`], period);
    expect(message).toContain(`Line 2: "Report Period" is ${shown}, but a ${period} report`);
  });

  it('names the first row that breaks it', () => {
    const message = broken('report-period', [row('2026-02-06'), '2026-02-07,2026-02-07,30,1,0']);
    expect(message).toMatch(/^Line 3: /);
  });
});

describe('single-refresh-date: one Report Refresh Date per file', () => {
  it.each([
    ['one refresh date', ['2026-02-07,2026-02-06,7,1,0', '2026-02-07,2026-02-07,7,1,0']],
    [
      'one refresh date spelled two ways',
      ['2026-02-07,2026-02-06,7,1,0', '2026-02-07T00:00:00Z,2026-02-07,7,1,0'],
    ],
    ['a single row', ['2026-02-07,2026-02-07,7,1,0']],
  ])('accepts %s', (_, lines) => {
    expect(read(lines).reportRefreshDate).toBe('2026-02-07');
  });

  it.each([
    ['a newer date on a later row', ['2026-02-06,2026-02-06,7,1,0', '2026-02-07,2026-02-07,7,1,0']],
    [
      'an older date on a later row',
      ['2026-02-07,2026-02-06,7,1,0', '2026-02-06,2026-02-05,7,1,0'],
    ],
    [
      'a different date after matching ones',
      ['2026-02-07,2026-02-05,7,1,0', '2026-02-07,2026-02-06,7,1,0', '2026-02-08,2026-02-07,7,1,0'],
    ],
  ])('rejects %s, naming both lines', (_, lines) => {
    const message = broken('single-refresh-date', lines);
    expect(message).toMatch(
      /^Line \d: "Report Refresh Date" is "\d{4}-\d{2}-\d{2}", but line 2 has/,
    );
  });

  it('keys the rejected file on its first refresh date, so the archive can store it', () => {
    const error = formatError(() =>
      read(['2026-02-07,2026-02-06,7,1,0', '2026-02-08,2026-02-07,7,1,0']),
    );
    expect(error.reportRefreshDate).toBe('2026-02-07');
  });
});

describe('refresh-date-not-future: Graph cannot have refreshed data after the fetch', () => {
  const fetchedAt = new Date('2026-06-01T23:59:00Z');
  const line = (refresh: string) => `${refresh},${refresh},7,1,0`;
  const readAt = (refresh: string, at = fetchedAt) =>
    parse(csv([HEADER, line(refresh)]), 'D7', skypeP2pMinuteCounts, at);

  it.each(['2026-05-30', '2026-06-01', '2026-06-02'])(
    'accepts a report fetched on 2026-06-01 and refreshed on %s (a day of clock skew)',
    (refresh) => {
      expect(readAt(refresh).reportRefreshDate).toBe(refresh);
    },
  );

  it.each(['2026-06-03', '2027-06-01', '2030-06-01', '9999-12-30'])(
    'rejects a report fetched on 2026-06-01 and refreshed on %s [graph-fault]',
    (refresh) => {
      const error = formatError(() => readAt(refresh));
      expect(error.rule).toBe('refresh-date-not-future');
      expect(error.message).toBe(
        `Line 2: "Report Refresh Date" "${refresh}" is after 2026-06-02, the day after the report was fetched (2026-06-01); Graph cannot have refreshed data in the future. (rule refresh-date-not-future)`,
      );
      // Keyed on the date it claims, so the job files it as an .invalid- copy of that date.
      expect(error.reportRefreshDate).toBe(refresh);
    },
  );

  it('judges by the UTC day of the fetch, not the instant', () => {
    expect(readAt('2026-06-02', new Date('2026-06-01T00:00:00Z')).rows).toHaveLength(1);
  });
});

describe('date-in-window: every Report Date lies in the n days ending on the refresh date', () => {
  it.each<[ReportPeriod, string, string]>([
    ['D7', '2026-02-07', '2026-02-07'],
    ['D7', '2026-02-07', '2026-02-01'],
    ['D7', '2026-02-07', '2026-02-04'],
    ['D30', '2026-02-07', '2026-01-09'],
    ['D90', '2026-02-07', '2025-11-10'],
    ['D180', '2026-02-07', '2025-08-12'],
    ['D7', '2026-01-03', '2025-12-28'],
    ['D7', '2024-03-01', '2024-02-24'],
  ])('accepts in a %s report refreshed on %s the Report Date %s', (period, refresh, date) => {
    const days = period.slice(1);
    expect(read([`${refresh},${date},${days},1,0`], period).rows).toHaveLength(1);
  });

  it.each<[ReportPeriod, string, string]>([
    ['D7', '2026-02-07', '2026-01-31'],
    ['D7', '2026-02-07', '2026-02-08'],
    ['D7', '2026-02-07', '2099-02-07'],
    ['D7', '2026-02-07', '2001-02-07'],
    ['D7', '2026-02-07', '2026-01-09'],
    ['D30', '2026-02-07', '2026-01-08'],
    ['D90', '2026-02-07', '2025-11-09'],
    ['D180', '2026-02-07', '2025-08-11'],
    ['D7', '2024-03-01', '2024-02-23'],
  ])('rejects in a %s report refreshed on %s the Report Date %s', (period, refresh, date) => {
    const days = period.slice(1);
    const message = broken('date-in-window', [`${refresh},${date},${days},1,0`], period);
    expect(message).toContain(`Line 2: "Report Date" ${date} is outside the ${period} window`);
    expect(message).toContain(`ending on "Report Refresh Date" ${refresh}`);
  });

  it('says which days the window holds', () => {
    expect(broken('date-in-window', [row('2099-01-01')])).toContain('(2026-02-01 to 2026-02-07)');
  });
});

describe('unique-report-date: one row per Report Date', () => {
  it.each([
    ['distinct dates', [row('2026-02-01'), row('2026-02-02'), row('2026-02-07')]],
    ['distinct dates in any order', [row('2026-02-07'), row('2026-02-01'), row('2026-02-04')]],
  ])('accepts %s', (_, lines) => {
    expect(read(lines).rows).toHaveLength(lines.length);
  });

  it.each([
    ['the same date twice', [row('2026-02-01'), row('2026-02-01')], 3, 2],
    ['the same counts on the same date', [row('2026-02-03', '5'), row('2026-02-03', '5')], 3, 2],
    [
      'the same date spelled two ways',
      [row('2026-02-01'), row('2026-02-02'), row('2026-02-01T00:00:00Z')],
      4,
      2,
    ],
    [
      'a repeat far apart',
      [row('2026-02-05'), row('2026-02-01'), row('2026-02-02'), row('2026-02-05')],
      5,
      2,
    ],
  ])('rejects %s, naming the repeat and the first', (_, lines, line, first) => {
    const message = broken('unique-report-date', lines);
    expect(message).toMatch(
      new RegExp(`^Line ${line}: "Report Date" "[-\\d]+" repeats line ${first};`),
    );
  });
});

describe('non-negative-count: Audio and Video are whole numbers of zero or more, or empty', () => {
  it.each([
    ['0', '0', 0, 0],
    ['', '', null, null],
    ['836', '', 836, null],
    ['007', '35', 7, 35],
    ['-0', '0', 0, 0],
    ['9007199254740991', '1', Number.MAX_SAFE_INTEGER, 1],
  ])('accepts Audio %j and Video %j', (audio, video, audioValue, videoValue) => {
    expect(read([row('2026-02-07', audio, video)]).rows[0]).toMatchObject({
      audio: audioValue,
      video: videoValue,
    });
  });

  it.each([
    ['-1', '0', 'Audio', '-1'],
    ['1', '-500', 'Video', '-500'],
    ['-9007199254740991', '0', 'Audio', '-9007199254740991'],
    ['-3', '-4', 'Audio', '-3'],
  ])('rejects Audio %j and Video %j, naming %s', (audio, video, column, value) => {
    const message = broken('non-negative-count', [
      row('2026-02-06'),
      row('2026-02-07', audio, video),
    ]);
    expect(message).toContain(`Line 3: "${column}" is ${value}; it must be a whole number`);
  });
});

describe('complete-period: fewer rows than days is allowed, with a warning', () => {
  const week = (days: number) =>
    Array.from({ length: days }, (_, index) => row(`2026-02-0${7 - index}`));

  it.each([
    [7, []],
    [6, [missingDaysWarning(6)]],
    [3, [missingDaysWarning(3)]],
    [1, [missingDaysWarning(1)]],
  ])('a D7 report with %i rows warns %j', (rows, warnings) => {
    const report = read(week(rows));
    expect(report.rows).toHaveLength(rows);
    expect(report.warnings).toEqual(warnings);
  });

  it('counts against the requested period', () => {
    expect(read(['2026-02-07,2026-02-07,30,1,0'], 'D30').warnings).toEqual([
      missingDaysWarning(1, 'D30'),
    ]);
  });

  it('keeps a header-only CSV a valid empty report, without a warning', () => {
    for (const period of ['D7', 'D180'] as const) {
      expect(read([], period)).toEqual({ rows: [], reportRefreshDate: null, warnings: [] });
    }
  });
});

describe('a report that breaks several rules', () => {
  it('is rejected for the first rule in the definition, whatever the line order', () => {
    // Line 2 breaks non-negative-count, line 3 report-period.
    expect(
      broken('report-period', [row('2026-02-06', '-1'), '2026-02-07,2026-02-07,30,1,0']),
    ).toMatch(/^Line 3: /);
  });

  it('rejects what an adversarial run once saw archived as valid: 3 rows, one of them -500', () => {
    broken('non-negative-count', [row('2026-02-05'), row('2026-02-06', '-500'), row('2026-02-07')]);
  });

  it('is checked only once the file reads as CSV: syntax errors carry no rule', () => {
    const error = formatError(() => read([row('2026-02-07', 'many', '-1')]));
    expect(error.rule).toBeUndefined();
    expect(error.message).toContain('whole number, got "many"');
  });
});

describe('a broken rule, told to the caller', () => {
  it('is a 502 problem whose `rule` names it', () => {
    const problem = problemFor(formatError(() => read([row('2099-01-01')])));
    expect(problem.status).toBe(502);
    expect(problem.body).toMatchObject({
      type: 'urn:graph-usage-reports:problem:bad-report',
      rule: 'date-in-window',
    });
    expect(problem.body.detail).toContain('(rule date-in-window)');
  });

  it('leaves `rule` out of the problem for unreadable data', () => {
    const problem = problemFor(formatError(() => read(['2026-02-07,2026-02-07,7,"oops'])));
    expect(problem.status).toBe(502);
    expect(problem.body).not.toHaveProperty('rule');
  });
});

describe('rule kinds are data another report reuses', () => {
  /** A daily active-users report: its own columns, the same kinds, its own ids. */
  const activeUsers = reportNamed('getActiveUserCounts', 'active-users', {
    columns: [
      { header: 'Refreshed On', key: 'refreshedOn', type: 'date' },
      { header: 'Day', key: 'day', type: 'date' },
      { header: 'Days', key: 'days', type: 'string' },
      { header: 'Users', key: 'users', type: 'integer' },
    ],
    refreshDateKey: 'refreshedOn',
    sortKey: 'day',
    rules: [
      { id: 'users-period', kind: 'equals-period-days', key: 'days' },
      { id: 'users-one-refresh', kind: 'same-in-every-row', key: 'refreshedOn' },
      {
        id: 'users-day-in-window',
        kind: 'date-in-period-window',
        key: 'day',
        windowEndKey: 'refreshedOn',
      },
      { id: 'users-one-row-a-day', kind: 'unique', key: 'day' },
      { id: 'users-not-negative', kind: 'non-negative-integer', keys: ['users'] },
      // Stricter than the Skype report: a missing day is an error here.
      { id: 'users-every-day', kind: 'row-per-period-day', key: 'day' },
    ],
  });
  const users = (lines: string[]) =>
    parse(csv(['Refreshed On,Day,Days,Users', ...lines]), 'D7', activeUsers);
  const fullWeek = (users: (index: number) => string) =>
    Array.from({ length: 7 }, (_, index) => `2026-02-07,2026-02-0${index + 1},7,${users(index)}`);

  it('accepts a report that keeps them', () => {
    expect(users(fullWeek((index) => String(index * 10))).rows).toHaveLength(7);
  });

  it.each([
    ['users-period', ['2026-02-07,2026-02-07,30,1']],
    ['users-one-refresh', ['2026-02-07,2026-02-06,7,1', '2026-02-08,2026-02-07,7,1']],
    ['users-day-in-window', ['2026-02-07,2026-02-08,7,1']],
    ['users-one-row-a-day', ['2026-02-07,2026-02-07,7,1', '2026-02-07,2026-02-07,7,2']],
    ['users-not-negative', fullWeek((index) => (index === 3 ? '-2' : '2'))],
    ['users-every-day', ['2026-02-07,2026-02-07,7,1']],
  ])('rejects with its own rule id %s, in its own column names', (rule, lines) => {
    const error = formatError(() => users(lines));
    expect(error.rule).toBe(rule);
    expect(error.message).not.toMatch(/Report (Refresh )?Date|Audio|Video/);
  });
});
