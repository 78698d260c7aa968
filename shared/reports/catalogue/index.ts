/**
 * The catalogue: every report this app can serve and archive, in the order of issue 19's table,
 * `skypeP2pMinuteCounts` first. The `REPORTS` setting picks from it (shared/config/reports.ts);
 * registration, the snapshot command, the demo and the simulator all read this one list.
 */
import { skypeP2pMinuteCounts, type ServedReportDefinition } from '../definitions';
import { skypeP2pActivityCounts } from './skypeP2pActivityCounts';
import { skypeP2pUserCounts } from './skypeP2pUserCounts';
import { teamsUserActivityCounts } from './teamsUserActivityCounts';
import { teamsUserActivityUserCounts } from './teamsUserActivityUserCounts';

export interface CatalogueEntry {
  readonly definition: ServedReportDefinition;
}

/** The reports issue 19 adds. */
export const catalogueAdditions: readonly CatalogueEntry[] = [
  { definition: skypeP2pActivityCounts },
  { definition: skypeP2pUserCounts },
  { definition: teamsUserActivityCounts },
  { definition: teamsUserActivityUserCounts },
];

/** Every catalogued report, the first report first: `REPORTS`' default. */
export const CATALOGUE: readonly ServedReportDefinition[] = [
  skypeP2pMinuteCounts,
  ...catalogueAdditions.map((entry) => entry.definition),
];

/** The catalogued report at this route slug, if any. */
export function catalogueReport(slug: string): ServedReportDefinition | undefined {
  return CATALOGUE.find((definition) => definition.routeSlug === slug);
}
