/**
 * The per-instance throttle budget: at most `limit` report calls to Graph in any 10-minute
 * window (Graph allows 14 per app and tenant and report API), optionally under an app-wide one. A sliding window over the calls' times, with an
 * injectable clock so tests can walk it. The shared cache and its lock, not this budget, are what
 * keep N instances at one call; the budget is the last guard of one instance.
 */
export const BUDGET_WINDOW_MS = 10 * 60 * 1000;

export class CallBudget {
  private readonly calls: number[] = [];

  /**
   * `limit` 0 turns the budget off. `appWide`, when given, is a budget this one spends from as
   * well: each report's own (Graph counts each report API separately, 14 per 10 minutes) under
   * one the app's reports share (Graph also caps CSV report calls at 40 per 10 minutes per tenant,
   * across all apps). A call is taken from both or from neither.
   */
  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
    readonly windowMs = BUDGET_WINDOW_MS,
    readonly appWide?: CallBudget,
  ) {}

  /** Counts one call if the window (and the app-wide one) has room; false when spent. */
  tryTake(): boolean {
    if (!this.hasRoom()) return false;
    if (this.appWide && !this.appWide.tryTake()) return false;
    if (this.limit > 0) this.calls.push(this.now());
    return true;
  }

  /** Which budget is spent: `report` (this one) first, then `app`; undefined with room in both. */
  spent(): 'report' | 'app' | undefined {
    if (!this.hasRoom()) return 'report';
    if (this.appWide?.spent()) return 'app';
    return undefined;
  }

  private hasRoom(): boolean {
    if (this.limit === 0) return true;
    this.forgetOld();
    return this.calls.length < this.limit;
  }

  /** Calls counted in the current window. */
  used(): number {
    this.forgetOld();
    return this.calls.length;
  }

  /** Milliseconds until both windows have room (0 when there is room now). */
  msUntilRoom(): number {
    return Math.max(this.ownMsUntilRoom(), this.appWide?.msUntilRoom() ?? 0);
  }

  private ownMsUntilRoom(): number {
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
