import { skypeP2pMinuteCountsHandler } from '../support/skypeP2pHandlers';
import { useGraph } from '../support/graphSimulator';
import { useSettings } from '../support/settings';
import { handlerAnswer } from './answers';
import { contract } from './conformance';

/**
 * The contract's `period` and `format` accept exactly what the endpoint serves: each value is
 * sent to the real handler (Graph simulator behind it) and checked against the parameter's
 * schema in openapi.yaml. A validating proxy in front of the app (Stoplight Prism in proxy mode)
 * once refused `period=d90`, which the app serves: the schemas are case-insensitive patterns.
 */
const sim = useGraph('2026-11-26');
useSettings(() => sim.settings);

const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts';

const answerTo = async (name: string, value: string) =>
  (
    await handlerAnswer(
      skypeP2pMinuteCountsHandler,
      'skypeP2pMinuteCounts',
      `${ROUTE}?${name}=${encodeURIComponent(value)}`,
    )
  ).status;

const contractAccepts = (name: 'Period' | 'Format', value: string) =>
  contract.schemaErrors(`#/components/parameters/${name}/schema`, value, name).length === 0;

describe('the query parameters in the contract', () => {
  it.each([
    ['D7', 200],
    ['d7', 200],
    ['D30', 200],
    ['d90', 200],
    ['D180', 200],
    ['d180', 200],
    [' d30 ', 200],
    ['D365', 400],
    ['', 400],
    ['D07', 400],
    ['D 7', 400],
    ['7', 400],
    ['DD7', 400],
    ['D7x', 400],
  ])('period=%p: the app answers %d, and the contract agrees', async (value, status) => {
    expect(await answerTo('period', value)).toBe(status);
    expect(contractAccepts('Period', value)).toBe(status === 200);
  });

  it.each([
    ['json', 200],
    ['JSON', 200],
    ['Csv', 200],
    [' csv', 200],
    ['xml', 400],
    ['', 400],
    ['jsonl', 400],
    ['c sv', 400],
  ])('format=%p: the app answers %d, and the contract agrees', async (value, status) => {
    expect(await answerTo('format', value)).toBe(status);
    expect(contractAccepts('Format', value)).toBe(status === 200);
  });

  it("gives the endpoint's own defaults", () => {
    expect(contract.at('#/components/parameters/Period/schema/default')).toBe('D7');
    expect(contract.at('#/components/parameters/Format/schema/default')).toBe('json');
  });
});
