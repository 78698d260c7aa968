import { integerSetting, readStorageConfig } from '../config';
import { errorMessage, StorageError } from '../common/errors';
import { historyCoverage, missingDateSummary, newestRefreshDate } from '../archive/historyIndex';
import { HistoryView } from '../archive/historyReader';
import { ArchiveStatus, archiveStatus, MISSING_DATES_SHOWN, silentSince } from '../archive/status';
import { ReportDefinition } from '../reports/definitions';
import { COMMON_HEADERS } from './headers';
import { problemResponse } from './problem';
import type { EndpointResponse } from './reportEndpoint';
import type { ArchiveReading } from './archiveReading';

/**
 * `GET /api/reports/{slug}/status`, for monitors: the archive's coverage, newest refresh date,
 * missing dates and last snapshot run, and a verdict. 200 when healthy; 503 with the same
 * document otherwise, so a plain HTTP check alerts without parsing it. Never cached.
 */
export type ArchiveStatusDocument = ArchiveStatus & {
  /** What the history endpoint would find: see HistoryView; `unknown` when storage failed. */
  readonly historyIndex: HistoryView['state'] | 'unknown';
  /** Why storage was unavailable (never a secret: see storageFailure). */
  readonly detail?: string;
};

const HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  ...COMMON_HEADERS,
};

/**
 * The status document of one report's archive: what `.../status` answers and what the home page
 * shows for each report. A storage failure is a document (`storage-unavailable`); a missing or
 * invalid setting throws its ConfigError.
 */
export async function archiveStatusDocument(
  definition: ReportDefinition,
  { settings, log, readers, now = new Date() }: ArchiveReading,
): Promise<ArchiveStatusDocument> {
  const storage = readStorageConfig(settings);
  const staleAfterHours = integerSetting(settings, 'STATUS_STALE_AFTER_HOURS');
  const reader = readers.readerFor(storage, definition);
  try {
    const [view, lastRun] = await Promise.all([reader.view(), reader.lastRun(log)]);
    const index = view.state === 'ready' ? view.index : undefined;
    return {
      ...archiveStatus({
        coverage: index ? historyCoverage(index) : null,
        missingDates: index ? missingDateSummary(index, MISSING_DATES_SHOWN) : [],
        newestRefreshDate: index ? newestRefreshDate(index) : null,
        lastRun,
        now,
        staleAfterHours,
        silentSince: silentSince(definition, index, lastRun),
      }),
      historyIndex: view.state,
    };
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    log.warn(`Archive status: storage unavailable: ${errorMessage(error)}`);
    return {
      ...archiveStatus({
        storageAvailable: false,
        coverage: null,
        missingDates: [],
        newestRefreshDate: null,
        lastRun: null,
        now,
        staleAfterHours,
      }),
      historyIndex: 'unknown',
      detail: error.message,
    };
  }
}

export async function serveArchiveStatus(
  definition: ReportDefinition,
  { settings, log, readers, now = new Date() }: ArchiveReading,
): Promise<EndpointResponse> {
  try {
    const document = await archiveStatusDocument(definition, { settings, log, readers, now });
    return {
      status: document.healthy ? 200 : 503,
      headers: { ...HEADERS },
      body: JSON.stringify(document),
    };
  } catch (error) {
    return problemResponse(error, log, 'status');
  }
}
