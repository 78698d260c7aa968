import { inspect } from 'node:util';
import { Logger } from '../shared/common/logger';
import { safeError, safeText } from '../shared/common/logSafe';

/**
 * A logger that writes each message as one line: strings with their control characters
 * escaped and cut (`safeText`), errors with their message escaped and their stack frames
 * (`safeError`), anything else inspected on one line. Whatever a request or Graph sent, a
 * message can neither forge another line nor drive the terminal.
 */
export function lineLogger(write: (line: string) => void): Logger {
  const line = (prefix: string, args: unknown[]) =>
    write(`${prefix}${args.map(describe).join(' ')}`);
  return {
    info: (...args) => line('', args),
    warn: (...args) => line('warning: ', args),
    error: (...args) => line('error: ', args),
  };
}

function describe(arg: unknown): string {
  if (typeof arg === 'string') return safeText(arg);
  if (arg instanceof Error) return safeError(arg);
  return safeText(inspect(arg, { breakLength: Infinity }));
}

/** Logs to stderr, so a command's stdout carries only its result. */
export const stderrLogger: Logger = lineLogger((line) => process.stderr.write(`${line}\n`));
