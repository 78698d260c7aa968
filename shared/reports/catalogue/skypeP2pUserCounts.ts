import { SKYPE_RETIRED, type ServedReportDefinition } from '../definitions';
import { periodAndWindowRules } from './common';

/**
 * Users taking part in Skype for Business peer-to-peer sessions per day, by kind. Skype for
 * Business Online was retired in July 2021: most tenants get all-zero or empty reports (see
 * teams-user-activity-user-counts for the successor).
 *
 * CSV headers (Graph v1.0):
 * https://learn.microsoft.com/graph/api/reportroot-getskypeforbusinesspeertopeeractivityusercounts?view=graph-rest-1.0
 * JSON keys (beta, `$format=application/json`):
 * https://learn.microsoft.com/graph/api/reportroot-getskypeforbusinesspeertopeeractivityusercounts?view=graph-rest-beta
 */
export const skypeP2pUserCounts: ServedReportDefinition = {
  graphFunction: 'getSkypeForBusinessPeerToPeerActivityUserCounts',
  routeSlug: 'skype-p2p-user-counts',
  title: 'Skype for Business peer-to-peer users',
  successor: { routeSlug: 'teams-user-activity-user-counts', note: SKYPE_RETIRED },
  functionNames: {
    report: 'skypeP2pUserCounts',
    history: 'skypeP2pUserCountsHistory',
    chart: 'skypeP2pUserCountsChart',
    status: 'skypeP2pUserCountsStatus',
    dashboard: 'skypeP2pUserCountsDashboard',
    dashboardIcon: 'skypeP2pUserCountsDashboardIcon',
    snapshot: 'skypeP2pUserCountsSnapshot',
  },
  blobPrefix: 'skype-p2p-user-counts',
  columns: [
    { header: 'Report Refresh Date', key: 'reportRefreshDate', type: 'date' },
    { header: 'Report Date', key: 'reportDate', type: 'date' },
    { header: 'Report Period', key: 'reportPeriod', type: 'string' },
    { header: 'IM', key: 'im', type: 'integer' },
    { header: 'Audio', key: 'audio', type: 'integer' },
    { header: 'Video', key: 'video', type: 'integer' },
    { header: 'App Sharing', key: 'appSharing', type: 'integer' },
    { header: 'File Transfer', key: 'fileTransfer', type: 'integer' },
  ],
  refreshDateKey: 'reportRefreshDate',
  sortKey: 'reportDate',
  rules: [
    ...periodAndWindowRules,
    {
      id: 'non-negative-count',
      kind: 'non-negative-integer',
      keys: ['im', 'audio', 'video', 'appSharing', 'fileTransfer'],
    },
  ],
  chartSeries: [
    { key: 'im', label: 'Users in IM', unit: 'count' },
    { key: 'audio', label: 'Users in audio', unit: 'count' },
    { key: 'video', label: 'Users in video', unit: 'count' },
  ],
};
