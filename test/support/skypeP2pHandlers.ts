import { reportHandlers } from '../../functions/reports/reportFunctions';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';

/**
 * The handlers the app registers for the Skype report (functions/app.ts), under the names of
 * its functions: what the host calls, loading their code on first invocation as there.
 */
const handlers = reportHandlers(skypeP2pMinuteCounts);

export const skypeP2pMinuteCountsHandler = handlers.report;
export const skypeP2pMinuteCountsHistoryHandler = handlers.history;
export const skypeP2pArchiveStatusHandler = handlers.status;
export const skypeP2pMinuteCountsChartHandler = handlers.chart;
export const skypeP2pDashboardHandler = handlers.dashboard;
export const skypeP2pDashboardIconHandler = handlers.dashboardIcon;
export const skypeP2pSnapshotHandler = handlers.snapshot;
