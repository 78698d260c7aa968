/**
 * The reports issue 19 adds, each with its extras, in the order of the table. Not
 * wired into the app yet: the composition root will take this list (with `skypeP2pMinuteCounts`
 * first) once the definition-driven registration lands.
 */
import type { ReportDefinition } from '../definitions';
import type { ReportExtras } from './common';
import { skypeP2pActivityCounts, skypeP2pActivityCountsExtras } from './skypeP2pActivityCounts';
import { skypeP2pUserCounts, skypeP2pUserCountsExtras } from './skypeP2pUserCounts';
import { teamsUserActivityCounts, teamsUserActivityCountsExtras } from './teamsUserActivityCounts';
import {
  teamsUserActivityUserCounts,
  teamsUserActivityUserCountsExtras,
} from './teamsUserActivityUserCounts';

export interface CatalogueEntry {
  readonly definition: ReportDefinition;
  readonly extras: ReportExtras;
}

export const catalogueAdditions: readonly CatalogueEntry[] = [
  { definition: skypeP2pActivityCounts, extras: skypeP2pActivityCountsExtras },
  { definition: skypeP2pUserCounts, extras: skypeP2pUserCountsExtras },
  { definition: teamsUserActivityCounts, extras: teamsUserActivityCountsExtras },
  { definition: teamsUserActivityUserCounts, extras: teamsUserActivityUserCountsExtras },
];
