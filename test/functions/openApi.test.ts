import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponseInit } from '@azure/functions';
import { enabledReportSlugs, openApiHandlerFor } from '../../functions/openApi';
import { contractJson, parseContract } from '../../build/openapi';
import { CONTRACT_REPORTS } from '../../shared/http/openApiContract';
import { expectConformance } from '../contract/conformance';
import { getRequest } from '../support/functions';
import { testContext } from '../support/logs';

const root = join(__dirname, '..', '..');
const URL = 'http://localhost:7071/api/openapi.json';

type Handler = ReturnType<typeof openApiHandlerFor>;

async function call(handler: Handler) {
  const { context, logs } = testContext('openApi');
  const response: HttpResponseInit = await handler(getRequest(URL), context);
  return {
    status: response.status ?? 200,
    headers: (response.headers ?? {}) as Record<string, string>,
    text: typeof response.body === 'string' ? response.body : '',
    logs,
  };
}

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'openapi-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('GET /api/openapi.json', () => {
  it('answers the contract converted from openapi.yaml by the build, cacheable by anyone', async () => {
    // jest's global setup built dist/ as `npm run build` does.
    const result = await call(openApiHandlerFor(join(root, 'dist', 'openapi.json')));
    expect(result.status).toBe(200);
    expect(result.headers).toEqual({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    });
    expect(result.text).toBe(contractJson(readFileSync(join(root, 'openapi.yaml'), 'utf8')));
    expectConformance({ ...result, body: result.text }, 'getOpenApiDocument', 200);
  });

  it('lists exactly the reports the app serves', async () => {
    const built = join(root, 'dist', 'openapi.json');
    const served = ['skype-p2p-user-counts', 'teams-user-activity-counts'];
    const result = await call(openApiHandlerFor(built, async () => served));
    expect(result.status).toBe(200);
    // Every report's paths, beside the home page listing them.
    const reports = Object.keys(JSON.parse(result.text).paths as object)
      .filter((path) => path !== '/reports/dashboard')
      .map((path) => /^\/reports\/([^/]+)/.exec(path)?.[1])
      .filter((slug) => slug !== undefined);
    expect([...new Set(reports)]).toEqual(served);
    expectConformance({ ...result, body: result.text }, 'getOpenApiDocument', 200);
  });

  it("is exactly openapi.yaml, today's contract, for the first report alone", async () => {
    const built = join(root, 'dist', 'openapi.json');
    const first = CONTRACT_REPORTS[0]!.routeSlug;
    const result = await call(openApiHandlerFor(built, async () => [first]));
    const written = parseContract(readFileSync(join(root, 'openapi.yaml'), 'utf8'));
    expect(result.text).toBe(`${JSON.stringify(written, null, 2)}\n`);
  });

  describe('with the REPORTS setting', () => {
    const saved = process.env.REPORTS;
    afterEach(() => {
      if (saved === undefined) delete process.env.REPORTS;
      else process.env.REPORTS = saved;
    });
    const built = join(root, 'dist', 'openapi.json');

    it('serves the contract of the reports it enables', async () => {
      process.env.REPORTS = 'teams-user-activity-counts';
      const result = await call(openApiHandlerFor(built, enabledReportSlugs));
      expect(Object.keys(JSON.parse(result.text).paths as object)).toEqual([
        '/reports/teams-user-activity-counts',
        '/reports/teams-user-activity-counts/history',
        '/reports/teams-user-activity-counts/status',
        '/reports/teams-user-activity-counts/chart',
        '/reports/teams-user-activity-counts/dashboard',
        '/reports/teams-user-activity-counts/icon.svg',
        '/reports/dashboard',
        '/openapi.json',
      ]);
    });

    it('serves the whole catalogue by default', async () => {
      delete process.env.REPORTS;
      const result = await call(openApiHandlerFor(built, enabledReportSlugs));
      expect(result.text).toBe(readFileSync(built, 'utf8'));
    });

    it('answers a 500 naming REPORTS for an unknown slug, and recovers once it is fixed', async () => {
      process.env.REPORTS = 'teams-usage';
      const handler = openApiHandlerFor(built, enabledReportSlugs);
      const failed = await call(handler);
      expect(failed.status).toBe(500);
      expect(JSON.parse(failed.text)).toMatchObject({ setting: 'REPORTS' });
      expectConformance({ ...failed, body: failed.text }, 'getOpenApiDocument', 500);
      process.env.REPORTS = 'skype-p2p-minute-counts';
      expect((await call(handler)).status).toBe(200);
    });
  });

  it('finds dist/openapi.json next to its compiled file, as deployed', async () => {
    // The registered handler as the host runs it: compiled, in dist/functions/.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiled = require(join(root, 'dist', 'functions', 'openApi.js')) as {
      OPENAPI_DOCUMENT: string;
      openApiHandler: Handler;
    };
    expect(compiled.OPENAPI_DOCUMENT).toBe(join(root, 'dist', 'openapi.json'));
    const result = await call(compiled.openApiHandler);
    expect(result.status).toBe(200);
    expect(JSON.parse(result.text)).toMatchObject({ openapi: '3.1.0', servers: [{ url: '/api' }] });
  });

  it('reads the document on the first request only', async () => {
    const path = join(folder, 'openapi.json');
    writeFileSync(path, '{"openapi":"3.1.0"}');
    const handler = openApiHandlerFor(path);
    expect((await call(handler)).text).toBe('{"openapi":"3.1.0"}');
    writeFileSync(path, '{"openapi":"3.1.1"}');
    expect((await call(handler)).text).toBe('{"openapi":"3.1.0"}');
  });

  it.each([
    ['missing', undefined],
    ['not JSON (cut off)', '{"openapi":"3.1.'],
  ])(
    'answers a 500 problem, saying nothing of the file, while the document is %s, and recovers once it is there',
    async (_, content) => {
      const path = join(folder, 'openapi.json');
      if (content !== undefined) writeFileSync(path, content);
      const handler = openApiHandlerFor(path);

      const failed = await call(handler);
      expect(failed.status).toBe(500);
      expect(failed.headers).toMatchObject({
        'Content-Type': 'application/problem+json',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      expect(JSON.parse(failed.text)).toEqual({
        type: 'urn:graph-usage-reports:problem:internal',
        title: 'Internal error',
        status: 500,
        detail: 'The service failed unexpectedly; see its logs.',
      });
      expect(failed.text).not.toContain(folder);
      expectConformance({ ...failed, body: failed.text }, 'getOpenApiDocument', 500);
      expect(failed.logs).toEqual([
        { level: 'error', message: expect.stringContaining('Could not read the OpenAPI document') },
      ]);

      writeFileSync(path, '{"openapi":"3.1.0"}');
      expect((await call(handler)).status).toBe(200);
    },
  );
});
