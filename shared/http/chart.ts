/**
 * The daily audio and video minutes of a date range as a self-contained SVG image.
 *
 * Pure: the same input gives the same bytes (no clock, no randomness), so the image can carry an
 * ETag and tests can compare it. Everything that may come from a request (the range, the title)
 * is XML-escaped; numbers and dates are formatted here, never by the host's locale.
 */
import { createHash } from 'node:crypto';
import { addDays, daysBetween, firstOfNextMonth, isCalendarDate } from '../reports/dates';

export interface ChartRow {
  readonly reportRefreshDate: string | null;
  readonly reportDate: string;
  readonly reportPeriod: string | null;
  readonly audio: number | null;
  readonly video: number | null;
}

export interface ChartInput {
  /** First day shown, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day shown, `YYYY-MM-DD`, inclusive. */
  readonly to: string;
  readonly rows: readonly ChartRow[];
  /** Days the archive knows it lacks; days without a row or with a null value are gaps anyway. */
  readonly missingDates: readonly string[];
  readonly title?: string;
}

export const CHART_CONTENT_TYPE = 'image/svg+xml; charset=utf-8';

/**
 * Longer ranges would make a polyline of thousands of points and say nothing more at 800 px;
 * ten years is far beyond what the archive holds, and bounds the work one request can ask for.
 */
export const MAX_CHART_DAYS = 3660;

const WIDTH = 800;
const HEIGHT = 450;
const PLOT = { left: 80, right: 776, top: 132, bottom: 384 } as const;
const MAX_X_LABELS = 7;
/** Left edge of the title and the axis name. */
const MARGIN = 16;

const AUDIO = { key: 'audio', label: 'Audio', colour: '#1d4ed8', dash: '' } as const;
// Orange against blue stays distinct for the common colour-vision deficiencies, and the dash
// tells the lines apart without colour at all.
const VIDEO = { key: 'video', label: 'Video', colour: '#c2410c', dash: '7 5' } as const;
const SERIES = [AUDIO, VIDEO] as const;

/**
 * Sizes are in viewBox units, so they scale with the image. On a phone the whole image shrinks
 * to about half, so there the text grows and every other date label steps aside; inside an
 * SVG image the media query measures the image, not the page.
 */
const STYLE =
  'text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans","DejaVu Sans",sans-serif;fill:#1f2937}' +
  '.title{font-size:20px;font-weight:600}.sub{font-size:14px;fill:#4b5563}' +
  '.tick{font-size:13px;fill:#4b5563}.legend{font-size:14px}.axis-name{font-size:13px;fill:#4b5563}' +
  '.empty{font-size:18px;fill:#374151}' +
  '@media (max-width:560px){.title{font-size:32px}.sub{font-size:24px}.tick{font-size:24px}' +
  '.legend{font-size:26px}.alt,.wide{display:none}.empty{font-size:28px}' +
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

/** `1234567` → `1,234,567`, independent of the host's locale. */
export function groupThousands(value: number): string {
  const [whole = '', fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
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

interface Day {
  readonly date: string;
  readonly audio: number | null;
  readonly video: number | null;
  readonly missing: boolean;
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
    const row = byDate.get(date);
    const audio = finite(row?.audio);
    const video = finite(row?.video);
    const listed = known.has(date);
    return {
      date,
      // A day the archive lists as missing is drawn as a gap even if a stray row names it.
      audio: listed ? null : audio,
      video: listed ? null : video,
      missing: listed || audio === null || video === null,
    };
  });
}

function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const round = (value: number) => String(Math.round(value * 10) / 10);

function rangeText(from: string, to: string): string {
  return `${from} to ${to}`;
}

function summary(days: readonly Day[], from: string, to: string): string {
  const total = (key: 'audio' | 'video') => days.reduce((sum, day) => sum + (day[key] ?? 0), 0);
  const peak = (key: 'audio' | 'video') => {
    let best: Day | undefined;
    for (const day of days) if (day[key] !== null && (!best || day[key]! > best[key]!)) best = day;
    return best ? `${groupThousands(best[key]!)} on ${best.date}` : 'none';
  };
  const gaps = dateSpans(days.filter((day) => day.missing).map((day) => day.date));
  const gapText = gaps.length
    ? `${days.filter((day) => day.missing).length} of ${days.length} days have no data: ${gaps
        .slice(0, 10)
        .map((span) => (span.from === span.to ? span.from : rangeText(span.from, span.to)))
        .join(', ')}${gaps.length > 10 ? ', and more' : ''}.`
    : 'No day is missing.';
  return (
    `Daily audio and video minutes from ${rangeText(from, to)}, ${days.length} days. ` +
    `Audio: ${groupThousands(total('audio'))} minutes in all, peak ${peak('audio')}. ` +
    `Video: ${groupThousands(total('video'))} minutes in all, peak ${peak('video')}. ${gapText}`
  );
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

  const days = daysOf(input, length);
  const heading = escapeXml(input.title?.trim() || 'Peer-to-peer minutes per day');
  const range = escapeXml(rangeText(from, to));
  const hasData = days.some((day) => day.audio !== null || day.video !== null);
  const missingCount = days.filter((day) => day.missing).length;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" ` +
      `preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="chart-title chart-desc">`,
    `<title id="chart-title">${heading}, ${range}</title>`,
    `<desc id="chart-desc">${escapeXml(
      hasData ? summary(days, from, to) : `No data held for ${rangeText(from, to)}.`,
    )}</desc>`,
    `<style>${STYLE}</style>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text class="title" x="${MARGIN}" y="34">${heading}</text>`,
    `<text class="sub" x="${MARGIN}" y="60">${range}<tspan class="wide">, ${length} ${
      length === 1 ? 'day' : 'days'
    }${missingCount ? `, ${missingCount} without data` : ''}</tspan></text>`,
  );

  if (!hasData) {
    out.push(
      `<rect class="empty-box" x="${MARGIN}" y="${PLOT.top}" width="${PLOT.right - MARGIN}" ` +
        `height="${PLOT.bottom - PLOT.top}" fill="#f3f4f6" stroke="#d1d5db" rx="6"/>`,
      `<text class="empty" x="${(MARGIN + PLOT.right) / 2}" y="${
        (PLOT.top + PLOT.bottom) / 2
      }" text-anchor="middle">No data held for ${range}</text>`,
      '</svg>',
    );
    return out.join('\n');
  }

  const slot = (PLOT.right - PLOT.left) / length;
  const xOf = (index: number) => PLOT.left + (index + 0.5) * slot;
  const values = days.flatMap((day) => [day.audio, day.video]).filter((v) => v !== null);
  const axis = valueAxis(Math.max(...values));
  const yOf = (value: number) => PLOT.bottom - (value / axis.max) * (PLOT.bottom - PLOT.top);

  out.push(legend());

  // Gaps first, so lines and grid stay on top of them.
  out.push(
    '<defs><pattern id="gap-hatch" width="8" height="8" patternUnits="userSpaceOnUse" ' +
      'patternTransform="rotate(45)"><rect width="8" height="8" fill="#eef0f3"/>' +
      '<line x1="0" y1="0" x2="0" y2="8" stroke="#c5cad3" stroke-width="3"/></pattern></defs>',
  );
  for (const span of dateSpans(days.filter((day) => day.missing).map((day) => day.date))) {
    const start = daysBetween(from, span.from);
    const width = (daysBetween(span.from, span.to) + 1) * slot;
    out.push(
      `<rect class="gap" data-from="${span.from}" data-to="${span.to}" x="${round(
        PLOT.left + start * slot,
      )}" y="${PLOT.top}" width="${round(width)}" height="${PLOT.bottom - PLOT.top}" ` +
        `fill="url(#gap-hatch)"><title>No data: ${
          span.from === span.to ? span.from : rangeText(span.from, span.to)
        }</title></rect>`,
    );
  }

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
  out.push(`<text class="axis-name wide" x="${MARGIN}" y="${PLOT.top - 14}">minutes</text>`);

  dateTicks(from, to).forEach((tick, index) => {
    const x = round(xOf(daysBetween(from, tick.date)));
    // Odd labels hide on a phone; a label that starts a year always stays.
    const alt = index % 2 === 1 && !tick.year ? ' alt' : '';
    out.push(
      `<line x1="${x}" x2="${x}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 6}" stroke="#6b7280"/>`,
      `<text class="tick${alt}" x="${x}" y="${PLOT.bottom + 24}" text-anchor="middle">${
        tick.label
      }${tick.year ? `<tspan x="${x}" dy="1.25em">${tick.year}</tspan>` : ''}</text>`,
    );
  });

  for (const series of SERIES) {
    out.push(...seriesMarks(days, series, xOf, yOf));
  }
  out.push('</svg>');
  return out.join('\n');
}

/** A polyline per run of consecutive values, so a gap breaks the line; lone days get a dot. */
function seriesMarks(
  days: readonly Day[],
  series: (typeof SERIES)[number],
  xOf: (index: number) => number,
  yOf: (value: number) => number,
): string[] {
  const runs: Array<Array<[number, number]>> = [];
  let current: Array<[number, number]> = [];
  days.forEach((day, index) => {
    const value = day[series.key];
    if (value === null) {
      if (current.length) runs.push(current);
      current = [];
    } else current.push([xOf(index), yOf(value)]);
  });
  if (current.length) runs.push(current);
  const dash = series.dash ? ` stroke-dasharray="${series.dash}"` : '';
  return [
    `<g class="series" data-series="${series.key}" fill="none" stroke="${series.colour}" ` +
      `stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round">`,
    ...runs.map((run) =>
      run.length === 1
        ? `<circle cx="${round(run[0]![0])}" cy="${round(run[0]![1])}" r="3.5" fill="${series.colour}"/>`
        : `<polyline${dash} points="${run.map(([x, y]) => `${round(x)},${round(y)}`).join(' ')}"/>`,
    ),
    '</g>',
  ];
}

function legend(): string {
  const y = 88;
  const items: string[] = [];
  let x = MARGIN;
  for (const series of SERIES) {
    const dash = series.dash ? ` stroke-dasharray="${series.dash}"` : '';
    items.push(
      `<line x1="${x}" x2="${x + 32}" y1="${y}" y2="${y}" stroke="${series.colour}" stroke-width="3"${dash}/>`,
      `<text class="legend" x="${x + 42}" y="${y}" dy="0.35em">${series.label}</text>`,
    );
    x += 140;
  }
  items.push(
    `<rect x="${x}" y="${y - 9}" width="32" height="18" fill="url(#gap-hatch)" stroke="#c5cad3"/>`,
    `<text class="legend" x="${x + 42}" y="${y}" dy="0.35em">No data</text>`,
  );
  return `<g class="legend-items">${items.join('')}</g>`;
}
