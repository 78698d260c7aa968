import { parseReportCsv } from '../../../shared/reports/csv';
import {
  ReportDefinition,
  ReportPeriod,
  skypeP2pMinuteCounts,
} from '../../../shared/reports/definitions';
import { ifNoneMatchHits } from '../../../shared/http/headers';
import {
  renderReport,
  REPORT_FORMATS,
  reportEtag,
  reportJson,
  ReportResult,
} from '../../../shared/http/reportBody';
import { missingDaysWarning } from '../../support/reports';

const CSV = Buffer.from(
  '\ufeffReport Refresh Date,Report Date,Report Period,Audio,Video\n' +
    '2026-02-07,2026-02-02,7,5,\n' +
    '2026-02-07,2026-02-01,7,12,3\n',
);
const FETCHED_AT = new Date('2026-02-07T10:11:12.000Z');

function result(
  bytes: Buffer = CSV,
  fetchedAt: Date = FETCHED_AT,
  period: ReportPeriod = 'D7',
): ReportResult {
  return {
    fetched: { definition: skypeP2pMinuteCounts, period, bytes, fetchedAt, fromCache: false },
    // The fixture is a D7; ETag tests render the same bytes as other periods.
    parsed: parseReportCsv(skypeP2pMinuteCounts, bytes, 'D7'),
  };
}

describe('reportEtag', () => {
  const etag = (bytes: Buffer = CSV) => reportEtag(skypeP2pMinuteCounts, 'D7', 'json', bytes);

  it('is a weak, quoted entity tag of 32 base64url characters', () => {
    expect(etag()).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
  });

  it('is stable for the same input, even from a different buffer', () => {
    expect(etag()).toBe(etag());
    expect(etag(Buffer.from(CSV))).toBe(etag());
  });

  it('differs by period', () => {
    const tags = (['D7', 'D30', 'D90', 'D180'] as const).map((period) =>
      reportEtag(skypeP2pMinuteCounts, period, 'json', CSV),
    );
    expect(new Set(tags).size).toBe(4);
  });

  it('differs by format', () => {
    expect(reportEtag(skypeP2pMinuteCounts, 'D7', 'csv', CSV)).not.toBe(
      reportEtag(skypeP2pMinuteCounts, 'D7', 'json', CSV),
    );
  });

  it('differs by a single changed byte', () => {
    const changed = Buffer.from(CSV);
    changed[changed.length - 2] = '4'.charCodeAt(0);
    expect(etag(changed)).not.toBe(etag());
  });

  it('differs with and without a BOM', () => {
    expect(etag(CSV.subarray(3))).not.toBe(etag());
  });

  it('differs by report', () => {
    const other: ReportDefinition = { ...skypeP2pMinuteCounts, graphFunction: 'getOtherReport' };
    expect(reportEtag(other, 'D7', 'json', CSV)).not.toBe(etag());
  });

  it('is defined for an empty body', () => {
    expect(etag(Buffer.alloc(0))).toMatch(/^W\/"[A-Za-z0-9_-]{32}"$/);
    expect(etag(Buffer.alloc(0))).not.toBe(etag());
  });
});

describe('reportEtag with If-None-Match', () => {
  it('hits the tag reportEtag produced', () => {
    const etag = reportEtag(skypeP2pMinuteCounts, 'D30', 'csv', CSV);
    expect(ifNoneMatchHits(etag, etag)).toBe(true);
    expect(ifNoneMatchHits(etag.slice(2), etag)).toBe(true);
    expect(ifNoneMatchHits(reportEtag(skypeP2pMinuteCounts, 'D30', 'json', CSV), etag)).toBe(false);
  });
});

describe('renderReport', () => {
  it('serves both formats', () => {
    expect(REPORT_FORMATS).toEqual(['json', 'csv']);
  });

  it('says stale: true when the last good report stands in for Graph', () => {
    expect(JSON.parse(renderReport(result(), 'json', true).body)).toMatchObject({ stale: true });
    // CSV has no place for it: Cache-Status says it.
    expect(renderReport(result(), 'csv', true).body).toBe(renderReport(result(), 'csv').body);
  });

  it('renders JSON with Graph keys, sorted rows and the refresh date', () => {
    const rendered = renderReport(result(), 'json');
    expect(rendered.contentType).toBe('application/json; charset=utf-8');
    expect(rendered.etag).toBe(reportEtag(skypeP2pMinuteCounts, 'D7', 'json', CSV));
    expect(JSON.parse(rendered.body)).toEqual({
      report: 'getSkypeForBusinessPeerToPeerActivityMinuteCounts',
      period: 'D7',
      reportRefreshDate: '2026-02-07',
      fetchedAt: '2026-02-07T10:11:12.000Z',
      stale: false,
      warnings: [missingDaysWarning(2)],
      value: [
        {
          reportRefreshDate: '2026-02-07',
          reportDate: '2026-02-01',
          reportPeriod: '7',
          audio: 12,
          video: 3,
        },
        {
          reportRefreshDate: '2026-02-07',
          reportDate: '2026-02-02',
          reportPeriod: '7',
          audio: 5,
          video: null,
        },
      ],
    });
  });

  it('renders CSV with Graph headers, sorted rows, CRLF and no BOM', () => {
    const rendered = renderReport(result(), 'csv');
    expect(rendered.contentType).toBe('text/csv; charset=utf-8');
    expect(rendered.etag).toBe(reportEtag(skypeP2pMinuteCounts, 'D7', 'csv', CSV));
    expect(rendered.body).toBe(
      'Report Refresh Date,Report Date,Report Period,Audio,Video\r\n' +
        '2026-02-07,2026-02-01,7,12,3\r\n' +
        '2026-02-07,2026-02-02,7,5,\r\n',
    );
  });

  it('keeps the same ETag when only fetchedAt changes, so revalidation can answer 304', () => {
    const first = renderReport(result(CSV, FETCHED_AT), 'json');
    const later = renderReport(result(CSV, new Date('2026-02-08T00:00:00Z')), 'json');
    expect(later.etag).toBe(first.etag);
    expect(later.body).not.toBe(first.body);
  });

  it('gives each format and period its own ETag', () => {
    const tags = new Set(
      (['D7', 'D30'] as const).flatMap((period) =>
        REPORT_FORMATS.map((format) => renderReport(result(CSV, FETCHED_AT, period), format).etag),
      ),
    );
    expect(tags.size).toBe(4);
  });
});

describe('reportJson', () => {
  it('passes warnings through and reports a null refresh date for an empty report', () => {
    const empty = Buffer.from('Report Refresh Date,Report Date,Report Period,Audio,Video,New\r\n');
    const json = reportJson(result(empty, FETCHED_AT, 'D90'));
    expect(json).toMatchObject({ period: 'D90', reportRefreshDate: null, value: [] });
    expect(json.warnings).toHaveLength(1);
    expect(json.warnings[0]).toContain('"New"');
  });
});
