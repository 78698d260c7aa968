/**
 * The HTTP contract of every catalogued report, derived from the one written out by hand.
 *
 * openapi.yaml describes one report in full (the template report: its six operations and its
 * `Report`, `History`, `ReportRow` and `ReportCsv` schemas), so it stays a complete document
 * Redocly lints and a reader can follow. `catalogueContract` gives each other report the same
 * operations under its own route slug and operationIds (from its function names), and its own
 * row, report, history and CSV schemas generated from its definition's columns. The template
 * report's own schemas are checked against its definition: a column added to one and not the
 * other fails the build, so the contract and the definitions cannot drift.
 *
 * `servedContract` narrows that document to the reports an app serves (the `REPORTS` setting).
 *
 * Pure data in, data out: the build (build/openapi.ts) and the `openApi` function use it.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  periodDays,
  REPORT_PERIODS,
  skypeP2pMinuteCounts,
  type ReportDefinition,
  type ReportFunctionNames,
  type ServedReportDefinition,
} from '../reports/definitions';
import { inSecondsKey } from '../reports/duration';
import { CATALOGUE } from '../reports/catalogue';

type Node = Record<string, unknown>;

/** The report openapi.yaml writes out by hand. */
export const TEMPLATE_REPORT: ServedReportDefinition = skypeP2pMinuteCounts;

/**
 * Every catalogued report, the first report first: what dist/openapi.json describes. The app
 * serves the part of it `REPORTS` enables (`servedContract`).
 */
export const CONTRACT_REPORTS: readonly ServedReportDefinition[] = CATALOGUE;

/** Thrown for a template that cannot be expanded, or a contract that does not match the definitions. */
export class ContractTemplateError extends Error {}

/** The report's schemas, by the names openapi.yaml gives the template report's. */
const SCHEMA_ROLES = ['ReportRow', 'Report', 'History', 'ReportCsv'] as const;
type SchemaRole = (typeof SCHEMA_ROLES)[number];

/** Which function serves each path under `/reports/{slug}`: its operationId comes from the name. */
const PATH_FUNCTIONS: Record<string, keyof ReportFunctionNames> = {
  '': 'report',
  '/history': 'history',
  '/status': 'status',
  '/chart': 'chart',
  '/dashboard': 'dashboard',
  '/icon.svg': 'dashboardIcon',
};

/**
 * What Graph's ISO 8601 durations may look like in a row: `parseDuration`'s grammar (weeks, days,
 * hours, minutes, seconds with a fraction; no years, months or sign; at least one component,
 * and one after a `T`).
 */
export const DURATION_PATTERN =
  '^P(?!$)(?:\\d+W)?(?:\\d+D)?(?:T(?=\\d)(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:[.,]\\d+)?S)?)?$';

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `getTeamsUserActivityCountsHistory` for the function `teamsUserActivityCountsHistory`. */
export function operationIdFor(functionName: string): string {
  return `get${pascal(functionName)}`;
}

/** The names of a report's schemas: the template's own, or its function's name as a prefix. */
export function schemaNames(
  report: ServedReportDefinition,
  template: ReportDefinition,
): Record<SchemaRole, string> {
  if (report.routeSlug === template.routeSlug) {
    return { ReportRow: 'ReportRow', Report: 'Report', History: 'History', ReportCsv: 'ReportCsv' };
  }
  const prefix = pascal(report.functionNames.report);
  return {
    ReportRow: `${prefix}Row`,
    Report: `${prefix}Report`,
    History: `${prefix}History`,
    ReportCsv: `${prefix}Csv`,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Keys of the columns a `non-negative-integer` rule covers: their schema has `minimum: 0`. */
function nonNegativeKeys(definition: ReportDefinition): Set<string> {
  return new Set(
    definition.rules.flatMap((rule) => (rule.kind === 'non-negative-integer' ? rule.keys : [])),
  );
}

/** Keys of the columns an `equals-period-days` rule covers: one of the periods' day counts. */
function periodKeys(definition: ReportDefinition): Set<string> {
  return new Set(
    definition.rules.flatMap((rule) => (rule.kind === 'equals-period-days' ? [rule.key] : [])),
  );
}

/**
 * One JSON row of the report, as the parser (shared/reports/csv.ts) writes it: Graph's JSON key
 * for every column, typed by the column's type, plus `{key}InSeconds` beside each duration.
 * Required and closed, as every body of the contract.
 */
export function rowSchema(definition: ReportDefinition): Node {
  const nonNegative = nonNegativeKeys(definition);
  const periods = periodKeys(definition);
  const properties: Node = {};
  for (const column of definition.columns) {
    const cell = `Graph's "${column.header}" column`;
    switch (column.type) {
      case 'date':
        properties[column.key] = {
          description: `${cell}, a day.`,
          type: 'string',
          format: 'date',
        };
        break;
      case 'string':
        properties[column.key] = periods.has(column.key)
          ? {
              description: `${cell}: the period of the report the row comes from, in days, as Graph writes it.`,
              type: 'string',
              enum: REPORT_PERIODS.map((period) => String(periodDays(period))),
            }
          : { description: `${cell}, as Graph writes it.`, type: 'string' };
        break;
      case 'integer':
        properties[column.key] = {
          description: `${cell}, a whole number; null for an empty cell.`,
          type: ['integer', 'null'],
          ...(nonNegative.has(column.key) ? { minimum: 0 } : {}),
        };
        break;
      case 'duration':
        properties[column.key] = {
          description: `${cell}, an ISO 8601 duration as Graph gives it (such as PT1H2M3S); null for an empty cell.`,
          type: ['string', 'null'],
          pattern: DURATION_PATTERN,
        };
        properties[inSecondsKey(column.key)] = {
          description: `\`${column.key}\` in whole seconds; null for an empty cell.`,
          type: ['integer', 'null'],
          minimum: 0,
        };
        break;
      default: {
        // A new column type must say here what its JSON looks like.
        const unknown: never = column.type;
        throw new ContractTemplateError(`No JSON schema for the column type ${String(unknown)}.`);
      }
    }
  }
  return {
    description: "One day of the report, with the keys of Graph's own JSON form of it.",
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties),
    properties,
  };
}

/** The pattern a CSV body starts with: the definition's headers in order, one line. */
export function csvHeaderPattern(definition: ReportDefinition): string {
  return `^${definition.columns.map((column) => escapeRegExp(column.header)).join(',')}\\r?\\n`;
}

/** A schema without its prose: what a validator sees. */
function withoutProse(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutProse);
  if (!isNode(node)) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'description' && key !== 'examples' && key !== 'example')
      .map(([key, value]) => [key, withoutProse(value)]),
  );
}

function schemasOf(document: Node): Node {
  const components = isNode(document.components) ? document.components : undefined;
  if (!components || !isNode(components.schemas)) {
    throw new ContractTemplateError('openapi.yaml has no components.schemas.');
  }
  return components.schemas;
}

function schemaAt(schemas: Node, name: string): Node {
  const schema = schemas[name];
  if (!isNode(schema)) throw new ContractTemplateError(`openapi.yaml has no schema ${name}.`);
  return schema;
}

/**
 * What openapi.yaml writes by hand for the template report, checked against its definition; the
 * first difference is an error naming the schema, so a changed definition cannot ship a stale
 * contract.
 */
export function checkTemplate(document: Node, template: ReportDefinition): void {
  const schemas = schemasOf(document);
  const found: string[] = [];
  if (
    !isDeepStrictEqual(
      withoutProse(schemaAt(schemas, 'ReportRow')),
      withoutProse(rowSchema(template)),
    )
  ) {
    found.push(
      `ReportRow is not what the columns of ${template.routeSlug} give: ${JSON.stringify(withoutProse(rowSchema(template)))}`,
    );
  }
  const pattern = schemaAt(schemas, 'ReportCsv').pattern;
  if (pattern !== csvHeaderPattern(template)) {
    found.push(`ReportCsv's pattern should be ${JSON.stringify(csvHeaderPattern(template))}`);
  }
  for (const name of ['Report', 'History'] as const) {
    const report = (schemaAt(schemas, name).properties as Node | undefined)?.report;
    if (!isNode(report) || report.const !== template.graphFunction) {
      found.push(`${name}'s report should be the constant ${template.graphFunction}`);
    }
  }
  if (found.length > 0) {
    throw new ContractTemplateError(
      `openapi.yaml does not match the definition of ${template.routeSlug}: ${found.join('; ')}.`,
    );
  }
}

/** A value of the given column's type for an example row, from the template row's figures. */
function exampleRow(definition: ReportDefinition, templateRow: Node): Node {
  const figures = Object.values(templateRow).filter(
    (value): value is number | null => typeof value === 'number' || value === null,
  );
  const figure = (index: number) => (figures.length ? figures[index % figures.length]! : 0);
  const row: Node = {};
  let counted = 0;
  for (const column of definition.columns) {
    const given = templateRow[column.key];
    if (column.type === 'date') {
      row[column.key] = typeof given === 'string' ? given : templateRow.reportDate;
    } else if (column.type === 'string') {
      row[column.key] = typeof given === 'string' ? given : '';
    } else if (column.type === 'integer') {
      row[column.key] = figure(counted++);
    } else {
      // Minutes in the template become a duration of as many minutes here.
      const minutes = figure(counted++);
      const seconds = minutes === null ? null : minutes * 60;
      row[column.key] = seconds === null ? null : isoDuration(seconds);
      row[inSecondsKey(column.key)] = seconds;
    }
  }
  return row;
}

/** `PT#H#M#S` for whole seconds, as the simulator writes Graph's durations. */
function isoDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${rest || (!hours && !minutes) ? `${rest}S` : ''}`;
}

/**
 * The example rows as CSV, Graph's headers first, CRLF line ends (examples hold dates, numbers
 * and durations: nothing a CSV writer would quote, so joining them is enough here).
 */
function exampleCsv(definition: ReportDefinition, rows: readonly Node[]): string {
  const lines = [
    definition.columns.map((column) => column.header),
    ...rows.map((row) => definition.columns.map((column) => String(row[column.key] ?? ''))),
  ];
  return lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}

/** Deep copy with every `#/components/schemas/{role}` pointing at the report's own schema. */
function renamed(node: unknown, names: Record<SchemaRole, string>): unknown {
  if (Array.isArray(node)) return node.map((item) => renamed(item, names));
  if (!isNode(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (key === '$ref' && typeof value === 'string') {
        const match = /^#\/components\/schemas\/(\w+)$/.exec(value);
        const role = match?.[1] as SchemaRole | undefined;
        if (role && SCHEMA_ROLES.includes(role))
          return [key, `#/components/schemas/${names[role]}`];
      }
      return [key, renamed(value, names)];
    }),
  );
}

/** The template's JSON examples and the CSV beside them, rewritten with the report's rows. */
function rewriteExamples(operation: Node, report: ServedReportDefinition): void {
  const responses = isNode(operation.responses) ? operation.responses : {};
  for (const answer of Object.values(responses)) {
    if (!isNode(answer) || !isNode(answer.content)) continue;
    let firstRows: Node[] | undefined;
    const json = answer.content['application/json'];
    if (isNode(json) && isNode(json.examples)) {
      for (const example of Object.values(json.examples)) {
        if (!isNode(example) || !isNode(example.value)) continue;
        const value = example.value;
        if (typeof value.report === 'string') value.report = report.graphFunction;
        if (Array.isArray(value.value)) {
          value.value = value.value.map((row) => exampleRow(report, isNode(row) ? row : {}));
          firstRows ??= value.value as Node[];
        }
      }
    }
    const csv = answer.content['text/csv'];
    if (isNode(csv) && isNode(csv.examples)) {
      for (const example of Object.values(csv.examples)) {
        if (isNode(example)) example.value = exampleCsv(report, firstRows ?? []);
      }
    }
  }
}

/** The report's schemas, from the template report's, with its own rows. */
function reportSchemas(
  schemas: Node,
  report: ServedReportDefinition,
  names: Record<SchemaRole, string>,
): Node {
  const csv = structuredClone(schemaAt(schemas, 'ReportCsv'));
  csv.description = `Rows as CSV with Graph's ${report.columns.length} column headers, no BOM, CRLF line ends; an empty cell stays empty.`;
  csv.pattern = csvHeaderPattern(report);
  const withReport = (name: 'Report' | 'History') => {
    const schema = renamed(structuredClone(schemaAt(schemas, name)), names) as Node;
    const properties = schema.properties as Node;
    properties.report = { ...(properties.report as Node), const: report.graphFunction };
    return schema;
  };
  return {
    [names.ReportRow]: rowSchema(report),
    [names.Report]: withReport('Report'),
    [names.History]: withReport('History'),
    [names.ReportCsv]: csv,
  };
}

/**
 * The whole contract: openapi.yaml's document (`document`, which writes out `template`'s
 * operations) with every report of `reports` in it, in their order, each with its own paths
 * and schemas. The template report's operations are kept exactly as written.
 */
export function catalogueContract(
  document: Node,
  template: ServedReportDefinition,
  reports: readonly ServedReportDefinition[],
): Node {
  checkTemplate(document, template);
  const paths = isNode(document.paths) ? document.paths : {};
  const base = `/reports/${template.routeSlug}`;
  const templatePaths = Object.entries(paths).filter(
    ([path]) => path === base || path.startsWith(`${base}/`),
  );
  if (templatePaths.length === 0) {
    throw new ContractTemplateError(`openapi.yaml has no paths under ${base}.`);
  }
  const otherPaths = Object.entries(paths).filter(
    ([path]) => !templatePaths.some(([templatePath]) => templatePath === path),
  );
  const schemas = schemasOf(document);
  const generatedSchemas: Node = {};
  const reportPaths = reports.flatMap((report): [string, unknown][] => {
    if (report.routeSlug === template.routeSlug) return templatePaths;
    const names = schemaNames(report, template);
    Object.assign(generatedSchemas, reportSchemas(schemas, report, names));
    return templatePaths.map(([path, item]): [string, unknown] => {
      const suffix = path.slice(base.length);
      const role = PATH_FUNCTIONS[suffix];
      if (!role) {
        throw new ContractTemplateError(`openapi.yaml's ${path} is no function of a report.`);
      }
      const copy = renamed(structuredClone(item), names) as Node;
      for (const operation of Object.values(copy)) {
        if (!isNode(operation) || typeof operation.operationId !== 'string') continue;
        operation.operationId = operationIdFor(report.functionNames[role]);
        // Docs list operations by summary: say which report's this one is.
        if (typeof operation.summary === 'string') {
          operation.summary = `${operation.summary}: ${report.routeSlug}`;
        }
        rewriteExamples(operation, report);
      }
      return [`/reports/${report.routeSlug}${suffix}`, copy];
    });
  });
  const components = document.components as Node;
  return {
    ...document,
    paths: Object.fromEntries([...reportPaths, ...otherPaths]),
    components: { ...components, schemas: { ...schemas, ...generatedSchemas } },
  };
}

/** Every `$ref` to this document under a node. */
function refsUnder(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) refsUnder(item, found);
  } else if (isNode(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) found.add(value);
      else refsUnder(value, found);
    }
  }
}

/**
 * The document without the components nothing reaches from its paths (security schemes are
 * reached by name, so they stay): a report left out takes its schemas with it.
 */
function withoutUnusedComponents(document: Node): Node {
  const components = isNode(document.components) ? document.components : {};
  const reached = new Set<string>();
  refsUnder({ ...document, components: undefined }, reached);
  for (let queue = [...reached]; queue.length > 0;) {
    const next = new Set<string>();
    for (const ref of queue) {
      const [, , kind, name] = ref.split('/');
      const target = isNode(components[kind!]) ? (components[kind!] as Node)[name!] : undefined;
      refsUnder(target, next);
    }
    queue = [...next].filter((ref) => !reached.has(ref));
    for (const ref of queue) reached.add(ref);
  }
  const kept = Object.fromEntries(
    Object.entries(components).map(([kind, entries]) => [
      kind,
      kind === 'securitySchemes' || !isNode(entries)
        ? entries
        : Object.fromEntries(
            Object.entries(entries).filter(([name]) => reached.has(`#/components/${kind}/${name}`)),
          ),
    ]),
  );
  return { ...document, components: kept };
}

/**
 * The contract as an app serving `enabledSlugs` of `catalogue` answers it: the paths of the
 * other catalogued reports left out, and the schemas only they used. Paths of no catalogued
 * report (the contract itself) stay. An unknown slug is an error naming it.
 */
export function servedContract(
  document: Node,
  catalogue: readonly ReportDefinition[],
  enabledSlugs: readonly string[],
): Node {
  const known = new Set(catalogue.map((report) => report.routeSlug));
  const unknown = enabledSlugs.filter((slug) => !known.has(slug));
  if (unknown.length > 0) {
    throw new ContractTemplateError(
      `No catalogued report has the slug(s) ${unknown.map((slug) => `"${slug}"`).join(', ')}.`,
    );
  }
  const enabled = new Set(enabledSlugs);
  const left = catalogue.filter((report) => !enabled.has(report.routeSlug));
  const leftOut = (path: string) =>
    left.some(
      (report) =>
        path === `/reports/${report.routeSlug}` || path.startsWith(`/reports/${report.routeSlug}/`),
    );
  const paths = isNode(document.paths) ? document.paths : {};
  return withoutUnusedComponents({
    ...document,
    paths: Object.fromEntries(Object.entries(paths).filter(([path]) => !leftOut(path))),
  });
}
