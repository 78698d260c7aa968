import { createHash } from 'node:crypto';
import { formatReportCsv, ReportRow } from '../../shared/reports/csv';
import { addDays, isCalendarDate, utcDate } from '../../shared/reports/dates';
import { periodDays, ReportPeriod, skypeP2pMinuteCounts } from '../../shared/reports/definitions';

/** Graph's data lags by about two days, so that is the sample tenant's default refresh date. */
export function defaultRefreshDate(now = new Date(), env = process.env): string {
  const fromEnv = env.SIM_REFRESH_DATE?.trim();
  if (fromEnv) {
    // A real calendar date only: Date.parse would take 2026-02-30 and roll it over.
    if (!isCalendarDate(fromEnv)) {
      throw new Error(`SIM_REFRESH_DATE must be a date (YYYY-MM-DD), got "${fromEnv}".`);
    }
    return fromEnv;
  }
  return addDays(utcDate(now), -2);
}

/** A stable pseudo-random number in [0, 1) for a date and a salt. */
export function noise(date: string, salt: string): number {
  return createHash('sha256').update(`${salt}:${date}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** The sample tenant's week: quiet weekends, and a tenth more activity Tuesday to Thursday. */
export function dayRhythm(date: string): { weekend: boolean; midweek: number } {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return {
    weekend: weekday === 0 || weekday === 6,
    midweek: weekday >= 2 && weekday <= 4 ? 1.1 : 1,
  };
}

/** Minutes for one day: a pure function of the date, with a weekly rhythm and quiet weekends. */
export function sampleMinutes(date: string): { audio: number; video: number } {
  const { weekend, midweek } = dayRhythm(date);
  const audio = Math.round((weekend ? 120 : 780) * midweek * (0.85 + 0.3 * noise(date, 'audio')));
  const video = Math.round(audio * (0.03 + 0.04 * noise(date, 'video')));
  return { audio, video };
}

/** The period's days ending on the refresh date, oldest first, each with the common columns. */
export function periodRows(
  period: ReportPeriod,
  refreshDate: string,
  values: (date: string) => Record<string, number | string>,
): ReportRow[] {
  const days = periodDays(period);
  return Array.from({ length: days }, (_, index) => {
    const reportDate = addDays(refreshDate, index - days + 1);
    return {
      reportRefreshDate: refreshDate,
      reportDate,
      reportPeriod: String(days),
      ...values(reportDate),
    };
  });
}

export function sampleRows(period: ReportPeriod, refreshDate: string): ReportRow[] {
  return periodRows(period, refreshDate, sampleMinutes);
}

/** The CSV as Graph serves it: UTF-8 with a BOM, newest day first. */
export function sampleCsv(period: ReportPeriod, refreshDate: string): Buffer {
  const rows = sampleRows(period, refreshDate).reverse();
  return Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(formatReportCsv(skypeP2pMinuteCounts, rows), 'utf8'),
  ]);
}
