import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Just enough reading of Bicep to check the templates without the Bicep CLI (which cannot run
 * here): find an object or array literal, list its top-level `key: value` entries, read `param`
 * defaults. Strings and comments are skipped, so braces inside them do not confuse it.
 */

export const projectRoot = join(__dirname, '..', '..');
export const infraRoot = join(projectRoot, 'infra');

export function readProjectFile(path: string): string {
  return readFileSync(join(projectRoot, path), 'utf8');
}

/** Every .bicep file under infra/, as paths relative to the project root. */
export function bicepFiles(dir = infraRoot): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return bicepFiles(path);
    return entry.name.endsWith('.bicep') ? [relative(projectRoot, path)] : [];
  });
}

/** The index just past the end of the string literal that starts at `start` (a `'`). */
function endOfString(source: string, start: number): number {
  let index = start + 1;
  while (index < source.length && source[index] !== "'") index += source[index] === '\\' ? 2 : 1;
  return index + 1;
}

/**
 * The first `{...}` (or `[...]`) at or after `from`, with everything nested deeper than its own
 * level blanked out: what remains are its top-level entries, one per line.
 */
export function topLevelOf(source: string, from: number): string {
  const open = source.slice(from).search(/[{[]/);
  if (open < 0) throw new Error(`no object after offset ${from}`);
  let depth = 0;
  let kept = '';
  for (let index = from + open; index < source.length;) {
    const char = source[index]!;
    if (char === "'") {
      const end = endOfString(source, index);
      if (depth === 1) kept += source.slice(index, end);
      index = end;
      continue;
    }
    if (source.startsWith('//', index)) {
      const endOfLine = source.indexOf('\n', index);
      index = endOfLine < 0 ? source.length : endOfLine;
      continue;
    }
    if ('{[('.includes(char)) depth += 1;
    if ('}])'.includes(char)) {
      depth -= 1;
      if (depth === 0) return kept;
    }
    // The brackets of nested values stay, so `key: {` still reads as a key with a value.
    if (depth === 1 || (depth === 2 && '{[('.includes(char))) kept += char;
    index += 1;
  }
  throw new Error(`unbalanced brackets after offset ${from}`);
}

/** The object literal after the first occurrence of `marker` (which must occur). */
export function objectAfter(source: string, marker: string | RegExp): string {
  const at = typeof marker === 'string' ? source.indexOf(marker) : source.search(marker);
  if (at < 0) throw new Error(`${String(marker)} not found`);
  return topLevelOf(source, at);
}

/** Top-level `key: value` entries of a literal from topLevelOf; quoted keys are unquoted. */
export function entries(literal: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of literal.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*|'[^']+')\s*:\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const key = match[1]!.replace(/^'|'$/g, '');
    if (found.has(key)) throw new Error(`${key} appears twice`);
    found.set(key, match[2]!);
  }
  return found;
}

/** `param name type = default` declarations: name to default text (undefined: no default). */
export function paramDefaults(source: string): Map<string, string | undefined> {
  const params = new Map<string, string | undefined>();
  for (const match of source.matchAll(/^param\s+(\w+)\s+\w+(?:\s*=\s*(.+?))?\s*$/gm)) {
    params.set(match[1]!, match[2]);
  }
  return params;
}

/** The text of a Bicep string literal (`'...'`), or undefined for any other expression. */
export function stringLiteral(expression: string): string | undefined {
  const match = /^'((?:[^'\\]|\\.)*)'$/.exec(expression.trim());
  return match ? match[1]!.replace(/\\(.)/g, '$1') : undefined;
}

/**
 * The value an app setting expression takes, given values for the identifiers it uses: a string
 * literal with `${...}` interpolations of plain identifiers, or an identifier path.
 */
export function evaluate(expression: string, values: Record<string, string>): string {
  const lookup = (name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${name} (in ${expression})`);
    return value;
  };
  const literal = stringLiteral(expression);
  if (literal === undefined) return lookup(expression.trim());
  return literal.replace(/\$\{([\w.]+)\}/g, (_, name: string) => lookup(name));
}

/** Each `resource NAME 'TYPE@version' = ... {` of a type, with its top-level entries. */
export function resourcesOfType(source: string, type: string) {
  const pattern = new RegExp(
    `^resource (\\w+) '${type.replace(/[./]/g, '\\$&')}@[^']+' = ([^{]*)\\{`,
    'gm',
  );
  return [...source.matchAll(pattern)].map((match) => ({
    name: match[1]!,
    condition: match[2]!.trim(),
    at: match.index,
    body: entries(topLevelOf(source, match.index)),
  }));
}
