import { SettingConcern } from '../shared/config/registry';
import { REPORT_PERIODS } from '../shared/reports/definitions';
import { REPORT_FORMATS } from '../shared/http/reportBody';
import { CommandDefinition } from './args';
import { DEMO_SETTINGS_FILE, LOCAL_SETTINGS_FILE } from './localSettings';

/**
 * Every command the project runs, as data: options and the settings it reads (by concern, from
 * the settings registry, so no setting name is typed twice). Each tool reads its command line
 * with `readCommandLine` from here, and `--help` prints from here.
 */
const FROM_LOCAL_SETTINGS = `from the environment, else ${LOCAL_SETTINGS_FILE} "Values" in the current folder; with --settings FILE, from FILE first, then the environment.`;

/** `--settings FILE`: the settings `npm run demo` writes, or any KEY=value file. */
const SETTINGS_OPTION = {
  settings: {
    type: 'string',
    value: 'FILE',
    help: `read settings from FILE (KEY=value lines, e.g. ${DEMO_SETTINGS_FILE} from npm run demo) instead of ${LOCAL_SETTINGS_FILE}`,
  },
} as const;

/** Every concern: the function app reads them all. */
const ALL_CONCERNS: readonly SettingConcern[] = [
  'reports',
  'graph',
  'credentials',
  'storage',
  'snapshot',
  'cache',
  'status',
];

/** Variables the demo drops from its environment, so it can never reach a real tenant. */
export const DEMO_IGNORED_PREFIXES = [
  'AZURE_',
  'GRAPH_',
  'IDENTITY_',
  'MSI_',
  'SNAPSHOT_',
  'STORAGE_',
  'AzureWebJobs',
] as const;

const SIM_REFRESH_DATE = {
  name: 'SIM_REFRESH_DATE',
  meaning: "the simulated tenant's refresh date, YYYY-MM-DD (default: today minus two days, UTC)",
};

export const reportCommand = {
  usage: 'npm run report -- [options]',
  summary:
    'Prints exactly the body the HTTP endpoint answers with, through the same code and settings. ' +
    'On failure the problem JSON goes to stderr and the exit code is 1.',
  options: {
    period: { type: 'string', value: REPORT_PERIODS.join('|'), help: 'report period (default D7)' },
    format: { type: 'string', value: REPORT_FORMATS.join('|'), help: 'body format (default json)' },
    report: {
      type: 'string',
      value: 'SLUG',
      help: 'route slug of the catalogued report (default skype-p2p-minute-counts)',
    },
    verbose: { type: 'boolean', help: 'log each Graph call on stderr' },
    ...SETTINGS_OPTION,
  },
  concerns: ['graph', 'credentials'],
  settingsSource: FROM_LOCAL_SETTINGS,
} as const satisfies CommandDefinition;

export const snapshotCommand = {
  usage: 'npm run snapshot -- [options]',
  summary:
    "Runs each enabled report's snapshot job once (REPORTS), one after another. Prints one JSON " +
    'line per report with its counts; exits 1 if any failed or a report was invalid.',
  options: {
    report: {
      type: 'string',
      value: 'SLUG',
      help: 'run only this enabled report (its route slug)',
    },
    'rebuild-index': {
      type: 'boolean',
      help: 'rebuild the history index from the stored snapshots instead (asks Graph nothing)',
    },
    ...SETTINGS_OPTION,
  },
  concerns: ['reports', 'graph', 'credentials', 'storage', 'snapshot', 'cache'],
  settingsSource: FROM_LOCAL_SETTINGS,
} as const satisfies CommandDefinition;

export const startCommand = {
  usage: 'npm start -- [options]',
  summary:
    "Serves the app's functions on a local host: the HTTP functions under /api, the timers on " +
    'their schedules, POST /admin/functions/{name} to run a timer by hand. Creates ' +
    `${LOCAL_SETTINGS_FILE} from the sample when there is none; never uses simulated data.`,
  options: {
    port: { type: 'string', value: 'N', help: 'port to listen on (default 7071)' },
    'no-settings-file': {
      type: 'boolean',
      help: `ignore ${LOCAL_SETTINGS_FILE}; take every setting from the environment`,
    },
    ...SETTINGS_OPTION,
  },
  concerns: ALL_CONCERNS,
  settingsSource: FROM_LOCAL_SETTINGS,
} as const satisfies CommandDefinition;

export const demoCommand = {
  usage: 'npm run demo -- [options]',
  summary:
    'Runs the whole service on this machine with no Azure account: Azurite, a Graph simulator ' +
    'and the function app, with 18 months of archived snapshots. Ctrl-C stops everything.',
  options: {
    port: { type: 'string', value: 'N', help: 'port of the function app (default 7071)' },
    quick: {
      type: 'boolean',
      help: 'seed only the newest run (180 days) instead of 19 months, for a faster start',
    },
    'settings-file': {
      type: 'string',
      value: 'FILE',
      help: `where to write the settings for the other commands (default ${DEMO_SETTINGS_FILE})`,
    },
  },
  concerns: [],
  settingsSource: `none. It ignores ${DEMO_IGNORED_PREFIXES.map((prefix) => `${prefix}*`).join(', ')} in the environment and sets its own, so it never reaches a real tenant.`,
  variables: [SIM_REFRESH_DATE],
} as const satisfies CommandDefinition;

export const simulatorCommand = {
  usage: 'SIM_TOKEN=T node dist/tools/graphSimulator/cli.js [options]',
  summary:
    'Runs the Graph stand-in as its own process (the demo starts it this way). Prints one JSON ' +
    'line with its URLs once it listens.',
  options: {
    port: { type: 'string', value: 'N', help: 'port of the report API (default: a free one)' },
    'download-port': {
      type: 'string',
      value: 'N',
      help: 'port of the download host (default: a free one)',
    },
  },
  concerns: [],
  settingsSource: "none of the app's.",
  variables: [
    {
      name: 'SIM_TOKEN',
      meaning: 'the bearer token it accepts (required; from the environment, not argv)',
    },
    SIM_REFRESH_DATE,
    {
      name: 'SIM_SILENT',
      meaning: 'comma-separated route slugs of reports served all-zero (a silent source)',
    },
  ],
} as const satisfies CommandDefinition;

/** Each command with its compiled script under dist/tools/. */
export const COMMANDS = [
  { name: 'report', script: 'report.js', command: reportCommand },
  { name: 'snapshot', script: 'snapshot.js', command: snapshotCommand },
  { name: 'start', script: 'localHost/start.js', command: startCommand },
  { name: 'demo', script: 'demo.js', command: demoCommand },
  { name: 'graph simulator', script: 'graphSimulator/cli.js', command: simulatorCommand },
] as const;
