import { describeReport } from './common';
import { SKYPE_RETIRED } from '../definitions';
import { SKYPE_P2P_SESSION_COLUMNS } from './skypeP2pActivityCounts';

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
export const skypeP2pUserCounts = describeReport({
  graphFunction: 'getSkypeForBusinessPeerToPeerActivityUserCounts',
  routeSlug: 'skype-p2p-user-counts',
  title: 'Skype for Business peer-to-peer users',
  successor: { routeSlug: 'teams-user-activity-user-counts', note: SKYPE_RETIRED },
  columns: SKYPE_P2P_SESSION_COLUMNS,
  chartSeries: [
    { key: 'im', label: 'Users in IM', unit: 'count' },
    { key: 'audio', label: 'Users in audio', unit: 'count' },
    { key: 'video', label: 'Users in video', unit: 'count' },
  ],
});
