import type { HistoryReaders } from '../archive/historyReader';
import type { Logger } from '../common/logger';
import type { Settings } from '../config';

/**
 * What every endpoint that reads the archive (history, status, chart, dashboard, home page) is
 * handed by its adapter, as one options object rather than a positional list each endpoint
 * would repeat: the settings, where to log, the process's history readers (the composition
 * root's, so an index read once is reused) and the clock (`now ?? new Date()`; tests fix it).
 */
export interface ArchiveReading {
  readonly settings: Settings;
  readonly log: Logger;
  readonly readers: HistoryReaders;
  readonly now?: Date;
}
