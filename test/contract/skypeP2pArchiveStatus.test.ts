import { skypeP2pArchiveStatusHandler } from '../support/skypeP2pHandlers';
import { historyIndexBlobName } from '../../shared/archive/historyIndex';
import { addDays } from '../../shared/reports/dates';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import { snapshotRunner } from '../support/archive';
import { azuriteSettings, containerOf } from '../support/azurite';
import { useGraph } from '../support/graphSimulator';
import { useSettings } from '../support/settings';
import { handlerAnswer, jsonOf, withJson, withoutHeader } from './answers';
import { contract, expectConformance } from './conformance';
import { useUnreachableStorage } from '../support/unreachableStorage';

const unreachable = useUnreachableStorage();

/**
 * The archive status's answers, from the real function handler over an archive the real snapshot
 * job wrote (Graph simulator, Azurite), checked against openapi.yaml. The handler judges
 * staleness by the clock, so the simulated Graph's refresh date is set relative to today.
 */
const TODAY = new Date().toISOString().slice(0, 10);
const sim = useGraph(TODAY);

const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts/status';
const OPERATION = 'getSkypeP2pMinuteCountsStatus';
const INDEX = historyIndexBlobName(skypeP2pMinuteCounts);

let storage: ReturnType<typeof azuriteSettings>;
useSettings(() => {
  storage = azuriteSettings();
  return { ...sim.settings, ...storage, STORAGE_MAX_TRIES: '1', STORAGE_TRY_TIMEOUT_MS: '2000' };
});

/** The snapshot job, run as the timer runs it, into this test's container. */
const run = snapshotRunner(() => ({ ...sim.settings, ...storage, SNAPSHOT_PERIODS: 'D7' }));

const call = () => handlerAnswer(skypeP2pArchiveStatusHandler, 'skypeP2pArchiveStatus', ROUTE);

interface Case {
  /** Prepares the archive (and settings) before the request. */
  readonly given: () => Promise<unknown>;
  readonly reason?: string;
  readonly historyIndex: string;
}

const cases: [string, number, Case][] = [
  ['current history after a good run', 200, { given: () => run(), historyIndex: 'ready' }],
  [
    'history refreshed a month ago',
    503,
    {
      given: async () => {
        sim.graph.refreshDate = addDays(TODAY, -30);
        await run();
      },
      reason: 'stale',
      historyIndex: 'ready',
    },
  ],
  [
    'an archive with nothing in it',
    503,
    { given: async () => {}, reason: 'empty', historyIndex: 'none' },
  ],
  [
    'snapshots whose index is not written yet',
    503,
    {
      given: async () => {
        await run();
        await containerOf(storage).getBlobClient(INDEX).delete();
      },
      reason: 'empty',
      historyIndex: 'missing',
    },
  ],
  [
    'a last run that failed',
    503,
    {
      given: async () => {
        await run();
        sim.graph.inject({ fault: { kind: 'status', status: 500 }, times: 3 });
        await expect(run()).rejects.toThrow();
      },
      reason: 'last-run-failed',
      historyIndex: 'ready',
    },
  ],
  [
    'storage that cannot be reached',
    503,
    {
      given: async () => {
        process.env.SNAPSHOT_STORAGE = unreachable.connectionString();
      },
      reason: 'storage-unavailable',
      historyIndex: 'unknown',
    },
  ],
];

describe('GET /api/reports/skype-p2p-minute-counts/status keeps the contract', () => {
  it.each(cases)('for %s: %i', async (_, status, { given, reason, historyIndex }) => {
    await given();
    const answer = await call();
    expectConformance(answer, OPERATION, status);
    const document = jsonOf(answer);
    expect([document.reason, document.historyIndex]).toEqual([reason, historyIndex]);
  });

  it.each([
    ['STATUS_STALE_AFTER_HOURS', { STATUS_STALE_AFTER_HOURS: '0' }],
    ['SNAPSHOT_STORAGE', { SNAPSHOT_STORAGE: 'not a connection string' }],
  ])('for an invalid %s: 500 naming it', async (setting, settings) => {
    Object.assign(process.env, settings);
    const answer = await call();
    expectConformance(answer, OPERATION, 500);
    expect(jsonOf(answer).setting).toBe(setting);
  });

  it('and an undeclared field, a reason it does not list, or a missing field breaks it', async () => {
    await run();
    const healthy = await call();
    const document = jsonOf(healthy);
    const withoutIndex = { ...document };
    delete withoutIndex.historyIndex;
    const violations = (body: unknown, status = 200) =>
      contract.violations(withJson(healthy, body), OPERATION, status);

    expect(violations({ ...document, instance: 'a' })).toContain(
      'body: (root) must NOT have additional properties (instance)',
    );
    expect(violations(withoutIndex)).toContain(
      "body: (root) must have required property 'historyIndex' (historyIndex)",
    );
    // A healthy document says nothing is wrong: no reason, no detail.
    expect(violations({ ...document, detail: 'all good' })).toContainEqual(
      expect.stringMatching(/^body: \/detail /),
    );
    expect(
      violations({ ...document, healthy: false, reason: 'degraded' }, 503).filter((line) =>
        line.startsWith('body: /reason'),
      ),
    ).toEqual(['body: /reason must be equal to one of the allowed values']);
    // Storage that failed must say why.
    expect(
      violations(
        { ...document, healthy: false, reason: 'storage-unavailable', historyIndex: 'unknown' },
        503,
      ),
    ).toContain("body: (root) must have required property 'detail' (detail)");
    expect(contract.violations(withoutHeader(healthy, 'Cache-Control'), OPERATION, 200)).toContain(
      'header Cache-Control: required, missing',
    );
  });
});
