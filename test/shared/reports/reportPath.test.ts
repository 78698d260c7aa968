import {
  REPORT_PERIODS,
  ReportDefinition,
  reportPath,
  skypeP2pMinuteCounts,
} from '../../../shared/reports/definitions';

describe('reportPath', () => {
  it.each(REPORT_PERIODS)("is Graph's function call for period %s", (period) => {
    expect(reportPath(skypeP2pMinuteCounts, period)).toBe(
      `/reports/getSkypeForBusinessPeerToPeerActivityMinuteCounts(period='${period}')`,
    );
  });

  it("names the definition's own Graph function", () => {
    const other: ReportDefinition = { ...skypeP2pMinuteCounts, graphFunction: 'getOtherCounts' };
    expect(reportPath(other, 'D90')).toBe("/reports/getOtherCounts(period='D90')");
  });
});
