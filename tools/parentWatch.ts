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
