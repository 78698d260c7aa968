import { createHash } from 'node:crypto';
import {
  CHART_CONTENT_SECURITY_POLICY,
  ChartInput,
  ChartRow,
  chartHeight,
  dateSpans,
  dateTicks,
  defaultInterval,
  escapeXml,
  isoWeekName,
  isoWeekStart,
  groupThousands,
  MAX_CHART_DAYS,
  renderChartSvg,
  valueAxis,
} from '../../../shared/http/chart';
import { catalogueReport } from '../../../shared/reports/catalogue';
import { addDays, daysBetween } from '../../../shared/reports/dates';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';

const SERIES = skypeP2pMinuteCounts.chartSeries!;

function row(
  reportDate: string,
  audio: number | null,
  video: number | null,
  refresh = '2026-03-01',
): ChartRow {
  return { reportRefreshDate: refresh, reportDate, reportPeriod: '30', audio, video };
}

/** One row a day from `from` to `to`, audio 100 + day index, video 10 + day index. */
function daily(from: string, to: string, skip: readonly string[] = []): ChartRow[] {
  const rows: ChartRow[] = [];
  for (let date = from, index = 0; date <= to; date = addDays(date, 1), index++) {
    if (!skip.includes(date)) rows.push(row(date, 100 + index, 10 + index));
  }
  return rows;
}

function chart(input: Partial<ChartInput> = {}): string {
  const from = input.from ?? '2026-02-01';
  const to = input.to ?? '2026-02-10';
  return renderChartSvg({
    from,
    to,
    rows: daily(from, to),
    missingDates: [],
    series: SERIES,
    ...input,
  });
}

/** The x coordinates of every point of one series, run by run. */
function runs(svg: string, series: 'audio' | 'video'): number[][] {
  const group = new RegExp(`<g class="series" data-series="${series}"[^>]*>([\\s\\S]*?)</g>`).exec(
    svg,
  );
  if (!group) throw new Error(`no ${series} series`);
  const marks = group[1]!.match(/<(polyline|circle)[^>]*>/g) ?? [];
  return marks.map((mark) => {
    const circle = /cx="([\d.]+)"/.exec(mark);
    if (circle) return [Number(circle[1])];
    return /points="([^"]*)"/
      .exec(mark)![1]!
      .split(' ')
      .map((point) => Number(point.split(',')[0]));
  });
}

function bands(svg: string, kind = 'gap'): Array<{ from: string; to: string }> {
  return [
    ...svg.matchAll(new RegExp(`<g class="${kind}" data-from="([^"]+)" data-to="([^"]+)"`, 'g')),
  ].map((match) => ({ from: match[1]!, to: match[2]! }));
}
const gaps = (svg: string) => bands(svg, 'gap');

/** Every element opened is closed in order: enough to catch a broken or injected tag. */
function expectWellFormed(svg: string): void {
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of svg.matchAll(
    /<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g,
  )) {
    if (closing) expect(open.pop()).toBe(name);
    else if (!selfClosing) open.push(name!);
  }
  expect(open).toEqual([]);
  // Outside tags, text holds no raw markup characters.
  expect(svg.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|#39);)/);
}

describe('escapeXml', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['</title><script>alert(1)</script>', '&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`"quoted" 'single'`, '&quot;quoted&quot; &#39;single&#39;'],
    ['bell\u0007 and nul\u0000', 'bell\ufffd and nul\ufffd'],
    ['plain Müller – ok', 'plain Müller – ok'],
  ])('%j becomes %j', (input, output) => {
    expect(escapeXml(input)).toBe(output);
  });
});

describe('groupThousands', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
    [-12345, '-12,345'],
  ])('%d is %s', (value, text) => {
    expect(groupThousands(value)).toBe(text);
  });
});

describe('valueAxis', () => {
  it.each([
    [0, [0, 1], ['0', '1']],
    [3, [0, 1, 2, 3], ['0', '1', '2', '3']],
    [7, [0, 2, 4, 6, 8], ['0', '2', '4', '6', '8']],
    [836, [0, 200, 400, 600, 800, 1000], ['0', '200', '400', '600', '800', '1,000']],
    [1000, [0, 200, 400, 600, 800, 1000], ['0', '200', '400', '600', '800', '1,000']],
    [12_345, [0, 5000, 10_000, 15_000], ['0', '5k', '10k', '15k']],
    [
      2_400_000,
      [0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000],
      ['0', '0.5M', '1M', '1.5M', '2M', '2.5M'],
    ],
  ])('for a maximum of %d ticks at %j labelled %j', (max, ticks, labels) => {
    const axis = valueAxis(max);
    expect(axis.ticks).toEqual(ticks);
    expect(axis.ticks.map(axis.format)).toEqual(labels);
    expect(axis.max).toBeGreaterThanOrEqual(max);
  });
});

describe('dateTicks', () => {
  it.each([1, 2, 7, 8, 10, 30, 31, 90, 98, 99, 180, 365, 548, 1000, MAX_CHART_DAYS])(
    'labels a range of %d days with 1 to 7 dates inside it, in order',
    (days) => {
      const from = '2025-01-15';
      const to = addDays(from, days - 1);
      const ticks = dateTicks(from, to);
      expect(ticks.length).toBeGreaterThanOrEqual(1);
      expect(ticks.length).toBeLessThanOrEqual(7);
      const dates = ticks.map((tick) => tick.date);
      expect(dates).toEqual([...dates].sort());
      expect(dates.every((date) => date >= from && date <= to)).toBe(true);
    },
  );

  it('shows the year on the first label and where a year starts', () => {
    expect(dateTicks('2025-12-02', '2026-03-01')).toEqual([
      { date: '2025-12-02', label: '2 Dec', year: '2025' },
      { date: '2025-12-16', label: '16 Dec' },
      { date: '2025-12-30', label: '30 Dec' },
      { date: '2026-01-13', label: '13 Jan', year: '2026' },
      { date: '2026-01-27', label: '27 Jan' },
      { date: '2026-02-10', label: '10 Feb' },
      { date: '2026-02-24', label: '24 Feb' },
    ]);
  });

  it('labels long ranges on firsts of months, quarters starting in January', () => {
    expect(dateTicks('2024-06-20', '2026-02-10').map((tick) => tick.date)).toEqual([
      '2024-07-01',
      '2024-10-01',
      '2025-01-01',
      '2025-04-01',
      '2025-07-01',
      '2025-10-01',
      '2026-01-01',
    ]);
  });
});

describe('dateSpans', () => {
  it('joins consecutive dates, across month ends, ignoring order and repeats', () => {
    expect(
      dateSpans(['2026-03-01', '2026-02-27', '2026-02-28', '2026-03-05', '2026-02-28']),
    ).toEqual([
      { from: '2026-02-27', to: '2026-03-01' },
      { from: '2026-03-05', to: '2026-03-05' },
    ]);
  });
});

describe('renderChartSvg', () => {
  it('is a scalable, accessible SVG image', () => {
    const svg = chart();
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+" width="100%"/,
    );
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/<title id="chart-title">[^<]*2026-02-01 to 2026-02-10<\/title>/);
    expect(svg).toMatch(
      /<desc id="chart-desc">Audio and Video minutes per day from 2026-02-01 to 2026-02-10, 10 days\./,
    );
    expect(svg).toContain('aria-labelledby="chart-title chart-desc"');
    expectWellFormed(svg);
  });

  it('is the same bytes for the same input', () => {
    expect(chart()).toBe(chart());
  });

  it('names both series in a legend, and tells them apart by more than colour', () => {
    const svg = chart();
    expect(svg).toMatch(/<text class="legend"[^>]*>Audio<\/text>/);
    expect(svg).toMatch(/<text class="legend"[^>]*>Video<\/text>/);
    expect(svg).toMatch(/<text class="legend"[^>]*>No data<\/text>/);
    expect(svg).not.toMatch(
      /<g class="series" data-series="audio"[^>]*>\s*<polyline stroke-dasharray/,
    );
    expect(svg).toMatch(/<g class="series" data-series="video"[^>]*>\s*<polyline stroke-dasharray/);
  });

  it('shows the range, its length and the days without data under the title', () => {
    const svg = chart({ rows: daily('2026-02-01', '2026-02-10', ['2026-02-04']) });
    expect(svg).toMatch(/<text class="title"[^>]*>Audio and Video minutes per day<\/text>/);
    expect(svg).toContain(
      '2026-02-01 to 2026-02-10<tspan class="wide">, 10 days, 1 without data</tspan>',
    );
  });

  it("labels each series' own value axis with round ticks up to its own largest value", () => {
    const svg = chart({
      rows: [row('2026-02-01', 836, 35), row('2026-02-02', 410, 12)],
      to: '2026-02-02',
    });
    const labels = [
      ...svg.matchAll(
        /<text class="tick" x="\d+" y="[\d.]+" dy="0.35em" text-anchor="end">([^<]+)</g,
      ),
    ].map((match) => match[1]);
    // Audio to 1,000 in its panel, video to 40 in its own: both readable.
    expect(labels).toEqual(['0', '500', '1,000', '0', '20', '40']);
    expect(
      [...svg.matchAll(/<g class="panel" data-series="(\w+)" data-axis-max="(\d+)"/g)].map((m) => [
        m[1],
        Number(m[2]),
      ]),
    ).toEqual([
      ['audio', 1000],
      ['video', 40],
    ]);
    expect(svg).toContain('>Audio minutes per day</text>');
    expect(svg).toContain('>Video minutes per day</text>');
  });

  it('labels a few dates on the time axis', () => {
    const labels = [
      ...chart({ from: '2025-12-02', to: '2026-03-01' }).matchAll(
        /text-anchor="middle">(\d+ \w{3})/g,
      ),
    ];
    expect(labels.map((match) => match[1])).toEqual([
      '2 Dec',
      '16 Dec',
      '30 Dec',
      '13 Jan',
      '27 Jan',
      '10 Feb',
      '24 Feb',
    ]);
  });

  describe('gaps', () => {
    const missing = ['2026-02-04', '2026-02-05'];
    const svg = chart({ rows: daily('2026-02-01', '2026-02-10', missing) });
    const xOf = (date: string) => xOfRange('2026-02-01', '2026-02-10', date);

    it('break both lines on days without a row', () => {
      for (const series of ['audio', 'video'] as const) {
        expect(runs(svg, series)).toEqual([
          ['2026-02-01', '2026-02-02', '2026-02-03'].map(xOf),
          ['2026-02-06', '2026-02-07', '2026-02-08', '2026-02-09', '2026-02-10'].map(xOf),
        ]);
      }
    });

    it('are shaded, one band per run of missing days, each with a tooltip', () => {
      expect(gaps(svg)).toEqual([{ from: '2026-02-04', to: '2026-02-05' }]);
      expect(svg).toContain('<title>No data: 2026-02-04 to 2026-02-05</title>');
      expect(svg).toContain('2 of 10 days have no data: 2026-02-04 to 2026-02-05.');
    });

    it('are never drawn as zero', () => {
      const zeroY = /<line x1="80" x2="776" y1="([\d.]+)"[^>]*stroke="#6b7280"/.exec(svg)![1];
      const points = [...svg.matchAll(/points="([^"]*)"/g)].flatMap((match) =>
        match[1]!.split(' '),
      );
      expect(points.some((point) => point.endsWith(`,${zeroY}`))).toBe(false);
    });

    it('break only the series whose value is null', () => {
      const rows = daily('2026-02-01', '2026-02-05').map((r) =>
        r.reportDate === '2026-02-03' ? { ...r, video: null } : r,
      );
      const svg = chart({ to: '2026-02-05', rows });
      expect(runs(svg, 'audio')).toHaveLength(1);
      expect(runs(svg, 'video')).toHaveLength(2);
      expect(gaps(svg)).toEqual([{ from: '2026-02-03', to: '2026-02-03' }]);
    });

    it('include days the archive lists as missing, even with a stray row', () => {
      const svg = chart({ missingDates: ['2026-02-10', '2026-03-15'] });
      expect(gaps(svg)).toEqual([{ from: '2026-02-10', to: '2026-02-10' }]);
      expect(runs(svg, 'audio')).toEqual([expect.any(Array)]);
      expect(runs(svg, 'audio')[0]).toHaveLength(9);
    });

    it('leave a lone day between gaps as a dot', () => {
      const svg = chart({ to: '2026-02-03', rows: [row('2026-02-02', 5, 1)] });
      expect(svg).toMatch(/<g class="series" data-series="audio"[^>]*>\s*<circle /);
      expect(runs(svg, 'audio')).toEqual([[xOfRange('2026-02-01', '2026-02-03', '2026-02-02')]]);
      expect(gaps(svg)).toEqual([
        { from: '2026-02-01', to: '2026-02-01' },
        { from: '2026-02-03', to: '2026-02-03' },
      ]);
    });
  });

  it('ignores rows outside the range, and takes the newest refresh of a day', () => {
    const svg = chart({
      to: '2026-02-02',
      rows: [
        row('2026-01-31', 9999, 9999),
        row('2026-02-01', 100, 10, '2026-02-05'),
        row('2026-02-01', 300, 30, '2026-02-09'),
        row('2026-02-01', 200, 20, '2026-02-07'),
        row('2026-02-02', 100, 10),
      ],
    });
    expect(svg).toContain(
      'Audio: 400 minutes in all, 100 minutes per working day, busiest day 2026-02-01 (300),',
    );
    expect(svg).toContain(
      'Video: 40 minutes in all, 10 minutes per working day, busiest day 2026-02-01 (30),',
    );
  });

  it.each([
    ['no rows', []],
    ['only rows outside the range', [row('2025-01-01', 5, 5)]],
    ['only null values', [row('2026-02-01', null, null)]],
  ])('says "No data held for FROM to TO" for %s', (_case, rows) => {
    const svg = chart({ rows });
    expect(svg).toContain('>No data held for 2026-02-01 to 2026-02-10</text>');
    expect(svg).toContain(
      '<desc id="chart-desc">No data held for 2026-02-01 to 2026-02-10.</desc>',
    );
    expect(svg).not.toContain('<polyline');
    expectWellFormed(svg);
  });

  it.each(['</text><script>alert(1)</script>', '"><svg onload="alert(1)">', "]]><!-- & '"])(
    'escapes the title %j',
    (title) => {
      const svg = chart({ title });
      expect(svg).toContain(`>${escapeXml(title)}</text>`);
      expect(svg).not.toContain(title);
      expect(svg).not.toMatch(/<script|<svg onload/);
      expectWellFormed(svg);
    },
  );

  it.each([
    ['a from that is not a date', { from: '"><script>alert(1)</script>' }],
    ['an impossible date', { to: '2026-02-30' }],
    ['a range that ends before it starts', { from: '2026-02-11' }],
    ['a range beyond the limit', { from: addDays('2026-02-10', -MAX_CHART_DAYS) }],
  ])('refuses %s', (_case, range) => {
    expect(() =>
      renderChartSvg({
        from: '2026-02-01',
        to: '2026-02-10',
        rows: [],
        missingDates: [],
        series: SERIES,
        ...range,
      }),
    ).toThrow(RangeError);
  });

  it('draws the longest range allowed', () => {
    const from = addDays('2026-02-10', 1 - MAX_CHART_DAYS);
    const svg = renderChartSvg({
      from,
      to: '2026-02-10',
      rows: daily(from, '2026-02-10'),
      missingDates: [],
      series: SERIES,
      interval: 'day',
    });
    expect(runs(svg, 'audio')[0]).toHaveLength(MAX_CHART_DAYS);
    expectWellFormed(svg);
  });

  it('allows its one style element by hash in its own Content-Security-Policy', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(chart())![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(CHART_CONTENT_SECURITY_POLICY).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; frame-ancestors 'none'`,
    );
  });
});

describe('renderChartSvg by ISO week', () => {
  // 2026-02-02 is a Monday: the range is the last day of W05, W06 and W07 whole, three days of W08.
  const from = '2026-02-01';
  const to = '2026-02-18';
  const weekly = (input: Partial<ChartInput> = {}) =>
    chart({ from, to, interval: 'week', rows: daily(from, to), ...input });
  const weeks = (svg: string, series = 'audio') =>
    [
      ...new RegExp(`<g class="series" data-series="${series}"[^>]*>([\\s\\S]*?)</g>`)
        .exec(svg)![1]!
        .matchAll(/<circle class="(week|partial)"[^>]*><title>([^<]*)<\/title>/g),
    ].map((match) => [match[1], match[2]]);

  it('sums each ISO week, marking weeks with fewer than seven days held as partial', () => {
    const svg = weekly();
    expect(svg).toContain('data-interval="week"');
    // Audio is 100 + the day's index from 2026-02-01.
    const sum = (first: number, last: number) =>
      Array.from({ length: last - first + 1 }, (_, i) => 100 + first + i).reduce((a, b) => a + b);
    expect(weeks(svg)).toEqual([
      ['partial', `2026-W05 (2026-02-01 to 2026-02-01): ${sum(0, 0)} minutes, partial week`],
      ['week', `2026-W06 (2026-02-02 to 2026-02-08): ${groupThousands(sum(1, 7))} minutes`],
      ['week', `2026-W07 (2026-02-09 to 2026-02-15): ${groupThousands(sum(8, 14))} minutes`],
      ['partial', `2026-W08 (2026-02-16 to 2026-02-18): ${sum(15, 17)} minutes, partial week`],
    ]);
    expect(svg).toContain('>Audio minutes per week</text>');
    expect(svg).toMatch(/<text class="legend"[^>]*>Partial week<\/text>/);
    expect(svg).toContain('Audio and Video minutes per ISO week from 2026-02-01 to 2026-02-18');
    expectWellFormed(svg);
  });

  it('sums a week with missing days over the days held, and marks it partial', () => {
    const svg = weekly({ rows: daily(from, to, ['2026-02-10', '2026-02-11']) });
    const held = [8, 11, 12, 13, 14].map((index) => 100 + index).reduce((a, b) => a + b);
    expect(weeks(svg)[2]).toEqual([
      'partial',
      `2026-W07 (2026-02-09 to 2026-02-15): ${held} minutes, partial week`,
    ]);
    expect(gaps(svg)).toEqual([{ from: '2026-02-10', to: '2026-02-11' }]);
  });

  it('leaves a week with no day held out of the line', () => {
    const skip = [
      '2026-02-09',
      '2026-02-10',
      '2026-02-11',
      '2026-02-12',
      '2026-02-13',
      '2026-02-14',
      '2026-02-15',
    ];
    const svg = weekly({ rows: daily(from, to, skip) });
    expect(weeks(svg).map(([, title]) => title!.slice(0, 8))).toEqual([
      '2026-W05',
      '2026-W06',
      '2026-W08',
    ]);
    const audio = /<g class="series" data-series="audio"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
    expect(audio.match(/<polyline/g)).toHaveLength(2);
  });

  it.each<[string, string, string]>([
    ['2026-02-18', '2026-02-16', '2026-W08'],
    ['2026-01-01', '2025-12-29', '2026-W01'],
    ['2027-01-03', '2026-12-28', '2026-W53'],
    ['2024-12-30', '2024-12-30', '2025-W01'],
  ])('puts %s in the week of Monday %s, ISO week %s', (date, monday, name) => {
    expect(isoWeekStart(date)).toBe(monday);
    expect(isoWeekName(date)).toBe(name);
  });

  it.each<[number, string]>([
    [120, 'day'],
    [121, 'week'],
  ])('defaults a range of %i days to %s', (days, interval) => {
    expect(defaultInterval('2026-01-01', addDays('2026-01-01', days - 1))).toBe(interval);
  });
});

describe('renderChartSvg: days not reported yet', () => {
  const svg = chart({
    from: '2026-02-01',
    to: '2026-02-10',
    rows: daily('2026-02-01', '2026-02-07'),
    lastHeld: '2026-02-07',
  });

  it('draws the days after the last day held apart from gaps, with a legend entry', () => {
    expect(bands(svg, 'future')).toEqual([{ from: '2026-02-08', to: '2026-02-10' }]);
    expect(gaps(svg)).toEqual([]);
    expect(svg).toContain('<title>Not reported yet: 2026-02-08 to 2026-02-10</title>');
    expect(svg).toMatch(/<text class="legend"[^>]*>Not reported yet<\/text>/);
    expect(svg).toContain(', 3 not reported yet</tspan>');
    expect(svg).toContain(
      'No day is missing. 3 days are not reported yet: 2026-02-08 to 2026-02-10.',
    );
  });

  it('keeps a day the archive lost before the last day held a gap', () => {
    const withGap = chart({
      rows: daily('2026-02-01', '2026-02-07', ['2026-02-03']),
      lastHeld: '2026-02-07',
    });
    expect(gaps(withGap)).toEqual([{ from: '2026-02-03', to: '2026-02-03' }]);
    expect(bands(withGap, 'future')).toEqual([{ from: '2026-02-08', to: '2026-02-10' }]);
  });

  it('has no "not reported yet" entry when every day is up to the last day held', () => {
    expect(chart()).not.toContain('Not reported yet');
  });
});

describe('renderChartSvg: the headline figures in its description', () => {
  it('names the change against the range of the same length before, or no earlier data', () => {
    // 2026-02-02 to 2026-02-08 (Monday to Sunday) against 2026-01-26 to 2026-02-01.
    const range = { from: '2026-02-02', to: '2026-02-08' };
    const rows = daily(range.from, range.to);
    const previousRows = daily('2026-01-26', '2026-02-01').map((r) => ({ ...r, audio: 50 }));
    const svg = chart({ ...range, rows, previousRows });
    const audio = rows.reduce((sum, r) => sum + (r.audio as number), 0);
    const percent = Math.round(((audio - 350) / 350) * 1000) / 10;
    expect(svg).toContain(
      `Audio: ${audio} minutes in all, 102 minutes per working day, busiest day 2026-02-08 (106), ▲ +${percent}% against 2026-01-26 to 2026-02-01.`,
    );
    expect(chart({ ...range, rows })).toContain(
      'no earlier data against 2026-01-26 to 2026-02-01.',
    );
  });
});

function xOfRange(from: string, to: string, date: string): number {
  const slot = (776 - 80) / (daysBetween(from, to) + 1);
  return Math.round((80 + (daysBetween(from, date) + 0.5) * slot) * 10) / 10;
}

describe('a legend of three long labels', () => {
  const users = catalogueReport('teams-user-activity-user-counts')!.chartSeries!;
  const rows = (from: string, to: string): ChartRow[] => {
    const out: ChartRow[] = [];
    for (let date = from; date <= to; date = addDays(date, 1))
      out.push({ reportDate: date, privateChatMessages: 40, calls: 12, meetings: 30 });
    return out;
  };

  it('wraps before an entry runs past the right edge, and moves the panels down by a row', () => {
    const wide = chart({ series: users, rows: rows('2026-02-01', '2026-02-10') });
    const entries = [...wide.matchAll(/<text class="legend" x="(\d+)" y="(\d+)"[^>]*>([^<]*)</g)];
    for (const [, x, , label] of entries) {
      // As the legend measures a label at the phone's larger text: 15 units a character.
      expect(Number(x) + label!.length * 15).toBeLessThanOrEqual(800);
    }
    const rowsOf = new Set(entries.map((entry) => entry[2]));
    expect(rowsOf.size).toBe(3); // two of series, then the marks
    const height = (svg: string) => Number(/viewBox="0 0 800 (\d+)"/.exec(svg)![1]);
    expect(height(wide)).toBe(chartHeight(users));
    expect(chartHeight(users)).toBe(chartHeight(3) + 32);
  });

  it('shortens a title too long for the phone to its unit, keeping the full one accessible', () => {
    const svg = chart({ series: users, rows: rows('2026-02-01', '2026-02-10') });
    expect(svg).toMatch(/<text class="title"[^>]*>Counts per day, 3 series<\/text>/);
    expect(svg).toContain(
      '<title id="chart-title">Users chatting privately, Users in calls and Users in meetings count per day,',
    );
  });
});
