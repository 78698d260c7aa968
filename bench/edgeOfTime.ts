import { BlobServiceClient } from '@azure/storage-blob';
import { snapshotBlobName } from '../shared/archive/blobNames';
import {
  emptyHistoryIndex,
  historyIndexBlobName,
  mergeSnapshot,
  serializeIndex,
} from '../shared/archive/historyIndex';
import { skypeP2pMinuteCounts } from '../shared/reports/definitions';
import { load, LoadSummary } from './loadGen';

/**
 * The load run's edge-of-time phase: the requests of issue 16's defects (1) and (6) sent while
 * the host is under load. History and chart at 9999-12-31 once never answered and took the
 * process down; a status over an index with entries at both ends of the date range once took
 * seconds and hundreds of MB per call. Now each must answer (no timeout, no 500) and the p99 of
 * the load beside them must stay near the p99 without them.
 */
export interface EdgeOfTimeFigures {
  readonly sent: number;
  /** Requests that timed out, failed to connect, or answered 500. */
  readonly failed: number;
  readonly statuses: Record<string, number>;
  readonly p99WithoutMs: number;
  readonly p99WithMs: number;
}

const EDGE_PATHS = [
  'history?from=9999-12-31',
  'history?to=9999-12-31&format=csv',
  'history?from=9999-12-31&to=9999-12-31',
  'history?from=9999-12-25&to=9999-12-30',
  'chart?from=9999-12-31',
  'status',
];
const EDGE_TIMEOUT_MS = 10_000;

/** An index holding rows at 2000-01-01 and 9999-12-30: the status's worst case of defect (6). */
export async function seedEdgeIndex(connectionString: string, container: string): Promise<void> {
  const definition = skypeP2pMinuteCounts;
  let index = emptyHistoryIndex(definition);
  for (const date of ['2000-01-01', '9999-12-30']) {
    const blob = snapshotBlobName(definition, 'D7', 'original', date, '0'.repeat(64));
    const row = {
      reportRefreshDate: date,
      reportDate: date,
      reportPeriod: '7',
      audio: 1,
      video: 1,
    };
    index = mergeSnapshot(definition, index, {
      blob,
      fetchedAt: '2026-01-01T00:00:00.000Z',
      valid: true,
      rows: [row],
    });
  }
  const client =
    BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
  await client.createIfNotExists();
  const text = serializeIndex(index);
  await client
    .getBlockBlobClient(historyIndexBlobName(definition))
    .upload(text, Buffer.byteLength(text));
}

export async function edgeOfTime(
  base: string,
  loadUrl: string,
  seconds: number,
  connections: number,
): Promise<EdgeOfTimeFigures> {
  const without: LoadSummary = await load(loadUrl, { connections, durationSeconds: seconds });
  const statuses: Record<string, number> = {};
  let sent = 0;
  let failed = 0;
  let running = true;
  const sender = (async () => {
    while (running) {
      for (const path of EDGE_PATHS) {
        sent++;
        try {
          const response = await fetch(`${base}/api/reports/skype-p2p-minute-counts/${path}`, {
            signal: AbortSignal.timeout(EDGE_TIMEOUT_MS),
          });
          await response.arrayBuffer();
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          if (response.status === 500) failed++;
        } catch {
          failed++;
        }
      }
    }
  })();
  const beside = await load(loadUrl, { connections, durationSeconds: seconds });
  running = false;
  await sender;
  return {
    sent,
    failed,
    statuses,
    p99WithoutMs: without.latencyP99Ms,
    p99WithMs: beside.latencyP99Ms,
  };
}
