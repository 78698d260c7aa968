import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../../../shared/reports/dates';
import { startAzurite } from '../../../tools/azurite';
import { StorageError, GraphBadResponseError } from '../../../shared/common/errors';
import { SnapshotArchive } from '../../../shared/archive/blobArchive';
import { captureLogger } from '../../support/logs';
import {
  seedingRunSummary,
  snapshotBlobsIn,
  snapshotNamesIn,
  snapshotRunner,
  useSnapshotJobSuite,
} from '../../support/archive';
import { useUnreachableStorage } from '../../support/unreachableStorage';

const unreachable = useUnreachableStorage();

const REFRESH = '2026-11-26';
const suite = useSnapshotJobSuite(REFRESH);
const { sim, settings, run, container, download } = suite;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// The snapshots; the index and the run record beside them are another suite's (historyStore).
const blobs = () => snapshotBlobsIn(container());
const blobNames = () => snapshotNamesIn(container());

describe('the snapshot job', () => {
  it('seeds an empty archive with D180 besides the configured D7, in two Graph calls', async () => {
    expect(await run()).toEqual(seedingRunSummary(REFRESH));
    expect(await blobNames()).toEqual([
      `skype-p2p-minute-counts/D180/${REFRESH}.csv`,
      `skype-p2p-minute-counts/D7/${REFRESH}.csv`,
    ]);
  });

  it('stores the bytes exactly as Graph sent them, BOM included, with descriptive metadata', async () => {
    await run();
    const name = `skype-p2p-minute-counts/D7/${REFRESH}.csv`;
    const stored = await download(name);
    const served = sim.graph.currentReport('D7');
    expect(stored.equals(served.bytes)).toBe(true);
    expect([...stored.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const blob = (await blobs()).find((candidate) => candidate.name === name)!;
    expect(blob.contentType).toBe('text/csv');
    expect(blob.metadata).toEqual({
      period: 'D7',
      reportrefreshdate: REFRESH,
      rows: '7',
      firstreportdate: addDays(REFRESH, -6),
      lastreportdate: REFRESH,
      sha256: sha256(stored),
      fetchedat: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      graphetag: served.etag,
      valid: 'true',
    });
  });

  it('does nothing on a second run for the same refresh date', async () => {
    await run();
    const before = await blobs();
    const summary = await run();
    expect(summary).toMatchObject({
      periodsFetched: ['D7'],
      blobsWritten: 0,
      skippedIdentical: 1,
      restatementsKept: 0,
      graphCalls: 1,
    });
    expect(await blobs()).toEqual(before);
  });

  it('keeps both versions when Graph restates a refresh date, and is a no-op again after', async () => {
    await run();
    const originalName = `skype-p2p-minute-counts/D7/${REFRESH}.csv`;
    const original = await download(originalName);
    sim.graph.csvTransform = (csv) =>
      csv.replace(
        /,(\d+),(\d+)\r\n/,
        (_, audio: string, video: string) => `,${Number(audio) + 1},${video}\r\n`,
      );

    const restated = await run();
    expect(restated).toMatchObject({ blobsWritten: 1, restatementsKept: 1, skippedIdentical: 0 });
    const restatedBytes = sim.graph.currentReport('D7').bytes;
    const restatedName = `skype-p2p-minute-counts/D7/${REFRESH}.restated-${sha256(restatedBytes).slice(0, 12)}.csv`;
    expect(await blobNames()).toContain(restatedName);
    expect((await download(originalName)).equals(original)).toBe(true);
    expect((await download(restatedName)).equals(restatedBytes)).toBe(true);

    const again = await run();
    expect(again).toMatchObject({ blobsWritten: 0, restatementsKept: 0, skippedIdentical: 1 });
    expect(await blobNames()).toHaveLength(3);
  });

  it.each([
    [5, ['D7']],
    [20, ['D7', 'D30']],
    [40, ['D7', 'D90']],
    [120, ['D7', 'D180']],
    [400, ['D7', 'D180']],
  ])('after a gap of %i days fetches %p: at most one backfill', async (gapDays, periods) => {
    sim.graph.refreshDate = addDays(REFRESH, -gapDays);
    await run();
    sim.graph.refreshDate = REFRESH;
    const summary = await run();
    expect(summary.periodsFetched).toEqual(periods);
    expect(summary.graphCalls).toBe(periods.length);
    expect(summary.blobsWritten).toBe(periods.length);
  });

  it('backfills nothing while the configured periods cover the gap', async () => {
    const wide = snapshotRunner(() => ({ ...settings(), SNAPSHOT_PERIODS: 'D7,D90' }));
    sim.graph.refreshDate = addDays(REFRESH, -60);
    expect((await wide()).periodsFetched).toEqual(['D7', 'D90', 'D180']);
    sim.graph.refreshDate = REFRESH;
    expect((await wide()).periodsFetched).toEqual(['D7', 'D90']);
  });

  it("covers a young tenant's whole period though Graph has rows for only some days: no daily backfill", async () => {
    const tenantStart = addDays(REFRESH, -2);
    // Graph has no rows for days before the tenant existed, in every period it serves.
    sim.graph.csvTransform = (csv) =>
      csv
        .split('\r\n')
        .filter((line, index) => index === 0 || line === '' || line.split(',')[1]! >= tenantStart)
        .join('\r\n');
    expect((await run()).periodsFetched).toEqual(['D7', 'D180']);
    for (let day = 1; day <= 7; day++) {
      sim.graph.refreshDate = addDays(REFRESH, day);
      expect((await run()).periodsFetched).toEqual(['D7']);
    }
    const metadata = (date: string, period = 'D7') =>
      blobs().then(
        (all) =>
          all.find((blob) => blob.name === `skype-p2p-minute-counts/${period}/${date}.csv`)
            ?.metadata,
      );
    expect(await metadata(REFRESH, 'D180')).toMatchObject({
      rows: '3',
      firstreportdate: tenantStart,
      lastreportdate: REFRESH,
    });
    expect(await metadata(addDays(REFRESH, 1))).toMatchObject({
      rows: '4',
      firstreportdate: tenantStart,
      lastreportdate: addDays(REFRESH, 1),
    });
  });

  it('stores an invalid report flagged valid=false beside its refresh date, logs it, and does not throw', async () => {
    await run();
    const bad = `Report Refresh Date,Report Date,Report Period,Audio,Video\r\n${REFRESH},${REFRESH},7,lots,1\r\n`;
    sim.graph.inject({ fault: { kind: 'csv', body: bad } });
    const { logger, lines } = captureLogger();
    const summary = await run(logger);
    expect(summary).toMatchObject({ invalid: 1, blobsWritten: 1 });
    const name = `skype-p2p-minute-counts/D7/${REFRESH}.invalid-${sha256(Buffer.from(bad)).slice(0, 12)}.csv`;
    const blob = (await blobs()).find((candidate) => candidate.name === name);
    expect(blob?.metadata).toMatchObject({
      valid: 'false',
      validationerror: 'Line 2: "Audio" should be a whole number, got "lots".',
      reportrefreshdate: REFRESH,
    });
    for (const unknown of ['rows', 'firstreportdate', 'lastreportdate']) {
      expect(blob?.metadata[unknown]).toBeUndefined();
    }
    expect((await download(name)).toString()).toBe(bad);
    expect(lines.some((line) => line.level === 'error' && line.message.includes(name))).toBe(true);
  });

  it.each(['2030-06-01', '9999-12-30'])(
    'stores a report refreshed in the future (%s) as invalid, never in the index (defect 2) [graph-fault]',
    async (future) => {
      const bad = `Report Refresh Date,Report Date,Report Period,Audio,Video\r\n${future},${future},7,1,1\r\n`;
      sim.graph.inject({ fault: { kind: 'csv', body: bad } });
      const summary = await run();
      expect(summary).toMatchObject({ invalid: 1 });
      const name = `skype-p2p-minute-counts/D7/${future}.invalid-${sha256(Buffer.from(bad)).slice(0, 12)}.csv`;
      const blob = (await blobs()).find((candidate) => candidate.name === name);
      expect(blob?.metadata.valid).toBe('false');
      expect(blob?.metadata.validationerror).toContain('(rule refresh-date-not-future)');
      // The index is written (the run merges what it listed) and names nothing of that date.
      const text = (await download('skype-p2p-minute-counts/_index/history-v1.json')).toString();
      expect(text).toContain('"version":1');
      expect(text).not.toContain(future);
    },
  );

  it('writes no false restatement when a stored sha256 is wrong, and logs it (defect 11) [bad-input]', async () => {
    await run();
    const before = await blobNames();
    const original = (await blobs()).find((blob) => blob.name.endsWith(`D7/${REFRESH}.csv`))!;
    await container()
      .getBlobClient(original.name)
      .setMetadata({ ...original.metadata, sha256: '0'.repeat(64) });
    const { logger, lines } = captureLogger();
    const summary = await run(logger);
    expect(summary).toMatchObject({ restatementsKept: 0, blobsWritten: 0 });
    expect(await blobNames()).toEqual(before);
    expect(
      lines.some(
        (line) =>
          line.level === 'warn' && line.message.includes(`${original.name} holds these very bytes`),
      ),
    ).toBe(true);
  });

  it('stores a report whose columns drifted as invalid, naming the missing column', async () => {
    await run();
    sim.graph.csvTransform = (csv) => csv.replace('Video', 'Video Minutes');
    const summary = await run();
    expect(summary.invalid).toBe(1);
    const invalid = (await blobs()).find((blob) => blob.name.includes('.invalid-'));
    expect(invalid?.metadata.validationerror).toContain('"Video" is missing');
  });

  it('writes one blob per refresh date when runs overlap', async () => {
    const summaries = await Promise.all([run(), run(), run()]);
    expect(await blobNames()).toEqual([
      `skype-p2p-minute-counts/D180/${REFRESH}.csv`,
      `skype-p2p-minute-counts/D7/${REFRESH}.csv`,
    ]);
    const total = (key: 'blobsWritten' | 'skippedIdentical' | 'restatementsKept') =>
      summaries.reduce((sum, summary) => sum + summary[key], 0);
    expect(total('blobsWritten')).toBe(2);
    expect(total('skippedIdentical')).toBe(4);
    expect(total('restatementsKept')).toBe(0);
  });

  it('fails on a Graph failure, writing nothing and counting the calls it made', async () => {
    sim.graph.inject({ fault: { kind: 'status', status: 500 }, times: 3 });
    const failed = run();
    await expect(failed).rejects.toBeInstanceOf(GraphBadResponseError);
    expect(sim.graph.apiCalls).toBe(3);
    expect(await container().exists()).toBe(true);
    expect(await blobNames()).toEqual([]);
  });

  it('fails quickly and calls no Graph when storage is unreachable', async () => {
    suite.storage.SNAPSHOT_STORAGE = unreachable.connectionString();
    const started = Date.now();
    await expect(run()).rejects.toBeInstanceOf(StorageError);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sim.graph.apiCalls).toBe(0);
  });

  it('fails loudly when storage dies mid-run, leaves no partial blob, and the next run completes the archive', async () => {
    const location = mkdtempSync(join(tmpdir(), 'azurite-persist-'));
    let azurite = await startAzurite({ location });
    suite.storage.SNAPSHOT_STORAGE = azurite.connectionString;
    try {
      const { logger } = captureLogger((line) => {
        if (line.message.startsWith('Stored ')) {
          azurite.child.kill('SIGKILL');
          // Hold the job until the emulator is gone, so its next write meets a dead server.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
        }
      });
      await expect(run(logger)).rejects.toBeInstanceOf(StorageError);

      await azurite.stop(); // already dead: this only clears its scratch folder
      // The same blobs, on a port of its own: the old one may have been taken meanwhile.
      azurite = await startAzurite({ location });
      suite.storage.SNAPSHOT_STORAGE = azurite.connectionString;
      const summary = await run();
      expect(summary.blobsWritten + summary.skippedIdentical).toBe(2);
      const stored = await blobs();
      expect(stored.map((blob) => blob.name).sort()).toEqual([
        `skype-p2p-minute-counts/D180/${REFRESH}.csv`,
        `skype-p2p-minute-counts/D7/${REFRESH}.csv`,
      ]);
      for (const blob of stored) {
        const bytes = await download(blob.name);
        expect(sha256(bytes)).toBe(blob.metadata.sha256);
        expect(
          bytes.equals(sim.graph.currentReport(blob.metadata.period as 'D7' | 'D180').bytes),
        ).toBe(true);
      }
      expect((await run()).blobsWritten).toBe(0);
    } finally {
      await azurite.stop();
      rmSync(location, { recursive: true, force: true });
    }
  });

  describe('when another run wrote between our look and our write', () => {
    /** An archive whose view of existing copies is always empty, as a racing run's would be. */
    class StaleArchive extends SnapshotArchive {
      override copiesOf() {
        return Promise.resolve([]);
      }
    }
    const racing = snapshotRunner(settings, undefined, StaleArchive);

    it('finds the same bytes under the name and writes nothing', async () => {
      await run();
      const before = await blobs();
      const summary = await racing();
      expect(summary).toMatchObject({ blobsWritten: 0, skippedIdentical: 1 });
      expect(await blobs()).toEqual(before);
    });

    it('keeps different bytes as a restatement, never overwriting the winner', async () => {
      await run();
      const original = await download(`skype-p2p-minute-counts/D7/${REFRESH}.csv`);
      sim.graph.csvTransform = (csv) =>
        csv.replace(/,(\d+)\r\n/, (_, video: string) => `,${Number(video) + 1}\r\n`);
      const summary = await racing();
      expect(summary).toMatchObject({ blobsWritten: 1, restatementsKept: 1 });
      expect((await download(`skype-p2p-minute-counts/D7/${REFRESH}.csv`)).equals(original)).toBe(
        true,
      );
      expect((await blobNames()).filter((name) => name.includes('.restated-'))).toHaveLength(1);
    });

    it('fails loudly if a hash-named blob holds other bytes, rather than skipping', async () => {
      const served = sim.graph.currentReport('D7').bytes;
      const sha = sha256(served);
      await container().createIfNotExists();
      for (const name of [`${REFRESH}.csv`, `${REFRESH}.restated-${sha.slice(0, 12)}.csv`]) {
        await container()
          .getBlockBlobClient(`skype-p2p-minute-counts/D7/${name}`)
          .upload('other', 5, { metadata: { sha256: 'f'.repeat(64) } });
      }
      await expect(racing()).rejects.toThrow(
        /already holds different bytes; it is never overwritten/,
      );
    });
  });

  it.each([
    [
      'a header-only report as valid',
      '\uFEFFReport Refresh Date,Report Date,Report Period,Audio,Video\r\n',
      { invalid: 0 },
      { valid: 'true', rows: '0' },
    ],
    [
      'an invalid report with no readable refresh date as invalid',
      'Report Date,Audio\r\n2026-11-26,5\r\n',
      { invalid: 1 },
      {
        valid: 'false',
        validationerror: expect.stringContaining('"Report Refresh Date" is missing'),
      },
    ],
  ])(
    'stores %s under unkeyed/, with no dates it cannot know, and does not fail',
    async (_, body, counts, metadata) => {
      await run();
      sim.graph.inject({ fault: { kind: 'csv', body } });
      expect(await run()).toMatchObject({ ...counts, blobsWritten: 1 });
      const name = `skype-p2p-minute-counts/D7/unkeyed/${sha256(Buffer.from(body)).slice(0, 12)}.csv`;
      const blob = (await blobs()).find((candidate) => candidate.name === name);
      expect(blob?.metadata).toMatchObject({ ...metadata, period: 'D7' });
      for (const unknown of ['reportrefreshdate', 'firstreportdate', 'lastreportdate']) {
        expect(blob?.metadata[unknown]).toBeUndefined();
      }
    },
  );

  it('fetches the backfill again on the next run when it came back invalid', async () => {
    sim.graph.refreshDate = addDays(REFRESH, -40);
    await run();
    sim.graph.refreshDate = REFRESH;
    // The D7 fetch is served normally; the D90 backfill (the second API call) is garbage.
    sim.graph.inject(
      { fault: { kind: 'slow', delayMs: 0 } },
      { fault: { kind: 'csv', body: 'not,a,report\r\n1,2,3\r\n' } },
    );
    const broken = await run();
    expect(broken).toMatchObject({ periodsFetched: ['D7', 'D90'], invalid: 1 });
    const repaired = await run();
    expect(repaired.periodsFetched).toEqual(['D7', 'D90']);
    expect(repaired.invalid).toBe(0);
    expect(await run()).toMatchObject({ periodsFetched: ['D7'] });
  });

  it('fails loudly when the container disappears mid-archive, rather than skipping', async () => {
    await run();
    await container().delete();
    sim.graph.refreshDate = addDays(REFRESH, 1);
    const failing = snapshotRunner(
      settings,
      undefined,
      class extends SnapshotArchive {
        override prepare() {
          return Promise.resolve();
        }
      },
    );
    await expect(failing()).rejects.toBeInstanceOf(StorageError);
  });
});
