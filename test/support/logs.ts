import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import { Logger } from '../../shared/common/logger';

/** One log line as a test sees it: its level (as the logger named it) and its text. */
export interface LogLine<Level extends string = string> {
  level: Level;
  message: string;
}

/** Keeps each line it is given, and shows it to `onLine` as it arrives. */
function logCollector<Level extends string>(onLine?: (line: LogLine<Level>) => void) {
  const lines: LogLine<Level>[] = [];
  const record = (level: Level, args: unknown[]) => {
    const line = { level, message: args.map(String).join(' ') };
    lines.push(line);
    onLine?.(line);
  };
  return { lines, record };
}

/** A Logger (what shared code logs to) whose lines are kept for assertions. */
export function captureLogger(onLine?: (line: LogLine<'info' | 'warn' | 'error'>) => void) {
  const { lines, record } = logCollector(onLine);
  const logger: Logger = {
    info: (...args) => record('info', args),
    warn: (...args) => record('warn', args),
    error: (...args) => record('error', args),
  };
  return { logger, lines };
}

/** A real InvocationContext whose log lines are kept, with the host's level names. */
export function testContext(functionName: string) {
  const { lines: logs, record } = logCollector<string>();
  const context = new InvocationContext({
    functionName,
    invocationId: randomUUID(),
    logHandler: (level, ...args) => record(level, args),
  });
  return { context, logs };
}
