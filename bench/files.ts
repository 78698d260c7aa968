import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Files the suites write into the repository (results JSON, the README), laid out as
 * `npm run lint` (prettier --check) expects them, so a run never leaves the lint failing.
 */
export async function writeFormatted(path: string, text: string): Promise<void> {
  // Loaded when needed: prettier starts with a dynamic import, which jest's sandbox refuses.
  const prettier = await import('prettier');
  const style = await prettier.resolveConfig(path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, await prettier.format(text, { ...style, filepath: path }));
}

export function writeJson(path: string, value: unknown): Promise<void> {
  return writeFormatted(path, JSON.stringify(value));
}
