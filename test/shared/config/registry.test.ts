import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  readSnapshotConfig,
  SettingDefinition,
  settingDefinition,
  SETTINGS,
  Settings,
} from '../../../shared/config';
import { projectRoot } from '../../support/processes';
import { CLI, configError, CONNECTION_STRING } from './fixtures';

interface TableRow {
  readonly default: string;
  readonly accepts: string;
}

/** The README's configuration table, by setting name (duplicates are kept, to be reported). */
function readmeConfigurationTable(): [string, TableRow][] {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const section = readme.split(/^### Configuration$/m)[1]?.split(/^#{2,3} /m)[0] ?? '';
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  const cells = lines.map((line) =>
    line
      .slice(1, line.lastIndexOf('|'))
      .split('|')
      .map((cell) => cell.trim()),
  );
  const [header, separator, ...rows] = cells;
  expect(header).toEqual(['setting', 'default', 'accepts', 'meaning']);
  expect(separator?.every((cell) => /^-+$/.test(cell))).toBe(true);
  return rows.map(([setting = '', fallback = '', accepts = '']) => [
    setting.replace(/^`|`$/g, ''),
    { default: fallback, accepts },
  ]);
}

/** The row the registry says the README must have for `definition`. */
function expectedRow(definition: SettingDefinition): TableRow {
  const { default: fallback, range, allowed, required } = definition;
  return {
    default: fallback !== undefined ? `\`${fallback}\`` : required ? '(required by the timer)' : '',
    accepts: range
      ? `${range.min}-${range.max}`
      : (allowed ?? []).map((value) => `\`${value}\``).join(', '),
  };
}

describe('the settings registry', () => {
  it('declares each setting once', () => {
    const names = SETTINGS.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('finds a declaration by name, and calls an undeclared name a bug, not a bad setting', () => {
    expect(settingDefinition('GRAPH_MAX_ATTEMPTS')).toMatchObject({ range: { min: 1, max: 10 } });
    expect(() => settingDefinition('GRAPH_MAX_ATEMPTS')).toThrow(
      'Setting GRAPH_MAX_ATEMPTS is not declared in the settings registry.',
    );
  });

  it.each(SETTINGS.filter((definition) => definition.range).map((d) => [d.name, d] as const))(
    'gives %s a whole-number default within its range',
    (_, { default: fallback, range }) => {
      expect(fallback).toMatch(/^\d+$/);
      expect(Number(fallback)).toBeGreaterThanOrEqual(range!.min);
      expect(Number(fallback)).toBeLessThanOrEqual(range!.max);
    },
  );

  it.each(SETTINGS.filter((definition) => definition.allowed).map((d) => [d.name, d] as const))(
    'gives %s a default among its allowed values, all lower-case (they are compared so)',
    (_, { default: fallback, allowed }) => {
      expect(allowed).toContain(fallback);
      for (const value of allowed!) expect(value).toBe(value.toLowerCase());
    },
  );

  it('gives a required setting no default, and marks no secret as deployed', () => {
    for (const definition of SETTINGS) {
      if (definition.required) expect(definition.default).toBeUndefined();
      if (definition.secret) expect(definition.deploy).toBeFalsy();
    }
  });
});

describe('the readers take their ranges from the registry', () => {
  const VALID: Settings = { ...CLI, SNAPSHOT_STORAGE: CONNECTION_STRING };
  const ranged = SETTINGS.filter(
    (definition) =>
      definition.range && ['graph', 'storage', 'snapshot'].includes(definition.concern),
  ).map((definition) => [definition.name, definition.range!] as const);

  it.each(ranged)('accepts %s at both ends of %o and rejects just outside', (name, range) => {
    expect(() => readSnapshotConfig({ ...VALID, [name]: String(range.min) })).not.toThrow();
    expect(() => readSnapshotConfig({ ...VALID, [name]: String(range.max) })).not.toThrow();
    for (const outside of [range.min - 1, range.max + 1].filter((value) => value >= 0)) {
      const error = configError(() => readSnapshotConfig({ ...VALID, [name]: String(outside) }));
      expect(error.setting).toBe(name);
      expect(error.message).toContain(`from ${range.min} to ${range.max}`);
    }
  });
});

describe("the README's configuration table", () => {
  const table = readmeConfigurationTable();
  const documented = new Map(table);

  it('has one row per setting', () => {
    const names = table.map(([name]) => name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('documents no setting the registry lacks', () => {
    const declared = new Set(SETTINGS.map((definition) => definition.name));
    expect(table.map(([name]) => name).filter((name) => !declared.has(name))).toEqual([]);
  });

  it.each(SETTINGS.map((definition) => [definition.name, definition] as const))(
    'documents %s with the default and accepted values of the registry',
    (name, definition) => {
      expect(documented.get(name)).toEqual(expectedRow(definition));
    },
  );
});
