import { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { testContext } from './logs';

/** What the Functions runtime hands a handler, built for real so handlers run as in Azure. */
export function getRequest(url: string, headers: Record<string, string> = {}) {
  return new HttpRequest({ method: 'GET', url, headers });
}

type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/**
 * `call(query, headers)`: a GET of `route` + query through an HTTP function's handler, as the
 * runtime would make it, with its headers as a plain record and the invocation's log lines.
 */
export function handlerCaller(handler: HttpHandler, functionName: string, route: string) {
  return async (query: string, headers: Record<string, string> = {}) => {
    const { context, logs } = testContext(functionName);
    const response = await handler(getRequest(`${route}${query}`, headers), context);
    return { ...response, headers: response.headers as Record<string, string>, logs };
  };
}
