import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import {
  catalogueContract,
  CONTRACT_REPORTS,
  TEMPLATE_REPORT,
} from '../shared/http/openApiContract';

/**
 * The build step after tsc: converts openapi.yaml, the contract as written for the first report,
 * to dist/openapi.json, the contract of every catalogued report (shared/http/openApiContract.ts
 * derives the others' paths and schemas from the definitions), as the `openApi` function serves
 * it. It needs node, `yaml` and shared/ only, all of which the remote build has, so it compiles
 * and runs wherever the app is built, even where tools/ is not uploaded.
 */
export const CONTRACT_SOURCE = 'openapi.yaml';
export const CONTRACT_OUTPUT = join('dist', 'openapi.json');

/** Thrown for a contract that must not be served: unreadable YAML, or not OpenAPI 3.1. */
export class ContractError extends Error {}

/**
 * The contract as data. Strict YAML 1.2: a duplicate key or any other YAML warning is an error
 * here, where JSON would otherwise keep one of two values silently.
 */
export function parseContract(yamlText: string): Record<string, unknown> {
  const document = parseDocument(yamlText, {
    version: '1.2',
    uniqueKeys: true,
    prettyErrors: true,
  });
  const findings = [...document.errors, ...document.warnings];
  if (findings.length > 0) {
    throw new ContractError(
      `${CONTRACT_SOURCE} is not valid YAML: ${findings.map((finding) => finding.message).join('; ')}`,
    );
  }
  const contract: unknown = document.toJS();
  if (typeof contract !== 'object' || contract === null || Array.isArray(contract)) {
    throw new ContractError(`${CONTRACT_SOURCE} must hold one mapping, the OpenAPI document.`);
  }
  const version = (contract as { openapi?: unknown }).openapi;
  if (typeof version !== 'string' || !/^3\.1\.\d+$/.test(version)) {
    throw new ContractError(
      `${CONTRACT_SOURCE} must be OpenAPI 3.1 (openapi: 3.1.x), got ${JSON.stringify(version)}.`,
    );
  }
  return contract as Record<string, unknown>;
}

export type Expand = (contract: Record<string, unknown>) => Record<string, unknown>;

/** openapi.yaml's document with every catalogued report in it. */
export const expandCatalogue: Expand = (contract) =>
  catalogueContract(contract, TEMPLATE_REPORT, CONTRACT_REPORTS);

/** The contract of every catalogued report, from openapi.yaml's text. */
export function generatedContract(
  yamlText: string,
  expand: Expand = expandCatalogue,
): Record<string, unknown> {
  return expand(parseContract(yamlText));
}

/** The JSON the endpoint serves: stable, readable, one trailing newline. */
export function contractJson(yamlText: string, expand: Expand = expandCatalogue): string {
  return `${JSON.stringify(generatedContract(yamlText, expand), null, 2)}\n`;
}

/**
 * Reads `openapi.yaml` under root and writes `dist/openapi.json`; returns the output path.
 * `expand` is the catalogue's unless a test gives a document of its own.
 */
export function buildContract(root: string, expand: Expand = expandCatalogue): string {
  const output = join(root, CONTRACT_OUTPUT);
  const json = contractJson(readFileSync(join(root, CONTRACT_SOURCE), 'utf8'), expand);
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(output, json);
  return output;
}

if (require.main === module) {
  // Compiled to dist/build/openapi.js: the project root is two folders up. It lives in build/,
  // not tools/, because Azure's remote build runs it and tools/ is not uploaded (.funcignore).
  const root = join(__dirname, '..', '..');
  // Silent on success, as tsc before it.
  try {
    buildContract(root);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
