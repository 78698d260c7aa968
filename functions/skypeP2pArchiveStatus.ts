import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';

/** Loads its code on first invocation (see skypeP2pMinuteCounts.ts). */
export async function skypeP2pArchiveStatusHandler(
  _request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const { serveArchiveStatus } = await import('../shared/http/statusEndpoint');
  const { historyReaders } = await import('../shared/app/services');
  return serveArchiveStatus(skypeP2pMinuteCounts, process.env, context, historyReaders());
}

app.http('skypeP2pArchiveStatus', {
  methods: ['GET'],
  authLevel: 'function',
  route: `reports/${skypeP2pMinuteCounts.routeSlug}/status`,
  handler: skypeP2pArchiveStatusHandler,
});
