import { settingDefinition } from '../config';
import { readBounded } from '../storage/boundedRead';
import { createHash } from 'node:crypto';
import type { BlobLeaseClient, ContainerClient } from '@azure/storage-blob';
import { errorMessage } from '../common/errors';
import { Logger } from '../common/logger';
import { ReportDefinition, ReportPeriod } from '../reports/definitions';

/**
 * The cache shared by every instance, in the archive container: the freshest good CSV per period
 * at `{prefix}/_cache/{period}.cache`, and a separate empty `{period}.lock` blob whose lease says
 * which instance is fetching from Graph (a lease cannot be taken on a missing blob, and leasing
 * the cache blob itself would block its own update). Names under `_cache/` never parse as
 * snapshots. Every call here may fail; the caller falls back to memory and Graph.
 */
export interface SharedCopy {
  /** The CSV exactly as Graph sent it. */
  readonly bytes: Buffer;
  /** When Graph last confirmed these bytes (epoch ms). */
  readonly confirmedAt: number;
  readonly graphEtag?: string;
  /** The blob's own ETag: what a poller compares to see a new copy. */
  readonly blobEtag: string;
}

export type SharedRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'corrupt'; readonly reason: string; readonly blobEtag: string }
  | { readonly kind: 'copy'; readonly copy: SharedCopy };

export interface FetchLock {
  /** Ends the lease, so waiting instances stop polling at once. Never throws. */
  release(): Promise<void>;
}

export const LOCK_LEASE_SECONDS = 30;

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const DEFAULT_MAX_DOWNLOAD_BYTES = Number(settingDefinition('GRAPH_MAX_DOWNLOAD_BYTES').default);
/** How far ahead of this clock another instance's may run before its copy is not believed. */
export const CLOCK_SKEW_MS = 60_000;

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}

export class SharedReportCache {
  /** Periods whose lock blob is known to exist. */
  private readonly lockBlobs = new Set<ReportPeriod>();

  constructor(
    private readonly container: ContainerClient,
    private readonly definition: ReportDefinition,
    private readonly log: Logger,
    /** A copy holds what one download could: GRAPH_MAX_DOWNLOAD_BYTES. */
    private readonly maxCopyBytes = DEFAULT_MAX_DOWNLOAD_BYTES,
    private readonly now: () => number = Date.now,
  ) {}

  cacheBlobName(period: ReportPeriod): string {
    return `${this.definition.blobPrefix}/_cache/${period}.cache`;
  }

  lockBlobName(period: ReportPeriod): string {
    return `${this.definition.blobPrefix}/_cache/${period}.lock`;
  }

  /** The shared copy, checked against its sha256; `absent` when none was written yet. */
  async read(period: ReportPeriod): Promise<SharedRead> {
    try {
      // One GET: the bytes, metadata and ETag of the same version of the blob.
      const response = await this.container.getBlobClient(this.cacheBlobName(period)).download();
      const metadata = response.metadata ?? {};
      const blobEtag = response.etag ?? '';
      // Checked before it is hashed or parsed: a huge copy would block the event loop per request.
      const body = await readBounded(response, this.maxCopyBytes);
      if (body.kind === 'too-large') {
        return { kind: 'corrupt', reason: `it is ${body.detail}`, blobEtag };
      }
      const { bytes } = body;
      if (metadata.sha256 !== sha256(bytes)) {
        return { kind: 'corrupt', reason: 'its bytes do not match its sha256', blobEtag };
      }
      const confirmedAt = Date.parse(metadata.fetchedat ?? '');
      if (Number.isNaN(confirmedAt)) {
        return { kind: 'corrupt', reason: 'it has no readable fetchedat', blobEtag };
      }
      // A copy from the future would be fresh forever; a minute allows for clock skew.
      if (confirmedAt > this.now() + CLOCK_SKEW_MS) {
        return { kind: 'corrupt', reason: 'its fetchedat is in the future', blobEtag };
      }
      const copy: SharedCopy = metadata.graphetag
        ? { bytes, confirmedAt, graphEtag: metadata.graphetag, blobEtag }
        : { bytes, confirmedAt, blobEtag };
      return { kind: 'copy', copy };
    } catch (error) {
      if (statusOf(error) === 404) return { kind: 'absent' };
      throw error;
    }
  }

  /** The cache blob's ETag without its bytes, for pollers; undefined when absent. */
  async etag(period: ReportPeriod): Promise<string | undefined> {
    try {
      return (await this.container.getBlobClient(this.cacheBlobName(period)).getProperties()).etag;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Replaces the shared copy (the freshest good CSV wins: callers write only good bytes). */
  async write(
    period: ReportPeriod,
    copy: { bytes: Buffer; confirmedAt: number; graphEtag?: string },
  ): Promise<void> {
    const metadata: Record<string, string> = {
      fetchedat: new Date(copy.confirmedAt).toISOString(),
      sha256: sha256(copy.bytes),
    };
    // Blob metadata travels as a header: only a printable ETag is kept.
    if (copy.graphEtag && /^[\x20-\x7e]{1,512}$/.test(copy.graphEtag)) {
      metadata.graphetag = copy.graphEtag;
    }
    const blob = this.container.getBlockBlobClient(this.cacheBlobName(period));
    await this.withContainer(() =>
      blob.upload(copy.bytes, copy.bytes.length, {
        metadata,
        blobHTTPHeaders: { blobContentType: 'text/csv' },
      }),
    );
  }

  /** Runs a write, creating the container once if it does not exist yet (a fresh account). */
  private async withContainer<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: string } | null)?.code !== 'ContainerNotFound') throw error;
      await this.container.createIfNotExists();
      return write();
    }
  }

  /**
   * Takes the fetch lock for a period, or answers undefined when another instance holds it.
   * The lease is renewed while held, so a long fetch keeps it; a holder that dies lets it
   * expire within LOCK_LEASE_SECONDS and another instance takes over.
   */
  async tryLock(
    period: ReportPeriod,
    leaseSeconds = LOCK_LEASE_SECONDS,
  ): Promise<FetchLock | undefined> {
    const lockBlob = this.container.getBlockBlobClient(this.lockBlobName(period));
    const lease: BlobLeaseClient = lockBlob.getBlobLeaseClient();
    const createLockBlob = async () => {
      try {
        await this.withContainer(() =>
          lockBlob.upload(Buffer.alloc(0), 0, { conditions: { ifNoneMatch: '*' } }),
        );
      } catch (error) {
        // 409/412: it exists already (the usual case); anything else is a real failure.
        if (statusOf(error) !== 409 && statusOf(error) !== 412) throw error;
      }
      this.lockBlobs.add(period);
    };
    // The lock blob is made once; after that a fetch costs one lease call, not two.
    if (!this.lockBlobs.has(period)) await createLockBlob();
    try {
      await lease.acquireLease(leaseSeconds);
    } catch (error) {
      if (statusOf(error) === 409) {
        if (!(await this.breakStuckLock(period, lease))) return undefined;
        try {
          await lease.acquireLease(leaseSeconds);
        } catch (retryError) {
          if (statusOf(retryError) === 409) return undefined;
          throw retryError;
        }
      } else if (statusOf(error) !== 404) throw error;
      else {
        // Deleted since (a cleaned container): make it again and try once more.
        this.lockBlobs.delete(period);
        await createLockBlob();
        try {
          await lease.acquireLease(leaseSeconds);
        } catch (retryError) {
          if (statusOf(retryError) === 409) return undefined;
          throw retryError;
        }
      }
    }
    const renewal = setInterval(
      () => {
        lease.renewLease().catch((error: unknown) => {
          this.log.warn(`Could not renew the ${period} fetch lock: ${errorMessage(error)}`);
        });
      },
      (leaseSeconds * 1000) / 3,
    );
    renewal.unref();
    return {
      release: async () => {
        clearInterval(renewal);
        try {
          await lease.releaseLease();
        } catch (error) {
          // It expires by itself; a failed release only delays the next fetcher.
          this.log.warn(`Could not release the ${period} fetch lock: ${errorMessage(error)}`);
        }
      },
    };
  }

  /**
   * Breaks the lease on the lock blob when no instance of ours can hold it: ours are fixed
   * leases renewed while held, so an infinite one was taken by something else (a tool, a
   * person) and would make every request wait out its deadline. True when it was broken.
   */
  private async breakStuckLock(period: ReportPeriod, lease: BlobLeaseClient): Promise<boolean> {
    const properties = await this.container
      .getBlobClient(this.lockBlobName(period))
      .getProperties();
    if (properties.leaseState !== 'leased' || properties.leaseDuration !== 'infinite') return false;
    await lease.breakLease(0);
    this.log.warn(
      `Broke the ${period} fetch lock ${this.lockBlobName(period)}: it held an infinite lease, which no instance of this service takes.`,
    );
    return true;
  }

  /** Whether some instance holds the fetch lock now (an infinite lease is stuck, not held). */
  async isLocked(period: ReportPeriod): Promise<boolean> {
    try {
      const properties = await this.container
        .getBlobClient(this.lockBlobName(period))
        .getProperties();
      return properties.leaseState === 'leased' && properties.leaseDuration !== 'infinite';
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }
}
