import autocannon from 'autocannon';

/** One autocannon run, reduced to what the benchmarks report and gate on. */
export interface LoadSummary {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Answers outside 2xx. */
  readonly non2xx: number;
  readonly serverErrors: number;
  /** Connection errors and timeouts (autocannon counts a timeout as an error too). */
  readonly errors: number;
  readonly timeouts: number;
  readonly statuses: Record<string, number>;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds?: number;
  /** Total requests, instead of a duration. */
  readonly amount?: number;
  readonly timeoutSeconds?: number;
}

export async function load(url: string, options: LoadOptions): Promise<LoadSummary> {
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url,
    connections: options.connections,
    ...(options.amount !== undefined
      ? { amount: options.amount }
      : { duration: options.durationSeconds ?? 3 }),
    timeout: options.timeoutSeconds ?? 10,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    requests: result.requests.total,
    seconds,
    perSecond: result.requests.total / seconds,
    non2xx: result.non2xx,
    serverErrors: result['5xx'],
    errors: result.errors,
    timeouts: result.timeouts,
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
    ),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
  };
}

/** Requests that did not end in a 2xx: what "every request succeeds" counts. */
export function failed(summary: Pick<LoadSummary, 'non2xx' | 'errors'>): number {
  return summary.non2xx + summary.errors;
}

/** Several runs as one: counts add up, latencies keep the worst. */
export function combine(summaries: readonly LoadSummary[]): LoadSummary {
  const sum = (pick: (summary: LoadSummary) => number) =>
    summaries.reduce((total, summary) => total + pick(summary), 0);
  const max = (pick: (summary: LoadSummary) => number) => Math.max(0, ...summaries.map(pick));
  const statuses: Record<string, number> = {};
  for (const summary of summaries)
    for (const [status, count] of Object.entries(summary.statuses))
      statuses[status] = (statuses[status] ?? 0) + count;
  const seconds = max((summary) => summary.seconds);
  return {
    requests: sum((summary) => summary.requests),
    seconds,
    perSecond: sum((summary) => summary.requests) / seconds,
    non2xx: sum((summary) => summary.non2xx),
    serverErrors: sum((summary) => summary.serverErrors),
    errors: sum((summary) => summary.errors),
    timeouts: sum((summary) => summary.timeouts),
    statuses,
    latencyP50Ms: max((summary) => summary.latencyP50Ms),
    latencyP99Ms: max((summary) => summary.latencyP99Ms),
    latencyMaxMs: max((summary) => summary.latencyMaxMs),
  };
}
