import { Timer } from '@azure/functions';
import { skypeP2pSnapshotHandler } from '../support/skypeP2pHandlers';
import { ConfigError, GraphBadResponseError, StorageError } from '../../shared/common/errors';
import { azuriteSettings, containerOf } from '../support/azurite';
import { snapshotNamesIn } from '../support/archive';
import { useGraph } from '../support/graphSimulator';
import { useSettings } from '../support/settings';
import { testContext } from '../support/logs';
import { useUnreachableStorage } from '../support/unreachableStorage';

const unreachable = useUnreachableStorage();

const sim = useGraph('2026-11-26');

let storage: ReturnType<typeof azuriteSettings>;

beforeEach(() => {
  storage = azuriteSettings();
});
useSettings(() => ({
  ...sim.settings,
  ...storage,
  STORAGE_MAX_TRIES: '1',
  STORAGE_TRY_TIMEOUT_MS: '2000',
}));

function timer(isPastDue: boolean): Timer {
  return { isPastDue, schedule: { adjustForDST: false } } as Timer;
}

describe('the skypeP2pSnapshot timer function', () => {
  it('runs the snapshot job, logging isPastDue and the run summary', async () => {
    const { context, logs } = testContext('skypeP2pSnapshot');
    await skypeP2pSnapshotHandler(timer(true), context);
    const messages = logs.map((line) => line.message);
    expect(messages).toContain('Snapshot run starting (isPastDue=true).');
    const finished = messages.find((message) => message.startsWith('Snapshot run finished: '));
    expect(JSON.parse(finished!.slice('Snapshot run finished: '.length))).toMatchObject({
      periodsFetched: ['D7', 'D180'],
      blobsWritten: 2,
      graphCalls: 2,
    });
    expect(await snapshotNamesIn(containerOf(storage))).toEqual([
      'skype-p2p-minute-counts/D180/2026-11-26.csv',
      'skype-p2p-minute-counts/D7/2026-11-26.csv',
    ]);
  });

  it('logs invalid data as an error but completes, since a retry would not fix it', async () => {
    sim.graph.inject({
      fault: { kind: 'csv', body: 'Report Refresh Date,Report Date\r\n2026-11-26,2026-11-26\r\n' },
    });
    const { context, logs } = testContext('skypeP2pSnapshot');
    await skypeP2pSnapshotHandler(timer(false), context);
    expect(logs.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      expect.stringContaining('The D7 report is invalid'),
      expect.stringMatching(/^Snapshot run finished: .*"invalid":1/),
    ]);
  });

  it('throws when storage fails, so the host retries the run', async () => {
    process.env.SNAPSHOT_STORAGE = unreachable.connectionString();
    const { context } = testContext('skypeP2pSnapshot');
    await expect(skypeP2pSnapshotHandler(timer(false), context)).rejects.toBeInstanceOf(
      StorageError,
    );
  });

  it('throws when Graph fails part-way, logging what the failed attempt had done', async () => {
    // The D7 fetch is served; the D180 seed fails every attempt.
    sim.graph.inject(
      { fault: { kind: 'slow', delayMs: 0 } },
      { fault: { kind: 'status', status: 500 }, times: 3 },
    );
    const { context, logs } = testContext('skypeP2pSnapshot');
    await expect(skypeP2pSnapshotHandler(timer(false), context)).rejects.toBeInstanceOf(
      GraphBadResponseError,
    );
    const failed = logs.find((line) => line.message.startsWith('Snapshot run failed after: '));
    expect(failed?.level).toBe('error');
    expect(JSON.parse(failed!.message.slice('Snapshot run failed after: '.length))).toEqual({
      periodsFetched: ['D7'],
      blobsWritten: 0,
      skippedIdentical: 0,
      restatementsKept: 0,
      invalid: 0,
      graphCalls: 4,
      reportRefreshDate: '2026-11-26',
    });
  });

  it('throws a configuration error naming the setting, before contacting anything', async () => {
    process.env.SNAPSHOT_PERIODS = 'D7,D8';
    const { context } = testContext('skypeP2pSnapshot');
    const run = skypeP2pSnapshotHandler(timer(false), context);
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toMatchObject({ setting: 'SNAPSHOT_PERIODS' });
    expect(sim.graph.requests).toHaveLength(0);
  });
});
