import { parse as parseCsv } from 'csv-parse/sync';
import { parseReportCsv, ReportRow, stripBom } from '../../../shared/reports/csv';
import { addDays } from '../../../shared/reports/dates';
import {
  periodDays,
  REPORT_PERIODS,
  ReportDefinition,
  ReportPeriod,
} from '../../../shared/reports/definitions';
import { parseDuration } from '../../../shared/reports/duration';
import { checkRules } from '../../../shared/reports/rules';
import {
  catalogueSamples,
  SAMPLE_TENANT_USERS,
  skypeP2pActivityCountsCsv,
  skypeP2pUserCountsCsv,
  teamsUserActivityCountsCsv,
  teamsUserActivityUserCountsCsv,
} from '../../../tools/graphSimulator/catalogueSamples';

const REFRESH = '2026-11-26';
const samples = catalogueSamples.map((sample) => [sample.definition.routeSlug, sample] as const);
const bySlugAndPeriod = samples.flatMap(([slug, sample]) =>
  REPORT_PERIODS.map((period) => [slug, period, sample] as const),
);

/**
 * The CSV read by Graph's headers into rows of Graph's keys: counts as numbers, everything else
 * (dates, the period, durations) as the text Graph sent. Written apart from the service's parser,
 * which does not read durations yet, so every report is checked the same way.
 */
function readRows(definition: ReportDefinition, bytes: Buffer): ReportRow[] {
  const records = parseCsv(stripBom(bytes).toString('utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  return records.map((record) =>
    Object.fromEntries(
      definition.columns.map((column) => {
        const text = record[column.header]!;
        return [column.key, column.type === 'integer' ? Number(text) : text];
      }),
    ),
  );
}

/** Rows of one report for the D180 period, oldest first, by date. */
function rowsByDate(
  csv: (period: ReportPeriod, refreshDate: string) => Buffer,
  definition: ReportDefinition,
) {
  const rows = readRows(definition, csv('D180', REFRESH));
  return new Map(rows.map((row) => [String(row.reportDate), row]));
}

function definitionOf(slug: string): ReportDefinition {
  return catalogueSamples.find((sample) => sample.definition.routeSlug === slug)!.definition;
}

const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('the sample tenant’s catalogue reports', () => {
  it.each(samples)('%s: served as Graph serves it: BOM, Graph headers in order, CRLF', (_, s) => {
    const bytes = s.csv('D7', REFRESH);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe(s.definition.columns.map((column) => column.header).join(','));
    expect(lines.at(-1)).toBe('');
  });

  it.each(bySlugAndPeriod)('%s: %s has a row per day, newest first', (_, period, sample) => {
    const rows = readRows(sample.definition, sample.csv(period, REFRESH));
    const days = periodDays(period);
    expect(rows.map((row) => row.reportDate)).toEqual(
      Array.from({ length: days }, (__, index) => addDays(REFRESH, -index)),
    );
    for (const row of rows) {
      expect([row.reportRefreshDate, row.reportPeriod]).toEqual([REFRESH, String(days)]);
    }
  });

  it.each(bySlugAndPeriod)('%s: %s keeps every plausibility rule', (_, period, sample) => {
    const rows = readRows(sample.definition, sample.csv(period, REFRESH));
    const located = rows.map((values, index) => ({ values, line: index + 2 }));
    expect(checkRules(sample.definition, located, period, addDays(REFRESH, 2))).toEqual([]);
    for (const row of rows) {
      for (const column of sample.definition.columns.filter((c) => c.type === 'integer')) {
        expect(Number.isSafeInteger(row[column.key])).toBe(true);
      }
    }
  });

  it.each(
    samples.filter(([, sample]) => sample.definition.columns.every((c) => c.type !== 'duration')),
  )('%s: is read by the service’s parser without a warning', (_, sample) => {
    const report = parseReportCsv(sample.definition, sample.csv('D30', REFRESH), 'D30');
    expect(report.warnings).toEqual([]);
    expect(report.reportRefreshDate).toBe(REFRESH);
  });

  it.each(samples)('%s: is a pure function of the period and the refresh date', (_, sample) => {
    const once = sample.csv('D90', REFRESH);
    expect(sample.csv('D90', REFRESH).equals(once)).toBe(true);
    // A day's figures do not depend on which report they are served in.
    const later = readRows(sample.definition, sample.csv('D90', addDays(REFRESH, 1)));
    const earlier = readRows(sample.definition, once);
    const withoutRefresh = ({ reportRefreshDate: _, ...rest }: ReportRow) => rest;
    expect(later.slice(1, 90).map(withoutRefresh)).toEqual(
      earlier.slice(0, 89).map(withoutRefresh),
    );
  });

  it('gives Teams durations in ISO 8601 form that read back as whole seconds', () => {
    const definition = definitionOf('teams-user-activity-counts');
    const durations = definition.columns.filter((column) => column.type === 'duration');
    expect(durations).toHaveLength(3);
    for (const row of readRows(definition, teamsUserActivityCountsCsv('D180', REFRESH))) {
      const seconds = durations.map((column) => {
        const result = parseDuration(String(row[column.key]));
        expect(result).toEqual({ ok: true, seconds: expect.any(Number) });
        expect(String(row[column.key])).toMatch(/^PT(\d+H)?(\d+M)?(\d+S)?$/);
        return result.ok ? result.seconds : NaN;
      });
      const [audio, video, screenShare] = seconds as [number, number, number];
      // Cameras and screens are on for part of the time people talk, never more.
      expect(video).toBeLessThanOrEqual(audio);
      expect(screenShare).toBeLessThanOrEqual(audio);
      // No more talk than the whole tenant talking all day.
      expect(audio).toBeLessThanOrEqual(SAMPLE_TENANT_USERS * 86_400);
    }
  });

  it.each([
    ['skype-p2p-user-counts', skypeP2pUserCountsCsv],
    ['teams-user-activity-user-counts', teamsUserActivityUserCountsCsv],
  ] as const)('%s: counts no more users than the tenant has', (slug, csv) => {
    const definition = definitionOf(slug);
    const counts = definition.columns.filter((column) => column.type === 'integer');
    for (const row of readRows(definition, csv('D180', REFRESH))) {
      for (const column of counts) {
        expect(row[column.key]).toBeLessThanOrEqual(SAMPLE_TENANT_USERS);
      }
    }
  });

  it('counts Teams activity consistent with the Teams users of the same day', () => {
    const users = rowsByDate(
      teamsUserActivityUserCountsCsv,
      definitionOf('teams-user-activity-user-counts'),
    );
    const counts = rowsByDate(
      teamsUserActivityCountsCsv,
      definitionOf('teams-user-activity-counts'),
    );
    for (const [date, activity] of counts) {
      const people = users.get(date)!;
      // A user is counted for an activity by doing it at least once.
      for (const key of ['teamChatMessages', 'privateChatMessages', 'calls'] as const) {
        expect([date, key, Number(activity[key]) >= Number(people[key])]).toEqual([
          date,
          key,
          true,
        ]);
      }
      expect(activity.meetingsAttended).toBeGreaterThanOrEqual(Number(people.meetings));
      expect(Number(activity.postMessages) + Number(activity.replyMessages)).toBe(
        activity.teamChatMessages,
      );
      expect(activity.meetingsOrganized).toBeLessThanOrEqual(Number(activity.meetingsAttended));
    }
  });

  it('counts Skype users consistent with the sessions of the same day', () => {
    const users = rowsByDate(skypeP2pUserCountsCsv, definitionOf('skype-p2p-user-counts'));
    const sessions = rowsByDate(
      skypeP2pActivityCountsCsv,
      definitionOf('skype-p2p-activity-counts'),
    );
    for (const [date, activity] of sessions) {
      const people = users.get(date)!;
      for (const key of ['im', 'audio', 'video', 'appSharing', 'fileTransfer'] as const) {
        const [count, present] = [Number(activity[key]), Number(people[key])];
        // Each session joins two people: no more users than twice the sessions, none without one.
        expect([date, key, present <= 2 * count, count === 0 || present > 0]).toEqual([
          date,
          key,
          true,
          true,
        ]);
      }
    }
  });

  it.each([
    ['skype-p2p-activity-counts', skypeP2pActivityCountsCsv, 'audio'],
    ['skype-p2p-user-counts', skypeP2pUserCountsCsv, 'im'],
    ['teams-user-activity-counts', teamsUserActivityCountsCsv, 'privateChatMessages'],
    ['teams-user-activity-user-counts', teamsUserActivityUserCountsCsv, 'calls'],
  ] as const)('%s: is quieter at weekends (%s)', (slug, csv, key) => {
    const rows = readRows(definitionOf(slug), csv('D90', REFRESH));
    const weekend = rows.filter((row) => isWeekend(String(row.reportDate)));
    const workdays = rows.filter((row) => !isWeekend(String(row.reportDate)));
    const values = (some: ReportRow[]) => some.map((row) => Number(row[key]));
    expect(Math.max(...values(weekend))).toBeLessThan(Math.min(...values(workdays)));
    expect(mean(values(workdays))).toBeGreaterThan(0);
  });
});
