import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from '../shared/common/errors';

export const LOCAL_SETTINGS_FILE = 'local.settings.json';
export const SAMPLE_SETTINGS_FILE = 'local.settings.sample.json';

export interface LoadedSettings {
  readonly settings: Record<string, string | undefined>;
  /** The file read, if there was one. */
  readonly file?: string;
}

/**
 * Settings for commands run outside the Functions host: local.settings.json `Values` from the
 * folder, overridden by environment variables already set, as Core Tools does.
 */
export function loadLocalSettings(
  folder: string,
  env: NodeJS.ProcessEnv = process.env,
): LoadedSettings {
  const file = join(folder, LOCAL_SETTINGS_FILE);
  if (!existsSync(file)) return { settings: { ...env } };
  let values: unknown;
  try {
    values = (JSON.parse(readFileSync(file, 'utf8')) as { Values?: unknown }).Values ?? {};
  } catch {
    // The parser's message quotes the text around the error, which may be a secret: say nothing of it.
    throw new ConfigError(
      LOCAL_SETTINGS_FILE,
      'is not valid JSON (check the quotes and commas around each value).',
    );
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new ConfigError(LOCAL_SETTINGS_FILE, '"Values" must be an object of settings.');
  }
  const fromFile: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined) fromFile[key] = String(value);
  }
  return { settings: { ...fromFile, ...env }, file };
}

/**
 * Settings for a command given `--settings FILE`: KEY=value lines (the dotenv form `npm run demo`
 * writes, read with Node's own parser) instead of local.settings.json. The file's values win over
 * the environment: it was named on the command line, and a demo's file must keep the command on
 * the demo even when the shell holds a real tenant's settings. A relative path is taken from the
 * folder the command was typed in (npm runs scripts from the project root; INIT_CWD is where the
 * user was).
 */
export function loadSettingsFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): LoadedSettings {
  const file = resolve(env.INIT_CWD ?? process.cwd(), path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(
      '--settings',
      `cannot read ${file}. ${DEMO_SETTINGS_FILE} exists only while "npm run demo" runs.`,
    );
  }
  return { settings: { ...env, ...parseEnv(text) }, file };
}

/** Where `npm run demo` writes its settings for the other commands, from the project root. */
export const DEMO_SETTINGS_FILE = '.demo/settings.env';

/** `--settings FILE` when given, else local.settings.json in `folder`. */
export function loadSettings(
  folder: string,
  settingsFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): LoadedSettings {
  return settingsFile === undefined
    ? loadLocalSettings(folder, env)
    : loadSettingsFile(settingsFile, env);
}

/** Creates local.settings.json in `folder` from the project's sample; true if it did. */
export function ensureLocalSettings(folder: string, root: string): boolean {
  const file = join(folder, LOCAL_SETTINGS_FILE);
  if (existsSync(file)) return false;
  copyFileSync(join(root, SAMPLE_SETTINGS_FILE), file);
  return true;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'];

/**
 * Puts the settings into process.env, as the Functions host does with app settings: libraries
 * such as @azure/identity read the environment themselves. Loopback is added to NO_PROXY, since
 * the storage SDK would otherwise send Azurite and simulator traffic to a configured proxy.
 */
export function exportSettings(
  settings: Record<string, string | undefined>,
  env = process.env,
): void {
  for (const [key, value] of Object.entries(settings)) if (value !== undefined) env[key] = value;
  bypassProxyForLoopback(env);
}

export function bypassProxyForLoopback(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of ['NO_PROXY', 'no_proxy']) {
    const entries = (env[name] ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    env[name] = [...new Set([...entries, ...LOOPBACK_HOSTS])].join(',');
  }
}
