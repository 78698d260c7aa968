import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Contract, contract } from '../contract/conformance';
import { CONTRACT_REPORTS, servedContract } from '../../shared/http/openApiContract';
import { readEnabledReports } from '../../shared/config/reports';
import { skypeP2pMinuteCounts } from '../../shared/reports/definitions';
import {
  functionEntryFiles,
  RegisteredFunction,
  RegistrationRecorder,
  retryDelaysMs,
} from '../../tools/localHost/registrations';
import { CATALOGUE } from '../../shared/reports/catalogue';

// The Azure worker hands @azure/functions the core API; here a recorder stands in for it, so
// the test sees the exact metadata the host would receive when it loads package.json `main`.
const mockRecorder = new RegistrationRecorder();
jest.mock('@azure/functions-core', () => mockRecorder.coreApi, { virtual: true });

const root = join(__dirname, '..', '..');

/** What the app registers with REPORTS set so (undefined: unset), as the host loads it. */
function loadApp(reports: string | undefined): RegisteredFunction[] {
  const saved = process.env.REPORTS;
  const before = mockRecorder.functions.length;
  if (reports === undefined) delete process.env.REPORTS;
  else process.env.REPORTS = reports;
  try {
    for (const file of functionEntryFiles(root)) {
      // package.json main points at the compiled files; load their sources, the same modules.
      const source = file.replace(`${join(root, 'dist')}`, root).replace(/\.js$/, '.ts');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require(source));
    }
    return mockRecorder.functions.splice(before);
  } finally {
    if (saved === undefined) delete process.env.REPORTS;
    else process.env.REPORTS = saved;
  }
}

/** The whole catalogue's app: REPORTS' default. */
let everyReport: RegisteredFunction[] = [];

beforeAll(() => {
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  everyReport = loadApp(undefined);
  // The suites below check today's app: REPORTS=skype-p2p-minute-counts is exactly it.
  mockRecorder.functions.push(...loadApp('skype-p2p-minute-counts'));
});

function registered(name: string) {
  const found = mockRecorder.functions.find((fn) => fn.name === name);
  if (!found) throw new Error(`${name} was not registered`);
  return found;
}

describe('what the Functions host registers', () => {
  // REPORTS=skype-p2p-minute-counts: the app as it was before the catalogue, function for function.
  it('finds every function through package.json main, and nothing else', () => {
    expect(functionEntryFiles(root).map((file) => file.slice(root.length))).toEqual([
      '/dist/functions/app.js',
      '/dist/functions/openApi.js',
    ]);
    expect(mockRecorder.functions.map((fn) => fn.name).sort()).toEqual([
      'openApi',
      'reportsDashboard',
      'skypeP2pArchiveStatus',
      'skypeP2pDashboard',
      'skypeP2pDashboardIcon',
      'skypeP2pMinuteCounts',
      'skypeP2pMinuteCountsChart',
      'skypeP2pMinuteCountsHistory',
      'skypeP2pSnapshot',
    ]);
  });

  it.each([
    ['skypeP2pMinuteCounts', 'reports/skype-p2p-minute-counts'],
    ['skypeP2pMinuteCountsHistory', 'reports/skype-p2p-minute-counts/history'],
    ['skypeP2pArchiveStatus', 'reports/skype-p2p-minute-counts/status'],
    ['skypeP2pMinuteCountsChart', 'reports/skype-p2p-minute-counts/chart'],
    ['skypeP2pDashboard', 'reports/skype-p2p-minute-counts/dashboard'],
    ['skypeP2pDashboardIcon', 'reports/skype-p2p-minute-counts/icon.svg'],
    ['reportsDashboard', 'reports/dashboard'],
  ])('registers %s as an HTTP GET on %s with function-level auth', (name, route) => {
    const { trigger } = registered(name);
    expect(trigger).toMatchObject({
      type: 'httpTrigger',
      direction: 'in',
      route,
      methods: ['GET'],
      authLevel: 'function',
    });
  });

  it('registers the contract as an anonymous HTTP GET on openapi.json', () => {
    expect(registered('openApi').trigger).toMatchObject({
      type: 'httpTrigger',
      direction: 'in',
      route: 'openapi.json',
      methods: ['GET'],
      authLevel: 'anonymous',
    });
  });

  it('registers the snapshot as a timer on the SNAPSHOT_SCHEDULE setting, not run on startup, with host retries', () => {
    const fn = registered('skypeP2pSnapshot');
    expect(fn.trigger).toMatchObject({
      type: 'timerTrigger',
      direction: 'in',
      schedule: '%SNAPSHOT_SCHEDULE%',
      runOnStartup: false,
    });
    expect(fn.retry).toMatchObject({ retryStrategy: 'exponentialBackoff', maxRetryCount: 3 });
    expect(retryDelaysMs(fn.retry)).toEqual([30_000, 60_000, 120_000]);
  });

  it('registers exactly the HTTP endpoints the contract describes, with its methods and auth', () => {
    expect(endpointsOf(mockRecorder.functions)).toEqual(
      describedEndpoints(['skype-p2p-minute-counts']),
    );
  });
});

/** `get /reports/x key`: each HTTP function's methods, route and auth, sorted. */
function endpointsOf(functions: readonly RegisteredFunction[]): string[] {
  // The contract's paths are under its server URL, /api: the routes the host serves.
  return functions
    .filter((fn) => fn.trigger.type === 'httpTrigger')
    .flatMap((fn) =>
      (fn.trigger.methods ?? []).map(
        (method) =>
          `${method.toLowerCase()} /${fn.trigger.route} ${fn.trigger.authLevel === 'anonymous' ? 'anonymous' : 'key'}`,
      ),
    )
    .sort();
}

/** The same of the operations of the contract the app serves with these reports enabled. */
function describedEndpoints(slugs: readonly string[]): string[] {
  const served = new Contract(servedContract(contract.document, CONTRACT_REPORTS, slugs));
  return served
    .operations()
    .map((operation) => {
      const security = served.at(`${operation.pointer}/security`);
      const anonymous = Array.isArray(security) && security.length === 0;
      return `${operation.method} ${operation.path} ${anonymous ? 'anonymous' : 'key'}`;
    })
    .sort();
}

describe('the served contract', () => {
  it.each([undefined, 'teams-user-activity-counts,skype-p2p-user-counts', 'all'])(
    'describes exactly the HTTP endpoints registered with REPORTS=%j',
    (reports) => {
      const slugs = readEnabledReports(reports === undefined ? {} : { REPORTS: reports }).map(
        (definition) => definition.routeSlug,
      );
      expect(endpointsOf(loadApp(reports))).toEqual(describedEndpoints(slugs));
    },
  );
});

describe('the whole catalogue (REPORTS unset, its default)', () => {
  it('registers every report in catalogue order, each with its seven functions, one home page and one contract', () => {
    const expected = CATALOGUE.flatMap((definition) => {
      const names = definition.functionNames;
      const route = `reports/${definition.routeSlug}`;
      return [
        [names.report, route],
        [names.history, `${route}/history`],
        [names.status, `${route}/status`],
        [names.chart, `${route}/chart`],
        [names.dashboard, `${route}/dashboard`],
        [names.dashboardIcon, `${route}/icon.svg`],
        [names.snapshot, '%SNAPSHOT_SCHEDULE%'],
      ];
    });
    expect(everyReport.map((fn) => [fn.name, fn.trigger.route ?? fn.trigger.schedule])).toEqual([
      ...expected,
      ['reportsDashboard', 'reports/dashboard'],
      ['openApi', 'openapi.json'],
    ]);
    expect(everyReport.map((fn) => fn.name)).toContain('teamsUserActivityCountsStatus');
    expect(everyReport.map((fn) => fn.name)).toContain('teamsUserActivityCountsSnapshot');
  });

  it.each([
    [
      'teams-user-activity-counts,skype-p2p-minute-counts',
      ['skypeP2pMinuteCounts', 'teamsUserActivityCounts'],
    ],
    [' Teams-User-Activity-Counts , ', ['teamsUserActivityCounts']],
    ['all', CATALOGUE.map((definition) => definition.functionNames.report)],
  ])('REPORTS=%j registers those reports only, in catalogue order', (reports, expected) => {
    const reportFunctions = loadApp(reports)
      .filter(
        (fn) =>
          fn.trigger.type === 'httpTrigger' &&
          /^reports\/[a-z0-9-]+$/.test(fn.trigger.route ?? '') &&
          fn.trigger.route !== 'reports/dashboard',
      )
      .map((fn) => fn.name);
    expect(reportFunctions).toEqual(expected);
  });

  it('refuses an unknown slug at startup, naming REPORTS and the slug', () => {
    expect(() => loadApp('skype-p2p-minute-counts,teams-usage')).toThrow(
      /REPORTS: "teams-usage" is not a report of the catalogue/,
    );
  });
});

describe('registering another report', () => {
  it('gives it the same seven functions, under its own names and routes, from its definition alone', () => {
    const before = mockRecorder.functions.length;
    const other = {
      ...skypeP2pMinuteCounts,
      routeSlug: 'other-report',
      functionNames: {
        report: 'otherReport',
        history: 'otherReportHistory',
        status: 'otherReportStatus',
        chart: 'otherReportChart',
        dashboard: 'otherReportDashboard',
        dashboardIcon: 'otherReportDashboardIcon',
        snapshot: 'otherReportSnapshot',
      },
    };
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const helper: typeof import('../../functions/reports/reportFunctions') = require('../../functions/reports/reportFunctions');
        helper.registerReportFunctions(other);
      });
      const added = mockRecorder.functions.slice(before);
      expect(added.map((fn) => [fn.name, fn.trigger.route ?? fn.trigger.schedule])).toEqual([
        ['otherReport', 'reports/other-report'],
        ['otherReportHistory', 'reports/other-report/history'],
        ['otherReportStatus', 'reports/other-report/status'],
        ['otherReportChart', 'reports/other-report/chart'],
        ['otherReportDashboard', 'reports/other-report/dashboard'],
        ['otherReportDashboardIcon', 'reports/other-report/icon.svg'],
        ['otherReportSnapshot', '%SNAPSHOT_SCHEDULE%'],
      ]);
      expect(retryDelaysMs(added.at(-1)!.retry)).toEqual([30_000, 60_000, 120_000]);
    } finally {
      // The other suites' "nothing else" holds for the app's own registrations.
      mockRecorder.functions.splice(before);
    }
  });
});

describe('the functions folder', () => {
  const folder = join(root, 'functions');
  const sources = readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file, text: readFileSync(join(folder, file), 'utf8') }));

  it('names no particular report: the catalogue and REPORTS say which', () => {
    const naming = sources
      .filter(({ text }) => /skypeP2p|skype-p2p|getSkypeForBusiness|teams/i.test(text))
      .map(({ file }) => file);
    expect(naming).toEqual([]);
  });
});
