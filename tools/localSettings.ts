import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../shared/errors';

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
  } catch (error) {
    throw new ConfigError(LOCAL_SETTINGS_FILE, `is not valid JSON (${(error as Error).message}).`);
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

/** Creates local.settings.json in `folder` from the project's sample; true if it did. */
export function ensureLocalSettings(folder: string, root: string): boolean {
  const file = join(folder, LOCAL_SETTINGS_FILE);
  if (existsSync(file)) return false;
  copyFileSync(join(root, SAMPLE_SETTINGS_FILE), file);
  return true;
}
