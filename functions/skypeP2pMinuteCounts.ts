import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';

/**
 * The host loads every function's entry module at startup: each loads only what registration
 * needs, and the code behind it on its first invocation (Node keeps it for the next ones).
 */
export async function skypeP2pMinuteCountsHandler(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const { serveReport } = await import('../shared/http/reportEndpoint');
  return serveReport(
    skypeP2pMinuteCounts,
    { query: request.query, ifNoneMatch: request.headers.get('if-none-match') },
    process.env,
    context,
  );
}

app.http('skypeP2pMinuteCounts', {
  methods: ['GET'],
  authLevel: 'function',
  route: `reports/${skypeP2pMinuteCounts.routeSlug}`,
  handler: skypeP2pMinuteCountsHandler,
});
