import { connect } from 'node:net';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { LocalFunctionsHost } from '../../../tools/localHost/host';
import { RegisteredFunction } from '../../../tools/localHost/registrations';

/**
 * The local host's own answers and log lines, for requests no function sees: a malformed Host or
 * URL, what Node cannot parse, unknown routes, the admin API, a function that throws. The host
 * runs in this process with three small registrations and its log captured.
 */
const functions: RegisteredFunction[] = [
  {
    name: 'hello',
    trigger: { type: 'httpTrigger', direction: 'in', route: 'hello/{name}', methods: ['GET'] },
    handler: async (request: unknown, context: unknown) => {
      const name = (request as HttpRequest).params.name!;
      (context as InvocationContext).log(`Greeting ${name}`);
      return { status: 200, body: `hello ${name}` };
    },
  },
  {
    name: 'broken',
    trigger: { type: 'httpTrigger', direction: 'in', route: 'broken', methods: ['GET'] },
    handler: async () => {
      throw new Error('failed on "x\r\n[2026-01-01T00:00:00.000Z] Executed forged\u0000"');
    },
  },
  {
    name: 'tick',
    trigger: { type: 'timerTrigger', direction: 'in', schedule: '0 0 6 * * *' },
    handler: async () => undefined,
  },
];

/** A raw control character, as a log line must never carry one. */
const RAW_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

let host: LocalFunctionsHost;
let logged: string[];

beforeEach(async () => {
  logged = [];
  host = new LocalFunctionsHost({
    functions,
    settings: {},
    port: 0,
    log: (line) => logged.push(line),
  });
  await host.start();
});
afterEach(() => host.stop());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes exactly as given (no client fixes them up) and reads the answer to the end. */
function sendRaw(request: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...headerLines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: Number(statusLine!.split(' ')[1]),
        headers,
        body: text.slice(split + 4),
      });
    });
  });
}

const get = (target: string, host: string) =>
  sendRaw(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);

function expectProblem(answer: RawAnswer, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  const problem = JSON.parse(answer.body) as { status: number; detail: string; type: string };
  expect(problem.status).toBe(status);
  return problem;
}

function expectCleanLog() {
  for (const line of logged) expect(line).not.toMatch(RAW_CONTROL);
}

describe('the local host refuses a request it cannot read with a 400 problem, never a 500', () => {
  it.each([
    ['a Host with a space', '/api/hello/x', 'exa mple.test', 'The Host header "exa mple.test"'],
    ['a Host with a tab', '/api/hello/x', 'a\tb', 'The Host header "a\\tb"'],
    ['a Host with userinfo', '/api/hello/x', 'user@evil.test', 'The Host header "user@evil.test"'],
    ['a Host with an invalid port', '/api/hello/x', 'localhost:99999', 'The Host header'],
    ['an undecodable URL', '/api/%E0%A4%A', 'localhost', 'The URL path "/api/%E0%A4%A"'],
    ['an undecodable admin URL', '/admin/functions/%E0%A4%A', 'localhost', 'The URL path'],
  ])('%s [bad-input]', async (_case, target, hostHeader, detail) => {
    const problem = expectProblem(await get(target, hostHeader), 400);
    expect(problem.detail).toContain(detail);
    expect(logged.join('\n')).toContain(`Refused "GET" "${target}": ${detail}`);
    expectCleanLog();
  });

  it('without a Host header in HTTP/1.1 [bad-input]', async () => {
    const answer = await sendRaw('GET /api/hello/x HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(expectProblem(answer, 400).detail).toContain('The Host header (none)');
  });

  it('serves HTTP/1.0 without a Host header', async () => {
    const answer = await sendRaw('GET /api/hello/x HTTP/1.0\r\n\r\n');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('hello x');
  });

  it('shows a C1 control sent in the Host header escaped in its log [bad-input]', async () => {
    const answer = await sendRaw(
      Buffer.from(
        'GET /api/hello/x HTTP/1.1\r\nHost: a\x85b\r\nConnection: close\r\n\r\n',
        'latin1',
      ),
    );
    expectProblem(answer, 400);
    expect(logged.join('\n')).toContain('"a\\u0085b"');
    expectCleanLog();
  });

  it.each([
    ['a NUL in a header', 'GET / HTTP/1.1\r\nHost: localhost\r\nX-Evil: a\u0000b\r\n\r\n', 400],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n', 400],
    [
      'headers too large',
      `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
      431,
    ],
  ])(
    'answers what Node cannot parse (%s) as a problem too [bad-input]',
    async (_case, raw, status) => {
      const problem = expectProblem(await sendRaw(raw), status);
      expect(problem.type).toBe('urn:graph-usage-reports:problem:bad-request');
      expect(logged.join('\n')).toMatch(/Refused a request Node could not parse: "HPE_\w+"/);
      expectCleanLog();
    },
  );
});

describe("every answer of the local host's own carries X-Content-Type-Options: nosniff", () => {
  const url = (path: string) => `http://127.0.0.1:${host.port}${path}`;

  it.each([
    ['an unknown route', '/api/nothing', 'GET'],
    ['a path outside /api', '/hello/x', 'GET'],
    ['a method the route does not take', '/api/hello/x', 'POST'],
    ['an unknown admin function', '/admin/functions/nothing', 'POST'],
    ['the admin API for an HTTP function', '/admin/functions/hello', 'POST'],
  ])('404 for %s, empty as in Azure [bad-input]', async (_case, path, method) => {
    const response = await fetch(url(path), { method, body: method === 'POST' ? '{}' : undefined });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('');
  });

  it('202 for a timer run by hand', async () => {
    const response = await fetch(url('/admin/functions/tick'), { method: 'POST', body: '{}' });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('400 problem for an admin body that is not JSON [bad-input]', async () => {
    const response = await fetch(url('/admin/functions/tick'), { method: 'POST', body: 'nope' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.json()).toMatchObject({ detail: 'The body must be JSON, e.g. {}.' });
  });

  it('500 problem, not an empty body, when a function throws; its error logged escaped', async () => {
    const response = await fetch(url('/api/broken'));
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.json()).toMatchObject({
      status: 500,
      type: 'urn:graph-usage-reports:problem:internal',
    });
    expectCleanLog();
    expect(logged.join('\n')).toContain('Executed forged\\u0000');
    expect(logged.filter((line) => line.includes('Executed forged'))).toHaveLength(2);
    expect(logged.join('\n')).toContain('"GET" "/api/broken" failed: ');
  });

  it('writes a plain answer in one piece, with its Content-Length', async () => {
    const answer = await get('/api/hello/x', 'localhost');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe('7');
    expect(answer.headers['transfer-encoding']).toBeUndefined();
    expect(answer.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(answer.body).toBe('hello x');
  });

  it('drops the body of a GET unread, and answers the next request on the same connection', async () => {
    const answer = await sendRaw(
      'GET /api/hello/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello' +
        'GET /api/hello/y HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^hello x(.|\r|\n)*HTTP\/1\.1 200 OK(.|\r|\n)*hello y$/);
  });

  it("logs a function's own log lines escaped, with the values it was given", async () => {
    const response = await fetch(url('/api/hello/a%0D%0Aforged%00'));
    expect(await response.text()).toBe('hello a\r\nforged\u0000');
    expectCleanLog();
    expect(logged.join('\n')).toContain('Greeting a\\r\\nforged\\u0000');
  });
});

describe('what the issue-16 probe sent the local host', () => {
  const KEY = 'Sup3rSecretFunctionKey';

  it.each([
    ['CONNECT', `CONNECT 127.0.0.1:443?code=${KEY} HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n`, 405],
    [
      'TRACE',
      `TRACE /api/hello/x?code=${KEY} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      405,
    ],
    [
      'two Host headers',
      `GET /api/hello/x?code=${KEY} HTTP/1.1\r\nHost: localhost\r\nHost: evil.test\r\nConnection: close\r\n\r\n`,
      400,
    ],
    [
      'an Expect other than 100-continue',
      `POST /api/hello/x?code=${KEY} HTTP/1.1\r\nHost: localhost\r\nExpect: foo\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      417,
    ],
  ])(
    'answers %s with a problem, not silence or a bare status (defect 12) [bad-input]',
    async (_, raw, status) => {
      expectProblem(await sendRaw(raw), status);
    },
  );

  it('refuses a body over 1 MiB with 413 before buffering it (defect 5) [bad-input]', async () => {
    const announced = await sendRaw(
      `POST /admin/functions/nosuchfn?code=${KEY} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1200000000\r\nConnection: close\r\n\r\n`,
    );
    expectProblem(announced, 413);
    // Chunked, with no length announced: cut off once past the limit.
    const chunk = 'x'.repeat(256 * 1024);
    const chunks = Array.from(
      { length: 8 },
      () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`,
    ).join('');
    const streamed = await sendRaw(
      `POST /api/nosuch?code=${KEY} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunks}0\r\n\r\n`,
    );
    expectProblem(streamed, 413);
  });

  it('logs no function key from any refusal path (defect 10) [bad-input]', async () => {
    const targets = [
      `/api/%zz?code=${KEY}`,
      `/admin/functions/%zz?code=${KEY}`,
      `/api/hello/x?x=1&code=${KEY}`,
    ];
    for (const target of targets) {
      await sendRaw(
        `GET ${target} HTTP/1.1\r\nHost: localhost\r\nx-functions-key: ${KEY}\r\nConnection: close\r\n\r\n`,
      );
      await sendRaw(
        `GET ${target} HTTP/1.1\r\nHost: exa mple\r\nx-functions-key: ${KEY}\r\nConnection: close\r\n\r\n`,
      );
      await sendRaw(`TRACE ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      await sendRaw(`GET ${target} HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n`);
    }
    await sendRaw(
      `GET nopath?code=${KEY} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    );
    await sendRaw(`CONNECT x?code=${KEY} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await sendRaw(
      `POST /api/x?code=${KEY} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999\r\nConnection: close\r\n\r\n`,
    );
    await sendRaw(
      `GET /broken?code=${KEY} HTTP/1.1\r\nHost: localhost\r\nX-Evil: a\u0000b\r\n\r\n`,
    );
    expect(logged.join('\n')).toContain('Refused');
    expect(logged.join('\n')).not.toContain(KEY);
  });
});
