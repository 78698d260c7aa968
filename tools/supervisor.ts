import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopChild } from './azurite';

/**
 * The demo's child processes: started in order, watched, and stopped in reverse order. A child
 * that exits while nobody asked it to is a failure the demo reports, after a short grace period,
 * since a terminal's Ctrl-C reaches the children and the demo at the same moment.
 */
export class Supervisor {
  private readonly children: { name: string; child: ChildProcess }[] = [];
  private stopping = false;
  private failWith: ((reason: string) => void) | undefined;
  /** Settles with a reason when a child dies unexpectedly. */
  readonly failure = new Promise<string>((resolve) => (this.failWith = resolve));

  adopt(name: string, child: ChildProcess): void {
    this.children.push({ name, child });
    child.once('exit', (code, signal) => {
      setTimeout(() => {
        if (!this.stopping)
          this.failWith?.(`${name} exited unexpectedly (${signal ?? `code ${code}`}).`);
      }, 300).unref();
    });
  }

  /**
   * Runs a compiled script of ours with node, echoing its output with `echo`, and resolves with
   * the first output line matching `ready`.
   */
  startNode(
    name: string,
    script: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    ready: RegExp,
    echo: (line: string) => void,
    timeoutMs = 30_000,
  ): Promise<string> {
    const child = spawn(process.execPath, [script, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.adopt(name, child);
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
      const onLine = (line: string) => {
        if (ready.test(line)) {
          clearTimeout(timer);
          resolve(line);
        }
        echo(line);
      };
      createInterface({ input: child.stdout! }).on('line', onLine);
      createInterface({ input: child.stderr! }).on('line', (line) => {
        // Only the tail matters, for the message if the child dies before it is ready.
        output = `${output}${line}\n`.slice(-4_000);
        echo(line);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (code ${code}) before it was ready. ${output.trim()}`));
      });
    });
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const { child } of [...this.children].reverse()) await stopChild(child);
  }
}
