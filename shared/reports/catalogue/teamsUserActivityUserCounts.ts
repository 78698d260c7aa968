import { count, describeReport, REFRESH_DATE, REPORT_DATE, REPORT_PERIOD } from './common';

/**
 * Microsoft Teams users per day, by what they did (each counted once per kind of activity).
 * Report Period is the last column here, not the third.
 *
 * CSV headers (Graph v1.0):
 * https://learn.microsoft.com/graph/api/reportroot-getteamsuseractivityusercounts?view=graph-rest-1.0
 * JSON keys (beta, `$format=application/json`):
 * https://learn.microsoft.com/graph/api/reportroot-getteamsuseractivityusercounts?view=graph-rest-beta
 */
export const teamsUserActivityUserCounts = describeReport({
  graphFunction: 'getTeamsUserActivityUserCounts',
  routeSlug: 'teams-user-activity-user-counts',
  title: 'Microsoft Teams active users',
  columns: [
    REFRESH_DATE,
    REPORT_DATE,
    count('Team Chat Messages', 'teamChatMessages'),
    count('Private Chat Messages', 'privateChatMessages'),
    count('Calls', 'calls'),
    count('Meetings', 'meetings'),
    count('Other Actions', 'otherActions'),
    REPORT_PERIOD,
  ],
  // Who talks to whom: the peer-to-peer successor's users, beside those in meetings.
  chartSeries: [
    { key: 'privateChatMessages', label: 'Users chatting privately', unit: 'count' },
    { key: 'calls', label: 'Users in calls', unit: 'count' },
    { key: 'meetings', label: 'Users in meetings', unit: 'count' },
  ],
});
