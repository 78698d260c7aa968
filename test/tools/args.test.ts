import { CommandDefinition, readCommandLine, readOptions, readPort } from '../../tools/args';
import { reportCommand, snapshotCommand, startCommand } from '../../tools/commands';

describe('command-line options', () => {
  const spec = { port: { type: 'string' }, verbose: { type: 'boolean' } } as const;

  it('reads --name value and --name=value alike', () => {
    expect(readOptions(['--port', '7072'], spec)).toEqual({ port: '7072' });
    expect(readOptions(['--port=7072', '--verbose'], spec)).toEqual({
      port: '7072',
      verbose: true,
    });
    expect(readOptions([], spec)).toEqual({});
  });

  it('refuses a misspelt option instead of silently using a default, listing the known ones', () => {
    expect(() => readOptions(['--prot', '7077'], spec)).toThrow(
      /--prot.*\(options: --port, --verbose\)/,
    );
  });

  it('refuses stray arguments and a missing value', () => {
    expect(() => readOptions(['7072'], spec)).toThrow();
    expect(() => readOptions(['--port'], spec)).toThrow(/--port/);
  });

  it('reads a port, or the default when absent', () => {
    expect(readPort('7072', 7071)).toBe(7072);
    expect(readPort(undefined, 7071)).toBe(7071);
  });

  it.each(['0', '65536', 'abc', '70.5', '-1'])('rejects port %p, naming the option', (raw) => {
    expect(() => readPort(raw, 7071)).toThrow(
      `--port must be a port number from 1 to 65535 (got "${raw}").`,
    );
  });
});

describe('a forgotten `--` under npm', () => {
  const underNpm = (script: string, config: Record<string, string> = {}) => ({
    npm_lifecycle_event: script,
    ...Object.fromEntries(
      Object.entries(config).map(([key, value]) => [`npm_config_${key}`, value]),
    ),
  });

  it.each([
    [
      'npm run report --period D30',
      ['D30'],
      reportCommand,
      underNpm('report', { period: 'true' }),
      "Unexpected argument 'D30'. Did you mean `npm run report -- --period D30`?",
    ],
    [
      'npm run report --period D30 --format csv (npm expands --format into its own option)',
      ['D30', 'csv'],
      reportCommand,
      underNpm('report', { period: 'true' }),
      "Unexpected arguments 'D30' 'csv'. Did you mean `npm run report -- --period D30 --format csv`?",
    ],
    [
      'npm run report --format csv --period D30',
      ['csv', 'D30'],
      reportCommand,
      underNpm('report', { period: 'true' }),
      "Unexpected arguments 'csv' 'D30'. Did you mean `npm run report -- --period D30 --format csv`?",
    ],
    [
      'npm run report --period D30 -- --verbose',
      ['D30', '--verbose'],
      reportCommand,
      underNpm('report', { period: 'true' }),
      "Unexpected argument 'D30'. Did you mean `npm run report -- --period D30 --verbose`?",
    ],
    [
      'npm start --port 7072',
      ['7072'],
      startCommand,
      underNpm('start', { port: 'true' }),
      "Unexpected argument '7072'. Did you mean `npm start -- --port 7072`?",
    ],
    [
      'npm run report --period=D30 (no stray argument: npm kept the whole option)',
      [],
      reportCommand,
      underNpm('report', { period: 'D30' }),
      'npm took the options for itself. Did you mean `npm run report -- --period D30`?',
    ],
    [
      'npm run snapshot --rebuild-index (it would run a snapshot instead)',
      [],
      snapshotCommand,
      underNpm('snapshot', { rebuild_index: 'true' }),
      'npm took the options for itself. Did you mean `npm run snapshot -- --rebuild-index`?',
    ],
    [
      'node dist/tools/report.js D30 (not under npm)',
      ['D30'],
      reportCommand,
      {},
      "Unexpected argument 'D30'. Did you mean `--period D30`?",
    ],
  ])('%s: suggests the command meant', (_case, argv, command, env, message) => {
    expect(() => readCommandLine(argv, command as CommandDefinition, env)).toThrow(
      new Error(message as string),
    );
  });

  it('says what it can when the stray argument fits no option', () => {
    expect(() => readCommandLine(['foo'], reportCommand, underNpm('report'))).toThrow(
      new Error(
        "Unexpected argument 'foo'. This command does not take positional arguments (options: --period, --format, --report, --verbose, --settings, --help)",
      ),
    );
  });

  it("leaves npm's own configuration alone", () => {
    const env = { ...underNpm('report', { cache: '/root/.npm', loglevel: 'verbose' }) };
    expect(readCommandLine(['--period', 'D30'], reportCommand, env)).toEqual({
      help: false,
      options: { period: 'D30' },
    });
  });
});
