/**
 * The sample tenant's data for the catalogue's other reports (issue 19), on the same weekly
 * rhythm as its Skype minute counts (`sampleTenant.ts`): each report a pure function of the
 * period and the refresh date, served as Graph serves its CSV.
 *
 * The reports of one day are drawn from one model of that day, so they agree with each other as
 * a real tenant's would: no more users than the tenant has licences, no activity without users,
 * Skype sessions in step with the Skype minutes already served.
 */
import { formatReportCsv, ReportRow } from '../../shared/reports/csv';
import { ReportDefinition, ReportPeriod } from '../../shared/reports/definitions';
import { formatDuration } from '../../shared/reports/duration';
import { skypeP2pActivityCounts } from '../../shared/reports/catalogue/skypeP2pActivityCounts';
import { skypeP2pUserCounts } from '../../shared/reports/catalogue/skypeP2pUserCounts';
import { teamsUserActivityCounts } from '../../shared/reports/catalogue/teamsUserActivityCounts';
import { teamsUserActivityUserCounts } from '../../shared/reports/catalogue/teamsUserActivityUserCounts';
import { dayRhythm, noise, periodRows, sampleMinutes } from './sampleTenant';

/** Licensed users of the sample tenant: no per-user count of any report exceeds it. */
export const SAMPLE_TENANT_USERS = 250;

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** `share` of a whole, `spread` of it left to the day's noise: `share` to `share + spread`. */
function part(whole: number, date: string, salt: string, share: number, spread: number): number {
  return Math.round(whole * (share + spread * noise(date, salt)));
}

/** One day of Teams: who was active in what, and what they did (counts, then seconds). */
export function sampleTeamsDay(date: string) {
  const { weekend, midweek } = dayRhythm(date);
  // A tenth of the tenant at weekends, two thirds to nine tenths on workdays.
  const active = weekend
    ? part(SAMPLE_TENANT_USERS, date, 'teams-active', 0.05, 0.05)
    : Math.min(
        SAMPLE_TENANT_USERS,
        Math.round(part(SAMPLE_TENANT_USERS, date, 'teams-active', 0.68, 0.14) * midweek),
      );
  const users = {
    teamChatMessages: part(active, date, 'teams-team-chat-users', 0.4, 0.15),
    privateChatMessages: part(active, date, 'teams-private-chat-users', 0.8, 0.15),
    calls: part(active, date, 'teams-call-users', 0.25, 0.1),
    meetings: part(active, date, 'teams-meeting-users', weekend ? 0.1 : 0.5, 0.15),
    otherActions: part(active, date, 'teams-other-users', 0.55, 0.2),
  };
  // Each count is at least one per user counted for it: a user is counted for doing it.
  const teamChatMessages = part(users.teamChatMessages, date, 'teams-team-chat', 2, 3);
  const postMessages = part(teamChatMessages, date, 'teams-posts', 0.3, 0.1);
  const privateChatMessages = part(users.privateChatMessages, date, 'teams-private-chat', 12, 14);
  const calls = part(users.calls, date, 'teams-calls', 1, 0.8);
  const meetingsAttended = part(users.meetings, date, 'teams-attended', 1, 1.5);
  const meetingsOrganized = part(meetingsAttended, date, 'teams-organized', 0.15, 0.1);
  // Voice in calls (5 to 12 minutes each) and meetings (20 to 35 minutes each); cameras and
  // screens are on for part of that time.
  const audioSeconds =
    part(calls * 60, date, 'teams-call-minutes', 5, 7) +
    part(meetingsAttended * 60, date, 'teams-meeting-minutes', 20, 15);
  return {
    users,
    counts: {
      teamChatMessages,
      postMessages,
      replyMessages: teamChatMessages - postMessages,
      privateChatMessages,
      calls,
      meetings: meetingsOrganized + meetingsAttended,
      meetingsOrganized,
      meetingsAttended,
    },
    seconds: {
      audioDuration: audioSeconds,
      videoDuration: part(audioSeconds, date, 'teams-video', 0.25, 0.15),
      screenShareDuration: part(audioSeconds, date, 'teams-screen-share', 0.08, 0.07),
    },
  };
}

/**
 * One day of Skype for Business peer to peer: sessions derived from the minutes
 * `sampleMinutes` serves for the same day (6 to 10 minutes an audio session), and the users in
 * them. A session joins two of the tenant's users; drawing 2s of N users at random leaves about
 * N(1 - e^(-2s/N)) distinct ones, which never exceeds the tenant nor twice the sessions.
 */
export function sampleSkypeDay(date: string) {
  const minutes = sampleMinutes(date);
  const audio = Math.round(minutes.audio / (6 + 4 * noise(date, 'skype-audio-length')));
  const video = Math.round(minutes.video / (8 + 4 * noise(date, 'skype-video-length')));
  const im = part(audio, date, 'skype-im', 1.5, 1);
  const sessions = {
    im,
    audio,
    video,
    appSharing: part(audio, date, 'skype-app-sharing', 0.05, 0.1),
    fileTransfer: part(im, date, 'skype-file-transfer', 0.03, 0.05),
  };
  const users = (count: number, salt: string) => {
    const distinct = SAMPLE_TENANT_USERS * (1 - Math.exp((-2 * count) / SAMPLE_TENANT_USERS));
    return part(distinct, date, salt, 0.85, 0.15);
  };
  return {
    sessions,
    users: {
      im: users(sessions.im, 'skype-im-users'),
      audio: users(sessions.audio, 'skype-audio-users'),
      video: users(sessions.video, 'skype-video-users'),
      appSharing: users(sessions.appSharing, 'skype-app-sharing-users'),
      fileTransfer: users(sessions.fileTransfer, 'skype-file-transfer-users'),
    },
  };
}

/** The rows as Graph serves them: UTF-8 with a BOM, Graph's headers in order, newest day first. */
export function graphCsv(definition: ReportDefinition, rows: readonly ReportRow[]): Buffer {
  return Buffer.concat([
    UTF8_BOM,
    Buffer.from(formatReportCsv(definition, [...rows].reverse()), 'utf8'),
  ]);
}

export function skypeP2pActivityCountsCsv(period: ReportPeriod, refreshDate: string): Buffer {
  const rows = periodRows(period, refreshDate, (date) => sampleSkypeDay(date).sessions);
  return graphCsv(skypeP2pActivityCounts, rows);
}

export function skypeP2pUserCountsCsv(period: ReportPeriod, refreshDate: string): Buffer {
  const rows = periodRows(period, refreshDate, (date) => sampleSkypeDay(date).users);
  return graphCsv(skypeP2pUserCounts, rows);
}

export function teamsUserActivityCountsCsv(period: ReportPeriod, refreshDate: string): Buffer {
  const rows = periodRows(period, refreshDate, (date) => {
    const { counts, seconds } = sampleTeamsDay(date);
    return {
      ...counts,
      audioDuration: formatDuration(seconds.audioDuration),
      videoDuration: formatDuration(seconds.videoDuration),
      screenShareDuration: formatDuration(seconds.screenShareDuration),
    };
  });
  return graphCsv(teamsUserActivityCounts, rows);
}

export function teamsUserActivityUserCountsCsv(period: ReportPeriod, refreshDate: string): Buffer {
  const rows = periodRows(period, refreshDate, (date) => sampleTeamsDay(date).users);
  return graphCsv(teamsUserActivityUserCounts, rows);
}

/**
 * The report with every count zero and every duration `PT0S`, one row a day: what Graph serves a
 * tenant that no longer uses the product (the Skype reports since the 2021 retirement).
 */
export function silentCsv(
  definition: ReportDefinition,
  period: ReportPeriod,
  refreshDate: string,
): Buffer {
  const rows = periodRows(period, refreshDate, () =>
    Object.fromEntries(
      definition.columns
        .filter((column) => column.type === 'integer' || column.type === 'duration')
        .map((column) => [column.key, column.type === 'duration' ? 'PT0S' : 0]),
    ),
  );
  return graphCsv(definition, rows);
}

export interface CatalogueSample {
  readonly definition: ReportDefinition;
  /** Graph's CSV bytes for the period ending on the refresh date. */
  readonly csv: (period: ReportPeriod, refreshDate: string) => Buffer;
}

/** Each catalogued report's sample, for the simulator to serve by Graph function. */
export const catalogueSamples: readonly CatalogueSample[] = [
  { definition: skypeP2pActivityCounts, csv: skypeP2pActivityCountsCsv },
  { definition: skypeP2pUserCounts, csv: skypeP2pUserCountsCsv },
  { definition: teamsUserActivityCounts, csv: teamsUserActivityCountsCsv },
  { definition: teamsUserActivityUserCounts, csv: teamsUserActivityUserCountsCsv },
];
