import { HISTORY_INDEX_MAX_BYTES } from '../storage/boundedRead';
import { ReportFormatError, StorageError } from '../common/errors';
import { Logger } from '../common/logger';
import { parseReportCsv } from '../reports/csv';
import { ReportDefinition } from '../reports/definitions';
import { ArchiveDocuments, DocumentRead } from './archiveDocuments';
import { SnapshotArchive, StoredSnapshot } from './blobArchive';
import { parseSnapshotName } from './blobNames';
import {
  ArchivedSnapshot,
  Coverage,
  emptyHistoryIndex,
  HistoryIndex,
  historyCoverage,
  historyIndexBlobName,
  IndexParse,
  indexedBlobs,
  mergeIndexes,
  mergeSnapshot,
  newestRefreshDate,
  parseIndex,
  serializeIndex,
} from './historyIndex';

/**
 * The history index in Blob Storage: reading it with its ETag, and writing it so that concurrent
 * writers lose nothing (create with If-None-Match: *, replace with If-Match; on a conflict re-read,
 * merge and try again). The job keeps it current from the snapshots (`syncHistoryIndex`);
 * `rebuildHistoryIndex` recomputes it from all of them. Snapshot blobs are only ever read here.
 */

/** How a stored index was found. `unreadable` keeps its ETag, so a rebuild replaces just it. */
export type StoredIndex =
  | { readonly state: 'missing' }
  | {
      readonly state: 'unreadable';
      readonly reason: Extract<IndexParse, { ok: false }>['reason'];
      readonly detail: string;
      readonly etag: string;
    }
  | {
      readonly state: 'ready';
      readonly index: HistoryIndex;
      readonly etag: string;
      /** Its serialized form, to skip writing an index that did not change. */
      readonly text: string;
    };

/** Writers merge and retry this many times before the run fails (and its retry merges again). */
export const INDEX_WRITE_ATTEMPTS = 5;
/** Snapshot blobs read at once when (re)building: a ten-year rebuild reads thousands. */
const READ_CONCURRENCY = 8;

export class HistoryIndexStore {
  readonly blobName: string;

  constructor(
    private readonly documents: ArchiveDocuments,
    private readonly definition: ReportDefinition,
  ) {
    this.blobName = historyIndexBlobName(definition);
  }

  async read(): Promise<StoredIndex> {
    return this.interpret(await this.documents.read(this.blobName, HISTORY_INDEX_MAX_BYTES));
  }

  /** A found document as an index; `not-modified` never reaches here (no condition is sent). */
  interpret(read: DocumentRead): StoredIndex {
    // Too large to be an index of this archive: unreadable, so the rebuild replaces it.
    if (read.state === 'too-large') {
      return {
        state: 'unreadable',
        reason: 'corrupt',
        detail: `too large: ${read.detail}`,
        etag: read.etag,
      };
    }
    if (read.state !== 'found') return { state: 'missing' };
    const text = read.bytes.toString('utf8');
    const parsed = parseIndex(this.definition, text);
    if (!parsed.ok) {
      return { state: 'unreadable', reason: parsed.reason, detail: parsed.detail, etag: read.etag };
    }
    return { state: 'ready', index: parsed.index, etag: read.etag, text };
  }

  /**
   * Stores `index`, which must hold everything `basis` (the version it was derived from) held.
   * Nothing is written when it serializes to the bytes already stored. When another writer got
   * there first, its index is re-read and merged in: both writers' snapshots survive. An
   * unreadable stored index is replaced, as the caller's is complete.
   */
  async save(index: HistoryIndex, basis: StoredIndex): Promise<{ written: boolean }> {
    let current = basis;
    let wanted = index;
    for (let attempt = 1; attempt <= INDEX_WRITE_ATTEMPTS; attempt++) {
      const text = serializeIndex(wanted);
      if (current.state === 'ready' && current.text === text) return { written: false };
      const written = await this.documents.write(
        this.blobName,
        text,
        current.state === 'missing' ? { ifNoneMatch: '*' } : { ifMatch: current.etag },
      );
      if (written.state === 'written') return { written: true };
      current = await this.read();
      if (current.state === 'ready') wanted = mergeIndexes(current.index, wanted);
    }
    throw new StorageError(
      `The history index ${this.blobName} kept changing during ${INDEX_WRITE_ATTEMPTS} attempts to write it; the next run merges again.`,
    );
  }
}

/** What keeping the index current did, for logs and the rebuild command's line. */
export interface IndexSync {
  /** Why the index was built from scratch: it was missing, or unreadable (and why). */
  readonly rebuilt?: string;
  /** Snapshot blobs merged in this time. */
  readonly merged: number;
  /** Snapshot blobs the index holds now, and the report dates it has rows for. */
  readonly snapshots: number;
  readonly reportDates: number;
  readonly coverage: Coverage | null;
  readonly newestRefreshDate: string | null;
  readonly written: boolean;
  /** Snapshots read back that could not be used, by why (none: an empty object). */
  readonly unusable: Partial<Record<UnusableReason, number>>;
}

/**
 * A snapshot the index should hold: a keyed original or restatement, valid when stored. One
 * whose metadata was stripped (a copy tool can do that) is judged by its content instead.
 */
function worthIndexing({ kind, reportRefreshDate, metadata }: StoredSnapshot): boolean {
  return (
    (kind === 'original' || kind === 'restated') &&
    reportRefreshDate !== undefined &&
    (metadata.valid === 'true' || metadata.valid === undefined)
  );
}

/** Why a listed snapshot added nothing to the index, for the rebuild's line. */
export type UnusableReason = 'does-not-parse' | 'too-large';

/** A stored snapshot read back as the index merges it; bytes that no longer parse add nothing. */
async function readSnapshot(
  archive: SnapshotArchive,
  definition: ReportDefinition,
  name: string,
  log: Logger,
): Promise<ArchivedSnapshot & { readonly unusable?: UnusableReason }> {
  let read: Awaited<ReturnType<SnapshotArchive['read']>>;
  try {
    read = await archive.read(name);
  } catch (error) {
    if (!(error instanceof ReportFormatError)) throw error;
    log.warn(`${name} cannot be read back (${error.message}); not indexed.`);
    return { blob: name, fetchedAt: '', valid: false, rows: [], unusable: 'too-large' };
  }
  const { bytes, metadata } = read;
  const fetchedAt = metadata.fetchedat ?? '';
  const fetchedMs = Date.parse(fetchedAt);
  // Without metadata the content decides: the CSV carries its own refresh date.
  const fromContent = metadata.valid === undefined;
  try {
    // The period the blob was filed under is the one its rows must fit.
    const period = parseSnapshotName(definition, name)?.period;
    if (!period) throw new ReportFormatError(`${name} is not a snapshot of this report.`);
    // The rules judge the data as of its fetch, so a refresh date after it (an earlier version
    // archived such data) drops out here; without a readable fetch time, as of now.
    const asOf = Number.isNaN(fetchedMs) ? new Date() : new Date(fetchedMs);
    const parsed = parseReportCsv(definition, bytes, period, asOf);
    const keyed = parseSnapshotName(definition, name)?.reportRefreshDate;
    if (parsed.reportRefreshDate !== null && parsed.reportRefreshDate !== keyed) {
      throw new ReportFormatError(
        `its refresh date ${parsed.reportRefreshDate} is not the ${keyed ?? 'none'} its name says`,
      );
    }
    if (fromContent) log.warn(`${name} has no metadata; indexed from its content.`);
    return { blob: name, fetchedAt, valid: true, rows: parsed.rows };
  } catch (error) {
    if (!(error instanceof ReportFormatError)) throw error;
    const marked = fromContent ? 'has no metadata' : 'is marked valid';
    log.warn(`${name} ${marked} but does not parse now (${error.message}); not indexed.`);
    return { blob: name, fetchedAt, valid: false, rows: [], unusable: 'does-not-parse' };
  }
}

/** Runs `work` over `items`, `limit` at a time, keeping their order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface IndexSyncInput {
  readonly definition: ReportDefinition;
  readonly archive: SnapshotArchive;
  readonly store: HistoryIndexStore;
  /** The archive as listed (with metadata) by this run. */
  readonly listed: readonly StoredSnapshot[];
  /** Snapshots this run stored, already read: merged without reading them back. */
  readonly stored?: readonly ArchivedSnapshot[];
  /**
   * Snapshot names this run found already stored (another run wrote the same bytes): read back
   * when the index does not hold them, since their metadata is the other run's.
   */
  readonly found?: readonly string[];
  readonly log: Logger;
  /** Ignore the stored index and build from every snapshot listed. */
  readonly rebuild?: boolean;
}

/**
 * Brings the index up to date with the archive: every valid keyed snapshot listed or stored by
 * this run that the index does not hold yet is merged, so a run whose index write failed is
 * healed by the next. A missing or unreadable index is built from all snapshots.
 */
export async function syncHistoryIndex(input: IndexSyncInput): Promise<IndexSync> {
  const { definition, archive, store, log } = input;
  const current = await store.read();
  const rebuilt = input.rebuild
    ? 'asked to rebuild'
    : current.state === 'missing'
      ? 'there was none'
      : current.state === 'unreadable'
        ? `the stored one is unreadable (${current.reason}: ${current.detail})`
        : undefined;
  if (rebuilt && !input.rebuild)
    log.warn(`Building the history index from the snapshots: ${rebuilt}`);
  let index =
    current.state === 'ready' && !input.rebuild ? current.index : emptyHistoryIndex(definition);
  const held = new Set(indexedBlobs(index));
  let merged = 0;
  const mergeIn = (snapshot: ArchivedSnapshot) => {
    const before = index;
    index = mergeSnapshot(definition, index, snapshot);
    held.add(snapshot.blob);
    if (index !== before) merged++;
  };
  for (const snapshot of input.stored ?? []) {
    if (!held.has(snapshot.blob)) mergeIn(snapshot);
  }
  const toRead = [
    ...new Set([
      ...input.listed.filter(worthIndexing).map((snapshot) => snapshot.name),
      ...(input.found ?? []),
    ]),
  ].filter((name) => !held.has(name));
  const read = await mapLimit(toRead, READ_CONCURRENCY, (name) =>
    readSnapshot(archive, definition, name, log),
  );
  const unusable: Partial<Record<UnusableReason, number>> = {};
  for (const snapshot of read) {
    if (snapshot.unusable) unusable[snapshot.unusable] = (unusable[snapshot.unusable] ?? 0) + 1;
    mergeIn(snapshot);
  }
  const { written } = await store.save(index, current);
  return {
    ...(rebuilt ? { rebuilt } : {}),
    merged,
    snapshots: indexedBlobs(index).size,
    reportDates: Object.keys(index.entries).length,
    coverage: historyCoverage(index),
    newestRefreshDate: newestRefreshDate(index),
    written,
    unusable,
  };
}

/**
 * `npm run snapshot -- --rebuild-index`: the index recomputed from the snapshots alone (the
 * source of truth), replacing whatever is stored. Reads no Graph and never touches a snapshot.
 */
export async function rebuildHistoryIndex(
  definition: ReportDefinition,
  archive: SnapshotArchive,
  store: HistoryIndexStore,
  log: Logger,
): Promise<IndexSync> {
  await archive.prepare();
  const listed = await archive.list();
  return syncHistoryIndex({ definition, archive, store, listed, log, rebuild: true });
}

/** For log lines: what a sync did, in one sentence. */
export function describeIndexSync(sync: IndexSync): string {
  const span = sync.coverage ? `${sync.coverage.first} to ${sync.coverage.last}` : 'no dates';
  return `History index: ${sync.merged} snapshot(s) merged${sync.rebuilt ? ' (rebuilt)' : ''}, ${sync.snapshots} held, ${span}${sync.written ? '' : ', unchanged'}.`;
}
