import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { generatedContract } from '../../build/openapi';

/**
 * Checks an HTTP answer against the contract the build generates (openapi.yaml with every
 * catalogued report, as dist/openapi.json holds it): its status is declared for the operation, its
 * content type is one the contract lists, the headers the contract requires are there and every
 * declared header it sends matches its schema, and the body matches the media type's schema.
 * OpenAPI 3.1 schemas are JSON Schema 2020-12, so ajv compiles them straight from the document,
 * `$ref`s and all. The bodies' schemas are closed, so an undeclared field is a violation too.
 */
export interface ContractResponse {
  readonly status?: number;
  readonly headers?: ConstructorParameters<typeof Headers>[0];
  readonly body?: unknown;
}

/** An operationId, or the path (as written in the contract) and method. */
export type OperationSelector = string | { readonly path: string; readonly method: string };

type Node = Record<string, unknown>;

const CONTRACT_ID = 'openapi.json';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

const root = join(__dirname, '..', '..');

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `YYYY-MM-DD` naming a real day (JSON Schema's `date`). */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** RFC 3339 `date-time`: a real day, a time and an offset. */
function isDateTime(text: string): boolean {
  const match =
    /^(\d{4}-\d{2}-\d{2})[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/.exec(
      text,
    );
  return match !== null && isCalendarDate(match[1]!);
}

function explain(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const named =
    params.additionalProperty ?? params.unevaluatedProperty ?? params.missingProperty ?? undefined;
  return `${where} ${error.message}${named === undefined ? '' : ` (${String(named)})`}`;
}

export class Contract {
  readonly document: Node;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: Node) {
    this.document = document;
    // Strict, so a keyword or format ajv would silently ignore fails instead. Union types
    // (`[integer, 'null']`) are JSON Schema; and the allOf parts that narrow a closed schema
    // (`properties: {status: {const: 400}}`, `required: [reason]`) rightly name properties and
    // leave out the `type` that the schema they narrow declares.
    this.ajv = new Ajv2020({
      strict: true,
      strictTypes: false,
      strictRequired: false,
      allowUnionTypes: true,
      allErrors: true,
    });
    // OpenAPI's own schema keyword (deprecated in 3.1, still valid), and the document's fields:
    // ajv compiles the document's root on the way to a `$ref`ed part of it.
    this.ajv.addVocabulary(['example', ...Object.keys(document)]);
    this.ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
    this.ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
    this.ajv.addSchema(document, CONTRACT_ID);
  }

  /** The contract the build writes to dist/openapi.json, from openapi.yaml at path. */
  static load(path = join(root, 'openapi.yaml')): Contract {
    return new Contract(generatedContract(readFileSync(path, 'utf8')));
  }

  /** The node at a JSON pointer (`#/paths/...`), or undefined. */
  at(pointer: string): unknown {
    let node: unknown = this.document;
    for (const segment of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
      if (!isNode(node)) return undefined;
      node = node[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return node;
  }

  /** Follows a `$ref` (to this document) if the node is one; returns the node and its pointer. */
  deref(node: unknown, pointer: string): { node: Node; pointer: string } {
    let current = node;
    let where = pointer;
    for (let hops = 0; isNode(current) && typeof current.$ref === 'string'; hops += 1) {
      if (!current.$ref.startsWith('#/') || hops > 10) {
        throw new Error(`Cannot follow ${current.$ref} at ${where}.`);
      }
      where = current.$ref;
      current = this.at(where);
    }
    if (!isNode(current)) throw new Error(`Nothing at ${where}.`);
    return { node: current, pointer: where };
  }

  /** Every operation: its id, path, method and pointer. */
  operations(): { operationId: string; path: string; method: string; pointer: string }[] {
    const paths = isNode(this.document.paths) ? this.document.paths : {};
    return Object.entries(paths).flatMap(([path, item]) =>
      HTTP_METHODS.filter((method) => isNode(item) && isNode(item[method])).map((method) => ({
        operationId: String(((item as Node)[method] as Node).operationId),
        path,
        method,
        pointer: `#/paths/${escapePointer(path)}/${method}`,
      })),
    );
  }

  operation(selector: OperationSelector): { name: string; pointer: string; node: Node } {
    const found = this.operations().find((operation) =>
      typeof selector === 'string'
        ? operation.operationId === selector
        : operation.path === selector.path && operation.method === selector.method.toLowerCase(),
    );
    const name =
      typeof selector === 'string' ? selector : `${selector.method.toUpperCase()} ${selector.path}`;
    if (!found) throw new Error(`The contract has no operation ${name}.`);
    return { name, pointer: found.pointer, node: this.at(found.pointer) as Node };
  }

  /** A compiled validator for the schema at a pointer into the contract. */
  validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${CONTRACT_ID}${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }

  /** The schema at pointer's violations by value, as readable lines. */
  schemaErrors(pointer: string, value: unknown, label: string): string[] {
    const validate = this.validator(pointer);
    return validate(value)
      ? []
      : (validate.errors ?? []).map((error) => `${label}: ${explain(error)}`);
  }

  /** Everything in the answer that the contract does not allow; empty when it conforms. */
  violations(response: ContractResponse, selector: OperationSelector, status: number): string[] {
    const operation = this.operation(selector);
    const found: string[] = [];
    if ((response.status ?? 200) !== status) {
      found.push(`status: expected ${status}, got ${response.status ?? 200}`);
    }
    const responses = operation.node.responses as Node;
    const declared = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
    if (declared === undefined) {
      return [...found, `${operation.name} declares no ${status} response`];
    }
    const { node: answer, pointer } = this.deref(
      declared,
      `${operation.pointer}/responses/${status}`,
    );
    const headers = new Headers(response.headers);

    for (const [name, header] of Object.entries(isNode(answer.headers) ? answer.headers : {})) {
      const { node: spec, pointer: headerPointer } = this.deref(
        header,
        `${pointer}/headers/${escapePointer(name)}`,
      );
      const value = headers.get(name);
      if (value === null) {
        if (spec.required === true) found.push(`header ${name}: required, missing`);
        continue;
      }
      // Header schemas describe the value, not its text: `Age: 42` is the integer 42.
      const schema = this.deref(spec.schema, `${headerPointer}/schema`).node;
      const numeric =
        (schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(value);
      found.push(
        ...this.schemaErrors(
          `${headerPointer}/schema`,
          numeric ? Number(value) : value,
          `header ${name}`,
        ),
      );
    }

    const content = isNode(answer.content) ? answer.content : {};
    const body = response.body;
    const hasBody = body !== undefined && body !== null && body !== '';
    if (Object.keys(content).length === 0) {
      if (hasBody) found.push(`body: ${status} is declared without one, got ${typeof body}`);
      return found;
    }
    const contentType = headers.get('content-type');
    const mediaType = contentType?.split(';')[0]!.trim().toLowerCase();
    if (!mediaType || !(mediaType in content)) {
      return [
        ...found,
        `header Content-Type: ${JSON.stringify(contentType)} is not one of ${Object.keys(content).join(', ')}`,
      ];
    }
    let value: unknown = body;
    if (/^application\/([\w.-]+\+)?json$/.test(mediaType) && typeof body === 'string') {
      try {
        value = JSON.parse(body);
      } catch {
        return [...found, `body: not JSON, though ${mediaType}`];
      }
    }
    const schemaPointer = `${pointer}/content/${escapePointer(mediaType)}/schema`;
    found.push(...this.schemaErrors(schemaPointer, value, 'body'));
    return found;
  }
}

/** The contract as the build generates it from openapi.yaml and the definitions now. */
export const contract = Contract.load();

/**
 * Asserts that an answer is what the contract declares for the operation and status; lists
 * every violation when not.
 */
export function expectConformance(
  response: ContractResponse,
  selector: OperationSelector,
  status: number,
): void {
  expect(contract.violations(response, selector, status)).toEqual([]);
}
