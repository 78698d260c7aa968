import type { ServedReportDefinition } from '../definitions';
import { periodAndWindowRules } from './common';

/**
 * Microsoft Teams users per day, by what they did (each counted once per kind of activity).
 * Report Period is the last column here, not the third.
 *
 * CSV headers (Graph v1.0):
 * https://learn.microsoft.com/graph/api/reportroot-getteamsuseractivityusercounts?view=graph-rest-1.0
 * JSON keys (beta, `$format=application/json`):
 * https://learn.microsoft.com/graph/api/reportroot-getteamsuseractivityusercounts?view=graph-rest-beta
 */
export const teamsUserActivityUserCounts: ServedReportDefinition = {
  graphFunction: 'getTeamsUserActivityUserCounts',
  routeSlug: 'teams-user-activity-user-counts',
  title: 'Microsoft Teams active users',
  functionNames: {
    report: 'teamsUserActivityUserCounts',
    history: 'teamsUserActivityUserCountsHistory',
    chart: 'teamsUserActivityUserCountsChart',
    status: 'teamsUserActivityUserCountsStatus',
    dashboard: 'teamsUserActivityUserCountsDashboard',
    dashboardIcon: 'teamsUserActivityUserCountsDashboardIcon',
    snapshot: 'teamsUserActivityUserCountsSnapshot',
  },
  blobPrefix: 'teams-user-activity-user-counts',
  columns: [
    { header: 'Report Refresh Date', key: 'reportRefreshDate', type: 'date' },
    { header: 'Report Date', key: 'reportDate', type: 'date' },
    { header: 'Team Chat Messages', key: 'teamChatMessages', type: 'integer' },
    { header: 'Private Chat Messages', key: 'privateChatMessages', type: 'integer' },
    { header: 'Calls', key: 'calls', type: 'integer' },
    { header: 'Meetings', key: 'meetings', type: 'integer' },
    { header: 'Other Actions', key: 'otherActions', type: 'integer' },
    { header: 'Report Period', key: 'reportPeriod', type: 'string' },
  ],
  refreshDateKey: 'reportRefreshDate',
  sortKey: 'reportDate',
  rules: [
    ...periodAndWindowRules,
    {
      id: 'non-negative-count',
      kind: 'non-negative-integer',
      keys: ['teamChatMessages', 'privateChatMessages', 'calls', 'meetings', 'otherActions'],
    },
  ],
  // Who talks to whom: the peer-to-peer successor's users, beside those in meetings.
  chartSeries: [
    { key: 'privateChatMessages', label: 'Users chatting privately', unit: 'count' },
    { key: 'calls', label: 'Users in calls', unit: 'count' },
    { key: 'meetings', label: 'Users in meetings', unit: 'count' },
  ],
};
