import { DASHBOARD_ICON_SVG } from '../../../shared/http/dashboard';
import {
  dashboardBasePath,
  serveDashboard,
  serveDashboardIcon,
} from '../../../shared/http/dashboardEndpoint';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { runOn } from '../../support/archive';
import { captureLogger } from '../../support/logs';
import { useArchiveEndpoint } from '../../support/archiveEndpoints';
import { attributeUrls, scriptConfig } from '../../support/dashboardPage';

const definition = skypeP2pMinuteCounts;
const BASE = '/api/reports/skype-p2p-minute-counts';
const suite = useArchiveEndpoint('2026-11-26');
const { sim, run } = suite;
const NOW = new Date('2026-11-28T12:00:00Z');

/** GET .../dashboard?{search}, as the function would serve it with these settings. */
async function get(search: string, settings: Record<string, string> = suite.storage) {
  const { logger, lines } = captureLogger();
  const response = await serveDashboard(
    definition,
    { query: new URLSearchParams(search) },
    { settings, log: logger, readers: suite.readers, now: NOW },
  );
  return { ...response, logs: lines };
}

/** Every URL in an href or src attribute, as the browser reads it. */
const pageUrls = (html: string): URL[] =>
  attributeUrls(html).map((url) => new URL(url, 'http://127.0.0.1:7071'));

const chartOf = (html: string) => pageUrls(html).find((url) => url.pathname === `${BASE}/chart`)!;

describe('GET /api/reports/skype-p2p-minute-counts/dashboard', () => {
  it('answers the page with headers that keep it uncached, unsniffed and under its nonce CSP', async () => {
    const response = await get('code=k');
    expect(response.status).toBe(200);
    expect(response.headers).toEqual({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': expect.stringMatching(/^default-src 'none'; img-src 'self'; /),
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    const nonce = /'nonce-([^']+)'/.exec(response.headers['Content-Security-Policy']!)![1];
    expect(response.body).toContain(`<script type="module" nonce="${nonce}">`);
    expect(response.body).toContain(`<style nonce="${nonce}">`);
    const again = await get('code=k');
    expect(again.headers['Content-Security-Policy']).not.toBe(
      response.headers['Content-Security-Policy'],
    );
  });

  it('opens on the last 90 days the archive holds, so the page asks for one chart', async () => {
    await runOn(sim.graph, run, ['2026-11-26']);
    const { body, logs } = await get('');
    const chart = chartOf(body!);
    expect([chart.searchParams.get('from'), chart.searchParams.get('to')]).toEqual([
      '2026-08-29',
      '2026-11-26',
    ]);
    expect(scriptConfig(body!).followNewest).toBe(false);
    expect(logs).toEqual([]);
  });

  it('opens on the 90 days up to today for an empty archive, and follows the status', async () => {
    const { body } = await get('');
    const chart = chartOf(body!);
    expect([chart.searchParams.get('from'), chart.searchParams.get('to')]).toEqual([
      '2026-08-31',
      '2026-11-28',
    ]);
    expect(scriptConfig(body!).followNewest).toBe(true);
  });

  it.each<[string, () => Promise<Record<string, string>>, string]>([
    ['no storage is configured', async () => ({}), 'SNAPSHOT_STORAGE'],
    [
      'storage cannot be reached',
      async () => ({ ...suite.storage, SNAPSHOT_STORAGE: suite.unreachable.connectionString() }),
      'SNAPSHOT_STORAGE',
    ],
  ])(
    'still answers the page when %s, logging a warning: the status explains',
    async (_, settings, setting) => {
      const response = await get('code=k', await settings());
      expect(response.status).toBe(200);
      expect(response.body).toContain("fetch(url(config.basePath + '/status')");
      expect(response.logs).toEqual([{ level: 'warn', message: expect.stringContaining(setting) }]);
    },
  );

  it.each([
    'test-key-0123456789',
    '"><script>alert(1)</script>',
    '</script><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    'a&b=c&code=other#frag',
    'k3y/with+plus==',
  ])('carries the key %j from ?code= into every link and request, escaped', async (code) => {
    const { body } = await get(new URLSearchParams({ code }).toString());
    const urls = pageUrls(body!);
    // The report's own URLs, and the home page's.
    expect(urls).toHaveLength(13);
    for (const url of urls) {
      expect(url.origin).toBe('http://127.0.0.1:7071');
      expect(url.pathname.startsWith(BASE) || url.pathname === '/api/reports/dashboard').toBe(true);
      expect(url.searchParams.getAll('code')).toEqual([code]);
    }
    expect(scriptConfig(body!).code).toBe(code);
    expect(body!.match(/<script\b/g)).toHaveLength(1);
    expect(body!.match(/<\/script>/g)).toHaveLength(1);
  });

  it('takes the first key of a repeated ?code=, and none when there is none', async () => {
    const repeated = await get('code=first&code=second');
    for (const url of pageUrls(repeated.body!))
      expect(url.searchParams.getAll('code')).toEqual(['first']);
    const { body } = await get('');
    expect(body).not.toContain('code=');
    expect(scriptConfig(body!).code).toBeNull();
  });

  it('links the report under the /api route prefix', () => {
    expect(dashboardBasePath(definition)).toBe(BASE);
  });
});

describe('GET /api/reports/skype-p2p-minute-counts/icon.svg', () => {
  it('answers the icon the page links, privately cacheable, loading nothing', () => {
    expect(serveDashboardIcon()).toEqual({
      status: 200,
      headers: {
        'Content-Type': 'image/svg+xml; charset=utf-8',
        'Cache-Control': 'private, max-age=86400',
        'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
        'X-Content-Type-Options': 'nosniff',
      },
      body: DASHBOARD_ICON_SVG,
    });
  });
});

describe("the dashboard names its report and its source's successor", () => {
  it('titles the page from the definition and links the home page with the key', async () => {
    const { body } = await get('code=k');
    expect(body).toContain('<h1>Skype for Business peer-to-peer minutes</h1>');
    expect(body).toContain('<a id="home-link" href="/api/reports/dashboard?code=k">');
  });

  it.each([
    ['every report (REPORTS unset)', {}, '/api/reports/teams-user-activity-counts/dashboard'],
    ['this report alone', { REPORTS: 'skype-p2p-minute-counts' }, null],
  ])('hands the page the Teams successor, served by %s', async (_, reports, dashboardPath) => {
    const { body } = await get('', { ...suite.storage, ...reports });
    expect(scriptConfig(body!).successor).toEqual({
      routeSlug: 'teams-user-activity-counts',
      note: 'Skype for Business Online was retired in 2021',
      dashboardPath,
    });
  });
});
