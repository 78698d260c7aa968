import { randomUUID } from 'node:crypto';
import { GraphSimulator, type GraphSimulatorOptions } from '../../tools/graphSimulator/server';
import { graphSettings } from './settings';

/** A Graph stand-in per suite, with the settings that point our code at it. */
export async function startGraph(
  refreshDate = '2026-11-26',
  options: Partial<GraphSimulatorOptions> = {},
) {
  const token = `test-token-${randomUUID()}`;
  const graph = await GraphSimulator.start({ ...options, token, refreshDate });
  return { graph, token, settings: graphSettings(graph, token) };
}

/**
 * One Graph stand-in for a suite, reset before each test. Read its fields inside hooks and
 * tests: they are set once the suite starts.
 */
export function useGraph(refreshDate = '2026-11-26', options: Partial<GraphSimulatorOptions> = {}) {
  const suite = {} as Awaited<ReturnType<typeof startGraph>>;
  beforeAll(async () => {
    Object.assign(suite, await startGraph(refreshDate, options));
  });
  afterAll(() => suite.graph.close());
  beforeEach(() => {
    suite.graph.reset();
    suite.graph.refreshDate = refreshDate;
  });
  return suite;
}
