import {
  skypeP2pDashboardHandler,
  skypeP2pDashboardIconHandler,
} from '../support/skypeP2pHandlers';
import { useArchiveSuite } from '../support/archive';
import { getRequest } from '../support/functions';
import { testContext } from '../support/logs';

const { run } = useArchiveSuite('2026-11-26');
const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts';

describe('the skypeP2pDashboard function', () => {
  it("answers the page with the request's key in its links and the archive's last 90 days", async () => {
    await run();
    const { context, logs } = testContext('skypeP2pDashboard');
    const response = await skypeP2pDashboardHandler(
      getRequest(`${ROUTE}/dashboard?code=${encodeURIComponent('key&"<>')}`),
      context,
    );
    expect(response.status).toBe(200);
    const headers = response.headers as Record<string, string>;
    expect(headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(headers['Cache-Control']).toBe('no-store');
    expect(String(response.body)).toContain(
      '/api/reports/skype-p2p-minute-counts/chart?from=2026-08-29&amp;to=2026-11-26&amp;code=key%26%22%3C%3E"',
    );
    expect(logs).toEqual([]);
  });
});

describe('the skypeP2pDashboardIcon function', () => {
  it('answers the icon as SVG', async () => {
    const response = await skypeP2pDashboardIconHandler();
    expect(response.status).toBe(200);
    expect((response.headers as Record<string, string>)['Content-Type']).toBe(
      'image/svg+xml; charset=utf-8',
    );
    expect(String(response.body)).toMatch(/^<svg /);
  });
});
