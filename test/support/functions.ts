import { randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext } from '@azure/functions';

/** What the Functions runtime hands a handler, built for real so handlers run as in Azure. */

export interface LogLine {
  level: string;
  message: string;
}

/** A real InvocationContext whose log lines are kept for assertions. */
export function testContext(functionName: string) {
  const logs: LogLine[] = [];
  const context = new InvocationContext({
    functionName,
    invocationId: randomUUID(),
    logHandler: (level, ...args) => logs.push({ level, message: args.map(String).join(' ') }),
  });
  return { context, logs };
}

export function getRequest(url: string, headers: Record<string, string> = {}) {
  return new HttpRequest({ method: 'GET', url, headers });
}
