/** `--name value` from argv, or undefined. */
export function option(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value.`);
  return value;
}

export function flag(argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

export function portOption(argv: readonly string[], fallback: number): number {
  const raw = option(argv, 'port');
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new Error(`--port must be a port number from 1 to 65535 (got "${raw}").`);
  }
  return port;
}
