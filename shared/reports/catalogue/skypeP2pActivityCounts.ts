import { count, describeReport, REFRESH_DATE, REPORT_DATE, REPORT_PERIOD } from './common';
import { SKYPE_RETIRED } from '../definitions';

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
/** Graph documents the same columns for the sessions and for the users taking part in them. */
export const SKYPE_P2P_SESSION_COLUMNS = [
  REFRESH_DATE,
  REPORT_DATE,
  REPORT_PERIOD,
  count('IM', 'im'),
  count('Audio', 'audio'),
  count('Video', 'video'),
  count('App Sharing', 'appSharing'),
  count('File Transfer', 'fileTransfer'),
];

export const skypeP2pActivityCounts = describeReport({
  graphFunction: 'getSkypeForBusinessPeerToPeerActivityCounts',
  routeSlug: 'skype-p2p-activity-counts',
  title: 'Skype for Business peer-to-peer sessions',
  successor: { routeSlug: 'teams-user-activity-counts', note: SKYPE_RETIRED },
  columns: SKYPE_P2P_SESSION_COLUMNS,
  // The calls people make and the chats they start; sharing and file transfer are rare.
  chartSeries: [
    { key: 'audio', label: 'Audio sessions', unit: 'count' },
    { key: 'video', label: 'Video sessions', unit: 'count' },
    { key: 'im', label: 'IM sessions', unit: 'count' },
  ],
});
