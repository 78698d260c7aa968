import { ContainerClient, RestError } from '@azure/storage-blob';
import { errorMessage, StorageError } from '../common/errors';
import { ReportDefinition, ReportPeriod } from '../reports/definitions';
import { parseSnapshotName, refreshDatePrefix, SnapshotName } from './blobNames';

export interface StoredSnapshot extends SnapshotName {
  readonly metadata: Record<string, string>;
}

/** Blob metadata travels as HTTP headers: printable ASCII only, and kept short. */
export function headerSafe(value: string, maxLength = 1024): string {
  const safe = value.replace(/[^\x20-\x7e]/g, '?');
  return safe.length > maxLength ? `${safe.slice(0, maxLength - 3)}...` : safe;
}

function storageFailure(action: string, error: unknown): StorageError {
  // SDK errors can quote request URLs; keep what identifies the failure, nothing else.
  const detail =
    error instanceof RestError
      ? `${error.statusCode ?? 'no status'} ${error.code ?? error.name}`
      : (error as { name?: unknown } | null)?.name === 'AbortError'
        ? 'timed out'
        : errorMessage(error).split('\n')[0];
  return new StorageError(`Blob Storage failed to ${action}: ${detail}.`);
}

/** The archive's Blob I/O: listing snapshots and writing them create-only, never overwriting. */
export class SnapshotArchive {
  constructor(
    private readonly container: ContainerClient,
    private readonly definition: ReportDefinition,
  ) {}

  async prepare(): Promise<void> {
    try {
      await this.container.createIfNotExists();
    } catch (error) {
      throw storageFailure(`create the container "${this.container.containerName}"`, error);
    }
  }

  /** Every snapshot of this report whose name the archive recognises, in name order. */
  list(): Promise<StoredSnapshot[]> {
    return this.listPrefix(`${this.definition.blobPrefix}/`, false);
  }

  /** Every copy held for one period and refresh date, with metadata (sha256 among it). */
  copiesOf(period: ReportPeriod, reportRefreshDate: string): Promise<StoredSnapshot[]> {
    return this.listPrefix(refreshDatePrefix(this.definition, period, reportRefreshDate), true);
  }

  async metadataOf(name: string): Promise<Record<string, string> | undefined> {
    try {
      return (await this.container.getBlobClient(name).getProperties()).metadata ?? {};
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return undefined;
      throw storageFailure(`read ${name}`, error);
    }
  }

  /**
   * One atomic Put Blob with If-None-Match: * — it lands whole or not at all. When the name is
   * taken, says whether the blob there holds the same bytes (by its sha256 metadata).
   */
  async writeOnce(
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
        error instanceof RestError &&
        (error.statusCode === 412 ||
          (error.statusCode === 409 && error.code === 'BlobAlreadyExists'));
      if (taken) return 'exists';
      throw storageFailure(`write ${name}`, error);
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
      throw storageFailure(`list ${prefix}`, error);
    }
    return found;
  }
}
