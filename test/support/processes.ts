import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../tools/freePort';

export const projectRoot = join(__dirname, '..', '..');

/** Whether a process with this id still exists (signal 0 probes without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a project script (`path` below the project root) with this Node.js and returns its
 * stdout; throws with all it wrote when it fails, so a setup that could not run says why.
 */
export function runProjectScript(
  what: string,
  path: string[],
  args: string[],
  timeoutMs?: number,
): string {
  const result = spawnSync(process.execPath, [join(projectRoot, ...path), ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (result.status !== 0) throw new Error(`${what} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a compiled tool (dist/ is built by globalSetup) with exactly the given environment. */
export function runTool(
  script: string,
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined>; timeoutMs?: number },
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, 'dist', 'tools', script), ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, ...options.env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish in time.\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningTool {
  readonly child: ChildProcess;
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited(): Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Starts a long-running compiled tool, e.g. the local host, and watches its output. */
export function startTool(
  script: string,
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): RunningTool {
  const child = spawn(process.execPath, [join(projectRoot, 'dist', 'tools', script), ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, ...options.env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watch(child);
}

export function watch(child: ChildProcess): RunningTool {
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = pattern.exec(output);
          if (found) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(found[0]);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`Timed out waiting for ${pattern}. Output so far:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        void exit.then(() => {
          if (listeners.has(check)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`Exited before printing ${pattern}. Output:\n${output}`));
          }
        });
        check();
      });
    },
    exited: () => exit,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
}

/** Tries at a free port before the local host's start counts as failed. */
const LOCAL_HOST_START_ATTEMPTS = 3;

/**
 * Starts the local host (`npm start`) on a free port and waits until it listens. A port free a
 * moment ago can be taken by another process (a parallel suite's server) before the host binds
 * it; the host then exits saying so, and a fresh port is tried.
 */
export async function startLocalHost(
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): Promise<{ tool: RunningTool; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const tool = startTool('localHost/start.js', ['--port', String(port), ...args], options);
    try {
      await tool.waitFor(/Local host listening/);
      return { tool, port };
    } catch (error) {
      const taken = /already in use|EADDRINUSE/.test(tool.output());
      if (attempt >= LOCAL_HOST_START_ATTEMPTS || !taken) throw error;
    }
  }
}
