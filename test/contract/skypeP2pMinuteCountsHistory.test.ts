import { skypeP2pMinuteCountsHistoryHandler } from '../support/skypeP2pHandlers';
import { historyIndexBlobName } from '../../shared/archive/historyIndex';
import { addDays } from '../../shared/reports/dates';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import { snapshotRunner } from '../support/archive';
import { BAD_RANGES } from '../support/archiveEndpoints';
import { azuriteSettings, containerOf } from '../support/azurite';
import { useGraph } from '../support/graphSimulator';
import { useSettings } from '../support/settings';
import { handlerAnswer, jsonOf, withJson, withoutHeader } from './answers';
import { contract, expectConformance } from './conformance';
import { useUnreachableStorage } from '../support/unreachableStorage';

const unreachable = useUnreachableStorage();

/**
 * The history's answers, from the real function handler over an archive the real snapshot job
 * wrote (Graph simulator, Azurite), checked against openapi.yaml: each status the contract
 * declares that a test can provoke. Each test has a container of its own.
 */
const REFRESH = '2026-11-26';
const sim = useGraph(REFRESH);

const ROUTE = 'http://localhost:7071/api/reports/skype-p2p-minute-counts/history';
const OPERATION = 'getSkypeP2pMinuteCountsHistory';

let storage: ReturnType<typeof azuriteSettings>;
useSettings(() => {
  storage = azuriteSettings();
  return { ...sim.settings, ...storage, STORAGE_MAX_TRIES: '1', STORAGE_TRY_TIMEOUT_MS: '2000' };
});

/** The snapshot job, run as the timer runs it, into this test's container. */
const run = snapshotRunner(() => ({ ...sim.settings, ...storage, SNAPSHOT_PERIODS: 'D7' }));

const call = (search = '', headers: Record<string, string> = {}) =>
  handlerAnswer(
    skypeP2pMinuteCountsHistoryHandler,
    'skypeP2pMinuteCountsHistory',
    `${ROUTE}${search}`,
    headers,
  );

const INDEX = historyIndexBlobName(skypeP2pMinuteCounts);

describe('GET /api/reports/skype-p2p-minute-counts/history keeps the contract', () => {
  describe('over an archive the snapshot job wrote', () => {
    beforeEach(async () => {
      await run();
    });

    it.each([
      ['a range, as JSON', `?from=${addDays(REFRESH, -9)}&to=${REFRESH}`],
      ['a range reaching past the archive, with missing dates', `?from=2026-11-20&to=2026-12-05`],
      ['the whole archive (no bounds)', ''],
      ['a range as CSV', `?from=2026-11-20&to=${REFRESH}&format=CSV`],
    ])('for %s: 200', async (_, search) => {
      expectConformance(await call(search), OPERATION, 200);
    });

    it.each([
      ['JSON', '?from=2026-11-01&to=2026-11-26'],
      ['CSV', '?from=2026-11-01&to=2026-11-26&format=csv'],
    ])('for a revalidation of the %s with the ETag it sent: 304', async (_, search) => {
      const first = await call(search);
      expectConformance(first, OPERATION, 200);
      const again = await call(search, { 'If-None-Match': first.headers.get('ETag')! });
      expectConformance(again, OPERATION, 304);
    });

    it.each([
      ['missing', () => containerOf(storage).getBlobClient(INDEX).delete()],
      [
        'unreadable',
        () => containerOf(storage).getBlockBlobClient(INDEX).upload('{"version":', 11),
      ],
    ])('while the history index is %s: 503 archive-not-ready', async (_, breakIndex) => {
      await breakIndex();
      const answer = await call('');
      expectConformance(answer, OPERATION, 503);
      expect(jsonOf(answer).type).toBe('urn:graph-usage-reports:problem:archive-not-ready');
      expect(answer.headers.get('Retry-After')).toBe('900');
    });
  });

  it.each([...BAD_RANGES, ['format=xml', 'format']])(
    'for ?%s: 400 naming %s',
    async (search, parameter) => {
      const answer = await call(`?${search}`);
      expectConformance(answer, OPERATION, 400);
      expect(jsonOf(answer).parameter).toBe(parameter);
    },
  );

  describe('over an archive with nothing in it yet', () => {
    it.each([
      ['no bounds', ''],
      ['a range', '?from=2026-01-01&to=2026-01-03'],
      ['a date on', '?from=2026-01-01'],
      ['a date back', '?to=2026-01-01'],
    ])('for %s: 200, no rows', async (_, search) => {
      const answer = await call(search);
      expectConformance(answer, OPERATION, 200);
      expect(jsonOf(answer).value).toEqual([]);
    });

    it('as CSV: 200, the header line alone', async () => {
      const answer = await call('?format=csv');
      expectConformance(answer, OPERATION, 200);
      expect(answer.body).toBe('Report Refresh Date,Report Date,Report Period,Audio,Video\r\n');
    });
  });

  it('when storage cannot be reached: 503 storage-unavailable', async () => {
    process.env.SNAPSHOT_STORAGE = unreachable.connectionString();
    const answer = await call('');
    expectConformance(answer, OPERATION, 503);
    expect(jsonOf(answer).type).toBe('urn:graph-usage-reports:problem:storage-unavailable');
  });

  it('with no storage configured: 500 naming the setting', async () => {
    delete process.env.SNAPSHOT_STORAGE;
    const answer = await call('');
    expectConformance(answer, OPERATION, 500);
    expect(jsonOf(answer).setting).toBe('SNAPSHOT_STORAGE');
  });

  it('and an undeclared field, a row field, a missing ETag or another problem type breaks it', async () => {
    await run();
    const answer = await call(`?from=2026-11-20&to=${REFRESH}`);
    const body = jsonOf<{ value: Record<string, unknown>[] }>(answer);
    expect(
      contract.violations(withJson(answer, { ...body, snapshots: 1 }), OPERATION, 200),
    ).toContain('body: (root) must NOT have additional properties (snapshots)');
    expect(
      contract.violations(
        withJson(answer, { ...body, value: [{ ...body.value[0], snapshot: 'D7' }] }),
        OPERATION,
        200,
      ),
    ).toContain('body: /value/0 must NOT have additional properties (snapshot)');
    expect(contract.violations(withoutHeader(answer, 'ETag'), OPERATION, 200)).toContain(
      'header ETag: required, missing',
    );

    await containerOf(storage).getBlobClient(INDEX).delete();
    const notReady = await call('');
    const renamed = withJson(notReady, {
      ...jsonOf<object>(notReady),
      type: 'urn:graph-usage-reports:problem:history-unavailable',
    });
    expect(contract.violations(renamed, OPERATION, 503)).toContain(
      'body: /type must be equal to one of the allowed values',
    );
  });
});
