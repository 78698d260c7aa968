import { readFileSync } from 'node:fs';

/**
 * Calls `onOrphaned` once this process's parent is gone (it is then re-parented, so ppid
 * changes). A killed `npm run` does not pass the signal on through its shell; without this the
 * demo and its children would outlive it.
 */
export function whenOrphaned(onOrphaned: () => void, intervalMs = 1_000): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
}

/** The shells npm runs a script with (`script-shell`, default /bin/sh: dash on Debian). */
const SCRIPT_SHELLS = new Set(['sh', 'dash', 'bash', 'ash', 'zsh']);

/** The parent's name and how often the kernel has woken it, from /proc (Linux only). */
function parentState(pid: number): { name: string; wakeups: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1];
    const name = field('Name');
    const voluntary = Number(field('voluntary_ctxt_switches'));
    const involuntary = Number(field('nonvoluntary_ctxt_switches'));
    if (name === undefined || Number.isNaN(voluntary + involuntary)) return undefined;
    return { name, wakeups: voluntary + involuntary };
  } catch {
    return undefined;
  }
}

/**
 * Calls `onInterrupted` once when the shell npm ran this script with is interrupted.
 *
 * Why: SIGINT sent to the `npm` process alone (what some process managers and IDE stop buttons
 * do) is forwarded by npm to its child, the `sh -c` running the script, and not further. dash,
 * Debian's sh, then waits for its foreground child before acting on it, and the child (this
 * process) never hears of it: everything kept running. (bash, the sh of other systems, execs a
 * script's single command instead, so npm signals node directly and this finds no shell parent.)
 * The shell leaves one trace: it sleeps in wait() with nothing else to wake it, and the signal
 * does wake it, which the kernel counts in /proc/<pid>/status. So a wake-up of that idle shell
 * is taken as the interrupt. Its only other wake-up is this process being stopped and continued
 * (Ctrl-Z, then fg): a poll arriving much later than due means we were stopped, and the count is
 * taken afresh rather than read as a stop request.
 *
 * Only under npm (npm_lifecycle_event set) with a shell as parent, and only where /proc exists;
 * elsewhere it does nothing.
 */
export function whenScriptShellInterrupted(
  onInterrupted: () => void,
  env: NodeJS.ProcessEnv = process.env,
  intervalMs = 250,
): void {
  if (env.npm_lifecycle_event === undefined) return;
  const parent = process.ppid;
  const first = parentState(parent);
  if (!first || !SCRIPT_SHELLS.has(first.name)) return;
  let seen = first.wakeups;
  let due = Date.now() + intervalMs;
  const timer = setInterval(() => {
    const now = Date.now();
    // Ctrl-Z and fg take a human seconds; a busy machine delays a poll by far less.
    const late = now - due > 5_000;
    due = now + intervalMs;
    const state = process.ppid === parent ? parentState(parent) : undefined;
    if (!state) {
      // The shell is gone: whenOrphaned's business.
      clearInterval(timer);
      return;
    }
    if (state.wakeups !== seen && !late) {
      clearInterval(timer);
      onInterrupted();
      return;
    }
    seen = state.wakeups;
  }, intervalMs);
  timer.unref();
}
