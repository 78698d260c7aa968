/**
 * shared/archive owns the report archive in Blob Storage: where each snapshot lives (blobNames),
 * storing it create-only and never modifying it, with the metadata that describes it (this
 * module), what the stored snapshots cover and the one
 * backfill that closes a gap (backfill), and the run that ties Graph to the archive
 * (snapshotJob). It is handed its storage container (shared/storage) by the composition root
 * (shared/app), which also builds the job; nothing here knows the Functions runtime.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { ReportFormatError, StorageError } from '../common/errors';
import { Logger, silentLogger } from '../common/logger';
import { safeText } from '../common/logSafe';
import { settingDefinition } from '../config';
import { BoundedBody, readBounded } from '../storage/boundedRead';
import { isRestError, storageFailure } from '../storage/storageErrors';
import type { StorageContainer } from '../storage/blobContainers';
import { ReportDefinition, ReportPeriod } from '../reports/definitions';
import {
  parseSnapshotName,
  refreshDatePrefix,
  SnapshotKind,
  SnapshotName,
  snapshotBlobName,
} from './blobNames';

export interface StoredSnapshot extends SnapshotName {
  readonly metadata: Record<string, string>;
}

/** What the CSV says about itself, read once by the caller: it keys, counts and flags the blob. */
export type ReportReading =
  | {
      readonly valid: true;
      readonly refreshDate?: string;
      readonly rows: number;
      /** The report dates the rows span; absent when there are no rows. */
      readonly firstReportDate?: string;
      readonly lastReportDate?: string;
    }
  | { readonly valid: false; readonly problem: string; readonly refreshDate?: string };

/** One report as fetched, to be kept. */
export interface Snapshot {
  readonly period: ReportPeriod;
  /** The CSV exactly as Graph sent it. */
  readonly bytes: Buffer;
  readonly fetchedAt: Date;
  readonly etag?: string;
  readonly reading: ReportReading;
}

export interface StoreResult {
  /** written: a new blob; identical: these bytes were already kept; restated: kept beside
   * other bytes stored earlier for the same refresh date. */
  readonly outcome: 'written' | 'identical' | 'restated';
  /** The blob that holds these bytes now. */
  readonly name: string;
  readonly kind: SnapshotKind;
  /** Another run stored the same bytes between our look and our write. */
  readonly raced: boolean;
}

/** Blob metadata travels as HTTP headers: printable ASCII only, and kept short. */
export function headerSafe(value: string, maxLength = 1024): string {
  const safe = value.replace(/[^\x20-\x7e]/g, '?');
  return safe.length > maxLength ? `${safe.slice(0, maxLength - 3)}...` : safe;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The metadata a snapshot blob is created with; a blob is never modified, so this is all it ever
 * says about itself. Counts and dates only where the CSV could be read.
 */
export function snapshotMetadata(
  snapshot: Snapshot,
  sha256: string,
): Record<string, string> & { sha256: string } {
  const { period, reading } = snapshot;
  return {
    period,
    sha256,
    fetchedat: snapshot.fetchedAt.toISOString(),
    ...(snapshot.etag ? { graphetag: headerSafe(snapshot.etag) } : {}),
    ...(reading.refreshDate ? { reportrefreshdate: reading.refreshDate } : {}),
    ...(reading.valid
      ? {
          rows: String(reading.rows),
          ...(reading.firstReportDate ? { firstreportdate: reading.firstReportDate } : {}),
          ...(reading.lastReportDate ? { lastreportdate: reading.lastReportDate } : {}),
          valid: 'true',
        }
      : { valid: 'false', validationerror: headerSafe(reading.problem) }),
  };
}

/**
 * One report's snapshots in Blob Storage: listing them and storing new ones create-only, so a
 * blob once written is never overwritten or modified.
 */
const DEFAULT_MAX_DOWNLOAD_BYTES = Number(settingDefinition('GRAPH_MAX_DOWNLOAD_BYTES').default);

export class SnapshotArchive {
  private readonly container: ContainerClient;

  /**
   * `maxBlobBytes` bounds every snapshot read back (GRAPH_MAX_DOWNLOAD_BYTES: a snapshot holds
   * what one download could), so a blob swapped for a huge one cannot exhaust memory.
   */
  constructor(
    private readonly storage: StorageContainer,
    private readonly definition: ReportDefinition,
    private readonly maxBlobBytes = DEFAULT_MAX_DOWNLOAD_BYTES,
  ) {
    this.container = storage.client;
  }

  async prepare(): Promise<void> {
    try {
      await this.container.createIfNotExists();
    } catch (error) {
      throw this.failure(`create the container "${this.container.containerName}"`, error);
    }
  }

  /**
   * Every snapshot of this report whose name the archive recognises, in name order, with its
   * metadata (the history index needs `valid` and `fetchedat` to know which to read).
   */
  list(): Promise<StoredSnapshot[]> {
    return this.listPrefix(`${this.definition.blobPrefix}/`, true);
  }

  /** One snapshot's bytes and metadata, in one request. */
  async read(name: string): Promise<{ bytes: Buffer; metadata: Record<string, string> }> {
    let body: BoundedBody;
    let metadata: Record<string, string>;
    try {
      const response = await this.container.getBlobClient(name).download();
      body = await readBounded(response, this.maxBlobBytes);
      metadata = response.metadata ?? {};
    } catch (error) {
      throw this.failure(`read ${name}`, error);
    }
    if (body.kind === 'too-large') {
      // Not a report this service could have stored: unusable, like bytes that do not parse.
      throw new ReportFormatError(`${name} is ${body.detail} (GRAPH_MAX_DOWNLOAD_BYTES).`);
    }
    return { bytes: body.bytes, metadata };
  }

  /** Every copy held for one period and refresh date, with metadata (sha256 among it). */
  copiesOf(period: ReportPeriod, reportRefreshDate: string): Promise<StoredSnapshot[]> {
    return this.listPrefix(refreshDatePrefix(this.definition, period, reportRefreshDate), true);
  }

  async metadataOf(name: string): Promise<Record<string, string> | undefined> {
    try {
      return (await this.container.getBlobClient(name).getProperties()).metadata ?? {};
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404) return undefined;
      throw this.failure(`read ${name}`, error);
    }
  }

  /**
   * Keeps a fetched report, safe against a concurrent run doing the same: valid keyed bytes go
   * to `{date}.csv`, or beside it as a restatement when that name holds other bytes; invalid
   * bytes go beside their date (or to unkeyed/ with none), as does a report with no date.
   * Bytes already held for that period and date are not written again.
   */
  async store(snapshot: Snapshot, log: Logger = silentLogger): Promise<StoreResult> {
    const { period, reading } = snapshot;
    const sha256 = sha256Hex(snapshot.bytes);
    const metadata = snapshotMetadata(snapshot, sha256);
    const refreshDate = reading.refreshDate;
    const nameFor = (kind: SnapshotKind) =>
      snapshotBlobName(this.definition, period, kind, refreshDate, sha256);

    if (!reading.valid || !refreshDate) {
      const kind = !refreshDate ? 'unkeyed' : 'invalid';
      return this.storeHashNamed(nameFor(kind), kind, snapshot.bytes, metadata);
    }

    const copies = await this.copiesOf(period, refreshDate);
    const same = copies.find((copy) => copy.metadata.sha256 === sha256);
    if (same) return { outcome: 'identical', name: same.name, kind: same.kind, raced: false };
    // A stored hash can be wrong (edited metadata): before keeping our bytes as a restatement,
    // look at the copies' bytes themselves, so identical bytes are never stored twice.
    const misfiled = await this.copyWithBytes(copies, sha256);
    if (misfiled) {
      log.warn(
        `${misfiled.name} holds these very bytes but its sha256 metadata says ${safeText(misfiled.metadata.sha256 ?? '(none)')}; no restatement written.`,
      );
      return { outcome: 'identical', name: misfiled.name, kind: misfiled.kind, raced: false };
    }
    const original = nameFor('original');
    if (!copies.some((copy) => copy.name === original)) {
      const written = await this.writeOnce(original, snapshot.bytes, metadata);
      if (written !== 'different') {
        const outcome = written === 'created' ? 'written' : 'identical';
        return { outcome, name: original, kind: 'original', raced: written === 'identical' };
      }
      // A concurrent run stored other bytes for this date first: ours are a restatement.
    }
    const restated = await this.storeHashNamed(
      nameFor('restated'),
      'restated',
      snapshot.bytes,
      metadata,
    );
    return restated.outcome === 'written' ? { ...restated, outcome: 'restated' } : restated;
  }

  /** The copy whose bytes hash to `sha256` although its metadata says otherwise, if any. */
  private async copyWithBytes(
    copies: readonly StoredSnapshot[],
    sha256: string,
  ): Promise<StoredSnapshot | undefined> {
    for (const copy of copies) {
      if (copy.kind !== 'original' && copy.kind !== 'restated') continue;
      try {
        if (sha256Hex((await this.read(copy.name)).bytes) === sha256) return copy;
      } catch (error) {
        // Too large to be ours: it cannot hold the bytes we fetched.
        if (!(error instanceof ReportFormatError)) throw error;
      }
    }
    return undefined;
  }

  /** A name that carries the content's hash can only be taken by the same bytes; else loud. */
  private async storeHashNamed(
    name: string,
    kind: SnapshotKind,
    bytes: Buffer,
    metadata: Record<string, string> & { sha256: string },
  ): Promise<StoreResult> {
    const written = await this.writeOnce(name, bytes, metadata);
    if (written === 'different') {
      throw new StorageError(`${name} already holds different bytes; it is never overwritten.`);
    }
    const outcome = written === 'created' ? 'written' : 'identical';
    return { outcome, name, kind, raced: false };
  }

  /**
   * One atomic Put Blob with If-None-Match: * — it lands whole or not at all. When the name is
   * taken, says whether the blob there holds the same bytes (by its sha256 metadata).
   */
  private async writeOnce(
    name: string,
    bytes: Buffer,
    metadata: Record<string, string> & { sha256: string },
  ): Promise<'created' | 'identical' | 'different'> {
    if ((await this.createOnly(name, bytes, metadata)) === 'created') return 'created';
    return (await this.metadataOf(name))?.sha256 === metadata.sha256 ? 'identical' : 'different';
  }

  /** One atomic Put Blob with If-None-Match: *; 'exists' when the name is taken. */
  private async createOnly(
    name: string,
    bytes: Buffer,
    metadata: Record<string, string>,
  ): Promise<'created' | 'exists'> {
    try {
      await this.container.getBlockBlobClient(name).upload(bytes, bytes.length, {
        conditions: { ifNoneMatch: '*' },
        metadata,
        blobHTTPHeaders: { blobContentType: 'text/csv' },
      });
      return 'created';
    } catch (error) {
      // Only "the name is taken" means exists; any other conflict (a container being deleted)
      // is a failure, never a silent skip.
      const taken =
        isRestError(error) &&
        (error.statusCode === 412 ||
          (error.statusCode === 409 && error.code === 'BlobAlreadyExists'));
      if (taken) return 'exists';
      throw this.failure(`write ${name}`, error);
    }
  }

  private async listPrefix(prefix: string, withMetadata: boolean): Promise<StoredSnapshot[]> {
    const found: StoredSnapshot[] = [];
    try {
      for await (const blob of this.container.listBlobsFlat({
        prefix,
        includeMetadata: withMetadata,
      })) {
        const parsed = parseSnapshotName(this.definition, blob.name);
        if (parsed) found.push({ ...parsed, metadata: blob.metadata ?? {} });
      }
    } catch (error) {
      throw this.failure(`list ${prefix}`, error);
    }
    return found;
  }

  private failure(action: string, error: unknown): StorageError {
    return storageFailure(action, error, this.storage.connection);
  }
}
