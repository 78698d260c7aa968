import {
  count,
  describeReport,
  duration,
  REFRESH_DATE,
  REPORT_DATE,
  REPORT_PERIOD,
} from './common';

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
export const teamsUserActivityCounts = describeReport({
  graphFunction: 'getTeamsUserActivityCounts',
  routeSlug: 'teams-user-activity-counts',
  title: 'Microsoft Teams activity',
  columns: [
    REFRESH_DATE,
    REPORT_DATE,
    count('Team Chat Messages', 'teamChatMessages'),
    count('Post Messages', 'postMessages'),
    count('Reply Messages', 'replyMessages'),
    count('Private Chat Messages', 'privateChatMessages'),
    count('Calls', 'calls'),
    count('Meetings', 'meetings'),
    duration('Audio Duration', 'audioDuration'),
    duration('Video Duration', 'videoDuration'),
    duration('Screen Share Duration', 'screenShareDuration'),
    count('Meetings Organized', 'meetingsOrganized'),
    count('Meetings Attended', 'meetingsAttended'),
    REPORT_PERIOD,
  ],
  // The minutes the Skype report counted, now in Teams: one unit on one chart.
  chartSeries: [
    { key: 'audioDuration', label: 'Audio', unit: 'minutes' },
    { key: 'videoDuration', label: 'Video', unit: 'minutes' },
    { key: 'screenShareDuration', label: 'Screen sharing', unit: 'minutes' },
  ],
});
