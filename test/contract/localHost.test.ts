import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azuriteConnectionString, uniqueContainer } from '../support/azurite';
import { useGraph } from '../support/graphSimulator';
import { RunningTool, startLocalHost } from '../support/processes';
import { fetchAnswer, jsonOf } from './answers';
import { contract, expectConformance } from './conformance';
import { useUnreachableStorage } from '../support/unreachableStorage';

const unreachable = useUnreachableStorage();

/**
 * The contract as the running app keeps it: `npm start`'s local host, a process of its own
 * serving the compiled functions over real HTTP, against the Graph simulator and Azurite. Every
 * answer here crossed a socket; each is checked against openapi.yaml as a client would get it.
 * The status judges staleness by the clock, so Graph's refresh date is today.
 */
const TODAY = new Date().toISOString().slice(0, 10);
const sim = useGraph(TODAY);

const REPORT = '/api/reports/skype-p2p-minute-counts';
const HISTORY = `${REPORT}/history`;
const STATUS = `${REPORT}/status`;

interface Host {
  readonly base: string;
  readonly tool: RunningTool;
  readonly stop: () => Promise<void>;
}

/** Starts the local host on a free port with these storage settings; no local.settings.json. */
async function startHost(storage: Record<string, string>): Promise<Host> {
  const folder = mkdtempSync(join(tmpdir(), 'contract-host-'));
  const { tool, port } = await startLocalHost(['--no-settings-file'], {
    cwd: folder,
    env: {
      ...sim.settings,
      // The cache on, as deployed: answers say hit or miss, Age counts, copies go to Azurite.
      REPORT_CACHE_SECONDS: '300',
      REPORT_STALE_SECONDS: '3600',
      ...storage,
      STORAGE_MAX_TRIES: '1',
      STORAGE_TRY_TIMEOUT_MS: '2000',
      // Once a year: the timer never fires on its own during a test; the test runs it by hand.
      SNAPSHOT_SCHEDULE: '0 0 6 1 1 *',
    },
  });
  return {
    base: `http://127.0.0.1:${port}`,
    tool,
    stop: async () => {
      await tool.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

describe('the running local host keeps the contract', () => {
  let host: Host;
  beforeAll(async () => {
    host = await startHost({
      SNAPSHOT_STORAGE: azuriteConnectionString(),
      SNAPSHOT_CONTAINER: uniqueContainer(),
    });
  });
  afterAll(() => host.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetchAnswer(`${host.base}${path}`, headers);

  it('for GET /api/openapi.json: 200, this very contract', async () => {
    const answer = await get('/api/openapi.json');
    expectConformance(answer, 'getOpenApiDocument', 200);
    expect(jsonOf(answer)).toEqual(contract.document);
  });

  it('for the live report: 200 as JSON and CSV, fetched and then a hit, 304, and 400 per bad parameter', async () => {
    const OPERATION = 'getSkypeP2pMinuteCounts';
    const fetched = await get(`${REPORT}?period=D30`);
    expectConformance(fetched, OPERATION, 200);
    expect(fetched.headers.get('Cache-Status')).toBe('graph-usage-reports; fwd=miss; stored');
    const hit = await get(`${REPORT}?period=D30`);
    expectConformance(hit, OPERATION, 200);
    expect(hit.headers.get('Cache-Status')).toMatch(/; hit; ttl=\d+$/);
    const csv = await get(`${REPORT}?period=D30&format=csv`);
    expectConformance(csv, OPERATION, 200);

    for (const [search, answer] of [
      ['?period=D30', hit],
      ['?period=D30&format=csv', csv],
    ] as const) {
      const again = await get(`${REPORT}${search}`, {
        'If-None-Match': answer.headers.get('ETag')!,
      });
      expectConformance(again, OPERATION, 304);
    }

    for (const search of ['?period=D1', '?period=', '?format=xml', '?period=D7&period=D30']) {
      expectConformance(await get(`${REPORT}${search}`), OPERATION, 400);
    }
  });

  it('for the archive before and after its first snapshot run: history 200, 304, 400; status 503 then 200', async () => {
    const HISTORY_OPERATION = 'getSkypeP2pMinuteCountsHistory';
    const STATUS_OPERATION = 'getSkypeP2pMinuteCountsStatus';

    // Nothing archived yet: an empty history, and a status that alerts.
    const emptyHistory = await get(HISTORY);
    expectConformance(emptyHistory, HISTORY_OPERATION, 200);
    expect(jsonOf(emptyHistory)).toMatchObject({ coverage: null, value: [] });
    const empty = await get(STATUS);
    expectConformance(empty, STATUS_OPERATION, 503);
    expect(jsonOf(empty)).toMatchObject({ reason: 'empty', historyIndex: 'none' });

    // The timer function, run by hand as Core Tools' admin API runs it.
    const started = await fetch(`${host.base}/admin/functions/skypeP2pSnapshot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(started.status).toBe(202);
    await host.tool.waitFor(/Executed 'Functions\.skypeP2pSnapshot' \(Succeeded/);

    const healthy = await get(STATUS);
    expectConformance(healthy, STATUS_OPERATION, 200);
    expect(jsonOf(healthy)).toMatchObject({ healthy: true, newestRefreshDate: TODAY });

    for (const search of [`?to=${TODAY}`, `?to=${TODAY}&format=csv`]) {
      const history = await get(`${HISTORY}${search}`);
      expectConformance(history, HISTORY_OPERATION, 200);
      const again = await get(`${HISTORY}${search}`, {
        'If-None-Match': history.headers.get('ETag')!,
      });
      expectConformance(again, HISTORY_OPERATION, 304);
    }
    expect(jsonOf(await get(HISTORY)).value).toHaveLength(180);

    for (const search of [
      '?from=2026-02-30',
      '?to=',
      '?from=2026-03-11&to=2026-03-10',
      '?format=xml',
    ]) {
      expectConformance(await get(`${HISTORY}${search}`), HISTORY_OPERATION, 400);
    }
  });
});

describe('the running local host keeps the contract when storage cannot be reached', () => {
  let host: Host;
  beforeAll(async () => {
    host = await startHost({
      SNAPSHOT_STORAGE: unreachable.connectionString(),
      SNAPSHOT_CONTAINER: uniqueContainer(),
    });
  });
  afterAll(() => host.stop());

  it('history 503 storage-unavailable, status 503 storage-unavailable', async () => {
    const history = await fetchAnswer(`${host.base}${HISTORY}`);
    expectConformance(history, 'getSkypeP2pMinuteCountsHistory', 503);
    expect(jsonOf(history).type).toBe('urn:graph-usage-reports:problem:storage-unavailable');
    const status = await fetchAnswer(`${host.base}${STATUS}`);
    expectConformance(status, 'getSkypeP2pMinuteCountsStatus', 503);
    expect(jsonOf(status)).toMatchObject({
      reason: 'storage-unavailable',
      historyIndex: 'unknown',
    });
  });
});
