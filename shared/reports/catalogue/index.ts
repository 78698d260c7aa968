/**
 * The catalogue: every report this app can serve and archive, in the order of issue 19's table,
 * `skypeP2pMinuteCounts` first. The `REPORTS` setting picks from it (shared/config/reports.ts);
 * registration, the snapshot command, the demo and the simulator all read this one list.
 */
import { skypeP2pMinuteCounts, type ServedReportDefinition } from '../definitions';
import type { ReportExtras } from './common';
import { skypeP2pActivityCounts, skypeP2pActivityCountsExtras } from './skypeP2pActivityCounts';
import { skypeP2pUserCounts, skypeP2pUserCountsExtras } from './skypeP2pUserCounts';
import { teamsUserActivityCounts, teamsUserActivityCountsExtras } from './teamsUserActivityCounts';
import {
  teamsUserActivityUserCounts,
  teamsUserActivityUserCountsExtras,
} from './teamsUserActivityUserCounts';

export interface CatalogueEntry {
  readonly definition: ServedReportDefinition;
  readonly extras: ReportExtras;
}

/** The reports issue 19 adds, with their extras. */
export const catalogueAdditions: readonly CatalogueEntry[] = [
  { definition: skypeP2pActivityCounts, extras: skypeP2pActivityCountsExtras },
  { definition: skypeP2pUserCounts, extras: skypeP2pUserCountsExtras },
  { definition: teamsUserActivityCounts, extras: teamsUserActivityCountsExtras },
  { definition: teamsUserActivityUserCounts, extras: teamsUserActivityUserCountsExtras },
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
