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

describe('a report budget under the app-wide one', () => {
  it('takes each call from both, and refuses when either is spent, saying which', () => {
    const time = clock();
    const app = new CallBudget(3, time.read);
    const teams = new CallBudget(2, time.read, BUDGET_WINDOW_MS, app);
    const skype = new CallBudget(2, time.read, BUDGET_WINDOW_MS, app);
    expect([teams.tryTake(), teams.tryTake(), teams.tryTake()]).toEqual([true, true, false]);
    expect(teams.spent()).toBe('report');
    expect(skype.tryTake()).toBe(true);
    // The app's three are spent: Skype's own budget still has room, but the app's has none.
    expect(skype.tryTake()).toBe(false);
    expect(skype.spent()).toBe('app');
    expect(skype.used()).toBe(1);
    expect(skype.msUntilRoom()).toBe(BUDGET_WINDOW_MS);
    time.advance(BUDGET_WINDOW_MS);
    expect(skype.spent()).toBeUndefined();
    expect(skype.tryTake()).toBe(true);
  });

  it('is off at 0 for the app: the report budgets alone count', () => {
    const app = new CallBudget(0, () => 0);
    const report = new CallBudget(1, () => 0, BUDGET_WINDOW_MS, app);
    expect([report.tryTake(), report.tryTake()]).toEqual([true, false]);
    expect(report.spent()).toBe('report');
  });
});
