import { IncomingMessage, ServerResponse } from 'node:http';
import { HttpResponse, HttpResponseInit } from '@azure/functions';

/**
 * The cheap edges of an invocation: the request a handler reads, built from Node's request
 * without the work no handler asked for, and the handler's answer written to the socket without
 * a round trip through a fetch Response. Both keep what the @azure/functions classes would
 * make of the same values; anything out of the ordinary takes those classes' own path.
 */

/**
 * What `HttpRequest` reads of a fetch `Request`. Its url, method and headers are all a handler
 * usually touches; the full `Request` (an AbortSignal, a body stream) is made only for a body
 * reader or a clone.
 */
export function lazyNativeRequest(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
): Request {
  let headerObject: Headers | undefined;
  let full: Request | undefined;
  const request = () =>
    (full ??= new Request(url, { method, headers: headerObject ?? headers, body }));
  const lazy = {
    url,
    method,
    get headers() {
      return (headerObject ??= full?.headers ?? new Headers(headers));
    },
    get body() {
      return request().body;
    },
    get bodyUsed() {
      return full?.bodyUsed ?? false;
    },
    arrayBuffer: () => request().arrayBuffer(),
    blob: () => request().blob(),
    formData: () => request().formData(),
    json: () => request().json(),
    text: () => request().text(),
    clone: () => request().clone(),
  };
  return lazy as unknown as Request;
}

/** Node's headers as one string per name (repeated ones joined), as fetch's Headers keeps them. */
export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Statuses whose answer has no body (fetch's "null body status"). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
const INIT_KEYS = new Set(['status', 'headers', 'body', 'jsonBody', 'cookies']);

export interface PlainAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer | undefined;
}

/**
 * The answer an `HttpResponseInit` stands for, as `new HttpResponse(init)` would make it, for
 * the plain shapes handlers return: a status from 200 to 599, headers as a record, a body that
 * is a string, bytes or absent, or a `jsonBody`. Undefined for anything else (a stream, a
 * Headers object, content negotiation), which the caller sends through `HttpResponse` itself.
 * Cookies are dropped, as this host has always dropped them.
 */
export function plainAnswer(result: unknown): PlainAnswer | undefined {
  if (result === undefined || result === null) return { status: 200, headers: {}, body: undefined };
  if (typeof result !== 'object' || result instanceof HttpResponse) return undefined;
  const init = result as HttpResponseInit;
  for (const key of Object.keys(init)) if (!INIT_KEYS.has(key)) return undefined;
  const status = init.status ?? 200;
  if (!Number.isInteger(status) || status < 200 || status > 599) return undefined;
  const given = init.headers;
  if (
    given !== undefined &&
    (typeof given !== 'object' || Object.getPrototypeOf(given) !== Object.prototype)
  )
    return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((given ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    const lower = name.toLowerCase();
    headers[lower] = lower in headers ? `${headers[lower]}, ${value}` : String(value);
  }
  let body: string | Buffer | undefined;
  if (NULL_BODY_STATUSES.has(status)) body = undefined;
  else if (init.jsonBody !== undefined) {
    body = JSON.stringify(init.jsonBody);
    headers['content-type'] ??= 'application/json';
  } else if (typeof init.body === 'string') {
    body = init.body;
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
  } else if (Buffer.isBuffer(init.body)) body = init.body;
  else if (init.body instanceof Uint8Array)
    body = Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength);
  else if (init.body !== undefined && init.body !== null) return undefined;
  return { status, headers, body };
}

/**
 * Writes the handler's answer: a plain one directly, with its length, so headers and body leave
 * in one write; any other through `HttpResponse`, read back as before.
 */
export async function sendResult(res: ServerResponse, result: unknown): Promise<void> {
  const plain = plainAnswer(result);
  if (plain) {
    const { status, headers, body } = plain;
    if (!NULL_BODY_STATUSES.has(status))
      headers['content-length'] = String(body === undefined ? 0 : Buffer.byteLength(body));
    res.writeHead(status, headers).end(body);
    return;
  }
  const response =
    result instanceof HttpResponse ? result : new HttpResponse(result as HttpResponseInit);
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  res.writeHead(response.status, headers).end(response.status === 304 ? undefined : body);
}
