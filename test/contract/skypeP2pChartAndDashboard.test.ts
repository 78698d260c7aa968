import { HttpResponseInit } from '@azure/functions';
import {
  skypeP2pDashboardHandler,
  skypeP2pDashboardIconHandler,
  skypeP2pMinuteCountsChartHandler,
} from '../support/skypeP2pHandlers';
import { reportsDashboardHandler } from '../../functions/reports/reportFunctions';
import { historyIndexBlobName } from '../../shared/archive/historyIndex';
import { CATALOGUE } from '../../shared/reports/catalogue';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import { snapshotRunner } from '../support/archive';
import { azuriteSettings, containerOf } from '../support/azurite';
import { getRequest } from '../support/functions';
import { useGraph } from '../support/graphSimulator';
import { testContext } from '../support/logs';
import { useSettings } from '../support/settings';
import { expectConformance } from './conformance';

/**
 * The chart's, the dashboard's and its icon's answers, from the real handlers over an archive
 * the real job built, checked against openapi.yaml.
 */
const sim = useGraph('2026-11-26');
const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts';
const CHART = 'getSkypeP2pMinuteCountsChart';

let storage: ReturnType<typeof azuriteSettings>;
beforeEach(() => {
  storage = azuriteSettings();
});
useSettings(() => storage);
const run = snapshotRunner(() => ({ ...sim.settings, ...storage }));

function answer(response: HttpResponseInit) {
  return {
    status: response.status ?? 200,
    headers: (response.headers ?? {}) as Record<string, string>,
    body: typeof response.body === 'string' ? response.body : undefined,
  };
}

async function chart(query = '', headers: Record<string, string> = {}) {
  const { context } = testContext('skypeP2pMinuteCountsChart');
  return answer(
    await skypeP2pMinuteCountsChartHandler(getRequest(`${ROUTE}/chart${query}`, headers), context),
  );
}

describe('GET /api/reports/skype-p2p-minute-counts/chart keeps the contract', () => {
  it.each<[string, number, string, () => Promise<unknown>]>([
    ['the last 90 days held', 200, '', run],
    ['a range', 200, '?from=2026-11-01&to=2026-11-26', run],
    ['an empty archive', 200, '', async () => undefined],
    ['a range the wrong way round', 400, '?from=2026-11-26&to=2026-11-01', run],
    ['a repeated bound', 400, '?to=2026-11-26&to=2026-11-25', run],
    ['weekly totals', 200, '?from=2026-06-01&to=2026-11-26&interval=week', run],
    ['an unknown interval', 400, '?interval=month', run],
    [
      'a missing index',
      503,
      '',
      async () => {
        await run();
        await containerOf(storage)
          .getBlobClient(historyIndexBlobName(skypeP2pMinuteCounts))
          .delete();
      },
    ],
  ])('for %s: %i', async (_, status, query, given) => {
    await given();
    expectConformance(await chart(query), CHART, status);
  });

  it('for no storage setting: 500', async () => {
    delete process.env.SNAPSHOT_STORAGE;
    expectConformance(await chart(), CHART, 500);
  });

  it('for a revalidation with the ETag it sent: 304', async () => {
    await run();
    const first = await chart();
    const again = await chart('', { 'If-None-Match': first.headers.ETag! });
    expectConformance(again, CHART, 304);
  });
});

describe('GET /api/reports/skype-p2p-minute-counts/dashboard and its icon keep the contract', () => {
  it('for the page: 200', async () => {
    await run();
    const { context } = testContext('skypeP2pDashboard');
    const page = await skypeP2pDashboardHandler(getRequest(`${ROUTE}/dashboard?code=k`), context);
    expectConformance(answer(page), 'getSkypeP2pMinuteCountsDashboard', 200);
  });

  it('for the icon: 200', async () => {
    expectConformance(
      answer(await skypeP2pDashboardIconHandler()),
      'getSkypeP2pMinuteCountsDashboardIcon',
      200,
    );
  });
});

describe('GET /api/reports/dashboard, the home page, keeps the contract', () => {
  const home = async () => {
    const { context } = testContext('reportsDashboard');
    const handler = reportsDashboardHandler(CATALOGUE);
    return answer(
      await handler(getRequest('http://localhost:7071/api/reports/dashboard?code=k'), context),
    );
  };

  it('for the page: 200, the reports archived or not', async () => {
    await run();
    const page = await home();
    expectConformance(page, 'getReportsDashboard', 200);
    expect(page.body!.match(/<li class="card report"/g)).toHaveLength(CATALOGUE.length);
  });

  it('for no storage setting: 500', async () => {
    delete process.env.SNAPSHOT_STORAGE;
    expectConformance(await home(), 'getReportsDashboard', 500);
  });
});
