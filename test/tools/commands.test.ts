import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SETTINGS } from '../../shared/config/registry';
import { CommandDefinition, helpText, readCommandLine, settingsOf } from '../../tools/args';
import { COMMANDS } from '../../tools/commands';
import { azuriteConnectionString, containerClient, uniqueContainer } from '../support/azurite';
import { useGraph } from '../support/graphSimulator';
import { runTool } from '../support/processes';

const sim = useGraph('2026-11-26');

let folder: string;
let env: Record<string, string>;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'commands-'));
  // Everything each command needs to do its work, so only --help keeps it from doing it.
  env = {
    ...sim.settings,
    SNAPSHOT_STORAGE: azuriteConnectionString(),
    SNAPSHOT_CONTAINER: uniqueContainer(),
    SNAPSHOT_SCHEDULE: '0 0 6 * * *',
    SIM_TOKEN: 'token-for-the-simulator',
  };
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const names = (definitions: readonly { name: string }[]) => definitions.map(({ name }) => name);

describe('--help on every command', () => {
  it.each(COMMANDS.map((entry) => [entry.name, entry] as const))(
    '%s prints its options and the settings it reads, then exits 0 doing nothing',
    async (_name, { script, command }) => {
      const result = await runTool(script, ['--help'], { cwd: folder, env, timeoutMs: 10_000 });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe(`${helpText(command)}\n`);
      expect(result.stdout).toContain(`Usage: ${command.usage}`);
      for (const option of [...Object.keys(command.options), 'help'])
        expect(result.stdout).toContain(`--${option}`);
      for (const setting of settingsOf(command.concerns))
        expect(result.stdout).toMatch(new RegExp(`^  ${setting.name} `, 'm'));

      // Nothing ran: no Graph call, no archive, no settings file, nothing listening.
      expect(sim.graph.requests).toHaveLength(0);
      expect(await containerClient(env.SNAPSHOT_CONTAINER!).exists()).toBe(false);
      expect(existsSync(join(folder, 'local.settings.json'))).toBe(false);
      expect(result.stdout).not.toMatch(/"ready":true|listening|Demo ready/);
    },
  );

  it('accepts -h as well', async () => {
    const result = await runTool('report.js', ['-h'], { cwd: folder, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run report -- \[options\]/);
    expect(sim.graph.requests).toHaveLength(0);
  });

  it.each([
    [
      'report',
      ['GRAPH_BASE_URL', 'GRAPH_CREDENTIAL', 'AZURE_CLIENT_SECRET', 'REQUEST_TIMEOUT_MS'],
      ['SNAPSHOT_CONTAINER', 'STORAGE_MAX_TRIES'],
    ],
    [
      'snapshot',
      ['GRAPH_BASE_URL', 'SNAPSHOT_PERIODS', 'SNAPSHOT_CONTAINER', 'STORAGE_MAX_TRIES'],
      [],
    ],
    ['start', SETTINGS.map((setting) => setting.name), []],
    ['demo', [], SETTINGS.map((setting) => setting.name)],
    ['graph simulator', [], SETTINGS.map((setting) => setting.name)],
  ])('%s lists the settings it reads, and only those', (name, listed, unlisted) => {
    const { command } = COMMANDS.find((entry) => entry.name === name)!;
    const help = helpText(command);
    for (const setting of listed) expect(help).toMatch(new RegExp(`^  ${setting} `, 'm'));
    for (const setting of unlisted) expect(help).not.toMatch(new RegExp(`^  ${setting} `, 'm'));
  });

  it.each([
    ['demo', 'SIM_REFRESH_DATE'],
    ['graph simulator', 'SIM_TOKEN'],
    ['graph simulator', 'SIM_REFRESH_DATE'],
  ])('%s lists its own variable %s', (name, variable) => {
    const { command } = COMMANDS.find((entry) => entry.name === name)!;
    expect(helpText(command)).toMatch(new RegExp(`^Variables:\\n(  .*\\n)*  ${variable} `, 'm'));
  });
});

describe('the help text', () => {
  const command: CommandDefinition = {
    usage: 'npm run example -- [options]',
    summary: 'Does an example.',
    options: {
      port: { type: 'string', value: 'N', help: 'port to listen on' },
      quiet: { type: 'boolean', help: 'say less' },
    },
    concerns: ['graph'],
    settingsSource: 'from the environment.',
    variables: [{ name: 'EXAMPLE_VAR', meaning: 'an example' }],
  };

  it('shows usage, options with their values, settings from the registry, variables', () => {
    const graphSettings = SETTINGS.filter((setting) => setting.concern === 'graph');
    const help = helpText(command).split('\n');
    expect(help.slice(0, 9)).toEqual([
      'Usage: npm run example -- [options]',
      '',
      'Does an example.',
      '',
      'Options:',
      '  --port <N>  port to listen on',
      '  --quiet     say less',
      '  -h, --help  print this help and exit',
      '',
    ]);
    expect(help[9]).toBe('Settings: from the environment.');
    const settingLines = help.slice(10, 10 + graphSettings.length);
    expect(settingLines.map((line) => line.trim().split(/\s+/)[0])).toEqual(names(graphSettings));
    expect(help.slice(10 + graphSettings.length)).toEqual([
      '',
      'Variables:',
      '  EXAMPLE_VAR  an example',
    ]);
  });

  it("notes each setting's default, range, allowed values, and whether it is secret or required", () => {
    const help = helpText({ ...command, concerns: ['graph', 'credentials', 'snapshot'] });
    expect(help).toMatch(
      /^ {2}GRAPH_MAX_ATTEMPTS +attempts per report fetch \(1-10; default 4\)$/m,
    );
    expect(help).toMatch(
      /^ {2}GRAPH_CREDENTIAL +.+ \(auto, managed-identity, environment, azure-cli; default auto\)$/m,
    );
    expect(help).toMatch(/^ {2}AZURE_CLIENT_SECRET +.+ \(secret\)$/m);
    expect(help).toMatch(/^ {2}SNAPSHOT_SCHEDULE +.+ \(required by the timer\)$/m);
  });

  it('lists no settings for a command that reads none', () => {
    const help = helpText({ ...command, concerns: [], settingsSource: 'none.' });
    expect(help).toContain('Settings: none.\n\nVariables:');
  });
});

describe('reading a command line', () => {
  const { command } = COMMANDS.find((entry) => entry.name === 'report')!;

  it('reads the options, or asks for help', () => {
    expect(readCommandLine(['--period', 'D30', '--verbose'], command)).toEqual({
      help: false,
      options: { period: 'D30', verbose: true },
    });
    expect(readCommandLine(['--help'], command)).toEqual({ help: true });
    expect(readCommandLine(['--period', 'D30', '-h'], command)).toEqual({ help: true });
  });

  it('refuses a misspelt option, naming the known ones, --help among them', () => {
    expect(() => readCommandLine(['--perod', 'D30'], command)).toThrow(
      /^Unknown option '--perod'.* \(options: --period, --format, --report, --verbose, --settings, --help\)$/,
    );
  });
});
