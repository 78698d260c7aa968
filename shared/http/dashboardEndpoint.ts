import { readEnabledReports, readStorageConfig, Settings } from '../config';
import { errorMessage } from '../common/errors';
import { Logger } from '../common/logger';
import { Coverage, historyCoverage } from '../archive/historyIndex';
import { HistoryReaders } from '../archive/historyReader';
import { utcDate } from '../reports/dates';
import { ReportDefinition, ServedReportDefinition } from '../reports/definitions';
import { CHART_CONTENT_TYPE } from './chart';
import { chartRange } from './chartEndpoint';
import { DASHBOARD_ICON_SVG, HOME_PATH, renderDashboardHtml } from './dashboard';
import type { DashboardSuccessor } from './dashboardConfig';
import { COMMON_HEADERS } from './headers';
import { problemResponse } from './problem';
import type { EndpointResponse } from './reportEndpoint';
import type { ArchiveReading } from './archiveReading';

/**
 * `GET /api/reports/{slug}/dashboard`: the page of renderDashboardHtml, and the icon it links.
 * The page itself never fails for want of the archive: it fetches the status and the chart,
 * which explain what is wrong better than a failed page could.
 */
export interface DashboardRequest {
  readonly query: URLSearchParams;
}

/** Where the report's endpoints are: the host's `/api` route prefix and the report's route. */
export function dashboardBasePath(definition: ReportDefinition): string {
  return `/api/reports/${definition.routeSlug}`;
}

/**
 * The coverage, so the first chart is the last 90 days held and the page needs one chart request,
 * not two; unknown when the archive cannot be read, and the page then follows the status.
 */
async function coverageIfReadable(
  definition: ReportDefinition,
  settings: Settings,
  log: Logger,
  readers: HistoryReaders,
): Promise<Coverage | null> {
  try {
    const view = await readers.readerFor(readStorageConfig(settings), definition).view();
    return view.state === 'ready' ? historyCoverage(view.index) : null;
  } catch (error) {
    log.warn(`Dashboard: the archive could not be read, the page will ask: ${errorMessage(error)}`);
    return null;
  }
}

/**
 * The report's successor as its page says it: linked to that report's dashboard when this app
 * serves it (the `enabled` reports), named only when it does not.
 */
export function dashboardSuccessor(
  definition: ServedReportDefinition,
  enabled: readonly ReportDefinition[],
): DashboardSuccessor | null {
  const successor = definition.successor;
  if (!successor) return null;
  const served = enabled.find((report) => report.routeSlug === successor.routeSlug);
  return {
    routeSlug: successor.routeSlug,
    note: successor.note,
    dashboardPath: served ? `${dashboardBasePath(served)}/dashboard` : null,
  };
}

export async function serveDashboard(
  definition: ServedReportDefinition,
  request: DashboardRequest,
  { settings, log, readers, now = new Date() }: ArchiveReading,
): Promise<EndpointResponse> {
  try {
    const today = utcDate(now);
    const coverage = await coverageIfReadable(definition, settings, log, readers);
    // In Azure the page is opened with its function key as ?code=; it goes into every URL of
    // the page, escaped by the renderer. The first value, as a repeated one has no better claim.
    const code = request.query.get('code') || undefined;
    const page = renderDashboardHtml({
      basePath: dashboardBasePath(definition),
      series: definition.chartSeries ?? [],
      title: definition.title,
      homePath: HOME_PATH,
      successor: dashboardSuccessor(definition, readEnabledReports(settings)),
      code,
      today,
      ...(coverage ? chartRange({}, coverage, today) : {}),
    });
    return { status: 200, headers: { ...page.headers }, body: page.html };
  } catch (error) {
    return problemResponse(error, log, 'dashboard');
  }
}

/**
 * `GET /api/reports/{slug}/icon.svg`, the page's icon. Linked by the page with the key, like
 * every request it makes; without a link of its own the browser would ask for /favicon.ico, a
 * request without the key that would fail with a console error.
 */
export function serveDashboardIcon(): EndpointResponse {
  return {
    status: 200,
    headers: {
      'Content-Type': CHART_CONTENT_TYPE,
      // The same for everyone, but its URL carries the key: no shared cache may keep it.
      'Cache-Control': 'private, max-age=86400',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      ...COMMON_HEADERS,
    },
    body: DASHBOARD_ICON_SVG,
  };
}
