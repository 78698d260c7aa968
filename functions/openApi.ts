import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { COMMON_HEADERS } from '../shared/http/headers';

/**
 * Where `npm run build` writes the contract: this file runs as dist/functions/openApi.js, and
 * the build converts openapi.yaml to dist/openapi.json beside that folder.
 */
export const OPENAPI_DOCUMENT = join(__dirname, '..', 'openapi.json');

const HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  // The document changes only with a deployment; anyone may cache it.
  'Cache-Control': 'public, max-age=3600',
  ...COMMON_HEADERS,
};

/**
 * The route slugs of the reports this app serves; undefined for every catalogued report (the
 * `REPORTS` default).
 */
export type EnabledSlugs = () => Promise<readonly string[] | undefined>;

/**
 * A handler answering the JSON at documentPath (the contract of every catalogued report) for the
 * reports enabledSlugs names, and only those. Read on the first request, not at load (the host
 * loads every function at startup), then kept: the file and the settings change only with a
 * deployment or a restart. A failed read is not kept, so the next request tries again.
 */
export function openApiHandlerFor(
  documentPath: string,
  enabledSlugs: EnabledSlugs = async () => undefined,
) {
  let document: Promise<string> | undefined;
  const load = async () => {
    const text = await readFile(documentPath, 'utf8');
    // A truncated or hand-edited file is a failure here, not a client's.
    const contract = JSON.parse(text) as Record<string, unknown>;
    const slugs = await enabledSlugs();
    if (slugs === undefined) return text;
    const { CONTRACT_REPORTS, servedContract } = await import('../shared/http/openApiContract');
    return `${JSON.stringify(servedContract(contract, CONTRACT_REPORTS, slugs), null, 2)}\n`;
  };
  return async (_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    try {
      document ??= load();
      return { status: 200, headers: HEADERS, body: await document };
    } catch (error) {
      document = undefined;
      // Only a failure needs these: loaded then, not at startup.
      const { errorMessage } = await import('../shared/common/errors');
      const { problemFor } = await import('../shared/http/problem');
      context.error(`Could not read the OpenAPI document: ${errorMessage(error)}`);
      const problem = problemFor(error);
      return {
        status: problem.status,
        // makeProblem's headers carry COMMON_HEADERS.
        headers: problem.headers,
        body: JSON.stringify(problem.body),
      };
    }
  };
}

/**
 * The reports the `REPORTS` setting enables, as app.ts registers them: read on the first request
 * (an unknown slug is then a 500 naming the setting, as it fails the app's startup).
 */
export async function enabledReportSlugs(): Promise<readonly string[]> {
  const { readEnabledReports } = await import('../shared/config/reports');
  return readEnabledReports(process.env).map((definition) => definition.routeSlug);
}

export const openApiHandler = openApiHandlerFor(OPENAPI_DOCUMENT, enabledReportSlugs);

app.http('openApi', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'openapi.json',
  handler: openApiHandler,
});
