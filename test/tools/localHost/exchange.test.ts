import { HttpRequest, HttpResponse, HttpResponseInit } from '@azure/functions';
import { lazyNativeRequest, plainAnswer } from '../../../tools/localHost/exchange';
import { batchedLines } from '../../../tools/localHost/lineWriter';

/**
 * The local host's lean edges must mean what the @azure/functions classes mean: the answer it
 * writes directly is the one `new HttpResponse(init)` would have given, and the request it builds
 * cheaply reads like one built from a full fetch Request.
 */
async function viaHttpResponse(init: HttpResponseInit | undefined) {
  const response = new HttpResponse(init ?? {});
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return {
    status: response.status,
    headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

describe('a plain answer, written without HttpResponse', () => {
  it.each<[string, HttpResponseInit | undefined]>([
    ['nothing returned', undefined],
    ['an empty init', {}],
    ['a status alone', { status: 202 }],
    [
      'a JSON string with its headers',
      {
        status: 200,
        headers: { 'Content-Type': 'application/json; charset=utf-8', ETag: 'W/"1"' },
        body: '{"a":1,"é":"ü"}',
      },
    ],
    ['a string without a content type', { body: 'hello' }],
    ['bytes without a content type', { body: Buffer.from([0, 1, 2, 255]) }],
    ['a Uint8Array', { body: new Uint8Array([5, 6, 7]) }],
    ['a jsonBody', { status: 201, jsonBody: { rows: [1, 2] } }],
    [
      'a jsonBody with its own content type',
      { jsonBody: [1], headers: { 'content-type': 'application/x-thing' } },
    ],
    [
      'a 304 with headers and a body it must drop',
      { status: 304, headers: { ETag: 'W/"x"' }, body: 'x' },
    ],
    ['a 204 with a jsonBody it must drop', { status: 204, jsonBody: { a: 1 } }],
    ['a problem', { status: 503, headers: { 'Retry-After': '30' }, body: '{"status":503}' }],
    ['the same header in two cases', { headers: { 'X-A': '1', 'x-a': '2' }, body: '' }],
  ])('%s: the status, headers and body HttpResponse would give', async (_case, init) => {
    const plain = plainAnswer(init);
    expect(plain).toBeDefined();
    const expected = await viaHttpResponse(init);
    expect(plain!.status).toBe(expected.status);
    expect(plain!.headers).toEqual(expected.headers);
    expect(Buffer.from(plain!.body ?? '')).toEqual(expected.body);
  });

  it.each<[string, unknown]>([
    ['an HttpResponse', new HttpResponse({ body: 'x' })],
    ['a Headers object', { headers: new Headers({ a: '1' }), body: 'x' }],
    ['headers as pairs', { headers: [['a', '1']], body: 'x' }],
    ['a stream body', { body: new ReadableStream() }],
    ['an ArrayBuffer body', { body: new ArrayBuffer(2) }],
    ['content negotiation', { body: 'x', enableContentNegotiation: true }],
    ['a status below 200', { status: 101 }],
    ['a status above 599', { status: 600 }],
    ['a header that is an object', { headers: { a: {} } }],
  ])('leaves %s to HttpResponse itself', (_case, result) => {
    expect(plainAnswer(result)).toBeUndefined();
  });
});

describe('the request a handler gets, built without a fetch Request', () => {
  const url = 'http://127.0.0.1:7071/api/things/42?period=D7&period=D30&code=k';
  const headers = { 'if-none-match': 'W/"a"', accept: 'application/json', 'x-many': 'a, b' };
  const cheap = (method: string, body?: Buffer) =>
    new HttpRequest({
      method,
      url,
      params: { id: '42' },
      nativeRequest: lazyNativeRequest(method, url, headers, body),
    } as ConstructorParameters<typeof HttpRequest>[0]);
  const full = (method: string, body?: Buffer) =>
    new HttpRequest({
      method,
      url,
      headers,
      params: { id: '42' },
      body: body ? { bytes: body } : undefined,
    });

  it('reads the same url, method, headers, repeated query values and params', () => {
    const [lean, reference] = [cheap('GET'), full('GET')];
    expect(lean.url).toBe(reference.url);
    expect(lean.method).toBe(reference.method);
    expect([...lean.headers]).toEqual([...reference.headers]);
    expect(lean.query.getAll('period')).toEqual(['D7', 'D30']);
    expect([...lean.query]).toEqual([...reference.query]);
    expect(lean.params).toEqual(reference.params);
    expect(lean.user).toEqual(reference.user);
    expect(lean.body).toBeNull();
    expect(lean.bodyUsed).toBe(false);
  });

  it('reads a POST body as text, JSON or bytes, once, and clones it', async () => {
    const body = Buffer.from('{"run":true}');
    expect(await cheap('POST', body).json()).toEqual({ run: true });
    expect(await cheap('POST', body).text()).toBe('{"run":true}');
    expect(Buffer.from(await cheap('POST', body).arrayBuffer())).toEqual(body);
    const request = cheap('POST', body);
    const copy = request.clone();
    expect(await request.text()).toBe(await copy.text());
    expect(request.bodyUsed).toBe(true);
    await expect(request.text()).rejects.toThrow();
  });
});

describe('log lines in batches', () => {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('writes the lines of one turn together, in order, on the next', async () => {
    const writes: string[] = [];
    const writer = batchedLines((text) => writes.push(text));
    writer.write('one');
    writer.write('two');
    expect(writes).toEqual([]);
    await nextTurn();
    writer.write('three');
    await nextTurn();
    expect(writes).toEqual(['one\ntwo\n', 'three\n']);
  });

  it('writes what is pending at once on flush, and nothing twice', async () => {
    const writes: string[] = [];
    const writer = batchedLines((text) => writes.push(text));
    writer.write('last words');
    writer.flush();
    expect(writes).toEqual(['last words\n']);
    await nextTurn();
    writer.flush();
    expect(writes).toEqual(['last words\n']);
  });
});
