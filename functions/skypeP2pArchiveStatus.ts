import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { HistoryReaders } from '../shared/archive/historyReader';
import { serveArchiveStatus } from '../shared/http/statusEndpoint';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';

/** The index held in memory lives as long as this instance: one reader per archive. */
const readers = new HistoryReaders();

export async function skypeP2pArchiveStatusHandler(
  _request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return serveArchiveStatus(skypeP2pMinuteCounts, process.env, context, readers);
}

app.http('skypeP2pArchiveStatus', {
  methods: ['GET'],
  authLevel: 'function',
  route: `reports/${skypeP2pMinuteCounts.routeSlug}/status`,
  handler: skypeP2pArchiveStatusHandler,
});
