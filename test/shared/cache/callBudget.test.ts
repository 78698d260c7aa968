import { BUDGET_WINDOW_MS, CallBudget } from '../../../shared/cache/callBudget';

function clock(start = 0) {
  const state = { now: start };
  return { read: () => state.now, advance: (ms: number) => (state.now += ms) };
}

describe('CallBudget: report calls per 10-minute window, per instance', () => {
  it('grants up to the limit, then refuses until the oldest call leaves the window', () => {
    const time = clock();
    const budget = new CallBudget(3, time.read);
    expect([budget.tryTake(), budget.tryTake(), budget.tryTake()]).toEqual([true, true, true]);
    expect(budget.tryTake()).toBe(false);
    expect(budget.msUntilRoom()).toBe(BUDGET_WINDOW_MS);
    time.advance(BUDGET_WINDOW_MS - 1);
    expect(budget.tryTake()).toBe(false);
    expect(budget.msUntilRoom()).toBe(1);
    time.advance(1);
    expect(budget.tryTake()).toBe(true);
    // All three were taken at the same moment, so all three left together.
    expect(budget.used()).toBe(1);
  });

  it('slides: calls spread over time free their places one by one', () => {
    const time = clock();
    const budget = new CallBudget(2, time.read);
    budget.tryTake();
    time.advance(60_000);
    budget.tryTake();
    time.advance(BUDGET_WINDOW_MS - 60_000);
    expect(budget.used()).toBe(1);
    expect(budget.tryTake()).toBe(true);
    expect(budget.tryTake()).toBe(false);
  });

  it('is off at 0: never refuses, never asks for a wait', () => {
    const budget = new CallBudget(0, () => 0);
    for (let i = 0; i < 100; i++) expect(budget.tryTake()).toBe(true);
    expect(budget.msUntilRoom()).toBe(0);
  });
});
