import type { ServedReportDefinition } from '../definitions';
import { periodAndWindowRules } from './common';

/**
 * Microsoft Teams activity per day: messages, calls and meetings counted, and the time spent in
 * audio, video and screen sharing as ISO 8601 durations (`PT1H2M3S`). The successor of the Skype
 * for Business peer-to-peer reports. Report Period is the last column here, not the third.
 *
 * CSV headers (Graph v1.0):
 * https://learn.microsoft.com/graph/api/reportroot-getteamsuseractivitycounts?view=graph-rest-1.0
 * JSON keys (beta, `$format=application/json`; the duration keys as Graph spells them in
 * teamsUserActivityUserDetail):
 * https://learn.microsoft.com/graph/api/reportroot-getteamsuseractivitycounts?view=graph-rest-beta
 */
export const teamsUserActivityCounts: ServedReportDefinition = {
  graphFunction: 'getTeamsUserActivityCounts',
  routeSlug: 'teams-user-activity-counts',
  title: 'Microsoft Teams activity',
  functionNames: {
    report: 'teamsUserActivityCounts',
    history: 'teamsUserActivityCountsHistory',
    chart: 'teamsUserActivityCountsChart',
    status: 'teamsUserActivityCountsStatus',
    dashboard: 'teamsUserActivityCountsDashboard',
    dashboardIcon: 'teamsUserActivityCountsDashboardIcon',
    snapshot: 'teamsUserActivityCountsSnapshot',
  },
  blobPrefix: 'teams-user-activity-counts',
  columns: [
    { header: 'Report Refresh Date', key: 'reportRefreshDate', type: 'date' },
    { header: 'Report Date', key: 'reportDate', type: 'date' },
    { header: 'Team Chat Messages', key: 'teamChatMessages', type: 'integer' },
    { header: 'Post Messages', key: 'postMessages', type: 'integer' },
    { header: 'Reply Messages', key: 'replyMessages', type: 'integer' },
    { header: 'Private Chat Messages', key: 'privateChatMessages', type: 'integer' },
    { header: 'Calls', key: 'calls', type: 'integer' },
    { header: 'Meetings', key: 'meetings', type: 'integer' },
    { header: 'Audio Duration', key: 'audioDuration', type: 'duration' },
    { header: 'Video Duration', key: 'videoDuration', type: 'duration' },
    { header: 'Screen Share Duration', key: 'screenShareDuration', type: 'duration' },
    { header: 'Meetings Organized', key: 'meetingsOrganized', type: 'integer' },
    { header: 'Meetings Attended', key: 'meetingsAttended', type: 'integer' },
    { header: 'Report Period', key: 'reportPeriod', type: 'string' },
  ],
  refreshDateKey: 'reportRefreshDate',
  sortKey: 'reportDate',
  // Durations need no rule: reading one refuses a negative or malformed value already (see
  // `parseDuration`), naming the column and the line.
  rules: [
    ...periodAndWindowRules,
    {
      id: 'non-negative-count',
      kind: 'non-negative-integer',
      keys: [
        'teamChatMessages',
        'postMessages',
        'replyMessages',
        'privateChatMessages',
        'calls',
        'meetings',
        'meetingsOrganized',
        'meetingsAttended',
      ],
    },
  ],
  // The minutes the Skype report counted, now in Teams: one unit on one chart.
  chartSeries: [
    { key: 'audioDuration', label: 'Audio', unit: 'minutes' },
    { key: 'videoDuration', label: 'Video', unit: 'minutes' },
    { key: 'screenShareDuration', label: 'Screen sharing', unit: 'minutes' },
  ],
};
