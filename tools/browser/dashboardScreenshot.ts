/**
 * Screenshots of the dashboard as the app serves it, for the docs: `npm run screenshot [out.png]`
 * starts Azurite (in memory), the Graph simulator and the local host, builds the demo's archive
 * with the real snapshot job (tools/demoArchive, as `npm run demo` does), opens the dashboard in the system's
 * Chromium and writes the desktop view (default docs/dashboard.png), a phone view beside it, and
 * the home page listing every report (home.png beside it).
 * Everything stays on 127.0.0.1 and stops when it is done.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Page } from 'playwright-core';
import { errorMessage } from '../../shared/common/errors';
import { dashboardBasePath } from '../../shared/http/dashboardEndpoint';
import { HOME_PATH } from '../../shared/http/dashboard';
import { CATALOGUE } from '../../shared/reports/catalogue';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import { AzuriteProcess, startAzurite } from '../azurite';
import { freePort } from '../freePort';
import { GraphSimulator } from '../graphSimulator/server';
import { bypassProxyForLoopback } from '../localSettings';
import { projectRoot } from '../projectRoot';
import { Supervisor } from '../supervisor';
import { launchChromium } from './chromium';
import { demoArchivePlan, inProcessSimulator, seedDemoArchive } from '../demoArchive';

export const DASHBOARD_PATH = `${dashboardBasePath(skypeP2pMinuteCounts)}/dashboard`;

/**
 * Waits until the status and the headline figures have loaded and the chart image has decoded, or
 * failed as the page says.
 */
export async function waitForDashboard(page: Page): Promise<void> {
  // A function, not a string: under the page's CSP a string would need eval. The project
  // compiles without the DOM's types, so the little it reads is typed here.
  await page.waitForFunction(() => {
    interface Element {
      getAttribute(name: string): string | null;
      hasAttribute(name: string): boolean;
      complete?: boolean;
      naturalWidth?: number;
    }
    const { document, getComputedStyle } = globalThis as unknown as {
      document: { getElementById(id: string): Element | null };
      getComputedStyle(element: Element): { opacity: string };
    };
    const badge = document.getElementById('status-state');
    const img = document.getElementById('chart');
    const figure = document.getElementById('chart-figure');
    const figures = document.getElementById('figures');
    const chartFailed = document.getElementById('chart-error')?.hasAttribute('hidden') === false;
    return (
      badge?.getAttribute('data-state') !== 'loading' &&
      !!img?.complete &&
      ((img.naturalWidth ?? 0) > 0 || chartFailed) &&
      !figure?.hasAttribute('aria-busy') &&
      !figures?.hasAttribute('aria-busy') &&
      // The chart fades back in (a .2 s transition) once loaded: its pixels are final at 1.
      (chartFailed || getComputedStyle(img).opacity === '1')
    );
  });
}

export interface RunningDashboard {
  /** `http://127.0.0.1:{port}`. */
  readonly origin: string;
  /** The newest refresh date the archive holds. */
  readonly last: string;
  dashboardUrl(code?: string): string;
  /** The home page, every report. */
  homeUrl(code?: string): string;
}

/**
 * Runs `use` against the app on a local host of its own, over an archive the snapshot job built
 * from the Graph simulator; stops everything afterwards, whatever `use` did.
 */
export async function withSeededDashboard<T>(
  use: (dashboard: RunningDashboard) => Promise<T>,
): Promise<T> {
  bypassProxyForLoopback();
  const supervisor = new Supervisor();
  let azurite: AzuriteProcess | undefined;
  const token = randomBytes(24).toString('base64url');
  const graph = await GraphSimulator.start({ token });
  try {
    azurite = await startAzurite();
    const settings: Record<string, string> = {
      GRAPH_BASE_URL: graph.baseUrl,
      GRAPH_ACCESS_TOKEN: token,
      SNAPSHOT_STORAGE: azurite.connectionString,
      SNAPSHOT_CONTAINER: 'graph-reports',
      SNAPSHOT_PERIODS: 'D7',
      SNAPSHOT_SCHEDULE: '0 0 6 * * *',
    };
    // As the demo: the archive ends at the simulator's own refresh date.
    const plan = demoArchivePlan(graph.refreshDate);
    // Every report, as the demo seeds them, so the home page shows each one's archive.
    await seedDemoArchive(inProcessSimulator(graph), settings, plan, undefined, CATALOGUE);

    const port = await freePort();
    // Only what the host needs: nothing from this shell can point it at a real tenant.
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...settings };
    bypassProxyForLoopback(env);
    await Promise.race([
      supervisor.startNode(
        'The local host',
        join(projectRoot(), 'dist/tools/localHost/start.js'),
        ['--port', String(port), '--no-settings-file'],
        env,
        /Local host listening/,
        () => undefined,
      ),
      supervisor.failure.then((reason) => Promise.reject(new Error(reason))),
    ]);
    const origin = `http://127.0.0.1:${port}`;
    return await use({
      origin,
      last: plan.last,
      dashboardUrl: (code) =>
        `${origin}${DASHBOARD_PATH}${code ? `?${new URLSearchParams({ code })}` : ''}`,
      homeUrl: (code) => `${origin}${HOME_PATH}${code ? `?${new URLSearchParams({ code })}` : ''}`,
    });
  } finally {
    await supervisor.stopAll();
    await azurite?.stop();
    await graph.close();
  }
}

/** Waits until every image of a page (the home page's small charts) has loaded or failed. */
export async function waitForImages(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const { document } = globalThis as unknown as {
      document: { images: ArrayLike<{ complete: boolean }> };
    };
    return Array.from(document.images).every((image) => image.complete);
  });
}

export async function captureDashboard(
  url: string,
  out: string,
  viewport: { width: number; height: number },
  deviceScaleFactor = 1,
  ready: (page: Page) => Promise<void> = waitForDashboard,
): Promise<void> {
  const browser = await launchChromium({ viewport, deviceScaleFactor });
  try {
    const page = await browser.context.newPage();
    await page.goto(url);
    await ready(page);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, await page.screenshot({ fullPage: true }));
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(projectRoot(), 'docs', 'dashboard.png');
  const phone = out.replace(/\.png$/, '-phone.png');
  await withSeededDashboard(async (dashboard) => {
    const url = dashboard.dashboardUrl('sample-function-key');
    await captureDashboard(url, out, { width: 1280, height: 900 });
    await captureDashboard(url, phone, { width: 390, height: 844 }, 2);
    const home = join(dirname(out), 'home.png');
    await captureDashboard(
      dashboard.homeUrl('sample-function-key'),
      home,
      { width: 1280, height: 900 },
      1,
      waitForImages,
    );
  });
  console.log(`wrote ${out}, ${phone} and ${join(dirname(out), 'home.png')}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`The screenshot failed: ${errorMessage(error)}`);
    process.exitCode = 1;
  });
}
