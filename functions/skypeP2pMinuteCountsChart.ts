import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';

/** Loads its code on first invocation (see skypeP2pMinuteCounts.ts). */
export async function skypeP2pMinuteCountsChartHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const { serveChart } = await import('../shared/http/chartEndpoint');
  const { historyReaders } = await import('../shared/app/services');
  return serveChart(
    skypeP2pMinuteCounts,
    { query: request.query, ifNoneMatch: request.headers.get('if-none-match') },
    process.env,
    context,
    historyReaders(),
  );
}

app.http('skypeP2pMinuteCountsChart', {
  methods: ['GET'],
  authLevel: 'function',
  route: `reports/${skypeP2pMinuteCounts.routeSlug}/chart`,
  handler: skypeP2pMinuteCountsChartHandler,
});
