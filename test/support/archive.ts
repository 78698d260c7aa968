import { randomUUID } from 'node:crypto';
import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { readSnapshotConfig } from '../../shared/config';
import { Logger } from '../../shared/common/logger';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import { SnapshotArchive } from '../../shared/archive/blobArchive';
import { archiveContainer } from '../../shared/archive/container';
import { runSnapshot, SnapshotJob, snapshotJobFromConfig } from '../../shared/archive/snapshotJob';
import { MemoryReportCache } from '../../shared/graph/etagCache';
import { createGraphClient } from '../../shared/graph/reportService';

// Read once at load: suites replace process.env with exactly the settings a test wants.
const testAzurite = process.env.TEST_AZURITE_CONNECTION_STRING;

export function azuriteConnectionString(): string {
  const connectionString = testAzurite;
  if (!connectionString)
    throw new Error('Azurite is started by jest globalSetup; run the tests with jest.');
  return connectionString;
}

/** A fresh container name per test, so suites never see each other's blobs. */
export function uniqueContainer(): string {
  return `test-${randomUUID().slice(0, 18)}`;
}

export function containerClient(
  name: string,
  connectionString = azuriteConnectionString(),
): ContainerClient {
  return BlobServiceClient.fromConnectionString(connectionString).getContainerClient(name);
}

export interface BlobView {
  name: string;
  metadata: Record<string, string>;
  contentType?: string;
}

export async function listBlobs(container: ContainerClient): Promise<BlobView[]> {
  const blobs: BlobView[] = [];
  for await (const blob of container.listBlobsFlat({ includeMetadata: true })) {
    blobs.push({
      name: blob.name,
      metadata: blob.metadata ?? {},
      contentType: blob.properties.contentType,
    });
  }
  return blobs;
}

export interface CapturedLog {
  level: 'info' | 'warn' | 'error';
  message: string;
}

export function captureLogger(onLine?: (line: CapturedLog) => void) {
  const lines: CapturedLog[] = [];
  const push =
    (level: CapturedLog['level']) =>
    (...args: unknown[]) => {
      const line = { level, message: args.map(String).join(' ') };
      lines.push(line);
      onLine?.(line);
    };
  const logger: Logger = { info: push('info'), warn: push('warn'), error: push('error') };
  return { logger, lines };
}

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
      ...snapshotJobFromConfig(config, logger),
      graph: createGraphClient(config.graph, logger, cache),
      archive: new archiveType(archiveContainer(config.storage), skypeP2pMinuteCounts),
    };
    return runSnapshot(job);
  };
}
