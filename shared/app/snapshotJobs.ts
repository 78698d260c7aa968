import { readSnapshotConfig, readStorageConfig, Settings, SnapshotConfig } from '../config';
import { Logger } from '../common/logger';
import { ReportDefinition } from '../reports/definitions';
import { SnapshotArchive } from '../archive/blobArchive';
import { ArchiveDocuments } from '../archive/archiveDocuments';
import { HistoryIndexStore, IndexSync, rebuildHistoryIndex } from '../archive/historyStore';
import { RunRecords } from '../archive/runRecord';
import {
  emptySummary,
  failedRun,
  runSnapshot,
  SnapshotJob,
  SnapshotSummary,
} from '../archive/snapshotJob';
import { processRegistry, ServiceRegistry } from './services';

/**
 * The snapshot job wired from configuration: what the timer function, the command and the demo
 * all run. Its archive, documents and history store share one container (and so one credential)
 * with the history readers and the shared report copy of the same storage.
 */
export function snapshotJobFor(
  definition: ReportDefinition,
  config: SnapshotConfig,
  log: Logger,
  registry: ServiceRegistry = processRegistry(),
): SnapshotJob {
  const container = registry.containerFor(config.storage);
  const documents = new ArchiveDocuments(container);
  return {
    definition,
    periods: config.periods,
    graph: registry.ownGraphClient(config.graph, log),
    archive: new SnapshotArchive(container, definition, config.graph.maxDownloadBytes),
    history: new HistoryIndexStore(documents, definition),
    runs: new RunRecords(documents, definition),
    fetchTimeoutMs: config.fetchTimeoutMs,
    log,
  };
}

/** Reads the settings and runs the job; a bad setting fails the run before anything is asked. */
export async function runSnapshotFromSettings(
  definition: ReportDefinition,
  settings: Settings,
  log: Logger,
  registry: ServiceRegistry = processRegistry(),
): Promise<SnapshotSummary> {
  let job: SnapshotJob;
  try {
    job = {
      ...snapshotJobFor(definition, readSnapshotConfig(settings), log, registry),
      // The live endpoint's cache: the run spends its budget and warms its shared copy.
      cache: registry.reportCacheFor(settings, definition),
    };
  } catch (error) {
    throw failedRun(error, emptySummary());
  }
  return runSnapshot(job);
}

/**
 * `npm run snapshot -- --rebuild-index`: the history index recomputed from every snapshot and
 * stored in place of the current one. Needs only the archive's settings: Graph is not asked.
 */
export function rebuildHistoryIndexFromSettings(
  definition: ReportDefinition,
  settings: Settings,
  log: Logger,
  registry: ServiceRegistry = processRegistry(),
): Promise<IndexSync> {
  const container = registry.containerFor(readStorageConfig(settings));
  const store = new HistoryIndexStore(new ArchiveDocuments(container), definition);
  return rebuildHistoryIndex(definition, new SnapshotArchive(container, definition), store, log);
}
