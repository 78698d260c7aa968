/**
 * The headline figures of a date range: per chart series its total, its average per working day,
 * its busiest day and its change against the range of the same length just before. The chart's
 * accessible description (on the server) and the dashboard's figures (in the browser) both come
 * from here, so the two can never disagree.
 *
 * This file imports nothing and touches neither Node nor the DOM: the browser build
 * (tsconfig.browser.json) compiles it beside the dashboard's script, and shared/http/dashboard.ts
 * inlines both into the page (see dashboardScriptSource).
 */

/** What the figures need of a ChartSeries (see reports/definitions). */
export interface FigureSeries {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
}

/** One report row, as the history JSON holds it. */
export type FigureRow = Readonly<Record<string, unknown>>;

export interface SeriesFigures {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  /** Sum over the days held in the range. */
  readonly total: number;
  /** Mean over the Mondays to Fridays held, rounded to a whole number; null when none is held. */
  readonly perWorkingDay: number | null;
  /** The day with the largest value (the earliest of equals); null when no day is held. */
  readonly busiest: { readonly date: string; readonly value: number } | null;
  readonly change: Change;
}

/** Against the previous range of the same length. */
export type Change =
  | { readonly kind: 'no-earlier-data' }
  | { readonly kind: 'from-zero'; readonly total: number }
  | { readonly kind: 'percent'; readonly percent: number; readonly previous: number };

export interface HeadlineFigures {
  readonly from: string;
  readonly to: string;
  /** The previous range of the same length, compared against. */
  readonly previous: { readonly from: string; readonly to: string };
  /** Days of the range with a value for every series. */
  readonly daysHeld: number;
  readonly series: readonly SeriesFigures[];
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The range of the same length that ends the day before `from`. */
export function previousRange(from: string, to: string): { from: string; to: string } {
  const length = dayNumber(to) - dayNumber(from) + 1;
  return { from: dateOf(dayNumber(from) - length), to: dateOf(dayNumber(from) - 1) };
}

/** Monday to Friday; 1970-01-01 (day 0) was a Thursday. */
export function isWorkingDay(date: string): boolean {
  const weekday = (((dayNumber(date) + 3) % 7) + 7) % 7; // 0 = Monday
  return weekday < 5;
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * A series' value in a history row: a count as it is; a duration column (Graph's ISO 8601 text
 * under its key, the whole seconds beside it under `{key}InSeconds`, see reports/duration) in
 * minutes, so the chart, its description and the page's figures all draw and sum minutes. The
 * suffix is spelled here because this file may import nothing (it runs in the browser too).
 */
export function seriesValue(row: FigureRow | undefined, key: string): number | null {
  const value = row?.[key];
  if (typeof value !== 'string') return finite(value);
  const seconds = finite(row?.[`${key}InSeconds`]);
  return seconds === null ? null : seconds / 60;
}

const valueOf = seriesValue;

/**
 * One row per date of [from, to], of several the newest refresh; dates outside are ignored, as
 * are dates the archive lists as missing.
 */
export function rowsByDate(
  rows: readonly FigureRow[],
  from: string,
  to: string,
  missing: readonly string[] = [],
): Map<string, FigureRow> {
  const skip = new Set(missing);
  const byDate = new Map<string, FigureRow>();
  for (const row of rows) {
    const date = row.reportDate;
    if (typeof date !== 'string' || date < from || date > to || skip.has(date)) continue;
    const held = byDate.get(date);
    const refresh = (r: FigureRow) => String(r.reportRefreshDate ?? '');
    if (!held || refresh(row) >= refresh(held)) byDate.set(date, row);
  }
  return byDate;
}

function totalOf(
  byDate: ReadonlyMap<string, FigureRow>,
  key: string,
): { sum: number; days: number } {
  let sum = 0;
  let days = 0;
  for (const row of byDate.values()) {
    const value = valueOf(row, key);
    if (value !== null) {
      sum += value;
      days++;
    }
  }
  return { sum, days };
}

/** The figures of [from, to] from the rows of that range and of the previous one. */
export function headlineFigures(
  series: readonly FigureSeries[],
  from: string,
  to: string,
  rows: readonly FigureRow[],
  previousRows: readonly FigureRow[],
  missing: readonly string[] = [],
): HeadlineFigures {
  const previous = previousRange(from, to);
  const current = rowsByDate(rows, from, to, missing);
  const before = rowsByDate(previousRows, previous.from, previous.to, missing);
  let daysHeld = 0;
  for (const row of current.values()) {
    if (series.every((one) => valueOf(row, one.key) !== null)) daysHeld++;
  }
  return {
    from,
    to,
    previous,
    daysHeld,
    series: series.map((one) => {
      const { sum } = totalOf(current, one.key);
      let working = 0;
      let workingDays = 0;
      let busiest: { date: string; value: number } | null = null;
      for (const [date, row] of [...current.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const value = valueOf(row, one.key);
        if (value === null) continue;
        if (isWorkingDay(date)) {
          working += value;
          workingDays++;
        }
        if (!busiest || value > busiest.value) busiest = { date, value };
      }
      const earlier = totalOf(before, one.key);
      const change: Change =
        earlier.days === 0
          ? { kind: 'no-earlier-data' }
          : earlier.sum === 0
            ? { kind: 'from-zero', total: sum }
            : {
                kind: 'percent',
                percent: Math.round(((sum - earlier.sum) / earlier.sum) * 1000) / 10,
                previous: earlier.sum,
              };
      return {
        key: one.key,
        label: one.label,
        unit: one.unit,
        total: sum,
        perWorkingDay: workingDays ? Math.round(working / workingDays) : null,
        busiest,
        change,
      };
    }),
  };
}

/** `1234567` → `1,234,567`, independent of the host's (or the browser's) locale. */
export function groupThousands(value: number): string {
  const [whole = '', fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** The change as the page and the description say it: an arrow and a percentage. */
export function changeText(change: Change): string {
  switch (change.kind) {
    case 'no-earlier-data':
      return 'no earlier data';
    case 'from-zero':
      return change.total === 0 ? '→ no change from 0' : '▲ up from 0';
    case 'percent':
      return change.percent === 0
        ? '→ 0% (no change)'
        : `${change.percent > 0 ? '▲ +' : '▼ −'}${groupThousands(Math.abs(change.percent))}%`;
  }
}

/** The figures of one series as short phrases, the same words on the page and in the image. */
export function seriesPhrases(figures: SeriesFigures): {
  total: string;
  perWorkingDay: string;
  busiest: string;
  change: string;
} {
  return {
    // Minutes from seconds have fractions: said as whole numbers, summed exactly.
    total: `${groupThousands(Math.round(figures.total))} ${figures.unit}`,
    perWorkingDay:
      figures.perWorkingDay === null
        ? 'no working day held'
        : `${groupThousands(figures.perWorkingDay)} ${figures.unit}`,
    busiest: figures.busiest
      ? `${figures.busiest.date} (${groupThousands(Math.round(figures.busiest.value))})`
      : 'none',
    change: changeText(figures.change),
  };
}

/** The figures as sentences, for the chart's accessible description. */
export function figuresSentence(figures: HeadlineFigures): string {
  return figures.series
    .map((one) => {
      const text = seriesPhrases(one);
      return (
        `${one.label}: ${text.total} in all, ${text.perWorkingDay} per working day, ` +
        `busiest day ${text.busiest}, ${text.change} against ${figures.previous.from} to ` +
        `${figures.previous.to}.`
      );
    })
    .join(' ');
}
