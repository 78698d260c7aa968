/**
 * `GET /api/reports/dashboard`: the home page, one card per report this app serves (the
 * `REPORTS` setting): its name, its archive's verdict, its newest refresh date, a small chart of
 * the last 90 days held (the report's own chart endpoint, shown small), a silent source said, and
 * links to its dashboard and to its live report as JSON and CSV.
 *
 * Rendered on the server from each report's status document (the one `.../status` answers), so
 * the page needs no script and makes no request that could fail on its console: an unhealthy
 * archive is a verdict on its card, not a 503 in the browser. The same CSP, headers and `?code=`
 * carrying as the report dashboards (see dashboard.ts).
 */
import { isCalendarDate } from '../reports/dates';
import type { ServedReportDefinition } from '../reports/definitions';
import { chartHeight, CHART_WIDTH } from './chart';
import {
  dashboardUrl,
  escapeHtml,
  isoText,
  PAGE_STYLE,
  pageHead,
  pageNonce,
  renderedPage,
  RenderedDashboard,
} from './dashboard';
import { dashboardBasePath } from './dashboardEndpoint';
import { problemResponse } from './problem';
import type { EndpointResponse } from './reportEndpoint';
import type { ArchiveReading } from './archiveReading';
import { archiveStatusDocument, type ArchiveStatusDocument } from './statusEndpoint';
import { statusVerdict } from './statusVerdict';

export interface HomeReport {
  readonly definition: ServedReportDefinition;
  readonly status: ArchiveStatusDocument;
}

export interface HomePageOptions {
  readonly reports: readonly HomeReport[];
  /** The function key from the request's `?code=`, if any. */
  readonly code?: string;
  readonly nonce?: string;
}

/** The small chart's width on the page: the chart's own phone layout, larger text, still legible. */
export const HOME_CHART_WIDTH = 400;

function names(definition: ServedReportDefinition): string {
  const labels = (definition.chartSeries ?? []).map((series) => series.label);
  return labels.length > 1
    ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`
    : (labels[0] ?? 'No series');
}

function card({ definition, status }: HomeReport, code: string | undefined): string {
  const base = dashboardBasePath(definition);
  const url = (path: string, params: Record<string, string> = {}) =>
    escapeHtml(dashboardUrl(path, params, code));
  const verdict = statusVerdict(status);
  const newest = status.newestRefreshDate;
  const silent = status.source?.silentSince;
  const slug = escapeHtml(definition.routeSlug);
  const height = Math.round(
    (chartHeight(definition.chartSeries ?? []) * HOME_CHART_WIDTH) / CHART_WIDTH,
  );
  const headingId = `report-${slug}`;
  return `<li class="card report" data-report="${slug}" aria-labelledby="${headingId}">
<h2 id="${headingId}"><a href="${url(`${base}/dashboard`)}">${escapeHtml(definition.title)}</a></h2>
<p class="slug"><code>${slug}</code></p>
<p class="badge" data-state="${verdict.state}" data-verdict>${escapeHtml(verdict.text)}</p>
<dl class="facts">
<div><dt>Newest refresh</dt><dd data-newest>${newest && isCalendarDate(newest) ? isoText(newest) : 'none yet'}</dd></div>
</dl>
${silent && isCalendarDate(silent) ? `<p class="notice" data-silent-since="${silent}">${isoText(`Graph has reported no activity since ${silent}.`)}</p>\n` : ''}<img class="spark" src="${url(`${base}/chart`)}" width="${HOME_CHART_WIDTH}" height="${height}" alt="${escapeHtml(`Chart of ${names(definition)} per day, the last 90 days held.`)}">
<p class="links"><a data-link="dashboard" href="${url(`${base}/dashboard`)}">Dashboard</a>
<a data-link="json" href="${url(base, { format: 'json' })}">JSON</a>
<a data-link="csv" href="${url(base, { format: 'csv' })}">CSV</a></p>
</li>`;
}

export function renderHomePage(options: HomePageOptions): RenderedDashboard {
  const nonce = pageNonce(options.nonce);
  const code = options.code || undefined;
  // The first report's icon stands for the app: one icon function, linked with the key.
  const first = options.reports[0]?.definition;
  const iconHref = first
    ? escapeHtml(dashboardUrl(`${dashboardBasePath(first)}/icon.svg`, {}, code))
    : undefined;
  const cards = options.reports.map((report) => card(report, code)).join('\n');
  const html = `${pageHead({
    title: 'Graph usage reports',
    nonce,
    style: `${PAGE_STYLE}${HOME_STYLE}`,
    ...(iconHref === undefined ? {} : { iconHref }),
  })}
<body>
<header>
<h1>Graph usage reports</h1>
<p class="lead">Every Microsoft Graph usage report this app serves and archives: its archive's status, the last 90 days held, and its data. Times are UTC.</p>
</header>
<main>
<ul class="reports">
${cards || '<li class="card">This app serves no report (see the REPORTS setting).</li>'}
</ul>
</main>
</body>
</html>
`;
  return renderedPage(html, nonce);
}

const HOME_STYLE = `
header,main{max-width:1280px}
.reports{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px}
.reports .card{margin:0;display:flex;flex-direction:column}
.report h2{margin:0 0 2px}
.slug{margin:0 0 8px;color:var(--muted);font-size:.875rem;overflow-wrap:anywhere}
.spark{display:block;width:100%;height:auto;margin:12px 0 0}
.links{display:flex;gap:16px;margin:12px 0 0}
`;

export interface HomePageRequest {
  readonly query: URLSearchParams;
}

/**
 * Answers the home page for the reports this app serves, each card from its status document (read
 * together). A missing or invalid setting is a problem naming it; storage failing is each card's
 * verdict.
 */
export async function serveHomePage(
  reports: readonly ServedReportDefinition[],
  request: HomePageRequest,
  { settings, log, readers, now = new Date() }: ArchiveReading,
): Promise<EndpointResponse> {
  try {
    const statuses = await Promise.all(
      reports.map((definition) =>
        archiveStatusDocument(definition, { settings, log, readers, now }),
      ),
    );
    const page = renderHomePage({
      reports: reports.map((definition, at) => ({ definition, status: statuses[at]! })),
      code: request.query.get('code') || undefined,
    });
    return { status: 200, headers: { ...page.headers }, body: page.html };
  } catch (error) {
    return problemResponse(error, log, 'home page');
  }
}
