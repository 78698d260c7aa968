import { parseArgs } from 'node:util';
import { SETTINGS, SettingConcern, SettingDefinition } from '../shared/config/registry';

export interface OptionDefinition {
  readonly type: 'string' | 'boolean';
  /** A one-letter alias, e.g. `h` for `-h`. */
  readonly short?: string;
  /** For --help: what the value looks like, e.g. `N` or `json|csv`. */
  readonly value?: string;
  /** For --help: what the option does, in one line. */
  readonly help?: string;
}

type OptionSpec = Readonly<Record<string, OptionDefinition>>;

export type OptionValues<T extends OptionSpec> = {
  -readonly [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string;
};

/**
 * The command's options, strictly: `--name value` or `--name=value`; an unknown option or a
 * stray argument is an error, so a typo never silently falls back to a default.
 */
export function readOptions<T extends OptionSpec>(
  argv: readonly string[],
  spec: T,
): OptionValues<T> {
  const { values, positionals } = parseStrictly(argv, spec);
  if (positionals.length) {
    throw new Error(`Unexpected argument '${positionals[0]!.value}' ${knownOptions(spec)}`);
  }
  return values;
}

function knownOptions(spec: OptionSpec): string {
  return `(options: ${Object.keys(spec)
    .map((name) => `--${name}`)
    .join(', ')})`;
}

/** Options read strictly (an unknown one is an error); positionals returned for the caller. */
function parseStrictly<T extends OptionSpec>(argv: readonly string[], spec: T) {
  const options = Object.fromEntries(
    Object.entries(spec).map(([name, { type, short }]) => [
      name,
      short ? { type, short } : { type },
    ]),
  );
  try {
    const { values, tokens } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
    const positionals = tokens.flatMap((token) =>
      token.kind === 'positional' ? [{ index: token.index, value: token.value }] : [],
    );
    return { values: values as OptionValues<T>, positionals };
  } catch (error) {
    // Positionals are allowed here only to explain them: drop Node's advice about them.
    const message = (error as Error).message
      .split('\n')[0]!
      .replace(/\. To specify a positional.*$/, '');
    throw new Error(`${message} ${knownOptions(spec)}`, { cause: error });
  }
}

/**
 * `npm run report --period D30` (the `--` forgotten): npm keeps `--period` as its own config,
 * setting `npm_config_period=true` in our environment, and passes `D30` on as an argument. This
 * works out what was meant from those two traces: npm's config names that are our options, and
 * the stray arguments (an argument that is one of an option's listed values goes with that
 * option: npm expands `--format` to its own `--format-package-lock` and leaves no trace of it).
 * Undefined when the arguments cannot all be explained.
 */
export function missingDashesHint(
  argv: readonly string[],
  positionals: readonly { index: number; value: string }[],
  spec: OptionSpec,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const script = env.npm_lifecycle_event;
  const stray = [...positionals];
  const meant: string[] = [];
  const allowed = (option: OptionDefinition) =>
    option.value?.includes('|') ? option.value.split('|') : undefined;
  const takeStray = (option: OptionDefinition) => {
    const values = allowed(option);
    const at = stray.findIndex((arg) => values === undefined || values.includes(arg.value));
    return at < 0 ? undefined : stray.splice(at, 1)[0]!.value;
  };
  const swallowed = new Set<string>();
  if (script !== undefined) {
    for (const [name, option] of Object.entries(spec)) {
      const value = env[`npm_config_${name.replace(/-/g, '_')}`];
      if (value === undefined) continue;
      swallowed.add(name);
      if (option.type === 'boolean') meant.push(`--${name}`);
      else if (value !== 'true') meant.push(`--${name} ${value}`);
      else {
        const taken = takeStray(option);
        if (taken === undefined) return undefined;
        meant.push(`--${name} ${taken}`);
      }
    }
  }
  for (const arg of [...stray]) {
    const entry = Object.entries(spec).find(
      ([name, option]) => !swallowed.has(name) && allowed(option)?.includes(arg.value),
    );
    if (!entry) return undefined;
    stray.splice(stray.indexOf(arg), 1);
    meant.push(`--${entry[0]} ${arg.value}`);
  }
  if (!meant.length) return undefined;
  const given = argv.filter((_, index) => !positionals.some((arg) => arg.index === index));
  const command = [...meant, ...given].join(' ');
  if (script === undefined) return command;
  return `${script === 'start' ? 'npm start' : `npm run ${script}`} -- ${command}`;
}

export function readPort(raw: string | undefined, fallback: number, name = 'port'): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new Error(`--${name} must be a port number from 1 to 65535 (got "${raw}").`);
  }
  return port;
}

/** A variable a tool reads that is not an app setting (the simulator's, say). */
export interface ToolVariable {
  readonly name: string;
  readonly meaning: string;
}

/** What a command takes, as data: its options and the settings it reads, for `--help`. */
export interface CommandDefinition<T extends OptionSpec = OptionSpec> {
  /** How to run it, e.g. `npm run report -- [options]`. */
  readonly usage: string;
  /** What it does and what it prints, in a sentence or two. */
  readonly summary: string;
  readonly options: T;
  /** The registry concerns whose settings it reads; `--help` lists those settings. */
  readonly concerns: readonly SettingConcern[];
  /** Where those settings come from, or why there are none. */
  readonly settingsSource: string;
  /** Variables of its own, beyond the app settings. */
  readonly variables?: readonly ToolVariable[];
}

const HELP_OPTION = {
  help: { type: 'boolean', short: 'h', help: 'print this help and exit' },
} as const satisfies OptionSpec;

export type CommandLine<T extends OptionSpec> =
  { readonly help: true } | { readonly help: false; readonly options: OptionValues<T> };

/**
 * A command's arguments: `--help` (or `-h`) asks for the help, anything else is read strictly
 * as `readOptions` does (a misspelt option is an error naming the known ones).
 */
export function readCommandLine<T extends OptionSpec>(
  argv: readonly string[],
  command: CommandDefinition<T>,
  env: NodeJS.ProcessEnv = process.env,
): CommandLine<T> {
  const spec = { ...command.options, ...HELP_OPTION };
  const { values, positionals } = parseStrictly(argv, spec);
  const hint = missingDashesHint(argv, positionals, command.options, env);
  if (positionals.length) {
    const list = positionals.map((arg) => `'${arg.value}'`).join(' ');
    const unexpected = `Unexpected argument${positionals.length > 1 ? 's' : ''} ${list}.`;
    throw new Error(
      hint
        ? `${unexpected} Did you mean \`${hint}\`?`
        : `${unexpected} This command does not take positional arguments ${knownOptions(spec)}`,
    );
  }
  // Nothing stray, but npm kept an option of ours (`npm run snapshot --rebuild-index`): running
  // without it would do something else than asked.
  if (hint) throw new Error(`npm took the options for itself. Did you mean \`${hint}\`?`);
  const { help, ...options } = values;
  return help ? { help: true } : { help: false, options: options as OptionValues<T> };
}

/** The registry's settings of these concerns, in the registry's order. */
export function settingsOf(concerns: readonly SettingConcern[]): SettingDefinition[] {
  return SETTINGS.filter((setting) => concerns.includes(setting.concern));
}

function settingNotes(setting: SettingDefinition): string {
  const notes = [
    setting.allowed && setting.allowed.join(', '),
    setting.range && `${setting.range.min}-${setting.range.max}`,
    setting.default !== undefined && `default ${setting.default}`,
    setting.required && 'required by the timer',
    setting.secret && 'secret',
  ].filter(Boolean);
  return notes.length ? ` (${notes.join('; ')})` : '';
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}

/** The text `--help` prints: usage, summary, options, the settings it reads, its variables. */
export function helpText(command: CommandDefinition): string {
  const all: OptionSpec = { ...command.options, ...HELP_OPTION };
  const options = Object.entries(all).map(([name, option]): [string, string] => [
    `${option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` <${option.value}>` : ''}`,
    option.help ?? '',
  ]);
  const settings = settingsOf(command.concerns).map((setting): [string, string] => [
    setting.name,
    `${setting.meaning}${settingNotes(setting)}`,
  ]);
  const lines = [`Usage: ${command.usage}`, '', command.summary, '', 'Options:', ...table(options)];
  lines.push('', `Settings: ${command.settingsSource}`);
  if (settings.length) lines.push(...table(settings));
  if (command.variables?.length) {
    lines.push('', 'Variables:', ...table(command.variables.map((v) => [v.name, v.meaning])));
  }
  return lines.join('\n');
}

/** Prints the help on stdout and resolves once written, so the command can exit 0 at once. */
export function printHelp(command: CommandDefinition): Promise<void> {
  return new Promise((resolve) => {
    // `--help | head` closes the pipe early: that is the reader's choice, not a crash of ours.
    process.stdout.once('error', () => resolve());
    process.stdout.write(`${helpText(command)}\n`, () => resolve());
  });
}
