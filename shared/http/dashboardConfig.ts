/**
 * What the dashboard's page script (dashboardScript.ts, compiled for the browser) is started
 * with: written into the page by dashboard.ts as escaped JSON, read by the script as
 * `DASHBOARD`. Types only, so both builds can import it.
 */
import type { FigureSeries } from './chartFigures';

export interface DashboardConfig {
  /** The report's route, e.g. `/api/reports/skype-p2p-minute-counts`. */
  readonly basePath: string;
  /** The function key, carried into every request; null without one. */
  readonly code: string | null;
  /** The status known when rendering (the status endpoint's document), or null. */
  readonly status: unknown;
  /** Move the range to end at the newest day the status reports, until the user picks one. */
  readonly followNewest: boolean;
  readonly rangeDays: number;
  readonly maxDays: number;
  /** Ranges longer than this are weekly unless the user picks daily. */
  readonly weeklyAfterDays: number;
  /** What the chart draws and the figures sum, from the report's definition. */
  readonly series: readonly FigureSeries[];
  /** Said with the silent-source notice, for a report whose source was retired; else null. */
  readonly successor: DashboardSuccessor | null;
}

/** A retired source's successor (the definition's `successor`), as the page links it. */
export interface DashboardSuccessor {
  /** Its route slug, the link's text. */
  readonly routeSlug: string;
  /** Why, e.g. `Skype for Business Online was retired in 2021`. */
  readonly note: string;
  /** Its dashboard's path when this app serves it (the page adds the key); null when not. */
  readonly dashboardPath: string | null;
}
