import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

/**
 * The build step after tsc: converts openapi.yaml, the contract as written, to dist/openapi.json,
 * the contract as the `openApi` function serves it. Self-contained (node and `yaml` only), so it
 * compiles and runs wherever the app is built, even where the other tools are not uploaded.
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

/** The JSON the endpoint serves: stable, readable, one trailing newline. */
export function contractJson(yamlText: string): string {
  return `${JSON.stringify(parseContract(yamlText), null, 2)}\n`;
}

/** Reads `openapi.yaml` under root and writes `dist/openapi.json`; returns the output path. */
export function buildContract(root: string): string {
  const output = join(root, CONTRACT_OUTPUT);
  const json = contractJson(readFileSync(join(root, CONTRACT_SOURCE), 'utf8'));
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
