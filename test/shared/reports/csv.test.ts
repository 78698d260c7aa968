import { formatReportCsv, ReportRow, stripBom } from '../../../shared/reports/csv';
import { ReportDefinition, skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { teamsUserActivityCounts } from '../../../shared/reports/catalogue/teamsUserActivityCounts';
import { BOM, csv, formatError, HEADER, missingDaysWarning, parse } from '../../support/reports';

/** A report described without plausibility rules: what the parser does on its own. */
const UNRULED: ReportDefinition = {
  graphFunction: 'getSomething',
  routeSlug: 'something',
  blobPrefix: 'something',
  columns: [
    { header: 'Refreshed', key: 'refreshed', type: 'date' },
    { header: 'Name', key: 'name', type: 'string' },
    { header: 'Count', key: 'count', type: 'integer' },
  ],
  refreshDateKey: 'refreshed',
  sortKey: 'name',
  rules: [],
};

const ROW_0201 = {
  reportRefreshDate: '2026-02-07',
  reportDate: '2026-02-01',
  reportPeriod: '7',
  audio: 12,
  video: 3,
};
const ROW_0202 = {
  reportRefreshDate: '2026-02-07',
  reportDate: '2026-02-02',
  reportPeriod: '7',
  audio: 0,
  video: null,
};

describe('stripBom', () => {
  it('removes a leading UTF-8 byte order mark', () => {
    expect(stripBom(Buffer.concat([BOM, Buffer.from('abc')])).toString()).toBe('abc');
  });

  it('leaves bytes without a BOM untouched', () => {
    expect(stripBom(Buffer.from('abc')).toString()).toBe('abc');
    expect(stripBom(Buffer.alloc(0))).toHaveLength(0);
  });

  it('removes only one BOM, and only at the start', () => {
    const twice = Buffer.concat([BOM, BOM, Buffer.from('x')]);
    expect(stripBom(twice).equals(Buffer.concat([BOM, Buffer.from('x')]))).toBe(true);
    const inside = Buffer.concat([Buffer.from('x'), BOM]);
    expect(stripBom(inside).equals(inside)).toBe(true);
  });
});

describe('parseReportCsv', () => {
  describe('reading valid reports', () => {
    it('reads rows with Graph keys, typed values and the refresh date', () => {
      const report = parse(
        csv([HEADER, '2026-02-07,2026-02-01,7,12,3', '2026-02-07,2026-02-02,7,0,']),
      );
      expect(report).toEqual({
        rows: [ROW_0201, ROW_0202],
        reportRefreshDate: '2026-02-07',
        warnings: [missingDaysWarning(2)],
      });
    });

    it('strips a UTF-8 BOM before the header', () => {
      const bytes = Buffer.concat([BOM, csv([HEADER, '2026-02-07,2026-02-01,7,12,3'])]);
      expect(parse(bytes)).toEqual({
        rows: [ROW_0201],
        reportRefreshDate: '2026-02-07',
        warnings: [missingDaysWarning(1)],
      });
    });

    it('reads LF line endings like CRLF', () => {
      const lines = [HEADER, '2026-02-07,2026-02-01,7,12,3', '2026-02-07,2026-02-02,7,0,'];
      expect(parse(csv(lines, '\n'))).toEqual(parse(csv(lines, '\r\n')));
      expect(parse(csv(lines, '\n')).rows).toEqual([ROW_0201, ROW_0202]);
    });

    it('reads a CSV without a final line break', () => {
      expect(parse(`${HEADER}\r\n2026-02-07,2026-02-01,7,12,3`).rows).toEqual([ROW_0201]);
    });

    it('ignores blank lines', () => {
      expect(parse(csv([HEADER, '', '2026-02-07,2026-02-01,7,12,3', '', ''])).rows).toEqual([
        ROW_0201,
      ]);
    });

    it('reads quoted fields', () => {
      const report = parse(
        csv([
          '"Report Refresh Date","Report Date","Report Period","Audio","Video"',
          '"2026-02-07","2026-02-01","7","12","3"',
        ]),
      );
      expect(report.rows).toEqual([ROW_0201]);
    });

    it('reads a quoted string containing a comma, a doubled quote and a line break', () => {
      const report = parse(
        csv(['Refreshed,Name,Count', '2026-02-07,"7, ""seven""\r\nweek",12']),
        'D7',
        UNRULED,
      );
      expect(report.rows[0]!.name).toBe('7, "seven"\r\nweek');
    });

    it('trims whitespace around values', () => {
      expect(parse(csv([HEADER, ' 2026-02-07 , 2026-02-01 , 7 , 12 , 3 '])).rows).toEqual([
        ROW_0201,
      ]);
    });

    it('reads a header-only CSV as an empty report without a refresh date', () => {
      expect(parse(csv([HEADER]))).toEqual({ rows: [], reportRefreshDate: null, warnings: [] });
      expect(parse(HEADER)).toEqual({ rows: [], reportRefreshDate: null, warnings: [] });
      expect(parse(Buffer.concat([BOM, csv([HEADER])]))).toEqual({
        rows: [],
        reportRefreshDate: null,
        warnings: [],
      });
    });

    it('matches headers case-insensitively, ignoring surrounding spaces', () => {
      const report = parse(
        csv([
          'report refresh date, REPORT DATE ,Report period,AUDIO,video',
          '2026-02-07,2026-02-01,7,12,3',
        ]),
      );
      expect(report).toEqual({
        rows: [ROW_0201],
        reportRefreshDate: '2026-02-07',
        warnings: [missingDaysWarning(1)],
      });
    });

    it('maps columns by header, whatever their order', () => {
      const report = parse(
        csv([
          'Video,Audio,Report Period,Report Date,Report Refresh Date',
          '3,12,7,2026-02-01,2026-02-07',
          ',0,7,2026-02-02,2026-02-07',
        ]),
      );
      expect(report.rows).toEqual([ROW_0201, ROW_0202]);
      expect(Object.keys(report.rows[0]!)).toEqual([
        'reportRefreshDate',
        'reportDate',
        'reportPeriod',
        'audio',
        'video',
      ]);
    });

    it('ignores an extra column, with a warning that names it', () => {
      const report = parse(
        csv([
          'Report Refresh Date,Report Date,Teams Minutes,Report Period,Audio,Video',
          '2026-02-07,2026-02-01,99,7,12,3',
        ]),
      );
      expect(report.rows).toEqual([ROW_0201]);
      expect(report.rows[0]).not.toHaveProperty('teamsMinutes');
      expect(report.warnings).toHaveLength(2);
      expect(report.warnings[0]).toContain('"Teams Minutes"');
      expect(report.warnings[1]).toBe(missingDaysWarning(1));
    });

    it('names every extra column in one warning', () => {
      const report = parse(
        csv([`${HEADER},Screen Share,PSTN`, '2026-02-07,2026-02-01,7,12,3,1,2']),
      );
      expect(report.warnings).toHaveLength(2);
      expect(report.warnings[0]).toContain('"Screen Share", "PSTN"');
    });

    it('warns about an extra column in a header-only report too', () => {
      const report = parse(csv([`${HEADER},New Column`]));
      expect(report.rows).toEqual([]);
      expect(report.warnings[0]).toContain('"New Column"');
    });

    it('reads an empty integer cell as null', () => {
      const report = parse(csv([HEADER, '2026-02-07,2026-02-01,7,,  ']));
      expect(report.rows[0]).toMatchObject({ audio: null, video: null });
    });

    it('reads a quoted integer such as "836"', () => {
      expect(parse(csv([HEADER, '2026-02-07,2026-02-01,7,"836"," 5 "'])).rows[0]).toMatchObject({
        audio: 836,
        video: 5,
      });
    });

    // Negative counts used to be read too; the non-negative-count rule now rejects them.
    it('reads zero, leading zeros and large safe integers', () => {
      const report = parse(
        csv([
          HEADER,
          '2026-02-07,2026-02-01,7,0,007',
          '2026-02-07,2026-02-02,7,-0,9007199254740991',
        ]),
      );
      expect(report.rows.map((row) => [row.audio, row.video])).toEqual([
        [0, 7],
        [0, Number.MAX_SAFE_INTEGER],
      ]);
      expect(Object.is(report.rows[1]!.audio, 0)).toBe(true);
    });

    it('keeps a string column as text, even when empty', () => {
      const report = parse(csv(['Refreshed,Name,Count', '2026-02-07,,1']), 'D7', UNRULED);
      expect(report.rows[0]!.name).toBe('');
    });

    it.each([
      ['2026-02-01', '2026-02-01'],
      ['2026-02-01T00:00:00Z', '2026-02-01'],
      ['2026-02-01T00:00:00.000Z', '2026-02-01'],
      ['2024-02-29', '2024-02-29'],
      ['2000-02-29', '2000-02-29'],
      ['2026-12-31', '2026-12-31'],
    ])('accepts the date %s as %s', (raw, expected) => {
      const report = parse(csv([HEADER, `${raw},${raw},7,1,2`]));
      expect(report.rows[0]).toMatchObject({ reportRefreshDate: expected, reportDate: expected });
      expect(report.reportRefreshDate).toBe(expected);
    });

    it('sorts rows by report date ascending, whatever order Graph sent them in', () => {
      const report = parse(
        csv([
          HEADER,
          '2026-02-07,2026-02-05,7,5,0',
          '2026-02-07,2026-02-01,7,1,0',
          '2026-02-07,2026-02-03T00:00:00Z,7,3,0',
          '2026-02-07,2026-02-07,7,7,0',
          '2026-02-07,2026-02-02,7,2,0',
        ]),
      );
      expect(report.rows.map((row) => row.reportDate)).toEqual([
        '2026-02-01',
        '2026-02-02',
        '2026-02-03',
        '2026-02-05',
        '2026-02-07',
      ]);
      expect(report.rows.map((row) => row.audio)).toEqual([1, 2, 3, 5, 7]);
    });

    // The Skype report rejects a repeated report date (unique-report-date) and mixed refresh
    // dates (single-refresh-date); the parser itself still orders and dates such rows for a
    // definition without those rules.
    it('keeps the original order of rows with the same sort key', () => {
      const report = parse(
        csv(['Refreshed,Name,Count', '2026-02-07,a,1', '2026-02-07,a,2']),
        'D7',
        UNRULED,
      );
      expect(report.rows.map((row) => row.count)).toEqual([1, 2]);
    });

    it('uses the newest refresh date of a mixed report, with a warning listing them', () => {
      const report = parse(
        csv(['Refreshed,Name,Count', '2026-02-06,a,1', '2026-02-08,b,2', '2026-02-07,c,3']),
        'D7',
        UNRULED,
      );
      expect(report.reportRefreshDate).toBe('2026-02-08');
      expect(report.warnings).toHaveLength(1);
      expect(report.warnings[0]).toMatch(/mixes refresh dates/);
      for (const date of ['2026-02-06', '2026-02-07', '2026-02-08']) {
        expect(report.warnings[0]).toContain(date);
      }
      // The rows keep their own refresh dates.
      expect(report.rows.map((row) => row.refreshed)).toEqual([
        '2026-02-06',
        '2026-02-08',
        '2026-02-07',
      ]);
    });

    it('reads one refresh date in different spellings as one', () => {
      const report = parse(
        csv([HEADER, '2026-02-07,2026-02-01,7,1,0', '2026-02-07T00:00:00Z,2026-02-02,7,2,0']),
      );
      expect(report.reportRefreshDate).toBe('2026-02-07');
      expect(report.warnings).toEqual([missingDaysWarning(2)]);
    });

    it('rejects a row without a refresh date, since it cannot be keyed, naming its line', () => {
      expect(() =>
        parse(csv([HEADER, '2026-02-07,2026-02-02,7,2,0', ',2026-02-01,7,1,0'])),
      ).toThrow('Line 3: "Report Refresh Date" should be a date (YYYY-MM-DD), got "".');
    });

    it('reads a report against any definition, not only the Skype one', () => {
      const report = parse(
        csv(['Count,Name,Refreshed', '2,b,2026-01-02', '1,a,2026-01-02']),
        'D7',
        UNRULED,
      );
      expect(report).toEqual({
        rows: [
          { refreshed: '2026-01-02', name: 'a', count: 1 },
          { refreshed: '2026-01-02', name: 'b', count: 2 },
        ],
        reportRefreshDate: '2026-01-02',
        warnings: [],
      });
    });
  });

  describe('rejecting bad reports', () => {
    it.each([
      ['empty input', Buffer.alloc(0)],
      ['a BOM only', BOM],
      ['blank CRLF lines only', Buffer.from('\r\n\r\n')],
      ['blank LF lines only', Buffer.concat([BOM, Buffer.from('\n\n\n')])],
    ])('rejects %s as a CSV without a header line', (_, bytes) => {
      const error = formatError(() => parse(bytes));
      expect(error.message).toContain('empty');
      expect(error.reportRefreshDate).toBeUndefined();
    });

    it('rejects a missing column, naming it', () => {
      const error = formatError(() =>
        parse(
          csv([
            'Report Refresh Date,Report Date,Report Period,Audio',
            '2026-02-07,2026-02-01,7,12',
          ]),
        ),
      );
      expect(error.message).toContain('header drift');
      expect(error.message).toContain('"Video" is missing');
      expect(error.message).not.toContain('Unrecognised');
    });

    it('rejects a renamed column, naming the missing column and the unrecognised one', () => {
      const error = formatError(() =>
        parse(
          csv([
            'Report Refresh Date,Report Date,Report Period,Audio Minutes,Video',
            '2026-02-07,2026-02-01,7,12,3',
          ]),
        ),
      );
      expect(error.message).toContain('"Audio" is missing');
      expect(error.message).toContain('Unrecognised column(s): "Audio Minutes"');
      expect(error.message).toContain('renamed "Audio"');
    });

    it('lists the columns it found when a column is missing', () => {
      const error = formatError(() => parse(csv(['Report Date,Audio,Video'])));
      expect(error.message).toContain('"Report Refresh Date" is missing');
      expect(error.message).toContain('found: "Report Date", "Audio", "Video"');
    });

    it('rejects header drift in a header-only report too', () => {
      expect(
        formatError(() => parse(csv(['Report Refresh Date,Report Date,Period,Audio,Video'])))
          .message,
      ).toContain('"Report Period" is missing');
    });

    it.each([
      ['12.5', 'a decimal'],
      ['1,234', 'a thousands separator'],
      ['1e3', 'an exponent'],
      ['twelve', 'a word'],
      ['+5', 'a plus sign'],
      ['0x10', 'hexadecimal'],
      ['9007199254740993', 'an unsafe integer'],
    ])('rejects the integer %s (%s), naming the line and the column', (raw) => {
      const error = formatError(() =>
        parse(csv([HEADER, '2026-02-07,2026-02-01,7,1,2', `2026-02-07,2026-02-02,7,1,"${raw}"`])),
      );
      expect(error.message).toContain('Line 3');
      expect(error.message).toContain('"Video"');
      expect(error.message).toContain(`"${raw}"`);
      expect(error.message).toContain('whole number');
    });

    it('counts lines from the header, before sorting', () => {
      const error = formatError(() =>
        parse(csv([HEADER, '2026-02-07,2026-02-05,7,1,2', '2026-02-07,2026-02-01,7,x,2'])),
      );
      expect(error.message).toMatch(/^Line 3: "Audio"/);
    });

    it.each([
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-2-1',
      '02/01/2026',
      '2026-02-01T12:00:00Z',
      '2026-02-01T00:00:00+01:00',
      '2026-02-01 00:00:00',
      'yesterday',
    ])('rejects the date %s, naming the line and the column', (raw) => {
      const error = formatError(() => parse(csv([HEADER, `2026-02-07,${raw},7,1,2`])));
      expect(error.message).toContain('Line 2');
      expect(error.message).toContain('"Report Date"');
      expect(error.message).toContain(`"${raw}"`);
      expect(error.message).toContain('YYYY-MM-DD');
    });

    it('rejects a report with rows but no refresh date at all', () => {
      const error = formatError(() =>
        parse(csv([HEADER, ',2026-02-01,7,1,2', '  ,2026-02-02,7,1,2'])),
      );
      expect(error.message).toBe(
        'Line 2: "Report Refresh Date" should be a date (YYYY-MM-DD), got "".',
      );
      expect(error.reportRefreshDate).toBeUndefined();
    });

    it('rejects a CSV truncated inside a quoted field', () => {
      const error = formatError(() =>
        parse(`${HEADER}\r\n2026-02-07,2026-02-01,7,12,3\r\n2026-02-07,"2026-02`),
      );
      expect(error.message).toContain('malformed or truncated');
    });

    it('rejects a CSV truncated in the middle of a row (too few columns)', () => {
      const error = formatError(() =>
        parse(`${HEADER}\r\n2026-02-07,2026-02-01,7,12,3\r\n2026-02-07,2026-02-02,7`),
      );
      expect(error.message).toContain('malformed or truncated');
    });

    it('rejects a row with too many columns', () => {
      const error = formatError(() => parse(csv([HEADER, '2026-02-07,2026-02-01,7,12,3,4'])));
      expect(error.message).toContain('malformed or truncated');
    });

    it('rejects a stray quote inside an unquoted field', () => {
      expect(
        formatError(() => parse(csv([HEADER, '2026-02-07,2026-02-01,7 "days",12,3']))).message,
      ).toContain('malformed or truncated');
    });

    it('carries the refresh date salvaged from the data when a later value is bad', () => {
      const error = formatError(() =>
        parse(csv([HEADER, '2026-02-07,2026-02-01,7,1,2', '2026-02-07,2026-02-02,7,oops,2'])),
      );
      expect(error.message).toContain('Line 3');
      expect(error.reportRefreshDate).toBe('2026-02-07');
    });

    it('salvages the first readable refresh date, normalised, skipping unreadable ones', () => {
      const error = formatError(() =>
        parse(
          csv([
            HEADER,
            'not a date,2026-02-01,7,1,2',
            '2026-02-07T00:00:00Z,2026-02-02,7,1,2',
            '2026-02-08,2026-02-03,7,1,2',
          ]),
        ),
      );
      expect(error.message).toContain('Line 2: "Report Refresh Date"');
      expect(error.reportRefreshDate).toBe('2026-02-07');
    });

    it('salvages the refresh date when header drift hides another column', () => {
      const error = formatError(() =>
        parse(
          csv([
            'report refresh date,Report Date,Report Period,Audio,Video Minutes',
            '2026-02-07,2026-02-01,7,1,2',
          ]),
        ),
      );
      expect(error.message).toContain('"Video" is missing');
      expect(error.reportRefreshDate).toBe('2026-02-07');
    });

    it('carries no refresh date when the refresh-date column itself is missing', () => {
      const error = formatError(() =>
        parse(
          csv(['Refresh,Report Date,Report Period,Audio,Video', '2026-02-07,2026-02-01,7,1,2']),
        ),
      );
      expect(error.reportRefreshDate).toBeUndefined();
    });

    it('carries no refresh date when no row has a readable one', () => {
      const error = formatError(() => parse(csv([HEADER, 'soon,2026-02-01,7,1,2'])));
      expect(error.reportRefreshDate).toBeUndefined();
    });
  });
});

describe('formatReportCsv', () => {
  it("writes Graph's headers and CRLF line breaks, without a BOM", () => {
    const text = formatReportCsv(skypeP2pMinuteCounts, [ROW_0201, ROW_0202]);
    expect(text).toBe(
      `${HEADER}\r\n2026-02-07,2026-02-01,7,12,3\r\n2026-02-07,2026-02-02,7,0,\r\n`,
    );
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(Buffer.from(text).subarray(0, 3).equals(BOM)).toBe(false);
  });

  it('writes the header alone for an empty report', () => {
    expect(formatReportCsv(skypeP2pMinuteCounts, [])).toBe(`${HEADER}\r\n`);
  });

  it('writes null and missing values as empty cells', () => {
    const row: ReportRow = { reportRefreshDate: '2026-02-07', reportDate: null, audio: 1 };
    expect(formatReportCsv(skypeP2pMinuteCounts, [row])).toBe(`${HEADER}\r\n2026-02-07,,,1,\r\n`);
  });

  it("writes columns in the definition's order and ignores unknown keys", () => {
    const row: ReportRow = {
      video: 5,
      extra: 'ignored',
      audio: 4,
      reportPeriod: '30',
      reportDate: '2026-01-01',
      reportRefreshDate: '2026-01-30',
    };
    expect(formatReportCsv(skypeP2pMinuteCounts, [row])).toBe(
      `${HEADER}\r\n2026-01-30,2026-01-01,30,4,5\r\n`,
    );
  });

  it('quotes values containing commas, quotes or line breaks', () => {
    const row: ReportRow = { ...ROW_0201, reportPeriod: 'a,"b"\nc' };
    expect(formatReportCsv(skypeP2pMinuteCounts, [row])).toBe(
      `${HEADER}\r\n2026-02-07,2026-02-01,"a,""b""\nc",12,3\r\n`,
    );
  });

  it('round-trips through parseReportCsv', () => {
    const rows: ReportRow[] = [ROW_0201, ROW_0202, { ...ROW_0201, reportDate: '2026-02-03' }];
    const parsed = parse(formatReportCsv(skypeP2pMinuteCounts, rows));
    expect(parsed).toEqual({
      rows,
      reportRefreshDate: '2026-02-07',
      warnings: [missingDaysWarning(3)],
    });
  });

  it('round-trips quoted text and negative numbers where no rule forbids them', () => {
    const rows: ReportRow[] = [
      { refreshed: '2026-02-07', name: 'a, "quoted"\r\nvalue', count: -1 },
      { refreshed: '2026-02-07', name: 'b', count: null },
    ];
    const parsed = parse(formatReportCsv(UNRULED, rows), 'D7', UNRULED);
    expect(parsed).toEqual({ rows, reportRefreshDate: '2026-02-07', warnings: [] });
  });

  it('round-trips an empty report', () => {
    expect(parse(formatReportCsv(skypeP2pMinuteCounts, []))).toEqual({
      rows: [],
      reportRefreshDate: null,
      warnings: [],
    });
  });

  it('reproduces a parsed Graph CSV (BOM and LF aside) byte for byte', () => {
    const graph = Buffer.concat([
      BOM,
      csv([HEADER, '2026-02-07,2026-02-01,7,12,3', '2026-02-07,2026-02-02,7,0,'], '\n'),
    ]);
    expect(formatReportCsv(skypeP2pMinuteCounts, parse(graph).rows)).toBe(
      csv([HEADER, '2026-02-07,2026-02-01,7,12,3', '2026-02-07,2026-02-02,7,0,']).toString(),
    );
  });
});

describe('keying data that fails validation', () => {
  it('salvages only a real calendar date as the refresh date', () => {
    const error = formatError(() => parse(csv([HEADER, '2026-02-30,2026-02-01,7,x,2'])));
    expect(error.reportRefreshDate).toBeUndefined();
  });

  it('salvages the refresh date from the whole rows of a file cut off mid-row', () => {
    const error = formatError(() =>
      parse(`${HEADER}\r\n2026-02-07,2026-02-01,7,12,3\r\n2026-02-07,2026-02-02,"7`),
    );
    expect(error.message).toMatch(/malformed or truncated/);
    expect(error.reportRefreshDate).toBe('2026-02-07');
  });

  it('names the file line of a bad value, counting blank lines', () => {
    const error = formatError(() => parse(`${HEADER}\n\n\n2026-02-07,2026-02-01,7,many,3\n`));
    expect(error.message).toBe('Line 4: "Audio" should be a whole number, got "many".');
  });

  it('rejects a row with an empty Report Date: it cannot be placed in the series', () => {
    const error = formatError(() => parse(csv([HEADER, '2026-02-07,,7,1,2'])));
    expect(error.message).toBe('Line 2: "Report Date" should be a date (YYYY-MM-DD), got "".');
    expect(error.reportRefreshDate).toBe('2026-02-07');
  });

  it.each([
    [
      'a refresh date before 2000',
      '0001-01-01,2026-02-01,7,1,2',
      'Report Refresh Date',
      '0001-01-01',
    ],
    ['a report date before 2000', '2026-02-07,1999-12-31,7,1,2', 'Report Date', '1999-12-31'],
    [
      'a refresh date past the range',
      '9999-12-31,2026-02-01,7,1,2',
      'Report Refresh Date',
      '9999-12-31',
    ],
  ])(
    'refuses %s as a format error, not a date to walk to [graph-fault]',
    (_, line, header, date) => {
      const error = formatError(() => parse(csv([HEADER, line])));
      expect(error.message).toBe(
        `Line 2: "${header}" is "${date}", outside the dates this service accepts: a calendar date as YYYY-MM-DD from 2000-01-01 to 9999-12-30.`,
      );
    },
  );

  it('calls a file whose first line is blank-ish empty, not drifted', () => {
    expect(formatError(() => parse(' , ,\n')).message).toContain('no header line');
  });
});

describe('duration columns (Teams)', () => {
  const TEAMS_HEADER =
    'Report Refresh Date,Report Date,Team Chat Messages,Post Messages,Reply Messages,Private Chat Messages,Calls,Meetings,Audio Duration,Video Duration,Screen Share Duration,Meetings Organized,Meetings Attended,Report Period';
  const teamsRow = (date: string, audio: string, video = 'PT0S', screen = 'PT30S') =>
    `2026-02-07,${date},1,1,0,4,2,1,${audio},${video},${screen},0,1,1`;
  const teamsParse = (bytes: Buffer) => parse(bytes, 'D7', teamsUserActivityCounts);
  // One row of a D1-shaped report would break the period rule: rows are checked against D7.
  const week = (audio: string) =>
    csv([
      TEAMS_HEADER,
      ...Array.from({ length: 7 }, (_, index) =>
        teamsRow(`2026-02-0${index + 1}`, index === 6 ? audio : 'PT0S').replace(/,1$/, ',7'),
      ),
    ]);

  it.each([
    ['PT1H2M3S', 3723],
    ['PT0S', 0],
    ['P1DT2H', 93_600],
    ['PT12.5S', 13],
  ])(
    "keeps Graph's %s under its key and adds whole seconds (%i) under {key}InSeconds",
    (text, seconds) => {
      const row = teamsParse(week(text)).rows.at(-1)!;
      expect(row).toMatchObject({
        audioDuration: text,
        audioDurationInSeconds: seconds,
        videoDuration: 'PT0S',
        videoDurationInSeconds: 0,
        screenShareDuration: 'PT30S',
        screenShareDurationInSeconds: 30,
      });
    },
  );

  it('reads an empty duration as null in both keys', () => {
    const row = teamsParse(week('')).rows.at(-1)!;
    expect([row.audioDuration, row.audioDurationInSeconds]).toEqual([null, null]);
  });

  it.each([
    ['-PT5S', 'signed'],
    ['5 minutes', 'not an ISO 8601 duration'],
    ['P1M', 'years or months'],
  ])('refuses %s, naming the column and the line, like a bad integer', (text, reason) => {
    const error = formatError(() => teamsParse(week(text)));
    expect(error.message).toMatch(/^Line 8: "Audio Duration" should be an ISO 8601 duration/);
    expect(error.message).toContain(reason);
    expect(error.reportRefreshDate).toBe('2026-02-07');
  });

  it("writes Graph's duration text back to CSV, without the seconds", () => {
    const { rows } = teamsParse(week('PT1H2M3S'));
    const text = formatReportCsv(teamsUserActivityCounts, rows);
    expect(text.split('\r\n')[0]).toBe(TEAMS_HEADER);
    expect(text).toContain(',PT1H2M3S,PT0S,PT30S,');
    expect(text).not.toContain('3723');
  });
});
