import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';

/** Loads its code on first invocation (see skypeP2pMinuteCounts.ts). */
export async function skypeP2pDashboardHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const { serveDashboard } = await import('../shared/http/dashboardEndpoint');
  const { historyReaders } = await import('../shared/app/services');
  return serveDashboard(
    skypeP2pMinuteCounts,
    { query: request.query },
    process.env,
    context,
    historyReaders(),
  );
}

export async function skypeP2pDashboardIconHandler(): Promise<HttpResponseInit> {
  const { serveDashboardIcon } = await import('../shared/http/dashboardEndpoint');
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
