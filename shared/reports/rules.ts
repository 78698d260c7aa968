/**
 * The checkers behind the plausibility rules a report definition declares (see `ReportRule`):
 * one small pure function per rule kind, parameterised by the rule's column keys, so any
 * definition can reuse a kind. Checkers read rows in file order and name the first row that
 * breaks the rule, so a message points at a line of the CSV Graph sent.
 */
import { addDays, CalendarDate, isCalendarDate } from './dates';
import {
  periodDays,
  ReportPeriod,
  ReportRule,
  ReportRuleKind,
  type ReportDefinition,
  type ReportRow,
  type ReportValue,
} from './definitions';

/** A parsed row with the line of the file it ends on (the header is line 1). */
export interface LocatedRow {
  readonly values: ReportRow;
  readonly line: number;
}

export interface RuleContext {
  /** The period that was requested: what the report must describe. */
  readonly period: ReportPeriod;
  /** The UTC day the report was fetched: for a stored snapshot, its `fetchedat`. */
  readonly fetchedOn: CalendarDate;
  /** Graph's header for a column key, so messages use the words of the CSV. */
  readonly header: (key: string) => string;
}

export interface RuleViolation {
  readonly rule: ReportRule;
  /** What is wrong, naming the line when one row is to blame. */
  readonly message: string;
}

type Checker<K extends ReportRuleKind> = (
  rule: Extract<ReportRule, { kind: K }>,
  rows: readonly LocatedRow[],
  context: RuleContext,
) => string | undefined;

function show(value: ReportValue | undefined): string {
  if (value === null || value === undefined || value === '') return 'empty';
  return typeof value === 'string' ? `"${value}"` : String(value);
}

const CHECKERS: { readonly [K in ReportRuleKind]: Checker<K> } = {
  'equals-period-days': ({ key }, rows, { period, header }) => {
    const days = String(periodDays(period));
    const bad = rows.find((row) => String(row.values[key] ?? '') !== days);
    return bad
      ? `Line ${bad.line}: "${header(key)}" is ${show(bad.values[key])}, but a ${period} report covers ${days} days.`
      : undefined;
  },

  'same-in-every-row': ({ key }, rows, { header }) => {
    const [first] = rows;
    const bad = rows.find((row) => row.values[key] !== first?.values[key]);
    return first && bad
      ? `Line ${bad.line}: "${header(key)}" is ${show(bad.values[key])}, but line ${first.line} has ${show(first.values[key])}; every row of a report must have the same "${header(key)}".`
      : undefined;
  },

  'date-in-period-window': ({ key, windowEndKey }, rows, { period, header }) => {
    const days = periodDays(period);
    for (const { values, line } of rows) {
      const date = values[key];
      const end = values[windowEndKey];
      if (!isCalendarDate(date) || !isCalendarDate(end)) {
        return `Line ${line}: "${header(key)}" ${show(date)} cannot be placed in a ${period} window ending on "${header(windowEndKey)}" ${show(end)}.`;
      }
      const start = addDays(end, 1 - days);
      if (date < start || date > end) {
        return `Line ${line}: "${header(key)}" ${date} is outside the ${period} window ending on "${header(windowEndKey)}" ${end} (${start} to ${end}).`;
      }
    }
    return undefined;
  },

  'not-after-fetch-date': ({ key, toleranceDays }, rows, { fetchedOn, header }) => {
    const latest = addDays(fetchedOn, toleranceDays);
    const bad = rows.find((row) => String(row.values[key] ?? '') > latest);
    return bad
      ? `Line ${bad.line}: "${header(key)}" ${show(bad.values[key])} is after ${latest}, the day after the report was fetched (${fetchedOn}); Graph cannot have refreshed data in the future.`
      : undefined;
  },

  unique: ({ key }, rows, { header }) => {
    const seen = new Map<ReportValue | undefined, number>();
    for (const { values, line } of rows) {
      const earlier = seen.get(values[key]);
      if (earlier !== undefined) {
        return `Line ${line}: "${header(key)}" ${show(values[key])} repeats line ${earlier}; each "${header(key)}" may have one row only.`;
      }
      seen.set(values[key], line);
    }
    return undefined;
  },

  'non-negative-integer': ({ keys }, rows, { header }) => {
    for (const { values, line } of rows) {
      for (const key of keys) {
        const value = values[key] ?? null;
        if (value === null || (Number.isSafeInteger(value) && (value as number) >= 0)) continue;
        return `Line ${line}: "${header(key)}" is ${show(value)}; it must be a whole number of zero or more, or empty.`;
      }
    }
    return undefined;
  },

  'row-per-period-day': ({ key }, rows, { period }) => {
    // A header-only report is how Graph says it has no data at all: a valid empty report, not a
    // period with every day missing.
    if (rows.length === 0) return undefined;
    const days = periodDays(period);
    const present = new Set(rows.map((row) => row.values[key])).size;
    return present < days
      ? `Only ${present} of the ${days} days of ${period} have a row: Graph has no data for the other ${days - present} (a young tenant, or days without activity).`
      : undefined;
  },
};

/** The message for how `rows` break `rule`, or undefined when they keep it. */
export function checkRule(
  rule: ReportRule,
  rows: readonly LocatedRow[],
  context: RuleContext,
): string | undefined {
  // The mapped type pairs each kind with its checker; TypeScript cannot narrow through the index.
  const checker = CHECKERS[rule.kind] as Checker<ReportRuleKind>;
  return checker(rule as never, rows, context);
}

/** Every rule of the definition that `rows` break, in the definition's order. */
export function checkRules(
  definition: ReportDefinition,
  rows: readonly LocatedRow[],
  period: ReportPeriod,
  fetchedOn: CalendarDate,
): RuleViolation[] {
  const context: RuleContext = {
    period,
    fetchedOn,
    header: (key) => definition.columns.find((column) => column.key === key)?.header ?? key,
  };
  return definition.rules.flatMap((rule) => {
    const message = checkRule(rule, rows, context);
    return message === undefined ? [] : [{ rule, message }];
  });
}

export function isWarning(violation: RuleViolation): boolean {
  return violation.rule.severity === 'warning';
}
