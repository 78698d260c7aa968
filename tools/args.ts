import { parseArgs } from 'node:util';

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

/**
 * The command's options, strictly: `--name value` or `--name=value`; an unknown option or a
 * stray argument is an error, so a typo never silently falls back to a default.
 */
export function readOptions<T extends OptionSpec>(argv: readonly string[], spec: T) {
  try {
    return parseArgs({ args: [...argv], options: spec, strict: true, allowPositionals: false })
      .values;
  } catch (error) {
    const known = Object.keys(spec)
      .map((name) => `--${name}`)
      .join(', ');
    throw new Error(`${(error as Error).message.split('\n')[0]} (options: ${known})`, {
      cause: error,
    });
  }
}

export function readPort(raw: string | undefined, fallback: number, name = 'port'): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new Error(`--${name} must be a port number from 1 to 65535 (got "${raw}").`);
  }
  return port;
}
