/**
 * Saves screenshots of the dashboard over the sample fixture, for the docs and for looking at
 * the design: `npm run build && node dist/tools/browser/dashboardScreenshot.js [out.png]`
 * writes the desktop view (default docs/dashboard.png) and a phone view beside it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { startDashboardFixture } from './dashboardFixture';
import { projectRoot } from '../projectRoot';

/** Waits until the status has loaded and the chart image has decoded. */
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
    const { document } = globalThis as unknown as {
      document: { getElementById(id: string): Element | null };
    };
    const badge = document.getElementById('status-state');
    const img = document.getElementById('chart');
    return (
      badge?.getAttribute('data-state') !== 'loading' &&
      !!img?.complete &&
      (img.naturalWidth ?? 0) > 0 &&
      !document.getElementById('chart-figure')?.hasAttribute('aria-busy')
    );
  });
}

export async function captureDashboard(
  out: string,
  viewport: { width: number; height: number },
  deviceScaleFactor = 1,
): Promise<void> {
  const fixture = await startDashboardFixture();
  const browser = await launchChromium({ viewport, deviceScaleFactor });
  try {
    const page = await browser.context.newPage();
    await page.goto(fixture.dashboardUrl('sample-function-key'));
    await waitForDashboard(page);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, await page.screenshot({ fullPage: true }));
  } finally {
    await browser.close();
    await fixture.close();
  }
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(projectRoot(), 'docs', 'dashboard.png');
  await captureDashboard(out, { width: 1024, height: 900 });
  await captureDashboard(out.replace(/\.png$/, '-phone.png'), { width: 390, height: 844 }, 2);
  console.log(`wrote ${out}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
