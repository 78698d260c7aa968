import { RUN_RECORD_MAX_BYTES } from '../storage/boundedRead';
import { errorMessage } from '../common/errors';
import { Logger } from '../common/logger';
import { ReportDefinition } from '../reports/definitions';
import { ArchiveDocuments } from './archiveDocuments';
import { LastRun } from './status';

/**
 * The snapshot job's last run, kept at `{prefix}/_status/last-run.json` for the status endpoint:
 * when it started and finished, whether it succeeded, what it did, and the error if it threw.
 * Last writer wins: of two overlapping runs, the one that finished last is the last run.
 */
export function lastRunBlobName(definition: ReportDefinition): string {
  return `${definition.blobPrefix}/_status/last-run.json`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The record as stored, or undefined when it is not one (a monitor then sees no last run). */
export function parseLastRun(text: string): LastRun | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const { startedAt, finishedAt, succeeded, summary, error } = data as Record<string, unknown>;
  if (typeof startedAt !== 'string' || !ISO_INSTANT.test(startedAt)) return undefined;
  if (typeof finishedAt !== 'string' || !ISO_INSTANT.test(finishedAt)) return undefined;
  if (typeof succeeded !== 'boolean' || summary === undefined) return undefined;
  if (error !== undefined && typeof error !== 'string') return undefined;
  return { startedAt, finishedAt, succeeded, summary, ...(error !== undefined ? { error } : {}) };
}

export class RunRecords {
  private readonly name: string;

  constructor(
    private readonly documents: ArchiveDocuments,
    definition: ReportDefinition,
  ) {
    this.name = lastRunBlobName(definition);
  }

  /** Null when no run was recorded yet, or the record cannot be read as one (logged). */
  async last(log: Logger): Promise<LastRun | null> {
    const read = await this.documents.read(this.name, RUN_RECORD_MAX_BYTES);
    if (read.state === 'too-large') {
      log.warn(`${this.name} is ${read.detail}; treating it as absent.`);
      return null;
    }
    if (read.state !== 'found') return null;
    const run = parseLastRun(read.bytes.toString('utf8'));
    if (!run) log.warn(`${this.name} is not a run record; treating it as absent.`);
    return run ?? null;
  }

  /**
   * Records a run. Never throws: the record serves monitoring, and failing to write it must not
   * fail (or retry) a run that archived what it should; the failure is logged instead.
   */
  async record(run: LastRun, log: Logger): Promise<void> {
    try {
      await this.documents.write(this.name, JSON.stringify(run), { always: true });
    } catch (error) {
      log.error(`Could not record the run in ${this.name}: ${errorMessage(error)}`);
    }
  }
}
