import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_REPORTS } from '../../shared/http/openApiContract';
import { contract, escapePointer } from './conformance';

/** Every example the contract gives for a response: operation, status, media type, name. */
function responseExamples() {
  return contract.operations().flatMap((operation) => {
    const responses = contract.at(`${operation.pointer}/responses`) as Record<string, unknown>;
    return Object.keys(responses).flatMap((status) => {
      const { node: answer, pointer } = contract.deref(
        responses[status],
        `${operation.pointer}/responses/${status}`,
      );
      const content = (answer.content ?? {}) as Record<string, { examples?: object }>;
      return Object.entries(content).flatMap(([mediaType, media]) =>
        Object.keys(media.examples ?? {}).map(
          (name) =>
            [
              operation.operationId,
              status,
              mediaType,
              name,
              `${pointer}/content/${escapePointer(mediaType)}`,
            ] as const,
        ),
      );
    });
  });
}

/** Object schemas (with `properties` and `type: object`) anywhere under a node, by pointer. */
function objectSchemas(node: unknown, pointer: string): [string, Record<string, unknown>][] {
  if (typeof node !== 'object' || node === null) return [];
  const here: [string, Record<string, unknown>][] = [];
  const record = node as Record<string, unknown>;
  const type = record.type;
  const isObjectSchema =
    (type === 'object' || (Array.isArray(type) && type.includes('object'))) &&
    typeof record.properties === 'object';
  if (isObjectSchema) here.push([pointer, record]);
  return [
    ...here,
    ...Object.entries(record).flatMap(([key, child]) =>
      objectSchemas(child, `${pointer}/${escapePointer(key)}`),
    ),
  ];
}

describe('the contract (openapi.yaml with every catalogued report, as the build generates it)', () => {
  it('is OpenAPI 3.1 at version of package.json, served under /api', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(contract.document).toMatchObject({
      openapi: expect.stringMatching(/^3\.1\.\d+$/),
      info: { version: pkg.version },
      servers: [{ url: '/api' }],
    });
  });

  it("names every operation uniquely: six per catalogued report, and the contract's own", () => {
    const ids = contract.operations().map((operation) => operation.operationId);
    expect(ids).toHaveLength(6 * CONTRACT_REPORTS.length + 2);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(responseExamples())(
    '%s %s %s example %p conforms to its schema',
    (_operation, _status, _mediaType, name, mediaPointer) => {
      const example = contract.at(`${mediaPointer}/examples/${escapePointer(name)}/value`);
      expect(contract.schemaErrors(`${mediaPointer}/schema`, example, 'example')).toEqual([]);
    },
  );

  it('gives at least one example for every response with a body', () => {
    const withBody = contract.operations().flatMap((operation) => {
      const responses = contract.at(`${operation.pointer}/responses`) as Record<string, unknown>;
      return Object.keys(responses).flatMap((status) => {
        const { node } = contract.deref(
          responses[status],
          `${operation.pointer}/responses/${status}`,
        );
        return Object.keys(node.content ?? {}).map(
          (mediaType) => `${operation.operationId} ${status} ${mediaType}`,
        );
      });
    });
    const examples = new Set(
      responseExamples().map(([id, status, mediaType]) => `${id} ${status} ${mediaType}`),
    );
    expect(withBody.filter((response) => !examples.has(response))).toEqual([]);
  });

  it('closes every object it describes, so an undeclared field is a violation', () => {
    const open = objectSchemas(contract.document, '#')
      .filter(([, schema]) => schema.additionalProperties !== false)
      .map(([pointer]) => pointer);
    expect(open).toEqual([]);
  });

  it('requires nosniff on every response that has a body, and ETag on every 304', () => {
    const missing = contract.operations().flatMap((operation) => {
      const responses = contract.at(`${operation.pointer}/responses`) as Record<string, unknown>;
      return Object.keys(responses).flatMap((status) => {
        const { node } = contract.deref(
          responses[status],
          `${operation.pointer}/responses/${status}`,
        );
        const headers = (node.headers ?? {}) as Record<string, unknown>;
        const required = (name: string) =>
          name in headers &&
          contract.deref(headers[name], `${operation.pointer}/responses/${status}/headers`).node
            .required === true;
        const wanted = [
          ...(node.content ? ['X-Content-Type-Options'] : []),
          ...(status === '304' ? ['ETag', 'Cache-Control'] : []),
        ];
        return wanted
          .filter((name) => !required(name))
          .map((name) => `${operation.operationId} ${status} ${name}`);
      });
    });
    expect(missing).toEqual([]);
  });

  it('lists as 502 `rule`s exactly the plausibility rules that reject a report', () => {
    const rejecting = CONTRACT_REPORTS.flatMap((report) =>
      report.rules.filter((rule) => (rule.severity ?? 'error') === 'error').map((rule) => rule.id),
    );
    expect(contract.at('#/components/schemas/PlausibilityRule/enum')).toEqual([
      ...new Set(rejecting),
    ]);
  });

  it('answers every error but the host 401 and the status 503 as problem+json', () => {
    const notProblems = contract.operations().flatMap((operation) => {
      const responses = contract.at(`${operation.pointer}/responses`) as Record<string, unknown>;
      return Object.keys(responses)
        .filter((status) => Number(status) >= 400 && status !== '401')
        .filter((status) => !(operation.path.endsWith('/status') && status === '503'))
        .filter((status) => {
          const { node } = contract.deref(
            responses[status],
            `${operation.pointer}/responses/${status}`,
          );
          return Object.keys(node.content ?? {}).join() !== 'application/problem+json';
        })
        .map((status) => `${operation.operationId} ${status}`);
    });
    expect(notProblems).toEqual([]);
  });
});

describe('the conformance check', () => {
  const CACHE_STATUS_MISMATCH = `header Cache-Status: (root) must match pattern "${String(
    contract.at('#/components/schemas/CacheStatus/pattern'),
  )}"`;
  const report = () =>
    structuredClone(
      contract.at(
        '#/paths/~1reports~1skype-p2p-minute-counts/get/responses/200/content/application~1json/examples/fresh/value',
      ),
    ) as { value: Record<string, unknown>[]; [key: string]: unknown };
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    ETag: 'W/"abc"',
    'Cache-Control': 'private, max-age=300',
    'Cache-Status': 'graph-usage-reports; fwd=miss; stored',
    Age: '0',
    'X-Content-Type-Options': 'nosniff',
  };
  const check = (
    body: unknown,
    extraHeaders: Record<string, string | undefined> = {},
    status = 200,
  ) => {
    const merged = Object.fromEntries(
      Object.entries({ ...headers, ...extraHeaders }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    return contract.violations(
      { status, headers: merged, body: JSON.stringify(body) },
      'getSkypeP2pMinuteCounts',
      status,
    );
  };

  it('accepts an answer the contract describes', () => {
    expect(check(report())).toEqual([]);
  });

  it.each([
    [
      'a field the report does not declare',
      (body: ReturnType<typeof report>) => ({ ...body, cached: true }),
      '(root) must NOT have additional properties (cached)',
    ],
    [
      'a field a row does not declare',
      (body: ReturnType<typeof report>) => {
        body.value[0]!.screenShare = 3;
        return body;
      },
      '/value/0 must NOT have additional properties (screenShare)',
    ],
    [
      'a missing stale flag',
      ({ stale: _, ...body }: ReturnType<typeof report>) => body,
      "(root) must have required property 'stale' (stale)",
    ],
    [
      'a count as text',
      (body: ReturnType<typeof report>) => {
        body.value[0]!.audio = '836';
        return body;
      },
      '/value/0/audio must be integer,null',
    ],
    [
      'an impossible date',
      (body: ReturnType<typeof report>) => ({ ...body, reportRefreshDate: '2026-02-30' }),
      '/reportRefreshDate must match format "date"',
    ],
  ])('refuses %s', (_, change, violation) => {
    expect(check(change(report()))).toContain(`body: ${violation}`);
  });

  it.each([
    ['no ETag', { ETag: undefined }, 'header ETag: required, missing'],
    ['no Cache-Status', { 'Cache-Status': undefined }, 'header Cache-Status: required, missing'],
    [
      'no nosniff',
      { 'X-Content-Type-Options': undefined },
      'header X-Content-Type-Options: required, missing',
    ],
    ['a negative Age', { Age: '-1' }, 'header Age: (root) must be >= 0'],
    ['another cache name', { 'Cache-Status': 'cdn; hit' }, CACHE_STATUS_MISMATCH],
    [
      'a hit without its ttl',
      { 'Cache-Status': 'graph-usage-reports; hit' },
      CACHE_STATUS_MISMATCH,
    ],
    [
      'a Cache-Status form the contract does not list',
      { 'Cache-Status': 'graph-usage-reports; fwd=bypass' },
      CACHE_STATUS_MISMATCH,
    ],
    [
      'an undeclared content type',
      { 'Content-Type': 'text/html' },
      'header Content-Type: "text/html" is not one of application/json, text/csv',
    ],
  ])('refuses an answer with %s', (_, changed, violation) => {
    expect(check(report(), changed)).toContain(violation);
  });

  it('refuses a status the operation does not declare, and a status other than expected', () => {
    expect(check(report(), {}, 418)).toContain('getSkypeP2pMinuteCounts declares no 418 response');
    expect(
      contract.violations(
        { status: 200, headers, body: JSON.stringify(report()) },
        'getSkypeP2pMinuteCounts',
        304,
      ),
    ).toContain('status: expected 304, got 200');
  });

  it('refuses a body on a response declared without one', () => {
    const notModified = {
      ETag: 'W/"abc"',
      'Cache-Control': 'private, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    };
    expect(
      contract.violations({ status: 304, headers: notModified }, 'getSkypeP2pMinuteCounts', 304),
    ).toEqual([]);
    expect(
      contract.violations(
        { status: 304, headers: notModified, body: '{}' },
        'getSkypeP2pMinuteCounts',
        304,
      ),
    ).toEqual(['body: 304 is declared without one, got string']);
  });

  it('finds operations by path and method as well as by id', () => {
    expect(contract.operation({ path: '/openapi.json', method: 'GET' }).name).toBe(
      'GET /openapi.json',
    );
    expect(() => contract.operation('deleteEverything')).toThrow(
      'The contract has no operation deleteEverything.',
    );
  });
});
