import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { HistoryReaders } from '../shared/archive/historyReader';
import { serveChart } from '../shared/http/chartEndpoint';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';

/** The index held in memory lives as long as this instance: one reader per archive. */
const readers = new HistoryReaders();

export async function skypeP2pMinuteCountsChartHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return serveChart(
    skypeP2pMinuteCounts,
    { query: request.query, ifNoneMatch: request.headers.get('if-none-match') },
    process.env,
    context,
    readers,
  );
}

app.http('skypeP2pMinuteCountsChart', {
  methods: ['GET'],
  authLevel: 'function',
  route: `reports/${skypeP2pMinuteCounts.routeSlug}/chart`,
  handler: skypeP2pMinuteCountsChartHandler,
});
