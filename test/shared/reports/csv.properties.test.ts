import fc from 'fast-check';
import { ReportFormatError } from '../../../shared/common/errors';
import { formatReportCsv, ParsedReport, ReportRow } from '../../../shared/reports/csv';
import { addDays, daysBetween } from '../../../shared/reports/dates';
import {
  periodDays,
  REPORT_PERIODS,
  ReportPeriod,
  skypeP2pMinuteCounts,
} from '../../../shared/reports/definitions';
import { BOM, HEADER, missingDaysWarning, parse, UNRULED } from '../../support/reports';

/**
 * Properties of the parser over generated input. Runs are kept modest so the file stays well
 * under three seconds; a failure prints the shrunk counterexample and the seed to replay it.
 */
const RUNS = 100;
const REFRESH = '2026-02-07';
const RULE_IDS = skypeP2pMinuteCounts.rules.map((rule) => rule.id);

/**
 * What every report the parser accepts must satisfy, written out independently of the rule
 * checkers: this is the specification they implement. Returns what is wrong, so one `expect`
 * shows all of it (and thousands of rows do not each pay for an `expect`).
 */
function implausibilities(report: ParsedReport, period: ReportPeriod): string[] {
  const days = periodDays(period);
  const refresh = report.reportRefreshDate;
  if (report.rows.length === 0) return refresh === null ? [] : ['an empty report has a date'];
  const wrong: string[] = [];
  if (report.rows.length > days) wrong.push(`${report.rows.length} rows for ${days} days`);
  const dates = report.rows.map((row) => String(row.reportDate));
  if (new Set(dates).size !== dates.length) wrong.push('a report date repeats');
  if (dates.some((date, index) => index > 0 && date <= dates[index - 1]!)) wrong.push('unsorted');
  for (const row of report.rows) {
    const age = daysBetween(String(row.reportDate), String(refresh));
    const counts = [row.audio, row.video];
    if (row.reportRefreshDate !== refresh) wrong.push(`refresh date ${row.reportRefreshDate}`);
    if (row.reportPeriod !== String(days)) wrong.push(`report period ${row.reportPeriod}`);
    if (!(age >= 0 && age < days)) wrong.push(`report date ${row.reportDate} outside the window`);
    if (counts.some((n) => n !== null && !(Number.isSafeInteger(n) && (n as number) >= 0))) {
      wrong.push(`counts ${counts.join(', ')}`);
    }
  }
  return wrong;
}

/** Parses, returning the report or the ReportFormatError: any other exception fails the run. */
function attempt(bytes: Buffer, period: ReportPeriod): ParsedReport | ReportFormatError {
  const started = performance.now();
  try {
    return parse(bytes, period);
  } catch (error) {
    expect(error).toBeInstanceOf(ReportFormatError);
    const { rule } = error as ReportFormatError;
    if (rule !== undefined) expect(RULE_IDS).toContain(rule);
    return error as ReportFormatError;
  } finally {
    // Inputs are at most a few kilobytes: anything near a second is a pathological loop.
    expect(performance.now() - started).toBeLessThan(1000);
  }
}

const period = fc.constantFrom(...REPORT_PERIODS);
const count = fc.option(fc.oneof(fc.nat({ max: 5000 }), fc.maxSafeNat()), { nil: null });
const refreshDate = fc.integer({ min: 0, max: 20 * 365 }).map((day) => addDays('2015-01-01', day));

/** A pseudo-random but reproducible rank for `value`. */
function scramble(value: number, seed: number): number {
  return Math.imul(value + 1, 0x9e3779b1 ^ seed) >>> 0;
}

/** Mostly short periods: D90 and D180 follow the same rules with longer (slower) reports. */
const weightedPeriod = fc.oneof(
  { weight: 6, arbitrary: fc.constant<ReportPeriod>('D7') },
  { weight: 3, arbitrary: fc.constant<ReportPeriod>('D30') },
  { weight: 1, arbitrary: fc.constantFrom<ReportPeriod>('D90', 'D180') },
);

/** A report the rules accept: distinct days of the period's window, in the order Graph chose. */
const validReport = weightedPeriod
  .chain((period) => {
    const days = periodDays(period);
    const day = fc.record({
      age: fc.integer({ min: 0, max: days - 1 }),
      audio: count,
      video: count,
    });
    // Full periods are the common case from Graph; partial ones come from young tenants.
    const someDays = fc.uniqueArray(day, { selector: ({ age }) => age, maxLength: days });
    // Ordered by a seeded hash rather than fc.shuffledSubarray: a chained arbitrary shrinks
    // slowly, and a failing run should shrink in seconds.
    const allDays = fc
      .tuple(fc.array(fc.tuple(count, count), { minLength: days, maxLength: days }), fc.nat())
      .map(([counts, seed]) =>
        counts
          .map(([audio, video], age) => ({ age, audio, video }))
          .sort((a, b) => scramble(a.age, seed) - scramble(b.age, seed)),
      );
    return fc.record({
      period: fc.constant(period),
      refresh: refreshDate,
      days: fc.oneof(someDays, allDays),
    });
  })
  .map(({ period, refresh, days }) => ({
    period,
    rows: days.map(({ age, audio, video }): ReportRow => ({
      reportRefreshDate: refresh,
      reportDate: addDays(refresh, -age),
      reportPeriod: String(periodDays(period)),
      audio,
      video,
    })),
  }));

const byReportDate = (rows: ReportRow[]) =>
  [...rows].sort((a, b) => String(a.reportDate).localeCompare(String(b.reportDate)));

/**
 * Wrong values for one cell of a line (column index, raw text): each breaks a rule or the
 * syntax, or is a spelling the parser must accept (a timestamp, "-0", padding, quotes).
 */
function cellFaults(period: ReportPeriod): [number, string][] {
  const days = periodDays(period);
  return [
    [0, '2026-02-08'],
    [0, '2026-02-06'],
    [0, `${REFRESH}T00:00:00Z`],
    [0, ''],
    [0, '2026-02-30'],
    [1, '2099-01-01'],
    [1, addDays(REFRESH, -days)],
    [1, addDays(REFRESH, 1)],
    [1, `${REFRESH}T00:00:00Z`],
    [1, 'soon'],
    [2, String(days === 7 ? 30 : 7)],
    [2, ''],
    [2, ` ${days} `],
    [2, `"${days}"`],
    [2, `0${days}`],
    [3, '-1'],
    [3, '-500'],
    [3, '-0'],
    [3, '1.5'],
    [4, '9007199254740993'],
    [4, '"12"'],
    [4, ''],
    [4, 'x'],
  ];
}

/** CSVs of lines that are right for `period`, a quarter of them with one cell wrong. */
function csvLike(period: ReportPeriod) {
  const days = periodDays(period);
  const line = fc
    .record({
      age: fc.integer({ min: 0, max: days - 1 }),
      audio: fc.nat({ max: 5000 }),
      video: fc.option(fc.nat({ max: 500 }), { nil: null }),
      fault: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom(...cellFaults(period)) },
      ),
    })
    .map(({ age, audio, video, fault }) => {
      const cells = [
        REFRESH,
        addDays(REFRESH, -age),
        String(days),
        String(audio),
        `${video ?? ''}`,
      ];
      if (fault) cells[fault[0]] = fault[1];
      return { age, text: cells.join(',') };
    });
  return fc
    .record({
      bom: fc.boolean(),
      eol: fc.constantFrom('\r\n', '\n'),
      // Mostly distinct days, so that whole reports come out valid; a repeat is then a fault.
      lines: fc.uniqueArray(line, { selector: ({ age }) => age, maxLength: 6 }),
      repeat: fc.oneof(
        { weight: 5, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.nat() },
      ),
    })
    .map(({ bom, eol, lines, repeat }) => {
      const texts = lines.map(({ text }) => text);
      if (repeat !== null && texts.length > 0) texts.push(texts[repeat % texts.length]!);
      return Buffer.concat([
        bom ? BOM : Buffer.alloc(0),
        Buffer.from([HEADER, ...texts].map((text) => `${text}${eol}`).join('')),
      ]);
    });
}

/** Small edits of the kinds a truncated, corrupted or tampered download shows. */
const edit = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'insert', 'replace', 'duplicate-line', 'drop-line'),
  char: fc.constantFrom(',', '"', '\r', '\n', '-', '0', '1', '9', ' ', 'x', 'T', '\ufeff'),
});

type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(text: string, { at, op, char }: Edit): string {
  const position = at % (text.length + 1);
  if (op === 'delete') return text.slice(0, position) + text.slice(position + 1);
  if (op === 'insert') return text.slice(0, position) + char + text.slice(position);
  if (op === 'replace') return text.slice(0, position) + char + text.slice(position + 1);
  const lines = text.split('\r\n');
  const index = at % lines.length;
  if (op === 'duplicate-line') lines.splice(index, 0, lines[index]!);
  else lines.splice(index, 1);
  return lines.join('\r\n');
}

const mutatedValid = fc
  .tuple(validReport, fc.array(edit, { minLength: 1, maxLength: 3 }))
  .map(([{ period, rows }, edits]) => ({
    period,
    bytes: Buffer.from(edits.reduce(applyEdit, formatReportCsv(skypeP2pMinuteCounts, rows))),
  }));

describe('parseReportCsv on any input', () => {
  /** Runs the property and returns how often the input was accepted and with rows. */
  function acceptsOnlyPlausible(input: fc.Arbitrary<{ period: ReportPeriod; bytes: Buffer }>) {
    let withRows = 0;
    let rejected = 0;
    fc.assert(
      fc.property(input, ({ period, bytes }) => {
        const outcome = attempt(bytes, period);
        if (outcome instanceof ReportFormatError) {
          rejected += 1;
          return;
        }
        expect(implausibilities(outcome, period)).toEqual([]);
        if (outcome.rows.length > 0) withRows += 1;
      }),
      { numRuns: RUNS },
    );
    return { withRows, rejected };
  }

  it.each([
    ['arbitrary bytes', fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))],
    [
      'arbitrary text',
      fc.string({ unit: 'binary', maxLength: 300 }).map((text) => Buffer.from(text)),
    ],
  ])('reads %s as a plausible report or throws ReportFormatError', (_, bytes) => {
    acceptsOnlyPlausible(fc.record({ period, bytes }));
  });

  it('reads near-valid CSVs as a plausible report or throws ReportFormatError', () => {
    const outcome = acceptsOnlyPlausible(
      period.chain((period) => csvLike(period).map((bytes) => ({ period, bytes }))),
    );
    // The generator must exercise both sides, or the property proves nothing.
    expect(outcome.withRows).toBeGreaterThan(0);
    expect(outcome.rejected).toBeGreaterThan(0);
  });

  it('reads edited valid CSVs as a plausible report or throws ReportFormatError', () => {
    const outcome = acceptsOnlyPlausible(mutatedValid);
    expect(outcome.withRows).toBeGreaterThan(0);
    expect(outcome.rejected).toBeGreaterThan(0);
  });
});

describe('formatReportCsv then parseReportCsv', () => {
  it('gives back the same rows, sorted by report date, with the refresh date', () => {
    fc.assert(
      fc.property(validReport, fc.boolean(), ({ period, rows }, withBom) => {
        const text = formatReportCsv(skypeP2pMinuteCounts, rows);
        const bytes = Buffer.concat([withBom ? BOM : Buffer.alloc(0), Buffer.from(text)]);
        const report = parse(bytes, period);
        expect(report.rows).toEqual(byReportDate(rows));
        expect(report.reportRefreshDate).toBe(rows[0]?.reportRefreshDate ?? null);
        const missing = rows.length > 0 && rows.length < periodDays(period);
        expect(report.warnings).toEqual(missing ? [missingDaysWarning(rows.length, period)] : []);
        // Rendering what was parsed is stable: the endpoint's CSV is Graph's, reordered.
        expect(formatReportCsv(skypeP2pMinuteCounts, report.rows)).toBe(
          formatReportCsv(skypeP2pMinuteCounts, byReportDate(rows)),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips any text and integer where no rule constrains them', () => {
    // The parser trims cells (Graph pads some), so only text without outer whitespace returns.
    const name = fc
      .string({ unit: 'grapheme', maxLength: 12 })
      .filter((text) => text === text.trim());
    const row = fc.record({
      refreshed: fc.constant(REFRESH),
      name,
      count: fc.option(fc.maxSafeInteger(), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 6 }), (rows) => {
        const report = parse(formatReportCsv(UNRULED, rows), 'D7', UNRULED);
        const sorted = [...rows].sort((a, b) => a.name.localeCompare(b.name));
        expect(report.rows).toEqual(sorted);
      }),
      { numRuns: RUNS },
    );
  });
});
