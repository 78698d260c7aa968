import { SKYPE_RETIRED, type ServedReportDefinition } from '../definitions';
import { periodAndWindowRules } from './common';

/**
 * Skype for Business peer-to-peer sessions per day, by kind. Skype for Business Online was
 * retired in July 2021: most tenants get all-zero or empty reports (see
 * teams-user-activity-counts for the successor).
 *
 * CSV headers (Graph v1.0):
 * https://learn.microsoft.com/graph/api/reportroot-getskypeforbusinesspeertopeeractivitycounts?view=graph-rest-1.0
 * JSON keys (beta, `$format=application/json`):
 * https://learn.microsoft.com/graph/api/reportroot-getskypeforbusinesspeertopeeractivitycounts?view=graph-rest-beta
 */
export const skypeP2pActivityCounts: ServedReportDefinition = {
  graphFunction: 'getSkypeForBusinessPeerToPeerActivityCounts',
  routeSlug: 'skype-p2p-activity-counts',
  title: 'Skype for Business peer-to-peer sessions',
  successor: { routeSlug: 'teams-user-activity-counts', note: SKYPE_RETIRED },
  functionNames: {
    report: 'skypeP2pActivityCounts',
    history: 'skypeP2pActivityCountsHistory',
    chart: 'skypeP2pActivityCountsChart',
    status: 'skypeP2pActivityCountsStatus',
    dashboard: 'skypeP2pActivityCountsDashboard',
    dashboardIcon: 'skypeP2pActivityCountsDashboardIcon',
    snapshot: 'skypeP2pActivityCountsSnapshot',
  },
  blobPrefix: 'skype-p2p-activity-counts',
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
  // The calls people make and the chats they start; sharing and file transfer are rare.
  chartSeries: [
    { key: 'audio', label: 'Audio sessions', unit: 'count' },
    { key: 'video', label: 'Video sessions', unit: 'count' },
    { key: 'im', label: 'IM sessions', unit: 'count' },
  ],
};
