import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { HistoryReaders } from '../shared/archive/historyReader';
import { serveDashboard, serveDashboardIcon } from '../shared/http/dashboardEndpoint';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';

/** The index held in memory lives as long as this instance: one reader per archive. */
const readers = new HistoryReaders();

export async function skypeP2pDashboardHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return serveDashboard(
    skypeP2pMinuteCounts,
    { query: request.query },
    process.env,
    context,
    readers,
  );
}

export async function skypeP2pDashboardIconHandler(): Promise<HttpResponseInit> {
  return serveDashboardIcon();
}

app.http('skypeP2pDashboard', {
  methods: ['GET'],
  authLevel: 'function',
  route: `reports/${skypeP2pMinuteCounts.routeSlug}/dashboard`,
  handler: skypeP2pDashboardHandler,
});

// The page links its icon with the key, as every request it makes, so it needs no other auth.
app.http('skypeP2pDashboardIcon', {
  methods: ['GET'],
  authLevel: 'function',
  route: `reports/${skypeP2pMinuteCounts.routeSlug}/icon.svg`,
  handler: skypeP2pDashboardIconHandler,
});
