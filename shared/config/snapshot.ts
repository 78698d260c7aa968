import { ConfigError } from '../common/errors';
import { parsePeriod, REPORT_PERIODS, ReportPeriod } from '../reports/definitions';
import { GraphConfig, readGraphConfig } from './graph';
import { readStorageConfig, StorageConfig } from './storage';
import { integerSetting, Settings, textSetting } from './values';

/** Everything one run of the snapshot job needs. */
export interface SnapshotConfig {
  readonly graph: GraphConfig;
  readonly storage: StorageConfig;
  readonly periods: readonly ReportPeriod[];
  /** Budget for each Graph fetch of the snapshot job (longer than an HTTP request's). */
  readonly fetchTimeoutMs: number;
}

/** SNAPSHOT_PERIODS in the order given, without duplicates; empty entries are ignored. */
export function readSnapshotPeriods(settings: Settings): ReportPeriod[] {
  const raw = textSetting(settings, 'SNAPSHOT_PERIODS');
  const periods = new Set<ReportPeriod>();
  for (const part of raw.split(',').filter((entry) => entry.trim() !== '')) {
    const period = parsePeriod(part);
    if (!period) {
      throw new ConfigError(
        'SNAPSHOT_PERIODS',
        `"${part.trim()}" is not one of ${REPORT_PERIODS.join(', ')}.`,
      );
    }
    periods.add(period);
  }
  if (periods.size === 0) {
    throw new ConfigError(
      'SNAPSHOT_PERIODS',
      `lists no period; use some of ${REPORT_PERIODS.join(', ')}.`,
    );
  }
  return [...periods];
}

export function readSnapshotConfig(settings: Settings): SnapshotConfig {
  return {
    graph: readGraphConfig(settings),
    storage: readStorageConfig(settings),
    periods: readSnapshotPeriods(settings),
    fetchTimeoutMs: integerSetting(settings, 'SNAPSHOT_FETCH_TIMEOUT_MS'),
  };
}
