import { readBounded } from '../storage/boundedRead';
import { isRestError, storageFailure } from '../storage/storageErrors';
import type { StorageContainer } from '../storage/blobContainers';

/**
 * The archive's documents: JSON blobs kept beside the snapshots that, unlike them, change (the
 * history index under `_index/`, the last run under `_status/`). Reads can be conditional, so a
 * reader that holds the current bytes is answered 304 without them; writes carry a condition, so
 * concurrent writers find out instead of overwriting each other.
 */
export type DocumentRead =
  | { readonly state: 'missing' }
  /** The ETag asked with still holds: the caller's copy is current. */
  | { readonly state: 'not-modified' }
  | { readonly state: 'found'; readonly bytes: Buffer; readonly etag: string }
  /** Larger than the caller's limit for such a document: not read, so unreadable. */
  | { readonly state: 'too-large'; readonly detail: string; readonly etag: string };

/**
 * `ifNoneMatch: '*'` creates only; `ifMatch` replaces only the version read; `always` is last
 * writer wins (for records where that is the meaning).
 */
export type WriteCondition =
  { readonly ifNoneMatch: '*' } | { readonly ifMatch: string } | { readonly always: true };

export type DocumentWrite =
  | { readonly state: 'written'; readonly etag: string }
  /** The condition failed: someone else created, replaced or deleted it since it was read. */
  | { readonly state: 'conflict' };

/** A report's folder holds one per period and a few of its own: one page lists them all. */
const MAX_FOLDERS_LISTED = 100;

export class ArchiveDocuments {
  constructor(private readonly storage: StorageContainer) {}

  /**
   * One GET; with `ifNoneMatch`, a 304 costs no body. A missing container is a missing blob. A
   * body over `maxBytes` (what such a document can hold) is not read: see `readBounded`.
   */
  async read(name: string, maxBytes: number, ifNoneMatch?: string): Promise<DocumentRead> {
    try {
      const response = await this.storage.client
        .getBlobClient(name)
        .download(0, undefined, ifNoneMatch ? { conditions: { ifNoneMatch } } : {});
      const etag = response.etag ?? '';
      const body = await readBounded(response, maxBytes);
      if (body.kind === 'too-large') return { state: 'too-large', detail: body.detail, etag };
      return { state: 'found', bytes: body.bytes, etag };
    } catch (error) {
      if (isRestError(error) && error.statusCode === 304) return { state: 'not-modified' };
      if (isRestError(error) && error.statusCode === 404) return { state: 'missing' };
      throw storageFailure(`read ${name}`, error, this.storage.connection);
    }
  }

  async write(name: string, json: string, condition: WriteCondition): Promise<DocumentWrite> {
    const conditions =
      'ifNoneMatch' in condition
        ? { ifNoneMatch: '*' }
        : 'ifMatch' in condition
          ? { ifMatch: condition.ifMatch }
          : {};
    try {
      const bytes = Buffer.from(json, 'utf8');
      const response = await this.storage.client
        .getBlockBlobClient(name)
        .upload(bytes, bytes.length, {
          conditions,
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
      return { state: 'written', etag: response.etag ?? '' };
    } catch (error) {
      if (isConflict(error, condition)) return { state: 'conflict' };
      throw storageFailure(`write ${name}`, error, this.storage.connection);
    }
  }

  /**
   * The folders directly under `prefix` (`{prefix}D7/`, `{prefix}_index/`...): one list call,
   * whatever the number of blobs inside them. A missing container holds none.
   */
  async foldersUnder(prefix: string): Promise<string[]> {
    try {
      const pages = this.storage.client
        .listBlobsByHierarchy('/', { prefix })
        .byPage({ maxPageSize: MAX_FOLDERS_LISTED });
      const first = await pages.next();
      if (first.done) return [];
      return (first.value.segment.blobPrefixes ?? []).map((folder) => folder.name);
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404) return [];
      throw storageFailure(`list ${prefix}`, error, this.storage.connection);
    }
  }
}

/**
 * Only "the condition failed" is a conflict: 412 ConditionNotMet for either condition, 409
 * BlobAlreadyExists for a create, 404 BlobNotFound for a replace (deleted since it was read). A
 * lease held on the blob (412 LeaseIdMissing), a missing container or any other status is a
 * failure, never a silent retry.
 */
function isConflict(error: unknown, condition: WriteCondition): boolean {
  if (!isRestError(error) || 'always' in condition) return false;
  if (error.statusCode === 412) return error.code === 'ConditionNotMet';
  if ('ifNoneMatch' in condition) {
    return error.statusCode === 409 && error.code === 'BlobAlreadyExists';
  }
  return error.statusCode === 404 && error.code === 'BlobNotFound';
}
