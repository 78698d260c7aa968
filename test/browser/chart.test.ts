/**
 * The dashboard and its chart in a real browser: the system's Chromium, over a loopback server
 * that serves the real page and renderer (tools/browser/dashboardFixture). The function key is
 * deliberately hostile, so every check also shows that it neither breaks nor injects anything.
 */
import { Page } from 'playwright-core';
import { launchChromium, LaunchedChromium } from '../../tools/browser/chromium';
import {
  DashboardFixture,
  FIXTURE_BASE_PATH,
  FIXTURE_REFRESH_DATE,
  startDashboardFixture,
} from '../../tools/browser/dashboardFixture';
import { waitForDashboard } from '../../tools/browser/dashboardScreenshot';
import { countInkPixels, countPixelsNear, decodePng } from '../../tools/browser/png';

const CODE = '"><script>alert(1)</script>&code=x';
const AUDIO_BLUE: [number, number, number] = [0x1d, 0x4e, 0xd8];
const VIDEO_ORANGE: [number, number, number] = [0xc2, 0x41, 0x0c];

interface PageLog {
  readonly requests: URL[];
  readonly problems: string[];
}

/** Records every request the page makes and everything that went wrong in it. */
function watch(page: Page): PageLog {
  const log: PageLog = { requests: [], problems: [] };
  page.on('request', (request) => log.requests.push(new URL(request.url())));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      log.problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => log.problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    log.problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  page.on('dialog', (dialog) => {
    log.problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return log;
}

const chartSrc = (page: Page) => page.locator('#chart').getAttribute('src');

async function chartPixels(page: Page) {
  return decodePng(await page.locator('#chart').screenshot());
}

describe('the dashboard in Chromium', () => {
  let fixture: DashboardFixture;
  let browser: LaunchedChromium;
  let page: Page;
  let log: PageLog;

  beforeAll(async () => {
    fixture = await startDashboardFixture();
    browser = await launchChromium({ viewport: { width: 1024, height: 900 } });
    page = await browser.context.newPage();
    log = watch(page);
    await page.goto(fixture.dashboardUrl(CODE));
    await waitForDashboard(page);
  });

  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it('shows the status it fetched', async () => {
    await expect(page.locator('#status-state').textContent()).resolves.toBe('✓ Healthy');
    await expect(page.locator('#status-newest').textContent()).resolves.toBe(FIXTURE_REFRESH_DATE);
    await expect(page.locator('#status-coverage').textContent()).resolves.toBe(
      '2025-03-02 to 2026-03-01 (365 days)',
    );
    await expect(page.locator('#status-missing').textContent()).resolves.toBe(
      '8: 2025-12-16, 2026-01-20 to 2026-01-25, 2026-02-17',
    );
  });

  it('draws the chart of the last 90 days: ink in its area, in both series colours', async () => {
    expect(await chartSrc(page)).toBe(
      `${FIXTURE_BASE_PATH}/chart?${new URLSearchParams({ from: '2025-12-02', to: '2026-03-01', code: CODE })}`,
    );
    const image = await chartPixels(page);
    expect(image.width).toBeGreaterThan(700);
    expect(countInkPixels(image) / (image.width * image.height)).toBeGreaterThan(0.03);
    expect(countPixelsNear(image, AUDIO_BLUE)).toBeGreaterThan(500);
    expect(countPixelsNear(image, VIDEO_ORANGE)).toBeGreaterThan(100);
  });

  it('shows an SVG whose legend names Audio and Video', async () => {
    const svg = await (await fetch(`${fixture.origin}${await chartSrc(page)}`)).text();
    expect(svg).toMatch(/<text class="legend"[^>]*>Audio<\/text>/);
    expect(svg).toMatch(/<text class="legend"[^>]*>Video<\/text>/);
    expect(svg).toContain(
      '<title id="chart-title">Peer-to-peer minutes per day, 2025-12-02 to 2026-03-01</title>',
    );
  });

  it('reloads the chart and the history links for the range picked', async () => {
    const before = await chartPixels(page);
    const chartRequests = () =>
      fixture.requests.filter((r) => r.url.pathname.endsWith('/chart')).length;
    const seen = chartRequests();

    await page.fill('#from', '2026-02-01');
    await page.fill('#to', '2026-02-28');
    await page.click('button[type=submit]');
    await waitForDashboard(page);

    const expected = new URLSearchParams({ from: '2026-02-01', to: '2026-02-28', code: CODE });
    expect(await chartSrc(page)).toBe(`${FIXTURE_BASE_PATH}/chart?${expected}`);
    expect(chartRequests()).toBe(seen + 1);
    expect(
      await page
        .locator('#chart')
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    expect((await chartPixels(page)).rgba).not.toEqual(before.rgba);
    await expect(page.locator('#history-range').textContent()).resolves.toBe(
      '2026-02-01 to 2026-02-28',
    );
    await expect(page.locator('#history-csv').getAttribute('href')).resolves.toBe(
      `${FIXTURE_BASE_PATH}/history?${new URLSearchParams({
        from: '2026-02-01',
        to: '2026-02-28',
        format: 'csv',
        code: CODE,
      })}`,
    );
  });

  it('picks the last n days up to the chosen end with a preset', async () => {
    await page.click('button.preset[data-days="30"]');
    await waitForDashboard(page);
    await expect(page.locator('#from').inputValue()).resolves.toBe('2026-01-30');
    expect(await chartSrc(page)).toContain('from=2026-01-30&to=2026-02-28&');
  });

  it('refuses a range that ends before it starts, and keeps the chart', async () => {
    const src = await chartSrc(page);
    await page.fill('#from', '2026-02-20');
    await page.fill('#to', '2026-02-10');
    await page.click('button[type=submit]');
    await expect(page.locator('#range-error').textContent()).resolves.toBe(
      'The first date must not be after the second.',
    );
    expect(await page.locator('#range-error').isVisible()).toBe(true);
    expect(await chartSrc(page)).toBe(src);
  });

  it('made requests only to its own server on 127.0.0.1, each with the key', () => {
    expect(log.requests.length).toBeGreaterThanOrEqual(5);
    for (const url of log.requests) {
      expect(url.origin).toBe(fixture.origin);
      expect(url.pathname.startsWith(FIXTURE_BASE_PATH)).toBe(true);
      expect(url.searchParams.getAll('code')).toEqual([CODE]);
    }
    expect(log.requests.map((url) => url.pathname.slice(FIXTURE_BASE_PATH.length))).toEqual(
      expect.arrayContaining(['/dashboard', '/status', '/chart']),
    );
    // The server saw the same: nothing reached it without the key, not even a favicon.
    for (const request of fixture.requests)
      expect(request.url.searchParams.getAll('code')).toEqual([CODE]);
  });

  it('logged no console error or warning, threw nothing and opened no dialog', () => {
    expect(log.problems).toEqual([]);
  });
});

describe('the dashboard without a range or status at rendering', () => {
  it('moves the chart to end at the newest refresh once the status arrives', async () => {
    const fixture = await startDashboardFixture({ today: '2026-03-20' });
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const log = watch(page);
      await page.goto(fixture.dashboardUrl());
      await waitForDashboard(page);
      await expect(page.locator('#to').inputValue()).resolves.toBe(FIXTURE_REFRESH_DATE);
      expect(await chartSrc(page)).toBe(`${FIXTURE_BASE_PATH}/chart?from=2025-12-02&to=2026-03-01`);
      expect(log.requests.every((url) => !url.searchParams.has('code'))).toBe(true);
      expect(log.problems).toEqual([]);
    } finally {
      await browser.close();
      await fixture.close();
    }
  });
});

describe('launchChromium', () => {
  it('removes its fresh profile folder on close', async () => {
    const { existsSync } = await import('node:fs');
    const browser = await launchChromium();
    expect(existsSync(browser.userDataDir)).toBe(true);
    await browser.close();
    expect(existsSync(browser.userDataDir)).toBe(false);
    await browser.close();
  });
});
