import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';
import { projectRoot } from './projectRoot';

/** Azurite's documented development account; public, the same on every machine. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`;
}

export interface AzuriteProcess {
  readonly port: number;
  readonly connectionString: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  readonly port?: number;
  /** A folder to persist blobs in across restarts; in memory when absent. */
  readonly location?: string;
  readonly timeoutMs?: number;
}

/**
 * Starts Azurite's Blob service on 127.0.0.1, in memory, without telemetry, accepting the newer
 * API version of @azure/storage-blob. Resolves once it listens.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteProcess> {
  if (options.port !== undefined) return startAzuriteOn(options.port, options);
  // A port free a moment ago can be taken by another process before Azurite binds it (tests
  // and benches start servers in parallel): Azurite then fails to listen, and a fresh port cures it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAzuriteOn(await freePort(), options);
    } catch (error) {
      if (attempt >= AZURITE_START_ATTEMPTS) throw error;
    }
  }
}

/** Tries at a free port before a start counts as failed. */
const AZURITE_START_ATTEMPTS = 3;

async function startAzuriteOn(port: number, options: AzuriteOptions): Promise<AzuriteProcess> {
  // The compiled wrapper makes Azurite exit with its parent; run from sources, Azurite itself.
  const wrapper = join(projectRoot(), 'dist', 'tools', 'azuriteBlob.js');
  const main = existsSync(wrapper) ? wrapper : require.resolve('azurite/dist/src/blob/main.js');
  // Azurite may write debug files into its working folder; keep them out of the repo.
  const workspace = mkdtempSync(join(tmpdir(), 'azurite-'));
  const child = spawn(
    process.execPath,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      ...(options.location
        ? ['--location', options.location]
        : ['--inMemoryPersistence', '--extentMemoryLimit', '256']),
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--silent',
    ],
    { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/successfully listen/.test(output)) settle();
    };
    const onExit = (code: number | null) => {
      rmSync(workspace, { recursive: true, force: true });
      settle(
        new Error(
          `Azurite exited (code ${code}) before listening on port ${port}. ${output.trim()}`,
        ),
      );
    };
    const onError = (error: Error) =>
      settle(new Error(`Azurite could not be started: ${error.message}`));
    const timer = setTimeout(() => {
      child.kill();
      settle(new Error(`Azurite did not start on port ${port} in time. ${output}`));
    }, options.timeoutMs ?? 20_000);
    // Once settled, stop collecting: Azurite runs for as long as the caller keeps it.
    function settle(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
  return {
    port,
    connectionString: azuriteConnectionString(port),
    child,
    stop: async () => {
      await stopChild(child);
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

export function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
