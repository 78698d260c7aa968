import { periodAndWindowRules } from '../../../../shared/reports/catalogue/common';
import { catalogueAdditions } from '../../../../shared/reports/catalogue';
import { skypeP2pMinuteCounts } from '../../../../shared/reports/definitions';

const entries = catalogueAdditions.map((entry) => [entry.definition.routeSlug, entry] as const);

/** `teams-user-activity-counts` → `teamsUserActivityCounts`, as issue 19 names functions. */
function camel(slug: string): string {
  return slug.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

describe('the catalogue of reports', () => {
  it('lists the four reports of issue 19, each once, beside the first report', () => {
    expect(
      catalogueAdditions.map(({ definition }) => [definition.routeSlug, definition.graphFunction]),
    ).toEqual([
      ['skype-p2p-activity-counts', 'getSkypeForBusinessPeerToPeerActivityCounts'],
      ['skype-p2p-user-counts', 'getSkypeForBusinessPeerToPeerActivityUserCounts'],
      ['teams-user-activity-counts', 'getTeamsUserActivityCounts'],
      ['teams-user-activity-user-counts', 'getTeamsUserActivityUserCounts'],
    ]);
    const functions = catalogueAdditions.map((entry) => entry.definition.graphFunction);
    expect(functions).not.toContain(skypeP2pMinuteCounts.graphFunction);
  });

  it('names every function of every report uniquely, none of them the first report’s', () => {
    const names = catalogueAdditions.flatMap((entry) =>
      Object.values(entry.definition.functionNames),
    );
    expect(new Set(names).size).toBe(names.length);
    for (const existing of ['skypeP2pMinuteCounts', 'skypeP2pArchiveStatus', 'skypeP2pSnapshot']) {
      expect(names).not.toContain(existing);
    }
  });

  // Issue 19: "its slug in camelCase plus a suffix", e.g. teamsUserActivityCountsHistory.
  const SUFFIXES = {
    report: '',
    history: 'History',
    chart: 'Chart',
    status: 'Status',
    dashboard: 'Dashboard',
    dashboardIcon: 'DashboardIcon',
    snapshot: 'Snapshot',
  };
  it.each(entries)('%s: function names are the slug in camelCase plus a suffix', (slug, entry) => {
    const base = camel(slug);
    expect(Object.entries(entry.definition.functionNames).sort()).toEqual(
      Object.entries(SUFFIXES)
        .map(([endpoint, suffix]) => [endpoint, `${base}${suffix}`])
        .sort(),
    );
  });

  it.each(entries)('%s: archives under its slug', (slug, { definition }) => {
    expect(definition.blobPrefix).toBe(slug);
  });

  it.each(entries)('%s: has unique headers and keys', (_, { definition }) => {
    const headers = definition.columns.map((column) => column.header.toLowerCase());
    const keys = definition.columns.map((column) => column.key);
    expect(new Set(headers).size).toBe(headers.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(entries)('%s: refers only to columns it has', (_, { definition }) => {
    const keys = definition.columns.map((column) => column.key);
    const referred = [
      definition.refreshDateKey,
      definition.sortKey,
      ...definition.rules.flatMap((rule) =>
        'keys' in rule
          ? rule.keys
          : 'windowEndKey' in rule
            ? [rule.key, rule.windowEndKey]
            : [rule.key],
      ),
      ...(definition.chartSeries ?? []).map((series) => series.key),
    ];
    expect(keys).toEqual(expect.arrayContaining(referred));
  });

  it.each(entries)('%s: keeps the period and window rules of the first report', (_, entry) => {
    const periodRules = entry.definition.rules.filter((rule) => rule.id !== 'non-negative-count');
    expect(periodRules).toEqual(periodAndWindowRules);
    expect(periodAndWindowRules).toEqual(
      skypeP2pMinuteCounts.rules.filter((rule) => rule.id !== 'non-negative-count'),
    );
  });

  it.each(entries)('%s: holds every count to a whole number of zero or more', (_, entry) => {
    const counts = entry.definition.columns
      .filter((column) => column.type === 'integer')
      .map((column) => column.key);
    const rule = entry.definition.rules.find((r) => r.id === 'non-negative-count');
    expect(rule).toEqual({ id: 'non-negative-count', kind: 'non-negative-integer', keys: counts });
  });

  it.each(entries)('%s: charts durations in minutes and counts as counts', (_, entry) => {
    const { columns } = entry.definition;
    const chartSeries = entry.definition.chartSeries ?? [];
    expect(chartSeries.length).toBeGreaterThanOrEqual(2);
    for (const series of chartSeries) {
      const column = columns.find((c) => c.key === series.key);
      expect([series.key, column?.type]).toEqual([
        series.key,
        series.unit === 'minutes' ? 'duration' : 'integer',
      ]);
    }
  });

  it('types the Teams audio, video and screen-share times as durations', () => {
    const teams = catalogueAdditions.find(
      (entry) => entry.definition.routeSlug === 'teams-user-activity-counts',
    )!;
    const durations = teams.definition.columns.filter((column) => column.type === 'duration');
    expect(durations.map((column) => [column.header, column.key])).toEqual([
      ['Audio Duration', 'audioDuration'],
      ['Video Duration', 'videoDuration'],
      ['Screen Share Duration', 'screenShareDuration'],
    ]);
  });
});
