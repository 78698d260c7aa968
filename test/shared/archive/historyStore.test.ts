import { readStorageConfig } from '../../../shared/config';
import { GraphBadResponseError, StorageError } from '../../../shared/common/errors';
import { ArchiveDocuments } from '../../../shared/archive/archiveDocuments';
import { SnapshotArchive } from '../../../shared/archive/blobArchive';
import { parseSnapshotName } from '../../../shared/archive/blobNames';
import {
  emptyHistoryIndex,
  HistoryIndex,
  historyIndexBlobName,
  mergeSnapshot,
  parseIndex,
  queryHistory,
  serializeIndex,
} from '../../../shared/archive/historyIndex';
import { HistoryIndexStore, INDEX_WRITE_ATTEMPTS } from '../../../shared/archive/historyStore';
import { lastRunBlobName, parseLastRun } from '../../../shared/archive/runRecord';
import { rebuildHistoryIndexFromSettings } from '../../../shared/app/snapshotJobs';
import { openContainer } from '../../../shared/storage/blobContainers';
import { parseReportCsv } from '../../../shared/reports/csv';
import { addDays } from '../../../shared/reports/dates';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import {
  everyDays,
  restateAudio,
  runOn,
  snapshotBlobsIn,
  snapshotNamesIn,
  snapshotRunner,
  useSnapshotJobSuite,
  withoutReportDates,
} from '../../support/archive';
import { listBlobs } from '../../support/azurite';
import { captureLogger } from '../../support/logs';
import { countingStorageProxy } from '../../support/storageProxy';

const REFRESH = '2026-11-26';
const definition = skypeP2pMinuteCounts;
const INDEX = historyIndexBlobName(definition);
const LAST_RUN = lastRunBlobName(definition);
const suite = useSnapshotJobSuite(REFRESH);
const { sim, settings, run, container, download } = suite;

const store = () =>
  new HistoryIndexStore(
    new ArchiveDocuments(openContainer(readStorageConfig(suite.storage), undefined)),
    definition,
  );

async function storedIndex(): Promise<HistoryIndex> {
  const parsed = parseIndex(definition, await download(INDEX));
  if (!parsed.ok) throw new Error(`the stored index is ${parsed.reason}: ${parsed.detail}`);
  return parsed.index;
}

async function indexProperties() {
  return container().getBlobClient(INDEX).getProperties();
}

/** The index the snapshots in storage make, merged from scratch in this test. */
async function indexFromSnapshots(): Promise<HistoryIndex> {
  const archive = new SnapshotArchive(
    openContainer(readStorageConfig(suite.storage), undefined),
    definition,
  );
  let index = emptyHistoryIndex(definition);
  for (const blob of await archive.list()) {
    const { bytes, metadata } = await archive.read(blob.name);
    const valid = metadata.valid === 'true';
    index = mergeSnapshot(definition, index, {
      blob: blob.name,
      fetchedAt: metadata.fetchedat!,
      valid,
      rows: valid
        ? parseReportCsv(definition, bytes, parseSnapshotName(definition, blob.name)!.period).rows
        : [],
    });
  }
  return index;
}

describe('the history index the snapshot job keeps', () => {
  it('is written by the first run as application/json, holding every seeded row', async () => {
    await run();
    expect((await indexProperties()).contentType).toBe('application/json');
    const index = await storedIndex();
    expect(Object.keys(index.snapshots)).toEqual([
      `skype-p2p-minute-counts/D180/${REFRESH}.csv`,
      `skype-p2p-minute-counts/D7/${REFRESH}.csv`,
    ]);
    const history = queryHistory(index);
    expect(history.coverage).toEqual({ first: addDays(REFRESH, -179), last: REFRESH });
    expect(history.missingDates).toEqual([]);
    expect(history.value).toHaveLength(180);
  });

  it('is written even when the archive is empty and Graph fails, as an empty index', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 500 }, times: 3 });
    await expect(run()).rejects.toBeInstanceOf(GraphBadResponseError);
    expect(await storedIndex()).toEqual(emptyHistoryIndex(definition));
  });

  it('is left untouched by a run that adds nothing, so readers keep their ETag', async () => {
    await run();
    const before = await indexProperties();
    expect((await run()).skippedIdentical).toBe(1);
    expect((await indexProperties()).etag).toBe(before.etag);
  });

  it('equals the index merged from every snapshot, run after run', async () => {
    await runOn(sim.graph, run, everyDays(REFRESH, 3, 5));
    expect(serializeIndex(await storedIndex())).toBe(serializeIndex(await indexFromSnapshots()));
  });

  it('reads no snapshot back on a steady run, and every valid one once when it has no index', async () => {
    await runOn(sim.graph, run, everyDays(REFRESH, 1, 3));
    const proxy = await countingStorageProxy(suite.storage.SNAPSHOT_STORAGE);
    const throughProxy = snapshotRunner(() => ({
      ...settings(),
      SNAPSHOT_STORAGE: proxy.connectionString,
    }));
    try {
      const snapshotReads = () =>
        proxy.calls.filter(
          (call) => call.method === 'GET' && call.operation === '' && call.path.endsWith('.csv'),
        ).length;
      await throughProxy();
      expect(snapshotReads()).toBe(0);

      await container().getBlobClient(INDEX).delete();
      const { logger, lines } = captureLogger();
      await throughProxy(logger);
      expect(snapshotReads()).toBe((await snapshotNamesIn(container())).length);
      expect(lines).toContainEqual({
        level: 'warn',
        message: 'Building the history index from the snapshots: there was none',
      });
    } finally {
      await proxy.close();
    }
  });

  it('never indexes an invalid snapshot, though it is archived', async () => {
    await run();
    sim.graph.refreshDate = addDays(REFRESH, 1);
    const bad = `Report Refresh Date,Report Date,Report Period,Audio,Video\r\n${sim.graph.refreshDate},${sim.graph.refreshDate},7,lots,1\r\n`;
    sim.graph.inject({ fault: { kind: 'csv', body: bad } });
    expect(await run()).toMatchObject({ invalid: 1 });
    const invalid = (await snapshotNamesIn(container())).filter((name) =>
      name.includes('.invalid-'),
    );
    expect(invalid).toHaveLength(1);
    const index = await storedIndex();
    expect(Object.keys(index.snapshots)).not.toContain(invalid[0]);
    const day = sim.graph.refreshDate;
    expect(queryHistory(index, day, day).missingDates).toEqual([day]);
  });

  it('heals on the next run after a failed write: the snapshot it missed is merged then', async () => {
    await run();
    // A lease held elsewhere makes the index unwritable for one run, as a storage fault would.
    const lease = container().getBlobClient(INDEX).getBlobLeaseClient();
    await lease.acquireLease(-1);
    sim.graph.refreshDate = addDays(REFRESH, 1);
    await expect(run()).rejects.toThrow(/Blob Storage failed to write .*412 LeaseIdMissing/);
    const missed = `skype-p2p-minute-counts/D7/${sim.graph.refreshDate}.csv`;
    expect(await snapshotNamesIn(container())).toContain(missed);
    expect(Object.keys((await storedIndex()).snapshots)).not.toContain(missed);

    await lease.releaseLease();
    // The next day's run stores only its own D7: the one missed is found by listing the archive.
    sim.graph.refreshDate = addDays(REFRESH, 2);
    expect(await run()).toMatchObject({ blobsWritten: 1, skippedIdentical: 0 });
    expect(Object.keys((await storedIndex()).snapshots)).toContain(missed);
    expect(serializeIndex(await storedIndex())).toBe(serializeIndex(await indexFromSnapshots()));
  });

  it.each([
    ['corrupt', '{"version":1,'],
    ['of another version', JSON.stringify({ version: 2, report: definition.graphFunction })],
    ['of another report', JSON.stringify({ version: 1, report: 'getTeamsUserActivityCounts' })],
    [
      'with snapshots that are not a map',
      JSON.stringify({ version: 1, report: definition.graphFunction, snapshots: 1, entries: {} }),
    ],
  ])('is rebuilt from the snapshots by the next run when %s', async (_, text) => {
    await runOn(sim.graph, run, everyDays(REFRESH, 2, 3));
    await container().getBlockBlobClient(INDEX).upload(text, text.length);
    const { logger, lines } = captureLogger();
    sim.graph.refreshDate = addDays(REFRESH, 4);
    await run(logger);
    expect(serializeIndex(await storedIndex())).toBe(serializeIndex(await indexFromSnapshots()));
    expect(lines).toContainEqual({
      level: 'warn',
      message: expect.stringMatching(
        /^Building the history index from the snapshots: the stored one is unreadable/,
      ),
    });
  });
});

describe('writing the index', () => {
  /** An index holding one more D7 snapshot, at `refresh`. */
  function withSnapshot(index: HistoryIndex, refresh: string): HistoryIndex {
    return mergeSnapshot(definition, index, {
      blob: `skype-p2p-minute-counts/D7/${refresh}.csv`,
      fetchedAt: `${addDays(refresh, 1)}T06:00:00.000Z`,
      valid: true,
      rows: [
        { reportRefreshDate: refresh, reportDate: refresh, reportPeriod: '7', audio: 1, video: 2 },
      ],
    });
  }

  beforeEach(() => container().createIfNotExists());

  it.each([
    ['both create it (If-None-Match: * meets 409)', false],
    ['both replace the same version (If-Match meets 412)', true],
  ])('two writers lose nothing when %s', async (_, existing) => {
    const writer = store();
    if (existing)
      await writer.save(
        withSnapshot(emptyHistoryIndex(definition), '2026-01-01'),
        await writer.read(),
      );
    const basis = await writer.read();
    const base = basis.state === 'ready' ? basis.index : emptyHistoryIndex(definition);
    expect(await writer.save(withSnapshot(base, '2026-02-01'), basis)).toEqual({ written: true });
    expect(await store().save(withSnapshot(base, '2026-03-01'), basis)).toEqual({ written: true });
    const refreshes = Object.values((await storedIndex()).snapshots).map(
      (source) => source.reportRefreshDate,
    );
    expect(refreshes).toEqual([...(existing ? ['2026-01-01'] : []), '2026-02-01', '2026-03-01']);
  });

  it('loses nothing with several writers at once', async () => {
    const basis = await store().read();
    const dates = everyDays('2026-01-01', 7, INDEX_WRITE_ATTEMPTS - 1);
    await Promise.all(
      dates.map((date) => store().save(withSnapshot(emptyHistoryIndex(definition), date), basis)),
    );
    const refreshes = Object.values((await storedIndex()).snapshots).map(
      (source) => source.reportRefreshDate,
    );
    expect(refreshes.sort()).toEqual(dates);
  });

  it('fails the run, rather than loop, when the index keeps changing under it', async () => {
    const other = store();
    const one = (date: string) => withSnapshot(emptyHistoryIndex(definition), date);
    await other.save(one('2026-01-01'), { state: 'missing' });
    /** Each of its re-reads is overtaken: another writer replaces the index right after. */
    class OvertakenStore extends HistoryIndexStore {
      private turn = 0;
      override async read() {
        const current = await super.read();
        await other.save(one(addDays('2026-01-01', ++this.turn)), current);
        return current;
      }
    }
    const overtaken = new OvertakenStore(
      new ArchiveDocuments(openContainer(readStorageConfig(suite.storage), undefined)),
      definition,
    );
    const basis = await overtaken.read();
    await expect(overtaken.save(one('2027-01-01'), basis)).rejects.toThrow(
      new StorageError(
        `The history index ${INDEX} kept changing during ${INDEX_WRITE_ATTEMPTS} attempts to write it; the next run merges again.`,
      ),
    );
    expect(Object.keys((await storedIndex()).snapshots)).toEqual([
      `skype-p2p-minute-counts/D7/${addDays('2026-01-01', INDEX_WRITE_ATTEMPTS + 1)}.csv`,
    ]);
  });
});

describe('the last run record', () => {
  async function lastRun() {
    return parseLastRun((await download(LAST_RUN)).toString('utf8'));
  }

  it('says when a run started and finished, that it succeeded, and what it did', async () => {
    const before = new Date().toISOString();
    const summary = await run();
    const record = await lastRun();
    expect(record).toEqual({
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      succeeded: true,
      summary,
    });
    expect(record!.startedAt >= before).toBe(true);
    expect(record!.finishedAt >= record!.startedAt).toBe(true);
    const blob = (await listBlobs(container())).find((candidate) => candidate.name === LAST_RUN);
    expect(blob?.contentType).toBe('application/json');
  });

  it('counts a run that stored only invalid data as succeeded', async () => {
    sim.graph.inject({ fault: { kind: 'csv', body: 'not,a,report\r\n1,2,3\r\n' } });
    const summary = await run();
    expect(summary.invalid).toBe(1);
    expect(await lastRun()).toMatchObject({ succeeded: true, summary: { invalid: 1 } });
  });

  it('records a failed run with its error and what it had done', async () => {
    sim.graph.inject(
      { fault: { kind: 'slow', delayMs: 0 } },
      { fault: { kind: 'status', status: 500 }, times: 3 },
    );
    await expect(run()).rejects.toBeInstanceOf(GraphBadResponseError);
    expect(await lastRun()).toMatchObject({
      succeeded: false,
      error: expect.stringContaining('500'),
      summary: { periodsFetched: ['D7'], graphCalls: 4, blobsWritten: 0 },
    });
  });

  it('never fails a run when it cannot be written: the failure is logged', async () => {
    await run();
    await container().getBlobClient(LAST_RUN).getBlobLeaseClient().acquireLease(-1);
    const { logger, lines } = captureLogger();
    sim.graph.refreshDate = addDays(REFRESH, 1);
    expect(await run(logger)).toMatchObject({ blobsWritten: 1 });
    expect(lines).toContainEqual({
      level: 'error',
      message: expect.stringMatching(
        new RegExp(`^Could not record the run in ${LAST_RUN}: Blob Storage failed to write .*412`),
      ),
    });
  });
});

describe('rebuilding the index from the snapshots (--rebuild-index)', () => {
  it('after a simulated year of runs with restatements, gaps and invalid data, equals the index the runs kept', async () => {
    // The year 2025: a seed, weekly runs, two daily stretches, a 40-day outage of our runs (a
    // D90 backfill), a restatement on some days, invalid reports on others, and dates Graph never
    // had rows for. About 70 runs instead of 365: the merge does not care how the days came.
    const year = '2025-01-01';
    /** Daily runs; on `restated` days Graph restates after the first run, on `invalid` days it
     * serves an invalid report. */
    const dailyStretch = async (
      first: string,
      days: number,
      restated: number[],
      invalid: number[],
    ) => {
      for (const [day, date] of everyDays(first, 1, days).entries()) {
        sim.graph.refreshDate = date;
        if (invalid.includes(day)) {
          const bad = `Report Refresh Date,Report Date,Report Period,Audio,Video\r\n${date},${date},7,lots,1\r\n`;
          sim.graph.inject({ fault: { kind: 'csv', body: bad } });
          expect(await run()).toMatchObject({ invalid: 1 });
        }
        await run();
        if (restated.includes(day)) {
          sim.graph.csvTransform = restateAudio(day + 1);
          expect(await run()).toMatchObject({ restatementsKept: 1 });
          sim.graph.csvTransform = undefined;
        }
      }
    };
    await runOn(sim.graph, run, everyDays(year, 7, 13)); // to 2025-03-26
    await dailyStretch('2025-04-01', 14, [0, 5, 10], [3]);
    // Graph has no rows for three days in June; then our runs stop for 40 days.
    sim.graph.csvTransform = withoutReportDates('2025-06-10', '2025-06-12');
    await runOn(sim.graph, run, everyDays('2025-05-25', 7, 3));
    const resumed = await runOn(sim.graph, run, everyDays('2025-07-17', 7, 18)); // to 11-13
    expect(resumed[0]!.periodsFetched).toEqual(['D7', 'D90']);
    sim.graph.csvTransform = undefined;
    await dailyStretch('2025-12-18', 14, [6], [9]);

    const kept = (await download(INDEX)).toString('utf8');
    const snapshotsBefore = await snapshotBlobsIn(container());
    const sync = await rebuildHistoryIndexFromSettings(
      definition,
      suite.storage,
      captureLogger().logger,
    );
    const rebuilt = (await download(INDEX)).toString('utf8');
    expect(rebuilt).toBe(kept);
    expect(sync).toMatchObject({ rebuilt: 'asked to rebuild', written: false });
    expect(await snapshotBlobsIn(container())).toEqual(snapshotsBefore);

    const history = queryHistory(await storedIndex());
    expect(history.coverage).toEqual({ first: addDays(year, -179), last: '2025-12-31' });
    expect(history.missingDates).toEqual(['2025-06-10', '2025-06-11', '2025-06-12']);
    expect(snapshotsBefore.filter((blob) => blob.name.includes('.invalid-'))).toHaveLength(2);
    expect(snapshotsBefore.filter((blob) => blob.name.includes('.restated-'))).toHaveLength(4);
  }, 120_000);

  it('replaces an index that disagrees with the snapshots, and leaves the snapshots alone', async () => {
    await runOn(sim.graph, run, everyDays(REFRESH, 1, 3));
    // An index a faulty writer got wrong: it names every snapshot, so runs never revisit them.
    const kept = await storedIndex();
    const wrongEntry = {
      ...kept.entries[REFRESH]!,
      row: { ...kept.entries[REFRESH]!.row, audio: 1 },
    };
    const wrong = serializeIndex({ ...kept, entries: { ...kept.entries, [REFRESH]: wrongEntry } });
    await container().getBlockBlobClient(INDEX).upload(wrong, wrong.length);
    await run();
    expect(queryHistory(await storedIndex(), REFRESH, REFRESH).value[0]!.audio).toBe(1);

    const snapshotsBefore = await snapshotBlobsIn(container());
    const sync = await rebuildHistoryIndexFromSettings(
      definition,
      suite.storage,
      captureLogger().logger,
    );
    expect(sync).toMatchObject({ written: true, merged: 4, snapshots: 4, reportDates: 182 });
    expect(serializeIndex(await storedIndex())).toBe(serializeIndex(await indexFromSnapshots()));
    expect(serializeIndex(await storedIndex())).toBe(serializeIndex(kept));
    expect(await snapshotBlobsIn(container())).toEqual(snapshotsBefore);
  });
});
