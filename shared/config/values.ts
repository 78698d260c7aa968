import { ConfigError } from '../common/errors';
import { isLoopbackHost } from '../common/loopback';
import { settingDefinition } from './registry';

/**
 * Reading one setting, in one style: surrounding whitespace never counts, blank is unset, and a
 * bad value throws a ConfigError that names the setting and says what it accepts (never echoing
 * a value that could be a secret). Defaults, ranges and allowed values come from the settings
 * registry, so no reader keeps numbers of its own.
 */

/** One flat map: process.env in Azure, where app settings arrive as environment variables. */
export type Settings = Readonly<Record<string, string | undefined>>;

/**
 * The trimmed value of any setting, declared or not: the host's own (IDENTITY_ENDPOINT) and the
 * storage prefixes' families (`AzureWebJobsStorage__accountName`) are read this way too.
 */
export function rawSetting(settings: Settings, name: string): string | undefined {
  const raw = settings[name]?.trim();
  return raw ? raw : undefined;
}

/** A declared setting's registry default; asking for one it does not declare is a bug. */
export function defaultOf(name: string): string {
  const fallback = settingDefinition(name).default;
  if (fallback === undefined) throw new Error(`Setting ${name} declares no default.`);
  return fallback;
}

/** A declared setting's value, else its registry default. */
export function textSetting(settings: Settings, name: string): string {
  return rawSetting(settings, name) ?? defaultOf(name);
}

/** A declared whole-number setting, within its registry range; unset gives its default. */
export function integerSetting(settings: Settings, name: string): number {
  const { range } = settingDefinition(name);
  if (range === undefined) throw new Error(`Setting ${name} declares no range.`);
  const raw = rawSetting(settings, name);
  if (raw === undefined) return Number(defaultOf(name));
  const { min, max } = range;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return Number(raw);
}

/** A declared setting with a closed set of values, lower-cased; unset gives its default. */
export function choiceSetting(settings: Settings, name: string): string {
  const { allowed } = settingDefinition(name);
  if (allowed === undefined) throw new Error(`Setting ${name} declares no allowed values.`);
  const choice = textSetting(settings, name).toLowerCase();
  if (!allowed.includes(choice)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}.`);
  }
  return choice;
}

/** `raw` itself when it matches `pattern`; otherwise a ConfigError saying what `name` must be. */
export function matching(name: string, raw: string, pattern: RegExp, mustBe: string): string {
  if (!pattern.test(raw)) throw new ConfigError(name, `must be ${mustBe}.`);
  return raw;
}

/**
 * An https URL with nothing but a scheme, host, port and path (plain http is for loopback
 * stand-ins only). The errors never repeat the value: it may carry a SAS or a password.
 */
export function httpUrl(name: string, raw: string): URL {
  if (/[?#]/.test(raw))
    throw new ConfigError(name, 'must not contain credentials, a query or a fragment.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError(name, 'must be an https URL (plain http is allowed for loopback only).');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(name, 'must not contain credentials, a query or a fragment.');
  }
  return url;
}
