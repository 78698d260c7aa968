import { ServiceRegistry } from '../../../shared/app/services';
import { CallBudgetSpentError } from '../../../shared/cache/reportCache';
import { CATALOGUE } from '../../../shared/reports/catalogue';
import { useGraph } from '../../support/graphSimulator';

/**
 * Graph counts each report API's calls separately, and also caps CSV report calls per tenant:
 * each report's cache keeps its own GRAPH_CALL_BUDGET, all of them under the one
 * GRAPH_APP_CALL_BUDGET of their Graph configuration.
 */
const sim = useGraph('2026-11-26');

const settings = () => ({
  ...sim.settings,
  // Memory only (no storage): the budget is what is under test.
  REPORT_CACHE_SECONDS: '3600',
  GRAPH_CALL_BUDGET: '2',
  GRAPH_APP_CALL_BUDGET: '3',
});

describe('the app-wide call budget', () => {
  it("spends from every report's calls, and refuses the next one naming GRAPH_APP_CALL_BUDGET", async () => {
    const registry = new ServiceRegistry();
    const [first, second, third] = [CATALOGUE[0]!, CATALOGUE[1]!, CATALOGUE[2]!];
    const cache = (definition: typeof first) => registry.reportCacheFor(settings(), definition);

    await cache(first).get('D7', 5_000);
    await cache(first).get('D30', 5_000);
    await cache(second).get('D7', 5_000);
    expect(sim.graph.apiCalls).toBe(3);
    // The third report has all of its own budget left, but the app's is spent.
    const refused = await cache(third)
      .get('D7', 5_000)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(CallBudgetSpentError);
    expect((refused as Error).message).toContain('GRAPH_APP_CALL_BUDGET');
    expect((refused as CallBudgetSpentError).retryAfterSeconds).toBeGreaterThan(0);
    // A report's own budget still counts first.
    const own = await cache(first)
      .get('D90', 5_000)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect((own as Error).message).toContain('(GRAPH_CALL_BUDGET)');
    expect(sim.graph.apiCalls).toBe(3);
  });

  it('is one budget per Graph configuration: another tenant has its own', async () => {
    const registry = new ServiceRegistry();
    for (const definition of CATALOGUE.slice(0, 3))
      await registry.reportCacheFor(settings(), definition).get('D7', 5_000);
    const otherTenant = { ...settings(), GRAPH_ACCESS_TOKEN: `${sim.token}-other` };
    const answer = await registry
      .reportCacheFor(otherTenant, CATALOGUE[3]!)
      .get('D7', 5_000)
      .catch((error: unknown) => error);
    // Not refused by our budget: it reached Graph (which rejects the other token).
    expect(answer).not.toBeInstanceOf(CallBudgetSpentError);
    expect(sim.graph.apiCalls).toBe(4);
  });
});
