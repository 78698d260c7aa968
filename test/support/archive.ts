import { CATALOGUE } from '../../shared/reports/catalogue';
import type { ReportDefinition } from '../../shared/reports/definitions';
import { readSnapshotConfig } from '../../shared/config';
import { Logger } from '../../shared/common/logger';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import { SnapshotArchive } from '../../shared/archive/blobArchive';
import { runSnapshot, SnapshotJob, SnapshotSummary } from '../../shared/archive/snapshotJob';
import { MemoryEtagCache } from '../../shared/graph/etagCache';
import { ownGraphClient } from '../../shared/app/services';
import { snapshotJobFor } from '../../shared/app/snapshotJobs';
import { openContainer } from '../../shared/storage/blobContainers';
import { parseSnapshotName } from '../../shared/archive/blobNames';
import { ContainerClient } from '@azure/storage-blob';
import { addDays } from '../../shared/reports/dates';
import { captureLogger } from './logs';
import { azuriteSettings, BlobView, containerOf, listBlobs } from './azurite';
import { useGraph } from './graphSimulator';
import { useSettings } from './settings';

/**
 * Runs the real job from settings, as the timer function does, but with a cache of its own so
 * each run behaves like a fresh instance unless a test shares one.
 */
export function snapshotRunner(
  settings: () => Record<string, string>,
  cache = new MemoryEtagCache(),
  archiveType: typeof SnapshotArchive = SnapshotArchive,
) {
  return (logger: Logger = captureLogger().logger) => {
    const config = readSnapshotConfig(settings());
    const job: SnapshotJob = {
      ...snapshotJobFor(skypeP2pMinuteCounts, config, logger),
      graph: ownGraphClient(config.graph, logger, cache),
      archive: new archiveType(openContainer(config.storage, undefined), skypeP2pMinuteCounts),
    };
    return runSnapshot(job);
  };
}

/** Runs the job once on each refresh date, in order, as the days pass at the simulated Graph. */
export async function runOn(
  graph: { refreshDate: string },
  run: () => Promise<SnapshotSummary>,
  refreshDates: readonly string[],
): Promise<SnapshotSummary[]> {
  const summaries: SnapshotSummary[] = [];
  for (const refreshDate of refreshDates) {
    graph.refreshDate = refreshDate;
    summaries.push(await run());
  }
  return summaries;
}

/** `count` dates from `first`, `step` days apart. */
export function everyDays(first: string, step: number, count: number): string[] {
  return Array.from({ length: count }, (_, index) => addDays(first, index * step));
}

/** What the first run on an empty archive reports with SNAPSHOT_PERIODS=D7: D7 and a D180 seed. */
export function seedingRunSummary(reportRefreshDate: string): SnapshotSummary {
  return {
    periodsFetched: ['D7', 'D180'],
    blobsWritten: 2,
    skippedIdentical: 0,
    restatementsKept: 0,
    invalid: 0,
    graphCalls: 2,
    reportRefreshDate,
  };
}

/**
 * The snapshot blobs in a container: what the archive keeps, without the documents that change
 * beside them (the history index, the last-run record, the shared cache).
 */
export async function snapshotBlobsIn(
  container: ContainerClient,
  definitions: readonly ReportDefinition[] = CATALOGUE,
): Promise<BlobView[]> {
  return (await listBlobs(container)).filter((blob) =>
    definitions.some((definition) => parseSnapshotName(definition, blob.name) !== undefined),
  );
}

/** The names of the snapshot blobs in a container (of every catalogued report), sorted. */
export async function snapshotNamesIn(
  container: ContainerClient,
  definitions: readonly ReportDefinition[] = CATALOGUE,
): Promise<string[]> {
  return (await snapshotBlobsIn(container, definitions)).map((blob) => blob.name).sort();
}

/** A simulator `csvTransform`: Graph restating every row's audio minutes by `by`. */
export function restateAudio(by: number) {
  return (csv: string) =>
    csv.replace(
      /^(\d{4}-\d{2}-\d{2},\d{4}-\d{2}-\d{2},\d+,)(\d+)/gm,
      (_, head: string, audio: string) => `${head}${Number(audio) + by}`,
    );
}

/** A simulator `csvTransform`: Graph having no rows for report dates `first` to `last`. */
export function withoutReportDates(first: string, last: string) {
  return (csv: string) =>
    csv
      .split('\r\n')
      .filter((line, index) => {
        const reportDate = line.split(',')[1] ?? '';
        return index === 0 || !(reportDate >= first && reportDate <= last);
      })
      .join('\r\n');
}

/**
 * For suites of the functions that read the archive: a Graph simulator, a fresh Azurite
 * container per test as the only settings, and `run` to fill it with the real snapshot job.
 * Read `storage` inside hooks and tests.
 */
export function useArchiveSuite(refreshDate = '2026-11-26') {
  const sim = useGraph(refreshDate);
  const suite = { sim, storage: {} as ReturnType<typeof azuriteSettings> };
  beforeEach(() => {
    suite.storage = azuriteSettings();
  });
  useSettings(() => suite.storage);
  const run = snapshotRunner(() => ({ ...sim.settings, ...suite.storage }));
  return Object.assign(suite, { run });
}

/**
 * For suites of the snapshot job and what it writes (the snapshots, the history index): a Graph
 * simulator, a fresh Azurite container per test, the job's settings (D7, two storage tries) and
 * `run`. Read `storage` inside hooks and tests; a test may repoint `storage.SNAPSHOT_STORAGE`.
 */
export function useSnapshotJobSuite(refreshDate = '2026-11-26') {
  const sim = useGraph(refreshDate);
  const suite = { sim, storage: {} as ReturnType<typeof azuriteSettings> };
  beforeEach(() => {
    suite.storage = azuriteSettings();
  });
  const settings = () => ({
    ...sim.settings,
    ...suite.storage,
    SNAPSHOT_PERIODS: 'D7',
    STORAGE_MAX_TRIES: '2',
    STORAGE_TRY_TIMEOUT_MS: '2000',
  });
  const container = () => containerOf(suite.storage);
  return Object.assign(suite, {
    settings,
    run: snapshotRunner(settings),
    container,
    download: (name: string) => container().getBlobClient(name).downloadToBuffer(),
  });
}
