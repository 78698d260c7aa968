import { HISTORY_INDEX_MAX_BYTES } from '../storage/boundedRead';
import { StorageConfig } from '../config';
import type { StorageContainers } from '../storage/blobContainers';
import { Logger } from '../common/logger';
import { REPORT_PERIODS, ReportDefinition } from '../reports/definitions';
import { ArchiveDocuments } from './archiveDocuments';
import { HistoryIndex, historyIndexBlobName, parseIndex } from './historyIndex';
import { RunRecords } from './runRecord';
import { LastRun } from './status';

/**
 * What the history and status endpoints read: the history index, held in memory with its ETag
 * and revalidated with a conditional GET (304: answered from memory), and the last run record.
 * Requests never build or repair the index: that is the snapshot job's (or `--rebuild-index`'s).
 */
export type HistoryView =
  | { readonly state: 'ready'; readonly index: HistoryIndex }
  /** No index and no snapshots: an archive that has not started yet. */
  | { readonly state: 'none' }
  /** Snapshots but no index: the next snapshot run (or `--rebuild-index`) writes it. */
  | { readonly state: 'missing' }
  /** An index that cannot be read; the next snapshot run rebuilds it. */
  | { readonly state: 'unreadable'; readonly detail: string };

export class HistoryReader {
  /** The last index read and its ETag: what a 304 answers from. */
  private held: { readonly etag: string; readonly index: HistoryIndex } | undefined;
  private readonly indexName: string;
  readonly runs: RunRecords;

  constructor(
    private readonly documents: ArchiveDocuments,
    private readonly definition: ReportDefinition,
  ) {
    this.indexName = historyIndexBlobName(definition);
    this.runs = new RunRecords(documents, definition);
  }

  /** One conditional GET of the index; with no index, one list call to tell `none` from `missing`. */
  async view(): Promise<HistoryView> {
    const held = this.held;
    const read = await this.documents.read(this.indexName, HISTORY_INDEX_MAX_BYTES, held?.etag);
    if (read.state === 'not-modified' && held) return { state: 'ready', index: held.index };
    if (read.state === 'too-large') {
      this.held = undefined;
      return { state: 'unreadable', detail: `too large: ${read.detail}` };
    }
    if (read.state === 'found') {
      const parsed = parseIndex(this.definition, read.bytes);
      if (parsed.ok) {
        this.held = { etag: read.etag, index: parsed.index };
        return { state: 'ready', index: parsed.index };
      }
      this.held = undefined;
      return { state: 'unreadable', detail: `${parsed.reason}: ${parsed.detail}` };
    }
    this.held = undefined;
    return (await this.hasSnapshots()) ? { state: 'missing' } : { state: 'none' };
  }

  lastRun(log: Logger): Promise<LastRun | null> {
    return this.runs.last(log);
  }

  /** A period folder exists: snapshot names are the only blobs under `{prefix}/D{n}/`. */
  private async hasSnapshots(): Promise<boolean> {
    const prefix = `${this.definition.blobPrefix}/`;
    const folders = new Set(await this.documents.foldersUnder(prefix));
    return REPORT_PERIODS.some((period) => folders.has(`${prefix}${period}/`));
  }
}

/**
 * The readers of one process, one per storage configuration and report, so the index held in
 * memory is reused by every request that reaches the same archive. Built once by the composition
 * root over its containers (so readers share their configuration's client and credential), never
 * a hidden module singleton.
 */
export class HistoryReaders {
  private readonly readers = new Map<string, HistoryReader>();

  constructor(private readonly containers: StorageContainers) {}

  readerFor(storage: StorageConfig, definition: ReportDefinition): HistoryReader {
    const key = JSON.stringify([this.containers.keyOf(storage), definition.blobPrefix]);
    let reader = this.readers.get(key);
    if (!reader) {
      reader = new HistoryReader(
        new ArchiveDocuments(this.containers.containerFor(storage)),
        definition,
      );
      this.readers.set(key, reader);
    }
    return reader;
  }
}
