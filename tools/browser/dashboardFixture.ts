/**
 * A tiny loopback server for looking at the dashboard in a browser without Azure, Graph or
 * storage: the real dashboard page and chart renderer, over a year of sample days with a few
 * gaps, and a stub status. Browser tests and the screenshot tool share it.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  ChartRow,
  CHART_CONTENT_SECURITY_POLICY,
  CHART_CONTENT_TYPE,
  renderChartSvg,
} from '../../shared/http/chart';
import {
  DASHBOARD_ICON_SVG,
  DashboardStatus,
  renderDashboardHtml,
} from '../../shared/http/dashboard';
import { addDays } from '../../shared/reports/dates';
import { sampleMinutes } from '../graphSimulator/sampleTenant';

export const FIXTURE_BASE_PATH = '/api/reports/skype-p2p-minute-counts';
export const FIXTURE_REFRESH_DATE = '2026-03-01';
export const FIXTURE_FIRST_DATE = addDays(FIXTURE_REFRESH_DATE, -364);

/** Days the sample archive lacks: a lost week, and two single days. */
export const FIXTURE_MISSING_DATES = [
  ...Array.from({ length: 6 }, (_, index) => addDays(FIXTURE_REFRESH_DATE, -40 + index)),
  addDays(FIXTURE_REFRESH_DATE, -75),
  addDays(FIXTURE_REFRESH_DATE, -12),
];

/** A day Graph reported without a video figure (an empty cell). */
export const FIXTURE_NULL_VIDEO_DATE = addDays(FIXTURE_REFRESH_DATE, -20);

export function fixtureRows(): ChartRow[] {
  const missing = new Set(FIXTURE_MISSING_DATES);
  const rows: ChartRow[] = [];
  for (let date = FIXTURE_FIRST_DATE; date <= FIXTURE_REFRESH_DATE; date = addDays(date, 1)) {
    if (missing.has(date)) continue;
    const minutes = sampleMinutes(date);
    rows.push({
      reportRefreshDate: FIXTURE_REFRESH_DATE,
      reportDate: date,
      reportPeriod: '365',
      audio: minutes.audio,
      video: date === FIXTURE_NULL_VIDEO_DATE ? null : minutes.video,
    });
  }
  return rows;
}

export function fixtureStatus(): DashboardStatus {
  return {
    status: 'healthy',
    newestRefreshDate: FIXTURE_REFRESH_DATE,
    coverage: { from: FIXTURE_FIRST_DATE, to: FIXTURE_REFRESH_DATE, days: 365 },
    missingDates: FIXTURE_MISSING_DATES,
    missingDays: FIXTURE_MISSING_DATES.length,
  };
}

export interface FixtureRequest {
  readonly method: string;
  readonly url: URL;
}

export interface DashboardFixture {
  readonly origin: string;
  /** Every request the server saw, in order. */
  readonly requests: FixtureRequest[];
  /** The dashboard's address, with `?code=` when a key is given. */
  dashboardUrl(code?: string): string;
  close(): Promise<void>;
}

export interface FixtureOptions {
  /** The date the page treats as today when it has no status yet. */
  readonly today?: string;
  /** Milliseconds the chart answers late, to watch the page while it loads. */
  readonly chartDelayMs?: number;
}

export async function startDashboardFixture(
  options: FixtureOptions = {},
): Promise<DashboardFixture> {
  const rows = fixtureRows();
  const requests: FixtureRequest[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: request.method ?? 'GET', url });
    handle(url, request, response).catch((error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error));
    });
  });

  async function handle(url: URL, _request: IncomingMessage, response: ServerResponse) {
    const path = url.pathname;
    if (path === `${FIXTURE_BASE_PATH}/dashboard`) {
      const page = renderDashboardHtml({
        basePath: FIXTURE_BASE_PATH,
        code: url.searchParams.get('code') ?? undefined,
        today: options.today ?? FIXTURE_REFRESH_DATE,
      });
      response.writeHead(200, page.headers).end(page.html);
    } else if (path === `${FIXTURE_BASE_PATH}/icon.svg`) {
      response.writeHead(200, { 'Content-Type': CHART_CONTENT_TYPE }).end(DASHBOARD_ICON_SVG);
    } else if (path === `${FIXTURE_BASE_PATH}/status`) {
      json(response, fixtureStatus());
    } else if (path === `${FIXTURE_BASE_PATH}/chart`) {
      const from = url.searchParams.get('from') ?? '';
      const to = url.searchParams.get('to') ?? '';
      let svg: string;
      try {
        svg = renderChartSvg({
          from,
          to,
          rows: rows.filter((row) => row.reportDate >= from && row.reportDate <= to),
          missingDates: FIXTURE_MISSING_DATES,
        });
      } catch (error) {
        response.writeHead(400, { 'Content-Type': 'text/plain' }).end(String(error));
        return;
      }
      if (options.chartDelayMs)
        await new Promise((resolve) => setTimeout(resolve, options.chartDelayMs));
      response
        .writeHead(200, {
          'Content-Type': CHART_CONTENT_TYPE,
          'Content-Security-Policy': CHART_CONTENT_SECURITY_POLICY,
          'Cache-Control': 'no-store',
        })
        .end(svg);
    } else if (path === FIXTURE_BASE_PATH || path === `${FIXTURE_BASE_PATH}/history`) {
      json(response, { value: rows.slice(-7) });
    } else {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    requests,
    dashboardUrl(code?: string) {
      const query = code ? `?${new URLSearchParams({ code })}` : '';
      return `${origin}${FIXTURE_BASE_PATH}/dashboard${query}`;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function json(response: ServerResponse, body: unknown) {
  response
    .writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    })
    .end(JSON.stringify(body));
}
