import { readSnapshotConfig } from '../../shared/config';
import { Logger } from '../../shared/common/logger';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import { SnapshotArchive } from '../../shared/archive/blobArchive';
import {
  runSnapshot,
  SnapshotJob,
  snapshotJobFromConfig,
  SnapshotSummary,
} from '../../shared/archive/snapshotJob';
import { MemoryReportCache } from '../../shared/graph/etagCache';
import { createGraphClient } from '../../shared/graph/reportService';
import { parseSnapshotName } from '../../shared/archive/blobNames';
import { ContainerClient } from '@azure/storage-blob';
import { captureLogger } from './logs';
import { BlobView, listBlobs } from './azurite';

/**
 * Runs the real job from settings, as the timer function does, but with a cache of its own so
 * each run behaves like a fresh instance unless a test shares one.
 */
export function snapshotRunner(
  settings: () => Record<string, string>,
  cache = new MemoryReportCache(),
  archiveType: typeof SnapshotArchive = SnapshotArchive,
) {
  return (logger: Logger = captureLogger().logger) => {
    const config = readSnapshotConfig(settings());
    const job: SnapshotJob = {
      ...snapshotJobFromConfig(skypeP2pMinuteCounts, config, logger),
      graph: createGraphClient(config.graph, logger, cache),
      archive: new archiveType(config.storage, skypeP2pMinuteCounts),
    };
    return runSnapshot(job);
  };
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
export async function snapshotBlobsIn(container: ContainerClient): Promise<BlobView[]> {
  return (await listBlobs(container)).filter(
    (blob) => parseSnapshotName(skypeP2pMinuteCounts, blob.name) !== undefined,
  );
}

/** The names of the snapshot blobs in a container, sorted. */
export async function snapshotNamesIn(container: ContainerClient): Promise<string[]> {
  return (await snapshotBlobsIn(container)).map((blob) => blob.name).sort();
}
