import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stopChild } from '../tools/azurite';
import { DEMO_IGNORED_PREFIXES } from '../tools/commands';
import { freePort } from '../tools/freePort';
import { bypassProxyForLoopback } from '../tools/localSettings';
import { projectRoot } from '../tools/projectRoot';
import type { SimulatorStats } from '../tools/graphSimulator/server';
import { ReportPeriod, reportPath, skypeP2pMinuteCounts } from '../shared/reports/definitions';

/**
 * The processes a benchmark runs, each as `npm start` or the demo would run it: compiled scripts
 * under dist/, settings in the environment, loopback only. Children outlive nothing: the host and
 * the simulator stop when orphaned, and every start is paired with a stop in the caller's
 * `finally`.
 */

/** The user's settings that could reach a real tenant or account, and the cache's own. */
const FOREIGN_SETTINGS = new RegExp(`^(${[...DEMO_IGNORED_PREFIXES, 'REPORT_'].join('|')})`, 'i');

export function sandboxedEnvironment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !FOREIGN_SETTINGS.test(key)),
  );
  bypassProxyForLoopback(env);
  return { ...env, ...settings };
}

export function distScript(...path: string[]): string {
  return join(projectRoot(), 'dist', ...path);
}

/** A schedule that never comes (30 February), so no snapshot run disturbs a count. */
export const NEVER = '0 0 0 30 2 *';

/** VmRSS and VmHWM (peak) of a process, in MiB, from /proc; undefined off Linux. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

export interface LoggedProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything the process has printed so far. */
  log(): string;
  /** Resolves with the first match of `pattern` after `from` characters of the log. */
  waitForLog(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<string>;
  stop(): Promise<void>;
}

export interface HostProcess extends LoggedProcess {
  readonly url: string;
}

/**
 * A compiled script whose output goes to a file, as a terminal would take it, rather than
 * through a pipe this process would have to drain while it is busy loading the script. Resolves
 * once the output matches `ready`.
 */
export async function startLogged(
  name: string,
  script: string,
  args: string[],
  settings: Record<string, string>,
  ready: RegExp,
): Promise<{ process: LoggedProcess; ready: string }> {
  const folder = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const logPath = join(folder, 'output.log');
  const fd = openSync(logPath, 'w');
  const child = spawn(process.execPath, [script, ...args], {
    cwd: folder,
    env: sandboxedEnvironment(settings),
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const log = () => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  const waitForLog: LoggedProcess['waitForLog'] = async (pattern, options = {}) => {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const text = log().slice(options.from ?? 0);
      const found = pattern.exec(text);
      if (found) return found[0];
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${name} exited: ${text.slice(-2_000)}`);
      if (Date.now() > deadline)
        throw new Error(`${name} never printed ${pattern}: ${text.slice(-2_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const started: LoggedProcess = {
    pid: child.pid!,
    child,
    log,
    waitForLog,
    stop: async () => {
      await stopChild(child);
      rmSync(folder, { recursive: true, force: true });
    },
  };
  try {
    return { process: started, ready: await waitForLog(ready) };
  } catch (error) {
    await started.stop();
    throw error;
  }
}

/** The local host as `npm start` runs it (`--no-settings-file`: every setting comes from here). */
export async function startHost(
  name: string,
  settings: Record<string, string>,
): Promise<HostProcess> {
  const port = await freePort();
  const { process: host } = await startLogged(
    `The ${name} host`,
    distScript('tools', 'localHost', 'start.js'),
    ['--port', String(port), '--no-settings-file'],
    settings,
    /Local host listening/,
  );
  return { ...host, url: `http://127.0.0.1:${port}` };
}

export interface SimulatorProcess {
  readonly baseUrl: string;
  readonly downloadOrigin: string;
  readonly refreshDate: string;
  readonly token: string;
  readonly child: ChildProcess;
  stats(): Promise<SimulatorStats>;
  /** PUT /_simulator/state: refresh date, latency, chaos. */
  change(state: Record<string, unknown>): Promise<void>;
  inject(faults: unknown[]): Promise<void>;
  /**
   * The report's bytes fetched as the host fetches them, by hand: the API with the token, not
   * following its redirect, then the download URL without it.
   */
  report(period: ReportPeriod): Promise<Buffer>;
  /** Drops the queued faults no request has met yet. */
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
}

/** The Graph simulator as its own process, as the demo runs it, driven over its control routes. */
export async function startSimulator(token: string): Promise<SimulatorProcess> {
  const started = await startReadyNode(distScript('tools', 'graphSimulator', 'cli.js'), [], {
    SIM_TOKEN: token,
  });
  const ready = started.ready as { baseUrl: string; downloadOrigin: string; refreshDate: string };
  const control = `${new URL(ready.baseUrl).origin}/_simulator`;
  const send = async (path: string, method: string, body: unknown) => {
    const response = await fetch(`${control}/${path}`, { method, body: JSON.stringify(body) });
    if (!response.ok)
      throw new Error(`The Graph simulator refused ${path}: ${await response.text()}`);
  };
  return {
    baseUrl: ready.baseUrl,
    downloadOrigin: ready.downloadOrigin,
    refreshDate: ready.refreshDate,
    token,
    child: started.child,
    stats: async () => (await (await fetch(`${control}/stats`)).json()) as SimulatorStats,
    change: (state) => send('state', 'PUT', state),
    inject: (faults) => send('faults', 'POST', faults),
    clearFaults: () => send('faults', 'DELETE', undefined),
    report: async (period) => {
      const api = await fetch(`${ready.baseUrl}${reportPath(skypeP2pMinuteCounts, period)}`, {
        headers: { Authorization: `Bearer ${token}` },
        redirect: 'manual',
      });
      await api.arrayBuffer();
      const location = api.headers.get('location');
      if (api.status !== 302 || !location)
        throw new Error(`The simulator answered ${api.status}, not 302.`);
      const download = await fetch(location);
      const bytes = Buffer.from(await download.arrayBuffer());
      if (download.status !== 200) throw new Error(`The download answered ${download.status}.`);
      return bytes;
    },
    stop: started.stop,
  };
}

/** Runs a compiled script to its end; resolves with its stdout, rejects on a non-zero exit. */
export function runNode(script: string, args: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: sandboxedEnvironment({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${script} exited ${code}: ${stderr}`)),
    );
  });
}

/** Starts a compiled script that prints one JSON line once ready, and returns that line. */
export async function startReadyNode(
  script: string,
  args: string[],
  settings: Record<string, string> = {},
): Promise<{ child: ChildProcess; ready: Record<string, unknown>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [script, ...args], {
    env: sandboxedEnvironment(settings),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`${script} said: ${line}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (code ${code}).`)));
  });
  return { child, ready, stop: () => stopChild(child) };
}

/** A scratch folder removed by the returned function. */
export function scratchFolder(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
