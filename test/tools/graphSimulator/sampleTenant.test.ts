import { addDays } from '../../../shared/reports/dates';
import { REPORT_PERIODS } from '../../../shared/reports/definitions';
import { parse } from '../../support/reports';
import {
  defaultRefreshDate,
  sampleCsv,
  sampleMinutes,
  sampleRows,
} from '../../../tools/graphSimulator/sampleTenant';

describe('the simulated tenant', () => {
  it('refreshes two days behind today (UTC) unless SIM_REFRESH_DATE says otherwise', () => {
    expect(defaultRefreshDate(new Date('2026-11-28T23:59:00Z'), {})).toBe('2026-11-26');
    expect(defaultRefreshDate(new Date('2026-03-01T00:00:00Z'), {})).toBe('2026-02-27');
    expect(defaultRefreshDate(new Date(), { SIM_REFRESH_DATE: '2025-01-31' })).toBe('2025-01-31');
    // An impossible date is refused, not rolled over (defect 12).
    expect(() => defaultRefreshDate(new Date(), { SIM_REFRESH_DATE: '2026-02-30' })).toThrow(
      /SIM_REFRESH_DATE/,
    );
    expect(() => defaultRefreshDate(new Date(), { SIM_REFRESH_DATE: 'yesterday' })).toThrow(
      /SIM_REFRESH_DATE/,
    );
  });

  it('returns n rows ending on the refresh date for D{n}', () => {
    for (const [period, days] of [
      ['D7', 7],
      ['D30', 30],
      ['D90', 90],
      ['D180', 180],
    ] as const) {
      const rows = sampleRows(period, '2026-11-26');
      expect(rows).toHaveLength(days);
      expect(rows.at(-1)).toMatchObject({
        reportDate: '2026-11-26',
        reportRefreshDate: '2026-11-26',
        reportPeriod: String(days),
      });
      expect(rows[0]!.reportDate).toBe(addDays('2026-11-26', 1 - days));
    }
  });

  it('counts minutes as a pure function of the date, quieter at weekends', () => {
    expect(sampleMinutes('2026-11-24')).toEqual(sampleMinutes('2026-11-24'));
    const days = Array.from({ length: 28 }, (_, index) => addDays('2026-11-02', index));
    const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
    const weekend = days
      .filter((date) => [0, 6].includes(weekday(date)))
      .map((date) => sampleMinutes(date).audio);
    const workdays = days
      .filter((date) => ![0, 6].includes(weekday(date)))
      .map((date) => sampleMinutes(date).audio);
    expect(Math.max(...weekend)).toBeLessThan(Math.min(...workdays));
    for (const date of days) {
      const { audio, video } = sampleMinutes(date);
      expect(Number.isInteger(audio) && Number.isInteger(video)).toBe(true);
      expect(video).toBeLessThan(audio);
    }
  });

  it('serves the CSV as Graph does: BOM, Graph headers, CRLF', () => {
    const csv = sampleCsv('D7', '2026-11-26');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Report Refresh Date,Report Date,Report Period,Audio,Video');
    expect(lines).toHaveLength(9);
    expect(sampleCsv('D7', '2026-11-26').equals(csv)).toBe(true);
  });

  it.each(REPORT_PERIODS)('serves a %s report that keeps every plausibility rule', (period) => {
    expect(parse(sampleCsv(period, '2026-11-26'), period).warnings).toEqual([]);
  });
});
