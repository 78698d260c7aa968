import { alternate, median, pairedRatio, rotate } from '../../bench/stats';
import { combine, failed, LoadSummary } from '../../bench/loadGen';

describe('medians and ratios', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[], Number.NaN],
  ])('the median of %p is %p', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it("takes the median of each pair's ratio, not the ratio of the medians", () => {
    const result = pairedRatio([
      { ours: 50, reference: 100 },
      { ours: 90, reference: 100 },
      { ours: 10, reference: 10 },
    ]);
    expect(result.ratios).toEqual([0.5, 0.9, 1]);
    expect(result.ratio).toBe(0.9);
    expect(result.ours).toBe(50);
    expect(result.reference).toBe(100);
  });
});

describe('taking turns', () => {
  it('rotates who goes first each round, and keeps each result under its name', async () => {
    const order: string[] = [];
    const runner = (name: string) => async () => {
      order.push(name);
      return `${name}${order.length}`;
    };
    const rounds = await rotate(3, { a: runner('a'), b: runner('b'), c: runner('c') });
    expect(order).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(rounds[1]).toEqual({ b: 'b4', c: 'c5', a: 'a6' });
  });

  it('alternates two sides, the reference first in even pairs', async () => {
    const order: string[] = [];
    const pairs = await alternate(
      2,
      async () => order.push('ours'),
      async () => order.push('reference'),
    );
    expect(order).toEqual(['reference', 'ours', 'ours', 'reference']);
    expect(pairs).toEqual([
      { reference: 1, ours: 2 },
      { ours: 3, reference: 4 },
    ]);
  });
});

describe('load summaries', () => {
  const summary = (overrides: Partial<LoadSummary>): LoadSummary => ({
    requests: 100,
    seconds: 2,
    perSecond: 50,
    non2xx: 0,
    serverErrors: 0,
    errors: 0,
    timeouts: 0,
    statuses: { '200': 100 },
    latencyP50Ms: 5,
    latencyP99Ms: 20,
    latencyMaxMs: 30,
    ...overrides,
  });

  it('counts non-2xx answers and errors (timeouts among them) as failed', () => {
    expect(failed(summary({}))).toBe(0);
    expect(failed(summary({ non2xx: 2, errors: 3, timeouts: 3 }))).toBe(5);
  });

  it('adds runs made side by side, keeping the worst latencies', () => {
    const both = combine([
      summary({ requests: 500, seconds: 2, statuses: { '200': 499, '503': 1 }, non2xx: 1 }),
      summary({ requests: 500, seconds: 2.5, latencyP99Ms: 40, statuses: { '200': 500 } }),
    ]);
    expect(both.requests).toBe(1000);
    expect(both.seconds).toBe(2.5);
    expect(both.perSecond).toBe(400);
    expect(both.non2xx).toBe(1);
    expect(both.statuses).toEqual({ '200': 999, '503': 1 });
    expect(both.latencyP99Ms).toBe(40);
  });
});
