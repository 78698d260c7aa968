import { readEnabledReports } from '../shared/config/reports';
import { registerReportFunctions, registerReportsDashboard } from './reports/reportFunctions';

/**
 * The app's entry (package.json `main`, beside openApi.ts): every report the `REPORTS` setting
 * enables (default: the whole catalogue, shared/reports/catalogue), each given its endpoints and
 * its own snapshot timer by one helper. Read once, at startup, as the host loads this file: a
 * report not enabled has no routes and no timer. An unknown slug throws its ConfigError here, so
 * the host reports the bad setting by name instead of serving a partial app. Another report is a
 * definition in the catalogue; nothing in functions/ names one. The home page lists them.
 */
export const REPORTS = readEnabledReports(process.env);

for (const definition of REPORTS) registerReportFunctions(definition);
// The home page, once, listing the reports just registered.
registerReportsDashboard(REPORTS);
