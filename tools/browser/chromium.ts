/**
 * Launches the system's Chromium (Debian's `chromium` package) through playwright-core, so
 * browser tests need no browser download. Each launch gets a fresh profile in a temporary
 * folder, removed again on close, so runs never share cookies, caches or service workers.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Belt and braces for "loopback only": every host but 127.0.0.1 fails to resolve, so nothing
  // the page or the browser itself asks for can reach another machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  // A proxy named in the environment must not see (or forward) the traffic.
  '--no-proxy-server',
] as const;

export interface LaunchOptions {
  readonly executablePath?: string;
  readonly viewport?: { width: number; height: number };
  readonly deviceScaleFactor?: number;
}

export interface LaunchedChromium {
  readonly context: BrowserContext;
  readonly userDataDir: string;
  /** Closes the browser and removes its profile folder; safe to call twice. */
  close(): Promise<void>;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  const executablePath = options.executablePath ?? CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}; install it with "apt-get install -y chromium".`,
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 1024, height: 900 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    context,
    userDataDir,
    close() {
      closed ??= (async () => {
        try {
          await context.close();
        } finally {
          await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
        }
      })();
      return closed;
    },
  };
}
