import { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { getRequest } from '../support/functions';
import { testContext } from '../support/logs';

/**
 * An HTTP answer as the conformance check takes it, whether a function's handler returned it or
 * the running local host sent it over HTTP: headers looked up case-insensitively, as HTTP's are,
 * and the body as text (none for an empty one).
 */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body?: string;
}

export type Handler = (
  request: HttpRequest,
  context: InvocationContext,
) => Promise<HttpResponseInit>;

/** What a function answers a GET, its handler called as the Functions runtime calls it. */
export async function handlerAnswer(
  handler: Handler,
  functionName: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const { context } = testContext(functionName);
  const response = await handler(getRequest(url, headers), context);
  return {
    status: response.status ?? 200,
    headers: new Headers(response.headers as Record<string, string> | undefined),
    body: typeof response.body === 'string' && response.body !== '' ? response.body : undefined,
  };
}

/** What a server answers a GET over real HTTP (node's fetch), e.g. the running local host. */
export async function fetchAnswer(
  url: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(url, { headers });
  const body = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: body === '' ? undefined : body,
  };
}

/** The answer's JSON body. */
export function jsonOf<T = Record<string, unknown>>(answer: Answer): T {
  if (answer.body === undefined) throw new Error(`The ${answer.status} answer has no body.`);
  return JSON.parse(answer.body) as T;
}

/** The answer with another JSON body, e.g. one a test changed to show the contract refuses it. */
export function withJson(answer: Answer, body: unknown): Answer {
  return { ...answer, body: JSON.stringify(body) };
}

/** The answer without a header, e.g. one the contract requires. */
export function withoutHeader(answer: Answer, name: string): Answer {
  const headers = new Headers(answer.headers);
  headers.delete(name);
  return { ...answer, headers };
}
