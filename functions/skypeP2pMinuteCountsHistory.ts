import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';

/** Loads its code on first invocation (see skypeP2pMinuteCounts.ts). */
export async function skypeP2pMinuteCountsHistoryHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const { serveHistory } = await import('../shared/http/historyEndpoint');
  const { historyReaders } = await import('../shared/app/services');
  return serveHistory(
    skypeP2pMinuteCounts,
    { query: request.query, ifNoneMatch: request.headers.get('if-none-match') },
    process.env,
    context,
    historyReaders(),
  );
}

app.http('skypeP2pMinuteCountsHistory', {
  methods: ['GET'],
  authLevel: 'function',
  route: `reports/${skypeP2pMinuteCounts.routeSlug}/history`,
  handler: skypeP2pMinuteCountsHistoryHandler,
});
