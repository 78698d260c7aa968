import { integerSetting, Settings } from './values';

/** How often Graph may be asked: freshness, stale serving and the per-instance call budget. */
export interface CacheConfig {
  /** REPORT_CACHE_SECONDS: served without asking Graph; 0 asks every time. */
  readonly cacheSeconds: number;
  /** REPORT_STALE_SECONDS: how long the last good report may stand in for a failing Graph. */
  readonly staleSeconds: number;
  /** GRAPH_CALL_BUDGET: report calls per 10 minutes per instance; 0 = off. */
  readonly callBudget: number;
  /** GRAPH_APP_CALL_BUDGET: the same across all of the app's reports; 0 = off. */
  readonly appCallBudget: number;
}

export function readCacheConfig(settings: Settings): CacheConfig {
  return {
    cacheSeconds: integerSetting(settings, 'REPORT_CACHE_SECONDS'),
    staleSeconds: integerSetting(settings, 'REPORT_STALE_SECONDS'),
    callBudget: integerSetting(settings, 'GRAPH_CALL_BUDGET'),
    appCallBudget: integerSetting(settings, 'GRAPH_APP_CALL_BUDGET'),
  };
}
