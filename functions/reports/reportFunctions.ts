import { app, HttpRequest, HttpResponseInit, InvocationContext, Timer } from '@azure/functions';
import type { ServedReportDefinition } from '../../shared/reports/definitions';

/**
 * The thin adapters of one report's functions, and the one helper that registers them. The host
 * loads the entry modules at startup: they load only what registration needs, and each handler
 * loads the code behind it on its first invocation (Node keeps it for the next ones; the
 * cold-start bench, bench/coldStart.ts, counts on it). Services come from the composition root
 * (shared/app) and are handed to the endpoint or job.
 */
export type ReportHttpHandler = (
  request: HttpRequest,
  context: InvocationContext,
) => Promise<HttpResponseInit>;

export interface ReportHandlers {
  readonly report: ReportHttpHandler;
  readonly history: ReportHttpHandler;
  readonly status: ReportHttpHandler;
  readonly chart: ReportHttpHandler;
  readonly dashboard: ReportHttpHandler;
  readonly dashboardIcon: () => Promise<HttpResponseInit>;
  readonly snapshot: (timer: Timer, context: InvocationContext) => Promise<void>;
}

function conditional(request: HttpRequest) {
  return { query: request.query, ifNoneMatch: request.headers.get('if-none-match') };
}

/** The process's history readers (shared/app), loaded with the first request that needs them. */
async function historyReaders() {
  return (await import('../../shared/app/services')).historyReaders();
}

/** What an archive-reading endpoint is handed: the app settings, the invocation's log, readers. */
async function archiveReading(context: InvocationContext) {
  return { settings: process.env, log: context, readers: await historyReaders() };
}

export function reportHandlers(definition: ServedReportDefinition): ReportHandlers {
  return {
    async report(request, context) {
      const { serveReport } = await import('../../shared/http/reportEndpoint');
      const { reportServicesFor } = await import('../../shared/app/services');
      return serveReport(definition, conditional(request), process.env, context, reportServicesFor);
    },
    async history(request, context) {
      const reading = await archiveReading(context);
      const { serveHistory } = await import('../../shared/http/historyEndpoint');
      return serveHistory(definition, conditional(request), reading);
    },
    async status(_request, context) {
      const reading = await archiveReading(context);
      const { serveArchiveStatus } = await import('../../shared/http/statusEndpoint');
      return serveArchiveStatus(definition, reading);
    },
    async chart(request, context) {
      const reading = await archiveReading(context);
      const { serveChart } = await import('../../shared/http/chartEndpoint');
      return serveChart(definition, conditional(request), reading);
    },
    async dashboard(request, context) {
      const reading = await archiveReading(context);
      const { serveDashboard } = await import('../../shared/http/dashboardEndpoint');
      return serveDashboard(definition, { query: request.query }, reading);
    },
    async dashboardIcon() {
      const { serveDashboardIcon } = await import('../../shared/http/dashboardEndpoint');
      return serveDashboardIcon();
    },
    async snapshot(timer, context) {
      const { runSnapshotFromSettings } = await import('../../shared/app/snapshotJobs');
      const { summaryOfFailedRun } = await import('../../shared/archive/snapshotJob');
      // The host fires a missed schedule once; the job itself works out what is missing.
      context.log(`Snapshot run starting (isPastDue=${timer.isPastDue}).`);
      try {
        const summary = await runSnapshotFromSettings(definition, process.env, context);
        const line = `Snapshot run finished: ${JSON.stringify(summary)}`;
        if (summary.invalid > 0) context.error(line);
        else context.log(line);
      } catch (error) {
        // The host logs the error and retries; this says what the failed attempt had stored.
        const summary = summaryOfFailedRun(error);
        if (summary) context.error(`Snapshot run failed after: ${JSON.stringify(summary)}`);
        throw error;
      }
    },
  };
}

/**
 * Registers one report's functions under the names its definition carries: the live report,
 * its history, status, chart and dashboard (with the dashboard's icon) as HTTP GETs under
 * `reports/{routeSlug}`, and its own snapshot timer (a report's run, its retries and its failure
 * are its own, and no run has to fit every report in `functionTimeout`).
 */
export function registerReportFunctions(
  definition: ServedReportDefinition,
  handlers: ReportHandlers = reportHandlers(definition),
): void {
  const names = definition.functionNames;
  const route = `reports/${definition.routeSlug}`;
  const get = (name: string, path: string, handler: ReportHttpHandler) =>
    app.http(name, { methods: ['GET'], authLevel: 'function', route: route + path, handler });

  get(names.report, '', handlers.report);
  get(names.history, '/history', handlers.history);
  get(names.status, '/status', handlers.status);
  get(names.chart, '/chart', handlers.chart);
  get(names.dashboard, '/dashboard', handlers.dashboard);
  // The page links its icon with the key, as every request it makes, so it needs no other auth.
  get(names.dashboardIcon, '/icon.svg', handlers.dashboardIcon);

  app.timer(names.snapshot, {
    schedule: '%SNAPSHOT_SCHEDULE%',
    runOnStartup: false,
    // Graph or storage failures throw; the host retries them with these delays.
    retry: {
      strategy: 'exponentialBackoff',
      maxRetryCount: 3,
      minimumInterval: { seconds: 30 },
      maximumInterval: { minutes: 15 },
    },
    handler: handlers.snapshot,
  });
}

/** The home page's function name and route: one for the app, whatever reports it serves. */
export const REPORTS_DASHBOARD = { name: 'reportsDashboard', route: 'reports/dashboard' } as const;

/**
 * Registers the home page, `GET reports/dashboard`, once for the app: it lists `reports`, the
 * reports registered beside it (the `REPORTS` setting's), with links to each one's dashboard.
 */
/** The home page's handler: `reports` are the reports it lists (the ones registered). */
export function reportsDashboardHandler(
  reports: readonly ServedReportDefinition[],
): ReportHttpHandler {
  return async (request, context) => {
    const { serveHomePage } = await import('../../shared/http/homePage');
    return serveHomePage(reports, { query: request.query }, await archiveReading(context));
  };
}

export function registerReportsDashboard(reports: readonly ServedReportDefinition[]): void {
  app.http(REPORTS_DASHBOARD.name, {
    methods: ['GET'],
    authLevel: 'function',
    route: REPORTS_DASHBOARD.route,
    handler: reportsDashboardHandler(reports),
  });
}
