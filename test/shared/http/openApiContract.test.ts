import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseContract } from '../../../build/openapi';
import {
  catalogueContract,
  CONTRACT_REPORTS,
  ContractTemplateError,
  csvHeaderPattern,
  DURATION_PATTERN,
  operationIdFor,
  rowSchema,
  servedContract,
  TEMPLATE_REPORT,
} from '../../../shared/http/openApiContract';
import { ColumnType, ServedReportDefinition } from '../../../shared/reports/definitions';
import { parseDuration } from '../../../shared/reports/duration';
import { exampleReport } from '../../support/exampleReport';

type Node = Record<string, unknown>;

const root = join(__dirname, '..', '..', '..');
/** openapi.yaml as written: the contract of the first report, today's contract. */
const written = () => parseContract(readFileSync(join(root, 'openapi.yaml'), 'utf8'));
const generated = (reports: readonly ServedReportDefinition[] = CONTRACT_REPORTS) =>
  catalogueContract(written(), TEMPLATE_REPORT, reports);

const FIRST = 'skype-p2p-minute-counts';
const bySlug = (slug: string) => CONTRACT_REPORTS.find((report) => report.routeSlug === slug)!;
const paths = (document: Node) => document.paths as Record<string, Record<string, Node>>;
const schemas = (document: Node) =>
  (document.components as { schemas: Record<string, Node> }).schemas;
const operationIds = (document: Node, slug: string) =>
  Object.entries(paths(document))
    .filter(([path]) => path === `/reports/${slug}` || path.startsWith(`/reports/${slug}/`))
    .map(([path, item]) => [path, item.get!.operationId]);

describe('the generated contract', () => {
  it('describes a report being added from its definition alone (README "Add a report")', () => {
    const document = generated([...CONTRACT_REPORTS, exampleReport]);
    expect(operationIds(document, exampleReport.routeSlug)).toEqual(
      expect.arrayContaining([
        ['/reports/example-widget-counts', operationIdFor('exampleWidgetCounts')],
        ['/reports/example-widget-counts/history', operationIdFor('exampleWidgetCountsHistory')],
      ]),
    );
    const row = rowSchema(exampleReport) as { properties: Record<string, unknown> };
    expect(Object.keys(row.properties)).toEqual(
      expect.arrayContaining(['widgets', 'widgetTime', 'widgetTimeInSeconds']),
    );
  });

  it("keeps the first report's paths exactly as openapi.yaml writes them: no caller-visible change", () => {
    const today = written();
    const document = generated();
    const own = (contract: Node) =>
      Object.fromEntries(
        Object.entries(paths(contract)).filter(([path]) => path.startsWith(`/reports/${FIRST}`)),
      );
    expect(own(document)).toEqual(own(today));
    expect(Object.keys(own(document))).toHaveLength(6);
    for (const name of ['ReportRow', 'Report', 'History', 'ReportCsv']) {
      expect(schemas(document)[name]).toEqual(schemas(today)[name]);
    }
  });

  it('keeps the six existing operationIds, and names the others after their functions', () => {
    expect(operationIds(generated(), FIRST)).toEqual([
      [`/reports/${FIRST}`, 'getSkypeP2pMinuteCounts'],
      [`/reports/${FIRST}/history`, 'getSkypeP2pMinuteCountsHistory'],
      [`/reports/${FIRST}/status`, 'getSkypeP2pMinuteCountsStatus'],
      [`/reports/${FIRST}/chart`, 'getSkypeP2pMinuteCountsChart'],
      [`/reports/${FIRST}/dashboard`, 'getSkypeP2pMinuteCountsDashboard'],
      [`/reports/${FIRST}/icon.svg`, 'getSkypeP2pMinuteCountsDashboardIcon'],
    ]);
    const teams = 'teams-user-activity-counts';
    expect(operationIds(generated(), teams)).toEqual([
      [`/reports/${teams}`, 'getTeamsUserActivityCounts'],
      [`/reports/${teams}/history`, 'getTeamsUserActivityCountsHistory'],
      [`/reports/${teams}/status`, 'getTeamsUserActivityCountsStatus'],
      [`/reports/${teams}/chart`, 'getTeamsUserActivityCountsChart'],
      [`/reports/${teams}/dashboard`, 'getTeamsUserActivityCountsDashboard'],
      [`/reports/${teams}/icon.svg`, 'getTeamsUserActivityCountsDashboardIcon'],
    ]);
    for (const report of CONTRACT_REPORTS.filter((r) => r.routeSlug !== FIRST)) {
      expect(operationIds(generated(), report.routeSlug).map(([, id]) => id)).toEqual(
        [
          report.functionNames.report,
          report.functionNames.history,
          report.functionNames.status,
          report.functionNames.chart,
          report.functionNames.dashboard,
          report.functionNames.dashboardIcon,
        ].map(operationIdFor),
      );
    }
  });

  it("points each report's operations at its own schemas, with its own Graph function", () => {
    const document = generated();
    const report = paths(document)['/reports/teams-user-activity-counts']!.get!;
    expect(JSON.stringify(report.responses)).toContain(
      '"#/components/schemas/TeamsUserActivityCountsReport"',
    );
    expect(JSON.stringify(report.responses)).not.toContain('"#/components/schemas/Report"');
    expect(report.summary).toBe('The live report: teams-user-activity-counts');
    const own = schemas(document);
    expect(own.TeamsUserActivityCountsReport).toMatchObject({
      properties: {
        report: { const: 'getTeamsUserActivityCounts' },
        value: { items: { $ref: '#/components/schemas/TeamsUserActivityCountsRow' } },
      },
    });
    expect(own.TeamsUserActivityCountsHistory).toMatchObject({
      properties: {
        report: { const: 'getTeamsUserActivityCounts' },
        value: { items: { $ref: '#/components/schemas/TeamsUserActivityCountsRow' } },
      },
    });
    expect(own.TeamsUserActivityCountsRow).toEqual(rowSchema(bySlug('teams-user-activity-counts')));
    expect(own.TeamsUserActivityCountsCsv!.pattern).toBe(
      '^Report Refresh Date,Report Date,Team Chat Messages,Post Messages,Reply Messages,Private Chat Messages,Calls,Meetings,Audio Duration,Video Duration,Screen Share Duration,Meetings Organized,Meetings Attended,Report Period\\r?\\n',
    );
  });
});

describe("a report's row schema, from its columns", () => {
  const withColumn = (type: ColumnType): ServedReportDefinition => ({
    ...bySlug('teams-user-activity-user-counts'),
    columns: [
      ...bySlug('teams-user-activity-user-counts').columns,
      { header: 'Webinar Time', key: 'webinarTime', type },
    ],
  });

  it.each<[ColumnType, Node]>([
    ['date', { webinarTime: { type: 'string', format: 'date' } }],
    ['integer', { webinarTime: { type: ['integer', 'null'] } }],
    ['string', { webinarTime: { type: 'string' } }],
    [
      'duration',
      {
        webinarTime: { type: ['string', 'null'], pattern: DURATION_PATTERN },
        webinarTimeInSeconds: { type: ['integer', 'null'], minimum: 0 },
      },
    ],
  ])('maps a %s column to its JSON type', (type, properties) => {
    const schema = rowSchema(withColumn(type));
    expect(schema.properties).toMatchObject(properties);
    expect(schema.required).toEqual(expect.arrayContaining(Object.keys(properties)));
    expect(schema.additionalProperties).toBe(false);
  });

  it('gives a count column a rule keeps non-negative `minimum: 0`, and the period its day counts', () => {
    const { properties } = rowSchema(bySlug('skype-p2p-activity-counts')) as {
      properties: Record<string, Node>;
    };
    expect(properties.im).toEqual(expect.objectContaining({ minimum: 0 }));
    expect(properties.reportPeriod!.enum).toEqual(['7', '30', '90', '180']);
  });

  it('changes the generated contract when a definition gains a column', () => {
    const slug = 'teams-user-activity-user-counts';
    const changed = CONTRACT_REPORTS.map((report) =>
      report.routeSlug === slug ? withColumn('duration') : report,
    );
    const before = schemas(generated());
    const after = schemas(generated(changed));
    expect(before.TeamsUserActivityUserCountsRow!.required).not.toContain('webinarTime');
    expect(after.TeamsUserActivityUserCountsRow!.required).toEqual([
      ...(before.TeamsUserActivityUserCountsRow!.required as string[]),
      'webinarTime',
      'webinarTimeInSeconds',
    ]);
    expect(after.TeamsUserActivityUserCountsCsv!.pattern).toBe(
      csvHeaderPattern(withColumn('duration')),
    );
    expect(after.TeamsUserActivityUserCountsCsv!.pattern).toMatch(/,Webinar Time\\r\?\\n$/);
    // Nothing else changes.
    expect({
      ...after,
      TeamsUserActivityUserCountsRow: 0,
      TeamsUserActivityUserCountsCsv: 0,
    }).toEqual({ ...before, TeamsUserActivityUserCountsRow: 0, TeamsUserActivityUserCountsCsv: 0 });
  });

  it("refuses to expand openapi.yaml when the first report's definition gains a column it lacks", () => {
    const first: ServedReportDefinition = {
      ...TEMPLATE_REPORT,
      columns: [
        ...TEMPLATE_REPORT.columns,
        { header: 'Screen Share', key: 'screenShare', type: 'integer' },
      ],
    };
    expect(() => catalogueContract(written(), first, [first])).toThrow(ContractTemplateError);
    expect(() => catalogueContract(written(), first, [first])).toThrow(
      /does not match the definition of skype-p2p-minute-counts: ReportRow .*; ReportCsv's pattern/,
    );
  });

  it.each([
    'PT0S',
    'PT1H2M3S',
    'P1DT2H',
    'PT12.5S',
    'PT12,5S',
    'P2W',
    'P1D',
    'PT30H',
    'P',
    'PT',
    'P1Y',
    'P2M',
    '-PT5S',
    'PT1.5M',
    '1H',
    'PT1H2M3',
    '',
  ])('describes %p as the parser reads it', (text) => {
    expect(new RegExp(DURATION_PATTERN, 'u').test(text)).toBe(parseDuration(text).ok);
  });
});

describe('the served contract', () => {
  const served = (slugs: readonly string[]) => servedContract(generated(), CONTRACT_REPORTS, slugs);
  // The home page, /reports/dashboard, is the app's, not a report's.
  const reportSlugs = (document: Node) => [
    ...new Set(
      Object.keys(paths(document))
        .filter((path) => path !== '/reports/dashboard')
        .map((path) => /^\/reports\/([^/]+)/.exec(path)?.[1])
        .filter(Boolean),
    ),
  ];

  it('lists exactly the reports served, and the contract itself', () => {
    const document = served(['teams-user-activity-counts', 'skype-p2p-user-counts']);
    expect(reportSlugs(document)).toEqual(['skype-p2p-user-counts', 'teams-user-activity-counts']);
    expect(Object.keys(paths(document))).toHaveLength(2 * 6 + 2);
    expect(paths(document)['/openapi.json']).toBeDefined();
    expect(paths(document)['/reports/dashboard']).toBeDefined();
  });

  it('drops the schemas only the left-out reports use, and keeps what they share', () => {
    const own = schemas(served(['teams-user-activity-counts']));
    expect(Object.keys(own)).toEqual(
      expect.arrayContaining(['TeamsUserActivityCountsRow', 'Problem', 'Status', 'Coverage']),
    );
    expect(own).not.toHaveProperty('ReportRow');
    expect(
      Object.keys(own).filter((name) => /^Skype|^TeamsUserActivityUser|^Report/.test(name)),
    ).toEqual([]);
  });

  it("is exactly openapi.yaml for the first report alone: today's contract", () => {
    expect(served([FIRST])).toEqual(written());
  });

  it('is the whole generated contract with every report served', () => {
    expect(served(CONTRACT_REPORTS.map((report) => report.routeSlug))).toEqual(generated());
  });

  it('names a slug no catalogued report has', () => {
    expect(() => served([FIRST, 'teams-calls'])).toThrow(
      'No catalogued report has the slug(s) "teams-calls".',
    );
  });
});
