import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { HistoryReaders } from '../shared/archive/historyReader';
import { serveHistory } from '../shared/http/historyEndpoint';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';

/** The index held in memory lives as long as this instance: one reader per archive. */
const readers = new HistoryReaders();

export async function skypeP2pMinuteCountsHistoryHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return serveHistory(
    skypeP2pMinuteCounts,
    { query: request.query, ifNoneMatch: request.headers.get('if-none-match') },
    process.env,
    context,
    readers,
  );
}

app.http('skypeP2pMinuteCountsHistory', {
  methods: ['GET'],
  authLevel: 'function',
  route: `reports/${skypeP2pMinuteCounts.routeSlug}/history`,
  handler: skypeP2pMinuteCountsHistoryHandler,
});
