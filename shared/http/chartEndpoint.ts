import { Settings } from '../config';
import { Logger } from '../common/logger';
import { Coverage, historyCoverage, queryHistory } from '../archive/historyIndex';
import { HistoryReaders } from '../archive/historyReader';
import { ReportRow } from '../reports/csv';
import { addDays } from '../reports/dates';
import { ReportDefinition } from '../reports/definitions';
import {
  ChartRow,
  CHART_CONTENT_SECURITY_POLICY,
  CHART_CONTENT_TYPE,
  renderChartSvg,
} from './chart';
import { DEFAULT_RANGE_DAYS } from './dashboard';
import { historyRange, servableHistoryIndex } from './historyEndpoint';
import { readHistoryQuery } from './historyQuery';
import { problemResponse } from './problem';
import { COMMON_HEADERS, ifNoneMatchHits, weakEtag } from './headers';
import type { EndpointResponse } from './reportEndpoint';

/**
 * `GET /api/reports/{slug}/chart?from=&to=`: the history drawn as an SVG image. It reads the
 * same index, takes the same parameters with the same checks and fails with the same problems as
 * the history endpoint; only the body differs.
 */
export interface ChartRequest {
  readonly query: URLSearchParams;
  readonly ifNoneMatch?: string | null;
}

const CACHE_CONTROL = 'private, max-age=300';

/**
 * The range drawn. With no bound, the last DEFAULT_RANGE_DAYS days up to the last date held (the
 * dashboard's first view); a lone bound is completed as the history completes it. An empty
 * archive has no last date held, so `today` stands in: the image then says nothing is held.
 */
export function chartRange(
  query: { readonly from?: string; readonly to?: string },
  coverage: Coverage | null,
  today: string,
): { from: string; to: string } {
  if (query.from === undefined && query.to === undefined) {
    const last = coverage?.last ?? today;
    return { from: addDays(last, 1 - DEFAULT_RANGE_DAYS), to: last };
  }
  const range = historyRange(query, coverage ?? { first: today, last: today });
  // historyRange completes a lone bound whenever it has a coverage to complete it from.
  const from = range.from ?? today;
  return { from, to: range.to ?? from };
}

/** Only `from` and `to` matter here: `code` (the function key) and anything else is ignored. */
function rangeParameters(query: URLSearchParams): URLSearchParams {
  const range = new URLSearchParams();
  for (const name of ['from', 'to'])
    for (const value of query.getAll(name)) range.append(name, value);
  return range;
}

function chartRow(row: ReportRow): ChartRow {
  const count = (value: unknown) => (typeof value === 'number' ? value : null);
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    reportRefreshDate: text(row.reportRefreshDate),
    reportDate: String(row.reportDate),
    reportPeriod: text(row.reportPeriod),
    audio: count(row.audio),
    video: count(row.video),
  };
}

function chartEtag(definition: ReportDefinition, svg: string): string {
  // Weak, as the other endpoints': equal tags mean the same picture.
  return weakEtag(`${definition.graphFunction}\nchart\n`, svg);
}

export async function serveChart(
  definition: ReportDefinition,
  request: ChartRequest,
  settings: Settings,
  log: Logger,
  readers: HistoryReaders,
  now = new Date(),
): Promise<EndpointResponse> {
  try {
    const query = readHistoryQuery(rangeParameters(request.query));
    const index = await servableHistoryIndex(definition, settings, readers);
    const range = chartRange(query, historyCoverage(index), now.toISOString().slice(0, 10));
    const result = queryHistory(index, range.from, range.to);
    const svg = renderChartSvg({
      ...range,
      rows: result.value.map(chartRow),
      missingDates: result.missingDates,
    });
    const etag = chartEtag(definition, svg);
    const headers = { ETag: etag, 'Cache-Control': CACHE_CONTROL, ...COMMON_HEADERS };
    if (ifNoneMatchHits(request.ifNoneMatch, etag)) return { status: 304, headers };
    return {
      status: 200,
      headers: {
        ...headers,
        'Content-Type': CHART_CONTENT_TYPE,
        // Opened on its own, the image may load nothing and run nothing.
        'Content-Security-Policy': CHART_CONTENT_SECURITY_POLICY,
      },
      body: svg,
    };
  } catch (error) {
    return problemResponse(error, log, 'chart');
  }
}
