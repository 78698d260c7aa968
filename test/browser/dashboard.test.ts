/**
 * The dashboard in a real browser (the system's Chromium) against the real app: the local host
 * runs as its own process, as `npm start` runs it, over an archive the real snapshot job built
 * from the Graph simulator in Azurite. Nothing is stubbed between the page and the archive.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { BrowserContext, Page } from 'playwright-core';
import { historyIndexBlobName } from '../../shared/archive/historyIndex';
import { addDays, daysBetween } from '../../shared/reports/dates';
import { HOME_CHART_WIDTH } from '../../shared/http/homePage';
import { CATALOGUE } from '../../shared/reports/catalogue';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import { launchChromium, LaunchedChromium } from '../../tools/browser/chromium';
import {
  daysOf,
  demoArchivePlan,
  inProcessSimulator,
  seedDemoArchive,
} from '../../tools/demoArchive';
import {
  DASHBOARD_PATH,
  waitForDashboard,
  waitForImages,
} from '../../tools/browser/dashboardScreenshot';
import { freePort } from '../../tools/freePort';
import { countInkPixels, countPixelsNear, decodePng } from '../../tools/browser/png';
import { snapshotRunner } from '../support/archive';
import { azuriteSettings, containerOf } from '../support/azurite';
import { startGraph } from '../support/graphSimulator';
import { RunningTool, startTool } from '../support/processes';

const BASE = '/api/reports/skype-p2p-minute-counts';
const CODE = `test-key-${randomUUID()}`;
const AUDIO_BLUE: [number, number, number] = [0x1d, 0x4e, 0xd8];
const VIDEO_ORANGE: [number, number, number] = [0xc2, 0x41, 0x0c];
/** The darker stripe of the chart's "no data" hatching. */
const GAP_STRIPE: [number, number, number] = [0xc5, 0xca, 0xd3];

const today = new Date().toISOString().slice(0, 10);
/** As the demo's: the newest refresh two days back, as Graph lags. */
const plan = demoArchivePlan(addDays(today, -2));

interface BrowserLog {
  readonly requests: URL[];
  /** Each answer's path and status. */
  readonly answers: string[];
  readonly problems: string[];
}

/** Records every request the browser makes for the context, and everything that went wrong. */
function watch(context: BrowserContext): BrowserLog {
  const log: BrowserLog = { requests: [], answers: [], problems: [] };
  context.on('request', (request) => log.requests.push(new URL(request.url())));
  context.on('response', (response) =>
    log.answers.push(`${new URL(response.url()).pathname} ${response.status()}`),
  );
  context.on('requestfailed', (request) =>
    log.problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  return log;
}

function watchPage(page: Page, log: BrowserLog): Page {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      log.problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => log.problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    log.problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return page;
}

/** The app on `npm start`'s local host, as a process, with exactly these settings. */
async function startHost(settings: Record<string, string>) {
  const port = await freePort();
  const host = startTool('localHost/start.js', ['--port', String(port), '--no-settings-file'], {
    cwd: tmpdir(),
    env: settings,
  });
  await host.waitFor(/Local host listening/);
  return { host, origin: `http://127.0.0.1:${port}` };
}

const text = (page: Page, id: string) => page.locator(`#${id}`).textContent();
const chartSrc = (page: Page) => page.locator('#chart').getAttribute('src');
const chartImage = async (page: Page) => decodePng(await page.locator('#chart').screenshot());
const chartUrl = (range: { from: string; to: string }, code = CODE) =>
  `${BASE}/chart?${new URLSearchParams({ ...range, code })}`;

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** The dots of the chart's "not reported yet" fill. */
const FUTURE_DOT: [number, number, number] = [0x94, 0xa3, 0xb8];

type HistoryRow = Record<string, unknown> & { reportDate: string };

/** `1234567` as `1,234,567`: written out here, not taken from the code under test. */
function thousands(value: number): string {
  return value.toLocaleString('en-US');
}

interface ExpectedFigures {
  total: number;
  perWorkingDay: number;
  busiest: { date: string; value: number };
  change: string;
}

/** The headline figures of one series, worked out from the history's rows alone. */
function expectedFigures(
  rows: readonly HistoryRow[],
  key: string,
  range: { from: string; to: string },
  before: { from: string; to: string },
  value: (row: HistoryRow) => number = (row) => row[key] as number,
): ExpectedFigures {
  const within = (span: { from: string; to: string }) =>
    rows.filter((row) => row.reportDate >= span.from && row.reportDate <= span.to);
  const current = within(range);
  const total = current.reduce((sum, row) => sum + value(row), 0);
  const working = current.filter((row) => {
    const weekday = new Date(`${row.reportDate}T00:00:00Z`).getUTCDay();
    return weekday >= 1 && weekday <= 5;
  });
  const busiest = current.reduce((best, row) => (value(row) > value(best) ? row : best));
  const previous = within(before).reduce((sum, row) => sum + value(row), 0);
  const percent = Math.round(((total - previous) / previous) * 1000) / 10;
  return {
    total,
    perWorkingDay: Math.round(working.reduce((sum, row) => sum + value(row), 0) / working.length),
    busiest: { date: busiest.reportDate, value: value(busiest) },
    change:
      percent === 0
        ? '→ 0% (no change)'
        : `${percent > 0 ? '▲ +' : '▼ −'}${thousands(Math.abs(percent))}%`,
  };
}

/**
 * Runs in the page: every date or time in a text node (`2026-09-04`, `2026-12-04 18:23 UTC`),
 * and those whose characters do not all sit on one line.
 */
function valuesBrokenAcrossLines() {
  interface Rect {
    top: number;
    bottom: number;
  }
  interface TextNode {
    textContent: string | null;
  }
  const { document } = globalThis as unknown as {
    document: {
      body: unknown;
      documentElement: { scrollWidth: number };
      createTreeWalker(root: unknown, what: number): { nextNode(): TextNode | null };
      createRange(): {
        setStart(node: TextNode, offset: number): void;
        setEnd(node: TextNode, offset: number): void;
        getClientRects(): ArrayLike<Rect>;
      };
    };
  };
  const walker = document.createTreeWalker(document.body, 4 /* NodeFilter.SHOW_TEXT */);
  const broken: string[] = [];
  let values = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    for (const match of text.matchAll(/\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2} UTC)?/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = Array.from(range.getClientRects());
      if (!rects.length) continue; // hidden
      values++;
      const top = Math.min(...rects.map((rect) => rect.top));
      const bottom = Math.max(...rects.map((rect) => rect.bottom));
      const lineHeight = Math.min(...rects.map((rect) => rect.bottom - rect.top));
      if (bottom - top > lineHeight * 1.5) broken.push(match[0]);
    }
  }
  return { values, broken, scrollWidth: document.documentElement.scrollWidth };
}

/** The report Graph serves all zero in the shared archive: a silent source, said on its page. */
const SILENT = 'skype-p2p-activity-counts';

// One seeded host for every suite that reads a healthy archive: the whole catalogue (REPORTS
// unset, its default), each report archived by the real snapshot job over the demo's plan, one of
// them from a Graph that answers zeros. Seeding is the slow part; the suites share it.
let graph: Awaited<ReturnType<typeof startGraph>>;
let host: RunningTool;
let origin: string;

beforeAll(async () => {
  graph = await startGraph(plan.last);
  graph.graph.silent.add(SILENT);
  const settings = {
    ...graph.settings,
    ...azuriteSettings(),
    SNAPSHOT_PERIODS: 'D7',
    SNAPSHOT_SCHEDULE: '0 0 6 * * *',
  };
  // The first report alone first, then the others together: the simulator's numbers for it are
  // then those its own suite's pixel counts were made for.
  const [first, ...others] = CATALOGUE;
  await seedDemoArchive(inProcessSimulator(graph.graph), settings, plan, undefined, [first!]);
  await seedDemoArchive(inProcessSimulator(graph.graph), settings, plan, undefined, others);
  ({ host, origin } = await startHost(settings));
}, 180_000);

afterAll(async () => {
  await host?.stop();
  await graph?.graph.close();
});

describe('the dashboard in Chromium, served by the local host over a real archive', () => {
  let browser: LaunchedChromium;
  let page: Page;
  let log: BrowserLog;

  beforeAll(async () => {
    browser = await launchChromium({ viewport: { width: 1024, height: 900 } });
    log = watch(browser.context);
    page = watchPage(await browser.context.newPage(), log);
    await page.goto(`${origin}${DASHBOARD_PATH}?code=${encodeURIComponent(CODE)}`);
    await waitForDashboard(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** The history's own rows, as its JSON serves them. */
  async function historyRows(from: string, to: string): Promise<HistoryRow[]> {
    const response = await fetch(
      `${origin}${BASE}/history?${new URLSearchParams({ from, to, code: CODE })}`,
    );
    return ((await response.json()) as { value: HistoryRow[] }).value;
  }

  it('shows the status the status endpoint answered: healthy, coverage, missing days, last run', async () => {
    await expect(text(page, 'status-state')).resolves.toBe('✓ Healthy');
    await expect(text(page, 'status-newest')).resolves.toBe(plan.last);
    await expect(text(page, 'status-coverage')).resolves.toBe(
      `${plan.first} to ${plan.last} (${daysBetween(plan.first, plan.last) + 1} days)`,
    );
    const missing = daysOf(plan.outage).length + daysOf(plan.graphGap).length;
    await expect(text(page, 'status-missing')).resolves.toBe(String(missing));
    // The status lists the latest ten: the missed week and the outage's last days.
    const ofOutage = 10 - daysOf(plan.graphGap).length;
    await expect(text(page, 'status-missing-latest')).resolves.toBe(
      `the latest: ${addDays(plan.outage.to, 1 - ofOutage)} to ${plan.outage.to}, ` +
        `${plan.graphGap.from} to ${plan.graphGap.to}`,
    );
    await expect(text(page, 'status-run')).resolves.toMatch(
      new RegExp(`^succeeded, ${today} \\d{2}:\\d{2} UTC$`),
    );
    expect(await page.locator('#status-detail').isHidden()).toBe(true);
    // Graph reports activity: no silent-source notice.
    expect(await page.locator('#source-notice').isHidden()).toBe(true);
  });

  it('draws the last 90 days held: ink in the chart area, both series, and the gap hatched', async () => {
    const range = { from: addDays(plan.last, -89), to: plan.last };
    expect(await chartSrc(page)).toBe(chartUrl(range));
    const image = await chartImage(page);
    expect(image.width).toBeGreaterThan(700);
    expect(countInkPixels(image) / (image.width * image.height)).toBeGreaterThan(0.03);
    expect(countPixelsNear(image, AUDIO_BLUE)).toBeGreaterThan(500);
    expect(countPixelsNear(image, VIDEO_ORANGE)).toBeGreaterThan(100);
    // The legend's swatch alone has a few hundred; six days of hatching add thousands.
    expect(countPixelsNear(image, GAP_STRIPE, 12)).toBeGreaterThan(1500);
  });

  it('serves an image whose legend names Audio and Video, under its own CSP, with no error', async () => {
    const svgPage = watchPage(await browser.context.newPage(), log);
    try {
      const response = await svgPage.goto(`${origin}${await chartSrc(page)}`);
      expect(response?.headers()['content-type']).toBe('image/svg+xml; charset=utf-8');
      await expect(svgPage.locator('text.legend').allTextContents()).resolves.toEqual([
        'Audio',
        'Video',
        'No data',
      ]);
      await expect(svgPage.locator('g.gap').first().getAttribute('data-from')).resolves.toBe(
        plan.graphGap.from,
      );
    } finally {
      await svgPage.close();
    }
  });

  it('links the live report and the history, in JSON and CSV, each answering 200', async () => {
    const links = await page
      .locator('a[data-link]')
      .evaluateAll((anchors) => anchors.map((a) => (a as unknown as { href: string }).href));
    expect(links).toHaveLength(10);
    for (const link of links) {
      const url = new URL(link);
      expect(url.searchParams.getAll('code')).toEqual([CODE]);
      const response = await fetch(url);
      expect([link, response.status]).toEqual([link, 200]);
      expect(response.headers.get('content-type')).toBe(
        url.searchParams.get('format') === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/json; charset=utf-8',
      );
    }
  });

  it('reloads the chart and the history links for a preset range', async () => {
    const before = await chartImage(page);
    await page.click('button.preset[data-days="365"]');
    await waitForDashboard(page);
    const range = { from: addDays(plan.last, -364), to: plan.last };
    expect(await chartSrc(page)).toBe(chartUrl(range));
    const after = await chartImage(page);
    expect(Buffer.from(after.rgba).equals(Buffer.from(before.rgba))).toBe(false);
    // The outage before the last backfills is in this year, and hatched far wider.
    expect(countPixelsNear(after, GAP_STRIPE, 12)).toBeGreaterThan(
      2 * countPixelsNear(before, GAP_STRIPE, 12),
    );
    await expect(page.locator('#history-csv').getAttribute('href')).resolves.toBe(
      `${BASE}/history?${new URLSearchParams({ ...range, format: 'csv', code: CODE })}`,
    );
  });

  it('reloads the chart for dates picked by hand', async () => {
    const range = { from: addDays(plan.last, -20), to: addDays(plan.last, -10) };
    await page.fill('#from', range.from);
    await page.fill('#to', range.to);
    await page.click('button[type=submit]');
    await waitForDashboard(page);
    expect(await chartSrc(page)).toBe(chartUrl(range));
    await expect(text(page, 'history-range')).resolves.toBe(`${range.from} to ${range.to}`);
    expect(countPixelsNear(await chartImage(page), AUDIO_BLUE)).toBeGreaterThan(500);
  });

  it('refuses a range that ends before it starts, and keeps the chart', async () => {
    const src = await chartSrc(page);
    await page.fill('#from', plan.last);
    await page.fill('#to', addDays(plan.last, -10));
    await page.click('button[type=submit]');
    await expect(text(page, 'range-error')).resolves.toBe(
      'The first date must not be after the second.',
    );
    expect(await page.locator('#range-error').isVisible()).toBe(true);
    expect(await chartSrc(page)).toBe(src);
  });

  it('fits a phone: the chart drawn, nothing wider than the screen', async () => {
    const phone = watchPage(await browser.context.newPage(), log);
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(`${origin}${DASHBOARD_PATH}?code=${encodeURIComponent(CODE)}`);
      await waitForDashboard(phone);
      const widths = await phone.evaluate(() => {
        const { document, innerWidth } = globalThis as unknown as {
          document: { documentElement: { scrollWidth: number } };
          innerWidth: number;
        };
        return [document.documentElement.scrollWidth, innerWidth];
      });
      expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
      expect(countPixelsNear(await chartImage(phone), AUDIO_BLUE)).toBeGreaterThan(200);
    } finally {
      await phone.close();
    }
  });

  it("shows headline figures that are the history's own numbers for the range, as the chart describes them", async () => {
    const range = { from: addDays(plan.last, -89), to: plan.last };
    await page.fill('#from', range.from);
    await page.fill('#to', range.to);
    await page.click('button[type=submit]');
    await waitForDashboard(page);
    const before = { from: addDays(range.from, -90), to: addDays(range.from, -1) };
    const rows = await historyRows(before.from, range.to);
    for (const key of ['audio', 'video']) {
      const expected = expectedFigures(rows, key, range, before);
      const card = page.locator(`#figures section[data-series="${key}"]`);
      await expect(card.locator('[data-figure=total]').textContent()).resolves.toBe(
        `${thousands(expected.total)} minutes`,
      );
      await expect(card.locator('[data-figure=per-working-day]').textContent()).resolves.toBe(
        `${thousands(expected.perWorkingDay)} minutes`,
      );
      await expect(card.locator('[data-figure=busiest]').textContent()).resolves.toBe(
        `${expected.busiest.date} (${thousands(expected.busiest.value)})`,
      );
      await expect(card.locator('[data-figure=change]').textContent()).resolves.toBe(
        expected.change,
      );
      await expect(card.locator('dt').last().textContent()).resolves.toBe(
        `Change against ${before.from} to ${before.to}`,
      );
    }
    // The chart's accessible description says the same, and so does the image's alternative text.
    const svg = await (await fetch(`${origin}${await chartSrc(page)}`)).text();
    const desc = /<desc id="chart-desc">([^<]*)<\/desc>/.exec(svg)![1]!.replace(/&amp;/g, '&');
    const alt = (await page.locator('#chart').getAttribute('alt'))!;
    for (const label of ['Audio', 'Video']) {
      const sentence = new RegExp(
        `${label}: .*? against \\d{4}-\\d{2}-\\d{2} to \\d{4}-\\d{2}-\\d{2}\\.`,
      ).exec(desc)![0];
      expect(sentence).toContain(
        `busiest day ${expectedFigures(rows, label.toLowerCase(), range, before).busiest.date}`,
      );
      expect(alt).toContain(sentence);
    }
  });

  it('says "no earlier data" where the range before has none', async () => {
    const range = { from: plan.first, to: addDays(plan.first, 29) };
    await page.fill('#from', range.from);
    await page.fill('#to', range.to);
    await page.click('button[type=submit]');
    await waitForDashboard(page);
    await expect(page.locator('#figures [data-figure=change]').allTextContents()).resolves.toEqual([
      'no earlier data',
      'no earlier data',
    ]);
  });

  it('draws each series on its own scale, each filling its panel', async () => {
    const range = { from: addDays(plan.last, -89), to: plan.last };
    const rows = await historyRows(range.from, range.to);
    const svg = await (await fetch(`${origin}${chartUrl(range)}`)).text();
    const panels = Object.fromEntries(
      [...svg.matchAll(/<g class="panel" data-series="(\w+)" data-axis-max="(\d+)"/g)].map(
        (match) => [match[1]!, Number(match[2])],
      ),
    );
    expect(Object.keys(panels)).toEqual(['audio', 'video']);
    for (const key of ['audio', 'video']) {
      const max = Math.max(...rows.map((row) => Number(row[key] ?? 0)));
      // Its axis reaches its own peak, and the peak takes at least half the panel's height.
      expect(panels[key]).toBeGreaterThanOrEqual(max);
      expect(max / panels[key]!).toBeGreaterThan(0.5);
    }
    // Video, a twentieth of audio, would be a flat line on audio's axis.
    expect(panels.video!).toBeLessThan(panels.audio! / 5);
  });

  it('switches the chart between days and ISO weeks, and defaults long ranges to weeks', async () => {
    const range = { from: addDays(plan.last, -89), to: plan.last };
    await page.fill('#from', range.from);
    await page.fill('#to', range.to);
    await page.click('button[type=submit]');
    await waitForDashboard(page);
    expect(await page.isChecked('input[name=interval][value=day]')).toBe(true);
    const daily = await chartImage(page);
    await page.check('input[name=interval][value=week]');
    await waitForDashboard(page);
    expect(await chartSrc(page)).toBe(
      `${BASE}/chart?${new URLSearchParams({ ...range, interval: 'week', code: CODE })}`,
    );
    const svg = await (await fetch(`${origin}${await chartSrc(page)}`)).text();
    expect(svg).toContain('data-interval="week"');
    expect(svg).toContain('>Audio minutes per week</text>');
    expect(Buffer.from((await chartImage(page)).rgba).equals(Buffer.from(daily.rgba))).toBe(false);
    // The history links are the daily rows, whatever the chart shows.
    await expect(page.locator('#history-json').getAttribute('href')).resolves.toBe(
      `${BASE}/history?${new URLSearchParams({ ...range, format: 'json', code: CODE })}`,
    );
    await page.check('input[name=interval][value=day]');
    await waitForDashboard(page);
    expect(await chartSrc(page)).toBe(chartUrl(range));

    await page.click('button.preset[data-days="180"]');
    await waitForDashboard(page);
    expect(await page.isChecked('input[name=interval][value=week]')).toBe(true);
    const longSvg = await (await fetch(`${origin}${await chartSrc(page)}`)).text();
    expect(longSvg).toContain('data-interval="week"');
    // The missed week makes partial weeks, marked as such.
    expect(longSvg).toMatch(/<circle class="partial"/);
    expect(longSvg).toMatch(/<text class="legend"[^>]*>Partial week<\/text>/);
  });

  it('draws days not reported yet apart from days the archive lost', async () => {
    const range = { from: addDays(plan.graphGap.from, -10), to: addDays(plan.last, 5) };
    await page.fill('#from', range.from);
    await page.fill('#to', range.to);
    await page.click('button[type=submit]');
    await waitForDashboard(page);
    const svgPage = watchPage(await browser.context.newPage(), log);
    try {
      await svgPage.goto(`${origin}${await chartSrc(page)}`);
      const bands = (kind: string) =>
        svgPage.locator(`g.${kind}`).evaluateAll((groups) =>
          groups.map((group) => {
            const element = group as unknown as { getAttribute(name: string): string };
            return [element.getAttribute('data-from'), element.getAttribute('data-to')];
          }),
        );
      await expect(bands('gap')).resolves.toEqual([[plan.graphGap.from, plan.graphGap.to]]);
      await expect(bands('future')).resolves.toEqual([[addDays(plan.last, 1), range.to]]);
      await expect(svgPage.locator('text.legend').allTextContents()).resolves.toEqual([
        'Audio',
        'Video',
        'No data',
        'Not reported yet',
      ]);
    } finally {
      await svgPage.close();
    }
    const image = await chartImage(page);
    expect(countPixelsNear(image, GAP_STRIPE, 12)).toBeGreaterThan(1000);
    expect(countPixelsNear(image, FUTURE_DOT, 16)).toBeGreaterThan(50);
  });

  it.each([320, 390, 1280, 1920])(
    'breaks no date or time across lines at %i px, and fits the width',
    async (width) => {
      const other = watchPage(await browser.context.newPage(), log);
      try {
        await other.setViewportSize({ width, height: 900 });
        await other.goto(`${origin}${DASHBOARD_PATH}?code=${encodeURIComponent(CODE)}`);
        await waitForDashboard(other);
        const found = await other.evaluate(valuesBrokenAcrossLines);
        expect(found.values).toBeGreaterThan(15);
        expect(found.broken).toEqual([]);
        expect(found.scrollWidth).toBeLessThanOrEqual(width);
      } finally {
        await other.close();
      }
    },
  );

  it.each([390, 1280])('has no WCAG 2.1 AA violation axe-core finds at %i px', async (width) => {
    const other = watchPage(await browser.context.newPage(), log);
    try {
      await other.setViewportSize({ width, height: 900 });
      await other.goto(`${origin}${DASHBOARD_PATH}?code=${encodeURIComponent(CODE)}`);
      await waitForDashboard(other);
      const violations = await axeViolations(other);
      // axe ran its rules over the page (contrast, names, landmarks, ...), and none failed.
      expect(violations.rulesPassed).toBeGreaterThan(10);
      expect(violations.violations).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('made every request to the local host on 127.0.0.1, each with the key exactly once', () => {
    expect(log.requests.length).toBeGreaterThanOrEqual(8);
    for (const url of log.requests) {
      expect(url.origin).toBe(origin);
      expect(url.pathname.startsWith(BASE)).toBe(true);
      expect([url.pathname, url.searchParams.getAll('code')]).toEqual([url.pathname, [CODE]]);
    }
    // The icon too: the browser asks for the one the page links, not for /favicon.ico.
    expect(new Set(log.requests.map((url) => url.pathname.slice(BASE.length)))).toEqual(
      new Set(['/dashboard', '/status', '/chart', '/history', '/icon.svg']),
    );
    for (const answer of log.answers) expect(answer).toMatch(/ (200|304)$/);
  });

  it('logged no console error or warning, failed no request, threw nothing, opened no dialog', () => {
    expect(log.problems).toEqual([]);
    expect(host.output()).not.toMatch(/\bfail|error\b/i);
  });

  it('carries a hostile key unchanged into every request, and lets it inject nothing', async () => {
    const hostile = '"><script>alert(1)</script>&code=x';
    const hostileLog: BrowserLog = { requests: [], answers: [], problems: [] };
    const other = watchPage(await browser.context.newPage(), hostileLog);
    other.on('request', (request) => hostileLog.requests.push(new URL(request.url())));
    try {
      await other.goto(`${origin}${DASHBOARD_PATH}?code=${encodeURIComponent(hostile)}`);
      await waitForDashboard(other);
      await expect(text(other, 'status-state')).resolves.toBe('✓ Healthy');
      expect(hostileLog.requests.length).toBeGreaterThanOrEqual(3);
      for (const url of hostileLog.requests)
        expect(url.searchParams.getAll('code')).toEqual([hostile]);
      expect(await other.locator('script').count()).toBe(1);
      expect(hostileLog.problems).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

const HOME_PATH = '/api/reports/dashboard';
const TEAMS = '/api/reports/teams-user-activity-counts';

/** Runs axe-core's WCAG 2.1 A and AA rules in the page; what it found, and how much it checked. */
async function axeViolations(page: Page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const { axe } = globalThis as unknown as {
      axe: {
        run(options: object): Promise<{
          passes: unknown[];
          violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
        }>;
      };
    };
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return {
      rulesPassed: result.passes.length,
      violations: result.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      })),
    };
  });
}

describe('the home page and the other reports, on the same host', () => {
  let browser: LaunchedChromium;
  let log: BrowserLog;

  beforeAll(async () => {
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    log = watch(browser.context);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** A report's status document, as its endpoint answers it. */
  async function statusOf(slug: string): Promise<Record<string, unknown>> {
    const response = await fetch(
      `${origin}/api/reports/${slug}/status?${new URLSearchParams({ code: CODE })}`,
    );
    return (await response.json()) as Record<string, unknown>;
  }

  it('lists every enabled report with its verdict, newest refresh, small chart and links that answer 200', async () => {
    const page = watchPage(await browser.context.newPage(), log);
    try {
      const response = await page.goto(`${origin}${HOME_PATH}?code=${encodeURIComponent(CODE)}`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toMatch(/^default-src 'none'/);
      await waitForImages(page);
      const cards = page.locator('li.report');
      await expect(
        cards.evaluateAll((items) =>
          items.map((item) => (item as unknown as { dataset: { report: string } }).dataset.report),
        ),
      ).resolves.toEqual(CATALOGUE.map((definition) => definition.routeSlug));
      for (const definition of CATALOGUE) {
        const card = page.locator(`li.report[data-report="${definition.routeSlug}"]`);
        await expect(card.locator('h2').textContent()).resolves.toBe(definition.title);
        // The verdict is the report's own status, as its endpoint says it.
        expect((await statusOf(definition.routeSlug)).healthy).toBe(true);
        await expect(card.locator('[data-verdict]').textContent()).resolves.toBe('✓ Healthy');
        await expect(card.locator('[data-newest]').textContent()).resolves.toBe(plan.last);
        // The small chart is drawn: the image decoded, with ink in the report's first colour
        // (the silent report's zeros lie on the axis, which is drawn over them).
        const image = decodePng(await card.locator('img.spark').screenshot());
        expect(image.width).toBeGreaterThan(200);
        expect(image.width).toBeLessThanOrEqual(HOME_CHART_WIDTH);
        expect(countInkPixels(image) / (image.width * image.height)).toBeGreaterThan(0.02);
        if (definition.routeSlug !== SILENT) {
          expect([definition.routeSlug, countPixelsNear(image, AUDIO_BLUE) > 100]).toEqual([
            definition.routeSlug,
            true,
          ]);
        }
      }
      const urls = await page.locator('a[href], img[src], link[href]').evaluateAll((elements) =>
        elements.map((element) => {
          const node = element as unknown as { href?: string; src?: string };
          return node.src || node.href || '';
        }),
      );
      // Per report: its title, its chart and its three links; and the icon.
      expect(urls).toHaveLength(CATALOGUE.length * 5 + 1);
      for (const url of new Set(urls)) {
        const parsed = new URL(url);
        expect(parsed.origin).toBe(origin);
        expect(parsed.searchParams.getAll('code')).toEqual([CODE]);
        const answer = await fetch(parsed);
        expect([url, answer.status]).toEqual([url, 200]);
      }
      for (const answer of log.answers) expect(answer).toMatch(/ (200|304)$/);
    } finally {
      await page.close();
    }
  });

  it('says on the home page which report Graph has gone silent for', async () => {
    const silentSince = (await statusOf(SILENT)).source as { silentSince: string | null };
    expect(silentSince.silentSince).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const page = watchPage(await browser.context.newPage(), log);
    try {
      await page.goto(`${origin}${HOME_PATH}?code=${encodeURIComponent(CODE)}`);
      await expect(page.locator('li.report .notice').allTextContents()).resolves.toEqual([
        `Graph has reported no activity since ${silentSince.silentSince}.`,
      ]);
      await expect(
        page.locator(`li.report[data-report="${SILENT}"] .notice`).count(),
      ).resolves.toBe(1);
    } finally {
      await page.close();
    }
  });

  it('has no WCAG 2.1 AA violation axe-core finds at 1280 px', async () => {
    const page = watchPage(await browser.context.newPage(), log);
    try {
      await page.goto(`${origin}${HOME_PATH}?code=${encodeURIComponent(CODE)}`);
      await waitForImages(page);
      const found = await axeViolations(page);
      expect(found.rulesPassed).toBeGreaterThan(10);
      expect(found.violations).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('links each report dashboard back to the home page', async () => {
    const page = watchPage(await browser.context.newPage(), log);
    try {
      await page.goto(`${origin}${TEAMS}/dashboard?code=${encodeURIComponent(CODE)}`);
      await waitForDashboard(page);
      await expect(page.locator('h1').textContent()).resolves.toBe('Microsoft Teams activity');
      await page.click('#home-link');
      await page.waitForURL(`${origin}${HOME_PATH}?code=${encodeURIComponent(CODE)}`);
      expect(await page.locator('li.report').count()).toBe(CATALOGUE.length);
    } finally {
      await page.close();
    }
  });

  it("charts a Teams report's durations in minutes, its figures the history's InSeconds / 60", async () => {
    const page = watchPage(await browser.context.newPage(), log);
    try {
      await page.goto(`${origin}${TEAMS}/dashboard?code=${encodeURIComponent(CODE)}`);
      await waitForDashboard(page);
      const range = { from: addDays(plan.last, -89), to: plan.last };
      const chart = `${TEAMS}/chart?${new URLSearchParams({ ...range, code: CODE })}`;
      expect(await chartSrc(page)).toBe(chart);
      const before = { from: addDays(range.from, -90), to: addDays(range.from, -1) };
      const response = await fetch(
        `${origin}${TEAMS}/history?${new URLSearchParams({ from: before.from, to: range.to, code: CODE })}`,
      );
      const rows = ((await response.json()) as { value: HistoryRow[] }).value;
      const series = [
        ['audioDuration', 'Audio'],
        ['videoDuration', 'Video'],
        ['screenShareDuration', 'Screen sharing'],
      ] as const;
      const svg = await (await fetch(`${origin}${chart}`)).text();
      const axes = Object.fromEntries(
        [...svg.matchAll(/<g class="panel" data-series="(\w+)" data-axis-max="(\d+)"/g)].map(
          (match) => [match[1]!, Number(match[2])],
        ),
      );
      expect(Object.keys(axes)).toEqual(series.map(([key]) => key));
      for (const [key, label] of series) {
        const minutes = (row: HistoryRow) => (row[`${key}InSeconds`] as number) / 60;
        // Graph's text is kept beside the seconds; the chart and the figures use the seconds.
        expect(rows[0]![key]).toMatch(/^P/);
        const expected = expectedFigures(rows, key, range, before, minutes);
        const card = page.locator(`#figures section[data-series="${key}"]`);
        await expect(card.locator('h3').textContent()).resolves.toBe(`${label} minutes`);
        await expect(card.locator('[data-figure=total]').textContent()).resolves.toBe(
          `${thousands(Math.round(expected.total))} minutes`,
        );
        await expect(card.locator('[data-figure=per-working-day]').textContent()).resolves.toBe(
          `${thousands(expected.perWorkingDay)} minutes`,
        );
        await expect(card.locator('[data-figure=busiest]').textContent()).resolves.toBe(
          `${expected.busiest.date} (${thousands(Math.round(expected.busiest.value))})`,
        );
        await expect(card.locator('[data-figure=change]').textContent()).resolves.toBe(
          expected.change,
        );
        // Each panel's axis reaches its peak in minutes, and the peak fills over half of it:
        // drawn in seconds, the axis would be sixty times taller.
        const peak = Math.max(...rows.filter((row) => row.reportDate >= range.from).map(minutes));
        expect(axes[key]).toBeGreaterThanOrEqual(peak);
        expect(peak / axes[key]!).toBeGreaterThan(0.5);
        expect(svg).toContain(`>${label} minutes per day</text>`);
      }
      const legend = [...svg.matchAll(/<text class="legend"[^>]*>([^<]*)</g)].map((m) => m[1]);
      expect(legend.slice(0, 3)).toEqual(series.map(([, label]) => label));
      expect(countPixelsNear(await chartImage(page), AUDIO_BLUE)).toBeGreaterThan(500);
      expect(await page.locator('#source-notice').isHidden()).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('says a silent source on a Skype report, with its healthy verdict and a link to the Teams successor', async () => {
    const status = await statusOf(SILENT);
    const { silentSince } = status.source as { silentSince: string };
    const page = watchPage(await browser.context.newPage(), log);
    try {
      await page.goto(`${origin}/api/reports/${SILENT}/dashboard?code=${encodeURIComponent(CODE)}`);
      await waitForDashboard(page);
      await expect(text(page, 'status-state')).resolves.toBe('✓ Healthy');
      expect(await page.locator('#source-notice').isVisible()).toBe(true);
      await expect(text(page, 'source-notice')).resolves.toBe(
        `Graph has reported no activity since ${silentSince}. ` +
          'Skype for Business Online was retired in 2021: see teams-user-activity-counts.',
      );
      const link = await page.locator('#successor-link').getAttribute('href');
      expect(link).toBe(`${TEAMS}/dashboard?${new URLSearchParams({ code: CODE })}`);
      expect((await fetch(`${origin}${link}`)).status).toBe(200);
    } finally {
      await page.close();
    }
  });

  it('logged no console error or warning, failed no request, threw nothing', () => {
    expect(log.problems).toEqual([]);
    for (const answer of log.answers) expect(answer).toMatch(/ (200|304)$/);
  });
});

describe('the dashboard over an archive that is not healthy', () => {
  const UNAVAILABLE = 'Failed to load resource: the server responded with a status of 503';
  let graph: Awaited<ReturnType<typeof startGraph>>;
  let settings: Record<string, string>;
  let host: RunningTool;
  let origin: string;
  let browser: LaunchedChromium;
  let page: Page;
  let log: BrowserLog;

  beforeAll(async () => {
    graph = await startGraph(plan.last);
    settings = {
      ...graph.settings,
      ...azuriteSettings(),
      SNAPSHOT_PERIODS: 'D7',
      SNAPSHOT_SCHEDULE: '0 0 6 * * *',
    };
    ({ host, origin } = await startHost(settings));
    browser = await launchChromium();
    log = watch(browser.context);
    page = watchPage(await browser.context.newPage(), log);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await graph?.graph.close();
  });

  /**
   * Loads the page afresh, the browser's cache emptied (the chart may be kept five minutes). The
   * status answers 503, which Chromium reports on the console and the page shows as a status.
   */
  async function load(): Promise<string[]> {
    const devtools = await browser.context.newCDPSession(page);
    await devtools.send('Network.clearBrowserCache');
    await devtools.detach();
    log.problems.length = 0;
    await page.goto(`${origin}${DASHBOARD_PATH}?code=${CODE}`);
    await waitForDashboard(page);
    return log.problems.map((problem) => problem.replace(/ \(Service Unavailable\)$/, ''));
  }

  it('shows an empty archive as such, with a chart that says there is no data', async () => {
    expect(await load()).toEqual([`console error: ${UNAVAILABLE}`]);
    await expect(text(page, 'status-state')).resolves.toBe('⚠ Nothing archived yet');
    await expect(text(page, 'status-detail')).resolves.toBe(
      'The snapshot job has not archived anything yet.',
    );
    await expect(text(page, 'status-coverage')).resolves.toBe('nothing archived');
    await expect(text(page, 'status-run')).resolves.toBe('none yet');
    const svg = await (await fetch(`${origin}${await chartSrc(page)}`)).text();
    expect(svg).toContain('No data held for');
    expect(countInkPixels(await chartImage(page))).toBeGreaterThan(1000);
  });

  it('shows stale data as stale, with when it turned stale, and still draws it', async () => {
    const refresh = addDays(today, -30);
    graph.graph.refreshDate = refresh;
    await snapshotRunner(() => settings)();
    expect(await load()).toEqual([`console error: ${UNAVAILABLE}`]);
    await expect(text(page, 'status-state')).resolves.toBe('⚠ Stale');
    await expect(text(page, 'status-detail')).resolves.toBe(
      `No data newer than ${refresh} has arrived; it turned stale at ${addDays(refresh, 5)} 00:00 UTC.`,
    );
    expect(await chartSrc(page)).toBe(chartUrl({ from: addDays(refresh, -89), to: refresh }));
    expect(countPixelsNear(await chartImage(page), AUDIO_BLUE)).toBeGreaterThan(500);
  });

  it('shows a failed snapshot run with its error', async () => {
    graph.graph.inject({ fault: { kind: 'status', status: 500 }, times: 20 });
    await expect(snapshotRunner(() => settings)()).rejects.toThrow();
    expect(await load()).toEqual([`console error: ${UNAVAILABLE}`]);
    await expect(text(page, 'status-state')).resolves.toBe('✗ Last snapshot run failed');
    await expect(text(page, 'status-detail')).resolves.toMatch(
      /^The last snapshot run failed: Graph \(127\.0\.0\.1:\d+\) answered 500\.$/,
    );
    await expect(text(page, 'status-run')).resolves.toMatch(/^failed, /);
  });

  it('says the history index is being built, and that the chart could not be loaded', async () => {
    await containerOf(settings as ReturnType<typeof azuriteSettings>)
      .getBlobClient(historyIndexBlobName(skypeP2pMinuteCounts))
      .delete();
    const problems = await load();
    // The status, the chart and the history of both ranges (for the figures) all answer 503.
    expect(problems).toEqual(Array(4).fill(`console error: ${UNAVAILABLE}`));
    await expect(text(page, 'figures-note')).resolves.toMatch(
      /^The figures could not be loaded \(The archive holds snapshots but the history index is being built/,
    );
    await expect(text(page, 'status-detail')).resolves.toContain(
      'The history index is being built: the chart and the history answer once the next snapshot run has written it.',
    );
    expect(await page.locator('#chart-error').isVisible()).toBe(true);
    await expect(text(page, 'chart-error')).resolves.toBe('The chart could not be loaded.');
  });
});
