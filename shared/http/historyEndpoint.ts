import { readStorageConfig, Settings } from '../config';
import { ArchiveNotReadyError } from '../common/errors';
import {
  Coverage,
  emptyHistoryIndex,
  historyCoverage,
  HistoryIndex,
  queryHistory,
} from '../archive/historyIndex';
import { HistoryReaders } from '../archive/historyReader';
import { formatReportCsv } from '../reports/csv';
import { addDays, daysBetween } from '../reports/dates';
import { ReportDefinition } from '../reports/definitions';
import { HistoryQuery, MAX_HISTORY_RANGE_DAYS, readHistoryQuery } from './historyQuery';
import { problemResponse } from './problem';
import { COMMON_HEADERS, ifNoneMatchHits, weakEtag } from './headers';
import type { EndpointResponse } from './reportEndpoint';
import type { ArchiveReading } from './archiveReading';

/**
 * `GET /api/reports/{slug}/history?from=&to=`: the archive's rows by report date, beyond the
 * 180 days Graph keeps, from the history index alone (one conditional read; see HistoryReader).
 */
export interface HistoryRequest {
  readonly query: URLSearchParams;
  readonly ifNoneMatch?: string | null;
}

const CACHE_CONTROL = 'private, max-age=300';
/** The job runs daily; an operator's `--rebuild-index` is quicker. Ask again in a while. */
export const INDEX_NOT_READY_RETRY_SECONDS = 900;

/**
 * The range to answer: a bound the caller gives is kept; an omitted one defaults to the
 * coverage's end, but is clamped so the range spans at most MAX_HISTORY_RANGE_DAYS (with both
 * omitted, the newest ones). It never starts after it ends: a lone `from` past the coverage is a
 * one-day range. With no coverage an omitted bound stays null.
 */
export function historyRange(
  query: Pick<HistoryQuery, 'from' | 'to'>,
  coverage: Coverage | null,
): { from?: string; to?: string } {
  const span = MAX_HISTORY_RANGE_DAYS - 1;
  const { from, to } = query;
  if (from !== undefined && to !== undefined) return { from, to };
  if (from !== undefined) {
    if (!coverage) return { from };
    const last = coverage.last > from ? coverage.last : from;
    return { from, to: daysBetween(from, last) > span ? addDays(from, span) : last };
  }
  if (to !== undefined) {
    if (!coverage) return { to };
    const first = coverage.first < to ? coverage.first : to;
    return { from: daysBetween(first, to) > span ? addDays(to, -span) : first, to };
  }
  if (!coverage) return {};
  const { first, last } = coverage;
  return { from: daysBetween(first, last) > span ? addDays(last, -span) : first, to: last };
}

function historyEtag(definition: ReportDefinition, format: string, body: string): string {
  // Weak, as the live endpoint's: equal tags mean equal data.
  return weakEtag(`${definition.graphFunction}\nhistory\n${format}\n`, body);
}

/**
 * The index a request is answered from: an archive that has not started yet is an empty one; an
 * archive whose index is missing or unreadable is not ready (a 503 with Retry-After), since a
 * request never builds or repairs it. Shared by every view of the history (the chart too).
 */
export async function servableHistoryIndex(
  definition: ReportDefinition,
  settings: Settings,
  readers: HistoryReaders,
): Promise<HistoryIndex> {
  const storage = readStorageConfig(settings);
  const view = await readers.readerFor(storage, definition).view();
  if (view.state === 'missing' || view.state === 'unreadable') {
    const why =
      view.state === 'missing'
        ? 'The archive holds snapshots but the history index is being built'
        : `The history index cannot be read (${view.detail}) and is being rebuilt`;
    throw new ArchiveNotReadyError(
      `${why}; it is written by the next snapshot run or \`npm run snapshot -- --rebuild-index\`.`,
      INDEX_NOT_READY_RETRY_SECONDS,
    );
  }
  return view.state === 'ready' ? view.index : emptyHistoryIndex(definition);
}

export async function serveHistory(
  definition: ReportDefinition,
  request: HistoryRequest,
  { settings, log, readers }: ArchiveReading,
): Promise<EndpointResponse> {
  try {
    const query = readHistoryQuery(request.query);
    const index = await servableHistoryIndex(definition, settings, readers);
    const range = historyRange(query, historyCoverage(index));
    const result = queryHistory(index, range.from, range.to);
    const body =
      query.format === 'csv'
        ? formatReportCsv(definition, result.value)
        : JSON.stringify({ report: definition.graphFunction, ...result });
    const contentType =
      query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8';
    const etag = historyEtag(definition, query.format, body);
    const headers = { ETag: etag, 'Cache-Control': CACHE_CONTROL, ...COMMON_HEADERS };
    if (ifNoneMatchHits(request.ifNoneMatch, etag)) return { status: 304, headers };
    return { status: 200, headers: { ...headers, 'Content-Type': contentType }, body };
  } catch (error) {
    return problemResponse(error, log, 'history');
  }
}
