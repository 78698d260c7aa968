import { Coverage, historyCoverage, queryHistory } from '../archive/historyIndex';
import { ReportRow } from '../reports/csv';
import { addDays, utcDate } from '../reports/dates';
import { ReportDefinition } from '../reports/definitions';
import { BadRequestError } from '../common/errors';
import {
  ChartInterval,
  CHART_CONTENT_SECURITY_POLICY,
  CHART_CONTENT_TYPE,
  CHART_INTERVALS,
  ChartRow,
  renderChartSvg,
} from './chart';
import { previousRange } from './chartFigures';
import { DEFAULT_RANGE_DAYS } from './dashboard';
import { historyRange, servableHistoryIndex } from './historyEndpoint';
import { readHistoryQuery } from './historyQuery';
import { problemResponse } from './problem';
import { COMMON_HEADERS, ifNoneMatchHits, weakEtag } from './headers';
import type { EndpointResponse } from './reportEndpoint';
import type { ArchiveReading } from './archiveReading';

/**
 * `GET /api/reports/{slug}/chart?from=&to=&interval=`: the history drawn as an SVG image. It
 * reads the same index, takes the same range parameters with the same checks and fails with the
 * same problems as the history endpoint; only the body differs. `interval` (`day` or `week`)
 * chooses daily values or ISO-week totals; without it ranges over 120 days are weekly.
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

/** `day`, `week`, or absent (the range decides); anything else, or twice, is a 400. */
export function readInterval(query: URLSearchParams): ChartInterval | undefined {
  const values = query.getAll('interval');
  if (values.length > 1) {
    throw new BadRequestError(
      'interval',
      `interval may be given once (got ${values.length} values).`,
    );
  }
  const [value] = values;
  if (value === undefined) return undefined;
  const interval = CHART_INTERVALS.find((candidate) => candidate === value);
  if (!interval) {
    throw new BadRequestError('interval', `interval must be day or week (got "${value}").`);
  }
  return interval;
}

function chartRow(row: ReportRow): ChartRow {
  return { ...row, reportDate: String(row.reportDate) };
}

function chartEtag(definition: ReportDefinition, svg: string): string {
  // Weak, as the other endpoints': equal tags mean the same picture.
  return weakEtag(`${definition.graphFunction}\nchart\n`, svg);
}

export async function serveChart(
  definition: ReportDefinition,
  request: ChartRequest,
  { settings, log, readers, now = new Date() }: ArchiveReading,
): Promise<EndpointResponse> {
  try {
    const query = readHistoryQuery(rangeParameters(request.query));
    const interval = readInterval(request.query);
    const index = await servableHistoryIndex(definition, settings, readers);
    const coverage = historyCoverage(index);
    const range = chartRange(query, coverage, utcDate(now));
    const result = queryHistory(index, range.from, range.to);
    const previous = previousRange(range.from, range.to);
    const svg = renderChartSvg({
      ...range,
      rows: result.value.map(chartRow),
      missingDates: result.missingDates,
      previousRows: queryHistory(index, previous.from, previous.to).value.map(chartRow),
      series: definition.chartSeries ?? [],
      ...(coverage ? { lastHeld: coverage.last } : {}),
      ...(interval ? { interval } : {}),
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
