/**
 * A report's chart series (its definition's `chartSeries`) over a date range, daily or as ISO
 * week totals, as a self-contained SVG image.
 *
 * Pure: the same input gives the same bytes (no clock, no randomness), so the image can carry an
 * ETag and tests can compare it. Everything that may come from a request (the range, the title)
 * is XML-escaped; numbers and dates are formatted here, never by the host's locale.
 *
 * Small multiples, not one plot with two axes: each series gets a panel of its own, stacked, with
 * its own value axis and one shared date axis under them all. Audio runs to about 1,000 minutes
 * a day and video to about 65; on one axis video is a flat line, and a second (right-hand) axis
 * makes readers guess which line belongs to which scale and invites comparing heights that mean
 * nothing. Stacked panels keep every series readable, line up the same days vertically, and take
 * a third series from a definition with no new layout.
 */
import { createHash } from 'node:crypto';
import { addDays, daysBetween, firstOfNextMonth, isCalendarDate } from '../reports/dates';
import { ChartSeries } from '../reports/definitions';
import {
  figuresSentence,
  groupThousands,
  headlineFigures,
  seriesValue as figureValue,
} from './chartFigures';

export { groupThousands };

/** One row of the history, as its JSON holds it: the date, the refresh and the series' keys. */
export interface ChartRow {
  readonly reportDate: string;
  readonly reportRefreshDate?: string | null;
  readonly [key: string]: unknown;
}

export const CHART_INTERVALS = ['day', 'week'] as const;
export type ChartInterval = (typeof CHART_INTERVALS)[number];

/** Ranges longer than this are drawn as week totals unless a request asks for days. */
export const WEEKLY_AFTER_DAYS = 120;

export function defaultInterval(from: string, to: string): ChartInterval {
  return daysBetween(from, to) + 1 > WEEKLY_AFTER_DAYS ? 'week' : 'day';
}

export interface ChartInput {
  /** First day shown, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day shown, `YYYY-MM-DD`, inclusive. */
  readonly to: string;
  readonly rows: readonly ChartRow[];
  /** Days the archive knows it lacks; days without a row or with a null value are gaps anyway. */
  readonly missingDates: readonly string[];
  /** What to draw, each in its own panel; from the report's definition. */
  readonly series: readonly ChartSeries[];
  /**
   * The newest day the archive holds. Days after it are not reported yet (Graph lags a day or
   * two), which is not the same as a day the archive lost: they are drawn apart from gaps.
   */
  readonly lastHeld?: string;
  /** Days or ISO-week totals; by default weeks for ranges over WEEKLY_AFTER_DAYS days. */
  readonly interval?: ChartInterval;
  /** The rows of the range of the same length just before, for the change in the description. */
  readonly previousRows?: readonly ChartRow[];
  readonly title?: string;
}

export const CHART_CONTENT_TYPE = 'image/svg+xml; charset=utf-8';

/**
 * Longer ranges would make a polyline of thousands of points and say nothing more at 800 px;
 * ten years is far beyond what the archive holds, and bounds the work one request can ask for.
 */
export const MAX_CHART_DAYS = 3660;

export const CHART_WIDTH = 800;
const PLOT = { left: 80, right: 776 } as const;
/** Where the first panel starts: under the title, the range and two rows of legend. */
const PANELS_TOP = 140;
/** Each panel: its name above, then the plot. */
const PANEL_LABEL = 44;
const PANEL_HEIGHT = 120;
/** Under the last panel: the date labels and the year under them. */
const DATE_AXIS = 56;
const MAX_X_LABELS = 7;
/** Left edge of the title and the axis name. */
const MARGIN = 16;

/**
 * How the n-th series is drawn. Blue, orange and green stay distinct for the common colour-vision
 * deficiencies, and the dash tells the lines apart without colour at all.
 */
const PALETTE = [
  { colour: '#1d4ed8', dash: '' },
  { colour: '#c2410c', dash: '7 5' },
  { colour: '#15803d', dash: '2 4' },
  { colour: '#7c3aed', dash: '10 4 2 4' },
] as const;

function paletteOf(index: number) {
  return PALETTE[index % PALETTE.length]!;
}

/** A legend entry's width: its swatch and its label at the phone's larger text. */
function legendWidth(label: string): number {
  return 56 + label.length * 15;
}
const LEGEND_ROW = 32;

/**
 * The series' legend entries, row by row: a row wraps before an entry would run past the image's
 * right edge (three long labels, such as a user-count report's, do not fit one row).
 */
function legendLayout(series: readonly { readonly label: string }[]): number[] {
  const rowOf: number[] = [];
  let row = 0;
  let x = MARGIN;
  for (const one of series) {
    if (x > MARGIN && x + legendWidth(one.label) > CHART_WIDTH) {
      row++;
      x = MARGIN;
    }
    rowOf.push(row);
    x += legendWidth(one.label);
  }
  return rowOf;
}

/** Where the first panel starts: under the legend's rows. */
function panelsTop(series: readonly { readonly label: string }[]): number {
  return PANELS_TOP + Math.max(0, ...legendLayout(series)) * LEGEND_ROW;
}

/** The image's height for these series (a count: with a one-row legend). */
export function chartHeight(series: number | readonly { readonly label: string }[]): number {
  const count = typeof series === 'number' ? series : series.length;
  const top = typeof series === 'number' ? PANELS_TOP : panelsTop(series);
  return top + Math.max(1, count) * (PANEL_LABEL + PANEL_HEIGHT) + DATE_AXIS;
}

/**
 * Sizes are in viewBox units, so they scale with the image. On a phone the whole image shrinks
 * to about half, so there the text grows and every other date label steps aside; inside an
 * SVG image the media query measures the image, not the page.
 */
const STYLE =
  'text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans","DejaVu Sans",sans-serif;fill:#1f2937}' +
  '.title{font-size:20px;font-weight:600}.sub{font-size:14px;fill:#4b5563}' +
  '.tick{font-size:13px;fill:#4b5563}.legend{font-size:14px}.axis-name{font-size:13px;fill:#4b5563}' +
  '.empty{font-size:18px;fill:#374151}.panel-name{font-size:15px;font-weight:600}' +
  '@media (max-width:560px){.title{font-size:32px}.sub{font-size:24px}.tick{font-size:24px}' +
  '.legend{font-size:24px}.alt,.wide{display:none}.empty{font-size:28px}.panel-name{font-size:27px}' +
  '.series polyline{stroke-width:4}}';

/**
 * The Content-Security-Policy for the image when it is opened on its own: nothing may load, and
 * the one style element is allowed by its hash.
 */
export const CHART_CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${createHash(
  'sha256',
)
  .update(STYLE)
  .digest('base64')}'; frame-ancestors 'none'`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function escapeXml(value: string): string {
  return (
    value
      // Characters XML 1.0 forbids outright would make the whole image unreadable.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
  );
}

export interface ValueAxis {
  readonly max: number;
  readonly ticks: readonly number[];
  readonly format: (value: number) => string;
}

/** Round ticks (1, 2 or 5 times a power of ten, whole minutes) from zero to at least `max`. */
export function valueAxis(max: number, targetTicks = 5): ValueAxis {
  const top = max > 0 ? max : 1;
  const raw = top / targetTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  const nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
  const step = Math.max(1, nice * magnitude);
  const count = Math.ceil(top / step);
  const ticks = Array.from({ length: count + 1 }, (_, index) => index * step);
  const axisMax = count * step;
  // One unit for the whole axis, so labels line up and compare at a glance.
  const format =
    axisMax >= 1_000_000
      ? (value: number) => (value === 0 ? '0' : `${value / 1_000_000}M`)
      : axisMax >= 10_000
        ? (value: number) => (value === 0 ? '0' : `${value / 1_000}k`)
        : groupThousands;
  return { max: axisMax, ticks, format };
}

export interface DateTick {
  readonly date: string;
  readonly label: string;
  /** Set when the label starts a year or the axis, which then shows the year under it. */
  readonly year?: string;
}

/** At most `maxLabels` dates: every n days for short ranges, the first of every n months beyond. */
export function dateTicks(from: string, to: string, maxLabels = MAX_X_LABELS): DateTick[] {
  const days = daysBetween(from, to) + 1;
  let dates: string[] | undefined;
  for (const step of [1, 2, 3, 7, 14]) {
    if (Math.ceil(days / step) <= maxLabels) {
      dates = Array.from({ length: Math.ceil(days / step) }, (_, index) =>
        addDays(from, index * step),
      );
      break;
    }
  }
  if (!dates) {
    const firstOfMonths: string[] = [];
    // Counted: a range has fewer first-of-months than days, even where the dates stop at the
    // end of the range and the next month would be the same clamped date.
    let date = firstOfNextMonth(from, true);
    for (let step = 0; step < days && date <= to; step++) {
      firstOfMonths.push(date);
      const next = firstOfNextMonth(date);
      if (next === date) break;
      date = next;
    }
    // Counted from January, so a quarterly axis shows Jan, Apr, Jul, Oct.
    const monthIndex = (date: string) =>
      Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
    for (let step = 1; ; step *= step === 1 ? 2 : step === 2 ? 1.5 : 2) {
      const chosen = firstOfMonths.filter((date) => monthIndex(date) % step === 0);
      if (chosen.length <= maxLabels) {
        dates = chosen;
        break;
      }
    }
  }
  let previousYear = '';
  return dates.map((date) => {
    const year = date.slice(0, 4);
    const tick: DateTick = {
      date,
      label: `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]}`,
      ...(year !== previousYear ? { year } : {}),
    };
    previousYear = year;
    return tick;
  });
}

/** The first of the month after `date`, or `date` itself when it is a first and `inclusive`. */
/** Consecutive dates joined into inclusive spans, for bands and for the description. */
export function dateSpans(dates: readonly string[]): Array<{ from: string; to: string }> {
  const spans: Array<{ from: string; to: string }> = [];
  for (const date of [...new Set(dates)].sort()) {
    const last = spans[spans.length - 1];
    if (last && addDays(last.to, 1) === date) last.to = date;
    else spans.push({ from: date, to: date });
  }
  return spans;
}

/** One day of the range: each series' value (null when not held) and what kind of day it is. */
interface Day {
  readonly date: string;
  readonly values: readonly (number | null)[];
  /** `held`: every series has a value; `missing`: the archive lacks it; `future`: after lastHeld. */
  readonly kind: 'held' | 'missing' | 'future';
}

/** A point of a series: a day, or an ISO week's total over the days held. */
interface Point {
  /** Index of the first and last day of the range it covers. */
  readonly first: number;
  readonly last: number;
  readonly values: readonly (number | null)[];
  /** A week with fewer than seven days held (missing, future, or outside the range). */
  readonly partial: boolean;
  readonly label: string;
}

/** One entry per day of the range; of several rows for one day, the newest refresh wins. */
function daysOf(input: ChartInput, length: number): Day[] {
  const byDate = new Map<string, ChartRow>();
  for (const row of input.rows) {
    const held = byDate.get(row.reportDate);
    if (!held || (row.reportRefreshDate ?? '') >= (held.reportRefreshDate ?? '')) {
      byDate.set(row.reportDate, row);
    }
  }
  const known = new Set(input.missingDates);
  return Array.from({ length }, (_, index) => {
    const date = addDays(input.from, index);
    if (input.lastHeld !== undefined && date > input.lastHeld) {
      return { date, values: input.series.map(() => null), kind: 'future' };
    }
    const row = byDate.get(date);
    // A day the archive lists as missing is drawn as a gap even if a stray row names it.
    const listed = known.has(date);
    const values = input.series.map((series) => (listed ? null : seriesValue(row, series)));
    return { date, values, kind: values.some((value) => value === null) ? 'missing' : 'held' };
  });
}

/** A series' value in a row: chartFigures' reading, so the image and the figures agree. */
function seriesValue(row: ChartRow | undefined, series: ChartSeries): number | null {
  return figureValue(row, series.key);
}

/** The Monday of `date`'s ISO week. */
export function isoWeekStart(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
  return addDays(date, -weekday);
}

/** ISO 8601 week name, e.g. `2026-W09`: the week belongs to the year of its Thursday. */
export function isoWeekName(date: string): string {
  const thursday = addDays(isoWeekStart(date), 3);
  const week = Math.floor(daysBetween(`${thursday.slice(0, 4)}-01-01`, thursday) / 7) + 1;
  return `${thursday.slice(0, 4)}-W${String(week).padStart(2, '0')}`;
}

function dailyPoints(days: readonly Day[]): Point[] {
  return days.map((day, index) => ({
    first: index,
    last: index,
    values: day.values,
    partial: false,
    label: day.date,
  }));
}

/**
 * ISO-week totals: each week of the range summed over the days held in it. A week with any day
 * not held (missing, not reported yet, or outside the range) is partial, and says so; a week
 * with no day held has no value at all, like a missing day.
 */
function weeklyPoints(days: readonly Day[]): Point[] {
  const points: Point[] = [];
  let start = 0;
  while (start < days.length) {
    const monday = isoWeekStart(days[start]!.date);
    let end = start;
    while (end + 1 < days.length && isoWeekStart(days[end + 1]!.date) === monday) end++;
    const week = days.slice(start, end + 1);
    const values = week[0]!.values.map((_, series) => {
      let sum: number | null = null;
      for (const day of week) {
        const value = day.values[series] ?? null;
        if (value !== null) sum = (sum ?? 0) + value;
      }
      return sum;
    });
    const held = week.filter((day) => day.kind === 'held').length;
    points.push({
      first: start,
      last: end,
      values,
      partial: held < 7,
      label: `${isoWeekName(monday)} (${days[start]!.date} to ${days[end]!.date})`,
    });
    start = end + 1;
  }
  return points;
}

const round = (value: number) => String(Math.round(value * 10) / 10);

function rangeText(from: string, to: string): string {
  return `${from} to ${to}`;
}

function spanText(span: { from: string; to: string }): string {
  return span.from === span.to ? span.from : rangeText(span.from, span.to);
}

/** `Audio and Video minutes`, or each with its own unit when they differ. */
function seriesNames(series: readonly ChartSeries[]): string {
  const units = new Set(series.map((one) => one.unit));
  const names =
    units.size === 1
      ? series.map((one) => one.label)
      : series.map((one) => `${one.label} ${one.unit}`);
  const joined =
    names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  return units.size === 1 ? `${joined} ${[...units][0]}` : joined;
}

function summary(input: ChartInput, days: readonly Day[], interval: ChartInterval): string {
  const { from, to } = input;
  const figures = headlineFigures(
    input.series,
    from,
    to,
    input.rows,
    input.previousRows ?? [],
    input.missingDates,
  );
  const missing = days.filter((day) => day.kind === 'missing');
  const gaps = dateSpans(missing.map((day) => day.date));
  const gapText = gaps.length
    ? `${missing.length} of ${days.length} days have no data: ${gaps
        .slice(0, 10)
        .map(spanText)
        .join(', ')}${gaps.length > 10 ? ', and more' : ''}.`
    : 'No day is missing.';
  const future = days.filter((day) => day.kind === 'future');
  const futureText = future.length
    ? ` ${future.length} ${future.length === 1 ? 'day is' : 'days are'} not reported yet: ${spanText(
        { from: future[0]!.date, to: future.at(-1)!.date },
      )}.`
    : '';
  return (
    `${seriesNames(input.series)} per ${interval === 'week' ? 'ISO week' : 'day'} from ` +
    `${rangeText(from, to)}, ${days.length} days. ${figuresSentence(figures)} ${gapText}${futureText}`
  );
}

/**
 * What fits the image's width at the phone's larger title text (32 units a character's height,
 * about 19 wide): the title in full, or, for series whose names make it longer, their unit alone
 * (each panel names its series, and the accessible title keeps the full one).
 */
const TITLE_MAX_CHARS = 40;

function visibleHeading(input: ChartInput, per: string): string {
  const full = input.title?.trim() || `${seriesNames(input.series)} per ${per}`;
  if (full.length <= TITLE_MAX_CHARS) return full;
  const units = [
    ...new Set(input.series.map((one) => (one.unit === 'count' ? 'counts' : one.unit))),
  ];
  const unit = units.length === 1 ? units[0]! : 'values';
  return `${unit[0]!.toUpperCase()}${unit.slice(1)} per ${per}, ${input.series.length} series`;
}

/** Renders the chart; throws a RangeError for dates that are not a valid, bounded range. */
export function renderChartSvg(input: ChartInput): string {
  const { from, to } = input;
  if (!isCalendarDate(from) || !isCalendarDate(to)) {
    throw new RangeError('The chart range needs two dates as YYYY-MM-DD.');
  }
  if (from > to) throw new RangeError('The chart range starts after it ends.');
  const length = daysBetween(from, to) + 1;
  if (length > MAX_CHART_DAYS) {
    throw new RangeError(`The chart range is longer than ${MAX_CHART_DAYS} days.`);
  }
  const interval = input.interval ?? defaultInterval(from, to);
  const per = interval === 'week' ? 'week' : 'day';

  const days = daysOf(input, length);
  const height = chartHeight(input.series);
  const firstPanel = panelsTop(input.series);
  const heading = escapeXml(input.title?.trim() || `${seriesNames(input.series)} per ${per}`);
  const range = escapeXml(rangeText(from, to));
  const hasData = days.some((day) => day.values.some((value) => value !== null));
  const missingCount = days.filter((day) => day.kind === 'missing').length;
  const futureCount = days.filter((day) => day.kind === 'future').length;
  const bottom = height - DATE_AXIS;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" ` +
      `preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="chart-title chart-desc" ` +
      `data-interval="${interval}">`,
    `<title id="chart-title">${heading}, ${range}</title>`,
    `<desc id="chart-desc">${escapeXml(
      hasData ? summary(input, days, interval) : `No data held for ${rangeText(from, to)}.`,
    )}</desc>`,
    `<style>${STYLE}</style>`,
    `<rect width="${CHART_WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${MARGIN}" y="34">${escapeXml(visibleHeading(input, per))}</text>`,
    `<text class="sub" x="${MARGIN}" y="60">${range}<tspan class="wide">, ${length} ${
      length === 1 ? 'day' : 'days'
    }${missingCount ? `, ${missingCount} without data` : ''}${
      futureCount ? `, ${futureCount} not reported yet` : ''
    }</tspan></text>`,
  );

  if (!hasData) {
    out.push(
      `<rect class="empty-box" x="${MARGIN}" y="${firstPanel}" width="${PLOT.right - MARGIN}" ` +
        `height="${bottom - firstPanel}" fill="#f3f4f6" stroke="#d1d5db" rx="6"/>`,
      `<text class="empty" x="${(MARGIN + PLOT.right) / 2}" y="${
        (firstPanel + bottom) / 2
      }" text-anchor="middle">No data held for ${range}</text>`,
      '</svg>',
    );
    return out.join('\n');
  }

  const slot = (PLOT.right - PLOT.left) / length;
  const xOf = (index: number) => PLOT.left + (index + 0.5) * slot;
  const points = interval === 'week' ? weeklyPoints(days) : dailyPoints(days);
  const hasPartial = points.some((point) => point.partial && point.values.some((v) => v !== null));

  out.push(
    '<defs><pattern id="gap-hatch" width="8" height="8" patternUnits="userSpaceOnUse" ' +
      'patternTransform="rotate(45)"><rect width="8" height="8" fill="#eef0f3"/>' +
      '<line x1="0" y1="0" x2="0" y2="8" stroke="#c5cad3" stroke-width="3"/></pattern>' +
      '<pattern id="future-dots" width="10" height="10" patternUnits="userSpaceOnUse">' +
      '<rect width="10" height="10" fill="#f8fafc"/><circle cx="5" cy="5" r="1.6" fill="#94a3b8"/>' +
      '</pattern></defs>',
    legend(input.series, futureCount > 0, hasPartial),
  );

  const panels = input.series.map((_, index) => {
    const top = firstPanel + index * (PANEL_LABEL + PANEL_HEIGHT) + PANEL_LABEL;
    return { top, bottom: top + PANEL_HEIGHT };
  });

  // Gaps and days not reported yet first, so lines and grid stay on top of them.
  const bands = (kind: 'missing' | 'future') =>
    dateSpans(days.filter((day) => day.kind === kind).map((day) => day.date)).map((span) => {
      const start = daysBetween(from, span.from);
      const width = (daysBetween(span.from, span.to) + 1) * slot;
      const [cls, fill, name] =
        kind === 'missing'
          ? ['gap', 'url(#gap-hatch)', 'No data']
          : ['future', 'url(#future-dots)', 'Not reported yet'];
      return (
        `<g class="${cls}" data-from="${span.from}" data-to="${span.to}">` +
        `<title>${name}: ${spanText(span)}</title>` +
        panels
          .map(
            (panel) =>
              `<rect x="${round(PLOT.left + start * slot)}" y="${panel.top}" width="${round(
                width,
              )}" height="${PANEL_HEIGHT}" fill="${fill}"/>`,
          )
          .join('') +
        '</g>'
      );
    });
  out.push(...bands('missing'), ...bands('future'));

  input.series.forEach((series, index) => {
    const panel = panels[index]!;
    const values = points
      .map((point) => point.values[index])
      .filter((value): value is number => value !== null && value !== undefined);
    const axis = valueAxis(values.length ? Math.max(...values) : 0, 3);
    const yOf = (value: number) => panel.bottom - (value / axis.max) * (panel.bottom - panel.top);
    out.push(
      `<g class="panel" data-series="${escapeXml(series.key)}" data-axis-max="${axis.max}">`,
      `<text class="panel-name" x="${MARGIN}" y="${panel.top - 12}">${escapeXml(
        `${series.label} ${series.unit} per ${per}`,
      )}</text>`,
    );
    for (const tick of axis.ticks) {
      const y = round(yOf(tick));
      out.push(
        `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y}" y2="${y}" stroke="${
          tick === 0 ? '#6b7280' : '#e5e7eb'
        }" stroke-width="1"/>`,
        `<text class="tick" x="${PLOT.left - 8}" y="${y}" dy="0.35em" text-anchor="end">${axis.format(
          tick,
        )}</text>`,
      );
    }
    out.push('</g>');
    out.push(...seriesMarks(points, index, series, xOf, yOf));
  });

  dateTicks(from, to).forEach((tick, index) => {
    const x = round(xOf(daysBetween(from, tick.date)));
    // Odd labels hide on a phone; a label that starts a year always stays.
    const alt = index % 2 === 1 && !tick.year ? ' alt' : '';
    out.push(
      `<line x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom + 6}" stroke="#6b7280"/>`,
      `<text class="tick${alt}" x="${x}" y="${bottom + 24}" text-anchor="middle">${
        tick.label
      }${tick.year ? `<tspan x="${x}" dy="1.25em">${tick.year}</tspan>` : ''}</text>`,
    );
  });

  out.push('</svg>');
  return out.join('\n');
}

/**
 * A polyline per run of consecutive values, so a gap breaks the line; lone points get a dot.
 * Week totals get a marker on every point: filled for a full week, open for a partial one.
 */
function seriesMarks(
  points: readonly Point[],
  index: number,
  series: ChartSeries,
  xOf: (index: number) => number,
  yOf: (value: number) => number,
): string[] {
  const { colour, dash } = paletteOf(index);
  const xOfPoint = (point: Point) => (xOf(point.first) + xOf(point.last)) / 2;
  const runs: Point[][] = [];
  let current: Point[] = [];
  for (const point of points) {
    if (point.values[index] === null) {
      if (current.length) runs.push(current);
      current = [];
    } else current.push(point);
  }
  if (current.length) runs.push(current);
  const dashed = dash ? ` stroke-dasharray="${dash}"` : '';
  const weekly = points.some((point) => point.first !== point.last || point.partial);
  const marks = runs.map((run) =>
    run.length === 1 && !weekly
      ? `<circle cx="${round(xOfPoint(run[0]!))}" cy="${round(yOf(run[0]!.values[index]!))}" r="3.5" fill="${colour}"/>`
      : `<polyline${dashed} points="${run
          .map((point) => `${round(xOfPoint(point))},${round(yOf(point.values[index]!))}`)
          .join(' ')}"/>`,
  );
  if (weekly) {
    for (const point of points) {
      const value = point.values[index];
      if (value === null || value === undefined) continue;
      marks.push(
        `<circle class="${point.partial ? 'partial' : 'week'}" cx="${round(xOfPoint(point))}" ` +
          `cy="${round(yOf(value))}" r="4" fill="${point.partial ? '#ffffff' : colour}" ` +
          `stroke-dasharray="none"><title>${escapeXml(
            `${point.label}: ${groupThousands(value)} ${series.unit}${
              point.partial ? ', partial week' : ''
            }`,
          )}</title></circle>`,
      );
    }
  }
  return [
    `<g class="series" data-series="${escapeXml(series.key)}" fill="none" stroke="${colour}" ` +
      `stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round">`,
    ...marks,
    '</g>',
  ];
}

/**
 * Two rows: the series, then what the marks mean. Spaced for the phone's larger text, so no
 * entry runs into the next at any width.
 */
function legend(series: readonly ChartSeries[], future: boolean, partial: boolean): string {
  const items: string[] = [];
  const width = legendWidth;
  const rows = legendLayout(series);
  let x = MARGIN;
  let y = 88;
  series.forEach((one, index) => {
    if (index > 0 && rows[index] !== rows[index - 1]) {
      x = MARGIN;
      y += LEGEND_ROW;
    }
    const { colour, dash } = paletteOf(index);
    const dashed = dash ? ` stroke-dasharray="${dash}"` : '';
    items.push(
      `<line x1="${x}" x2="${x + 32}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="3"${dashed}/>`,
      `<text class="legend" x="${x + 42}" y="${y}" dy="0.35em">${escapeXml(one.label)}</text>`,
    );
    x += width(one.label);
  });
  x = MARGIN;
  y += LEGEND_ROW;
  const swatch = (fill: string, label: string) => {
    items.push(
      `<rect x="${x}" y="${y - 9}" width="32" height="18" fill="${fill}" stroke="#c5cad3"/>`,
      `<text class="legend" x="${x + 42}" y="${y}" dy="0.35em">${label}</text>`,
    );
    x += width(label);
  };
  swatch('url(#gap-hatch)', 'No data');
  if (future) swatch('url(#future-dots)', 'Not reported yet');
  if (partial) {
    items.push(
      `<circle cx="${x + 16}" cy="${y}" r="5" fill="#ffffff" stroke="#374151" stroke-width="2"/>`,
      `<text class="legend" x="${x + 42}" y="${y}" dy="0.35em">Partial week</text>`,
    );
  }
  return `<g class="legend-items">${items.join('')}</g>`;
}
