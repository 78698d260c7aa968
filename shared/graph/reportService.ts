import { GraphConfig } from '../config';
import { GraphReportClient } from './client';
import { Logger } from '../common/logger';
import { ReportCache } from './etagCache';
import { servicesForGraph } from '../app/services';

/**
 * @deprecated A bridge for shared/archive/snapshotJob.ts (and its test support) until they take
 * their Graph client from `servicesForGraph(config.graph)` in shared/app/services.ts; delete this
 * file then. It keeps their behaviour: the process's token provider and ETag cache for this
 * configuration (unless a cache is given), and a client of their own, so its `apiCalls` and log
 * are theirs.
 */
export function createGraphClient(
  config: GraphConfig,
  log: Logger,
  cache?: ReportCache,
): GraphReportClient {
  const services = servicesForGraph(config);
  return new GraphReportClient({
    config,
    tokens: services.tokens,
    cache: cache ?? services.etagCache,
    log,
  });
}
