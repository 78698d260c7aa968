import { skypeP2pMinuteCounts } from '../shared/reports/definitions';
import { registerReportFunctions } from './reports/reportFunctions';

/**
 * The app's entry (package.json `main`, beside openApi.ts): every report it serves, each given
 * its endpoints and its own snapshot timer by one helper. Another report is a definition in
 * shared/reports/definitions.ts and an entry here; nothing else in functions/ names a report.
 */
export const REPORTS = [skypeP2pMinuteCounts] as const;

for (const definition of REPORTS) registerReportFunctions(definition);
