/**
 * The per-instance throttle budget: at most `limit` report calls to Graph in any 10-minute
 * window (Graph allows 14 per app and tenant). A sliding window over the calls' times, with an
 * injectable clock so tests can walk it. The shared cache and its lock, not this budget, are what
 * keep N instances at one call; the budget is the last guard of one instance.
 */
export const BUDGET_WINDOW_MS = 10 * 60 * 1000;

export class CallBudget {
  private readonly calls: number[] = [];

  /** `limit` 0 turns the budget off. */
  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
    readonly windowMs = BUDGET_WINDOW_MS,
  ) {}

  /** Counts one call if the window has room; false when the budget is spent. */
  tryTake(): boolean {
    if (this.limit === 0) return true;
    this.forgetOld();
    if (this.calls.length >= this.limit) return false;
    this.calls.push(this.now());
    return true;
  }

  /** Calls counted in the current window. */
  used(): number {
    this.forgetOld();
    return this.calls.length;
  }

  /** Milliseconds until the oldest counted call leaves the window (0 when there is room). */
  msUntilRoom(): number {
    if (this.limit === 0) return 0;
    this.forgetOld();
    if (this.calls.length < this.limit) return 0;
    return Math.max(0, this.calls[0]! + this.windowMs - this.now());
  }

  private forgetOld(): void {
    const horizon = this.now() - this.windowMs;
    while (this.calls.length > 0 && this.calls[0]! <= horizon) this.calls.shift();
  }
}
