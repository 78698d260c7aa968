import { dashboardSuccessor } from '../../../shared/http/dashboardEndpoint';
import { renderHomePage, HomeReport } from '../../../shared/http/homePage';
import type { ArchiveStatusDocument } from '../../../shared/http/statusEndpoint';
import { CATALOGUE, catalogueReport } from '../../../shared/reports/catalogue';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { attributeUrls } from '../../support/dashboardPage';

const NONCE = 'bm9uY2Utbm9uY2Utbm9uY2U=';

const HEALTHY: ArchiveStatusDocument = {
  healthy: true,
  coverage: { first: '2025-09-03', last: '2026-03-01' },
  newestRefreshDate: '2026-03-01',
  missingDates: { count: 0, latest: [] },
  lastRun: null,
  stale: false,
  staleAt: '2026-03-06T00:00:00.000Z',
  historyIndex: 'ready',
  source: { silentSince: null },
};

const teams = catalogueReport('teams-user-activity-counts')!;
const skypeUsers = catalogueReport('skype-p2p-user-counts')!;

function render(reports: HomeReport[], code?: string) {
  return renderHomePage({ reports, code, nonce: NONCE });
}

/** The card of one report, as HTML. */
function cardOf(html: string, slug: string): string {
  return new RegExp(`<li class="card report" data-report="${slug}"[\\s\\S]*?</li>`).exec(html)![0];
}

describe('renderHomePage', () => {
  it('lists each report given, in order, with its name, verdict, newest refresh and links', () => {
    const reports = CATALOGUE.map((definition) => ({ definition, status: HEALTHY }));
    const { html } = render(reports, 'key');
    expect([...html.matchAll(/data-report="([a-z0-9-]+)"/g)].map((m) => m[1])).toEqual(
      CATALOGUE.map((definition) => definition.routeSlug),
    );
    const card = cardOf(html, 'teams-user-activity-counts');
    expect(card).toContain('>Microsoft Teams activity</a></h2>');
    expect(card).toContain('data-state="healthy" data-verdict>✓ Healthy</p>');
    expect(card).toContain('<dd data-newest><span class="nobr">2026-03-01</span></dd>');
    const base = '/api/reports/teams-user-activity-counts';
    expect(attributeUrls(card)).toEqual([
      `${base}/dashboard?code=key`,
      `${base}/chart?code=key`,
      `${base}/dashboard?code=key`,
      `${base}?format=json&code=key`,
      `${base}?format=csv&code=key`,
    ]);
  });

  it.each([
    [{ healthy: false, reason: 'stale' }, 'stale', '⚠ Stale'],
    [
      { healthy: false, reason: 'empty', newestRefreshDate: null },
      'stale',
      '⚠ Nothing archived yet',
    ],
    [{ healthy: false, reason: 'last-run-failed' }, 'error', '✗ Last snapshot run failed'],
    [{ healthy: false, reason: 'storage-unavailable' }, 'error', '✗ Storage unavailable'],
  ] as const)('says the verdict of %j', (change, state, text) => {
    const { html } = render([{ definition: teams, status: { ...HEALTHY, ...change } }]);
    expect(html).toContain(`data-state="${state}" data-verdict>${text}</p>`);
  });

  it('says "none yet" with no refresh held, and a silent source with its date', () => {
    const status = { ...HEALTHY, newestRefreshDate: null, source: { silentSince: '2025-12-01' } };
    const { html } = render([{ definition: skypeUsers, status }]);
    expect(html).toContain('<dd data-newest>none yet</dd>');
    expect(html).toContain(
      '<p class="notice" data-silent-since="2025-12-01">Graph has reported no activity since <span class="nobr">2025-12-01</span>.</p>',
    );
    expect(render([{ definition: skypeUsers, status: HEALTHY }]).html).not.toContain('notice"');
  });

  it('sizes the small chart to the report’s series and links the first report’s icon', () => {
    const { html } = render([
      { definition: skypeP2pMinuteCounts, status: HEALTHY },
      { definition: teams, status: HEALTHY },
    ]);
    const heights = [...html.matchAll(/<img class="spark"[^>]* width="400" height="(\d+)"/g)].map(
      (m) => Number(m[1]),
    );
    // Two panels, then three: each panel is as tall at any size.
    expect(heights).toHaveLength(2);
    expect(heights[1]!).toBeGreaterThan(heights[0]!);
    expect(html).toContain(
      '<link rel="icon" type="image/svg+xml" href="/api/reports/skype-p2p-minute-counts/icon.svg">',
    );
  });

  it.each(['"><script>alert(1)</script>', "' onmouseover='x", 'a&b=c&code=other#frag'])(
    'carries the key %j unchanged into every URL, escaped, and runs no script',
    (code) => {
      const { html, headers } = render([{ definition: teams, status: HEALTHY }], code);
      const urls = attributeUrls(html);
      expect(urls).toHaveLength(6);
      for (const url of urls) {
        const parsed = new URL(url, 'http://127.0.0.1:7071');
        expect(parsed.origin).toBe('http://127.0.0.1:7071');
        expect(parsed.searchParams.getAll('code')).toEqual([code]);
      }
      expect(html).not.toMatch(/<script\b/);
      expect(html.match(/<style\b[^>]*>/g)).toEqual([`<style nonce="${NONCE}">`]);
      expect(headers).toMatchObject({
        'Content-Security-Policy': expect.stringContaining(`style-src 'nonce-${NONCE}'`),
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
    },
  );

  it('says so when it serves no report', () => {
    expect(render([]).html).toContain('This app serves no report');
  });
});

describe('dashboardSuccessor: where a retired source went, from the definitions', () => {
  it.each([
    ['skype-p2p-minute-counts', 'teams-user-activity-counts'],
    ['skype-p2p-activity-counts', 'teams-user-activity-counts'],
    ['skype-p2p-user-counts', 'teams-user-activity-user-counts'],
  ])('%s points to %s, linked when served, named only when not', (slug, successor) => {
    const definition = catalogueReport(slug)!;
    expect(dashboardSuccessor(definition, CATALOGUE)).toEqual({
      routeSlug: successor,
      note: 'Skype for Business Online was retired in 2021',
      dashboardPath: `/api/reports/${successor}/dashboard`,
    });
    expect(dashboardSuccessor(definition, [definition])).toMatchObject({ dashboardPath: null });
  });

  it.each(['teams-user-activity-counts', 'teams-user-activity-user-counts'])(
    '%s has none',
    (slug) => {
      expect(dashboardSuccessor(catalogueReport(slug)!, CATALOGUE)).toBeNull();
    },
  );
});
