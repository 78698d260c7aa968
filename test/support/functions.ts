import { HttpRequest } from '@azure/functions';

/** What the Functions runtime hands a handler, built for real so handlers run as in Azure. */
export function getRequest(url: string, headers: Record<string, string> = {}) {
  return new HttpRequest({ method: 'GET', url, headers });
}
