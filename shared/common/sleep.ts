/** Waits `ms`, or less: the wait ends early, quietly, once `cancelled` is aborted. */
export function sleep(ms: number, cancelled: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    cancelled.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      cancelled.removeEventListener('abort', done);
      resolve();
    }
  });
}
