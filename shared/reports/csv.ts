import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { ReportFormatError } from '../common/errors';
import { DATE_RANGE_TEXT, readCalendarDate, utcDate } from './dates';
import {
  ColumnType,
  ReportColumn,
  ReportDefinition,
  ReportPeriod,
  type ReportRow,
  type ReportValue,
} from './definitions';
import { inSecondsKey, parseDuration } from './duration';
import { checkRules, isWarning, LocatedRow } from './rules';

// The row types live with the definitions, so the rules need not import the parser.
export type { ReportRow, ReportValue } from './definitions';

export interface ParsedReport {
  /** Ordered by the definition's sort key, ascending. */
  readonly rows: ReportRow[];
  /** Null for a header-only (empty) report. */
  readonly reportRefreshDate: string | null;
  /**
   * Tolerated oddities, such as columns Graph added that the definition does not know, or days
   * of the period without a row.
   */
  readonly warnings: string[];
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Graph writes dates as `YYYY-MM-DD`, at times with a midnight UTC time after them. */
const MIDNIGHT_SUFFIX = /T00:00:00(?:\.0+)?Z$/;

export function stripBom(bytes: Buffer): Buffer {
  return bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
}

interface CsvRecord {
  readonly fields: string[];
  /** Line of the file the record ends on, counting from 1 (the header). */
  readonly line: number;
}

function parseRecords(text: string, relaxed: boolean): CsvRecord[] {
  const parsed = parse(text, {
    skip_empty_lines: true,
    relax_column_count: relaxed,
    relax_quotes: relaxed,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  return parsed.map(({ record, info }) => ({ fields: record, line: info.lines }));
}

function readRecords(definition: ReportDefinition, bytes: Buffer): CsvRecord[] {
  const text = stripBom(bytes).toString('utf8');
  try {
    return parseRecords(text, false);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A cut-off file usually still holds whole rows before the break: enough to key it on.
    const wholeLines = text.split(/\r?\n/).flatMap((line, index) => {
      try {
        return parseRecords(line, true).map((record) => ({ ...record, line: index + 1 }));
      } catch {
        return [];
      }
    });
    const salvaged = salvageRefreshDate(definition, wholeLines);
    throw new ReportFormatError(`The report CSV is malformed or truncated: ${message}`, salvaged);
  }
}

/** A cell's date as the app's `CalendarDate` (a midnight UTC time after it allowed). */
function readCell(text: string) {
  return readCalendarDate(text.trim().replace(MIDNIGHT_SUFFIX, ''));
}

function convert(
  type: Exclude<ColumnType, 'duration'>,
  raw: string,
  header: string,
  line: number,
): ReportValue {
  const text = raw.trim();
  if (type === 'string') return text;
  if (type === 'integer') {
    if (text === '') return null;
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
      throw new ReportFormatError(
        `Line ${line}: "${header}" should be a whole number, got "${raw}".`,
      );
    }
    // `+ 0` turns "-0" into 0: it is zero, and should print and compare as zero.
    return Number(text) + 0;
  }
  // Dates key and order the rows: a row without one cannot be placed.
  const date = readCell(text);
  if (!date.ok) {
    throw new ReportFormatError(
      date.reason === 'out-of-range'
        ? `Line ${line}: "${header}" is "${raw}", outside the dates this service accepts: ${DATE_RANGE_TEXT}.`
        : `Line ${line}: "${header}" should be a date (YYYY-MM-DD), got "${raw}".`,
    );
  }
  return date.date;
}

/**
 * One cell into the row: a `duration` column keeps Graph's text under its key (as Graph's JSON
 * form does) and adds the whole seconds under `{key}InSeconds`, so a consumer can sum and chart
 * without an ISO 8601 parser; an empty cell is `null` in both. Every other type is one value.
 */
function readColumnCell(row: ReportRow, column: ReportColumn, raw: string, line: number): void {
  if (column.type !== 'duration') {
    row[column.key] = convert(column.type, raw, column.header, line);
    return;
  }
  const text = raw.trim();
  if (text === '') {
    row[column.key] = null;
    row[inSecondsKey(column.key)] = null;
    return;
  }
  const duration = parseDuration(text);
  if (!duration.ok) {
    throw new ReportFormatError(
      `Line ${line}: "${column.header}" should be an ISO 8601 duration such as PT1H2M3S: ${duration.reason}.`,
    );
  }
  row[column.key] = text;
  row[inSecondsKey(column.key)] = duration.seconds;
}

/** Checks the header against the definition: a missing column is drift we must not guess past. */
function mapColumns(definition: ReportDefinition, header: string[]) {
  const found = header.map((name) => name.trim());
  const indexes = definition.columns.map((column) => {
    const index = found.findIndex((name) => name.toLowerCase() === column.header.toLowerCase());
    if (index < 0) {
      const unknown = found.filter(
        (name) => !definition.columns.some((c) => c.header.toLowerCase() === name.toLowerCase()),
      );
      const hint = unknown.length
        ? ` Unrecognised column(s): ${unknown.map((name) => `"${name}"`).join(', ')}; Microsoft may have renamed "${column.header}".`
        : '';
      throw new ReportFormatError(
        `Report header drift: the column "${column.header}" is missing (found: ${found.map((name) => `"${name}"`).join(', ')}).${hint} Update the report definition.`,
      );
    }
    return index;
  });
  const extra = found.filter((_, index) => !indexes.includes(index));
  const warnings = extra.length
    ? [
        `Graph sent column(s) this service does not know: ${extra.map((name) => `"${name}"`).join(', ')}. They are ignored; the report definition may need updating.`,
      ]
    : [];
  return { indexes, warnings };
}

/** The first real date in the refresh-date column, for keying data that fails validation. */
function salvageRefreshDate(
  definition: ReportDefinition,
  records: CsvRecord[],
): string | undefined {
  const header = records[0]?.fields.map((name) => name.trim().toLowerCase()) ?? [];
  const column = definition.columns.find((c) => c.key === definition.refreshDateKey);
  const index = column ? header.indexOf(column.header.toLowerCase()) : -1;
  if (index < 0) return undefined;
  for (const record of records.slice(1)) {
    const date = readCell(record.fields[index] ?? '');
    if (date.ok) return date.date;
  }
  return undefined;
}

/**
 * Reads Graph's CSV as the report `definition` describes, for the `period` that was requested,
 * and checks the definition's plausibility rules: well-formed but impossible data (a negative
 * count, a day twice, a day outside the period, a refresh date after `fetchedAt`) is rejected
 * like a malformed file, with the broken rule's id on the error. `fetchedAt` is when Graph sent
 * the bytes: now for a fresh download, the `fetchedat` metadata for a stored snapshot.
 */
export function parseReportCsv(
  definition: ReportDefinition,
  bytes: Buffer,
  period: ReportPeriod,
  fetchedAt: Date = new Date(),
): ParsedReport {
  const records = readRecords(definition, bytes);
  const [header, ...data] = records;
  if (!header || header.fields.every((name) => name.trim() === '')) {
    throw new ReportFormatError('The report CSV is empty: it has no header line.');
  }
  try {
    const { indexes, warnings } = mapColumns(definition, header.fields);
    const located = data.map((record): LocatedRow => {
      const values: ReportRow = {};
      definition.columns.forEach((column, columnIndex) => {
        readColumnCell(values, column, record.fields[indexes[columnIndex]!] ?? '', record.line);
      });
      return { values, line: record.line };
    });
    const violations = checkRules(definition, located, period, utcDate(fetchedAt));
    const broken = violations.find((violation) => !isWarning(violation));
    if (broken) {
      const { id } = broken.rule;
      throw new ReportFormatError(`${broken.message} (rule ${id})`, undefined, id);
    }
    warnings.push(...violations.filter(isWarning).map((violation) => violation.message));
    const rows = located.map((row) => row.values);
    rows.sort((a, b) => String(a[definition.sortKey]).localeCompare(String(b[definition.sortKey])));
    const refreshDates = rows
      .map((row) => row[definition.refreshDateKey])
      .filter((date): date is string => typeof date === 'string');
    const reportRefreshDate = refreshDates.length ? refreshDates.sort().at(-1)! : null;
    // Only reachable for a definition without a same-in-every-row rule on its refresh date.
    if (new Set(refreshDates).size > 1) {
      warnings.push(
        `The report mixes refresh dates (${[...new Set(refreshDates)].join(', ')}); the newest is used.`,
      );
    }
    return { rows, reportRefreshDate, warnings };
  } catch (error) {
    if (error instanceof ReportFormatError && !error.reportRefreshDate) {
      const date = salvageRefreshDate(definition, records);
      if (date) throw new ReportFormatError(error.message, date, error.rule);
    }
    throw error;
  }
}

/** The rows as CSV with Graph's own headers (no BOM), in the definition's column order. */
export function formatReportCsv(definition: ReportDefinition, rows: readonly ReportRow[]): string {
  return stringify(
    rows.map((row) => definition.columns.map((column) => row[column.key] ?? '')),
    {
      header: true,
      columns: definition.columns.map((column) => column.header),
      record_delimiter: 'windows',
    },
  );
}
