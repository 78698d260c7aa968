import { Logger } from '../shared/common/logger';

/** Logs to stderr, so a command's stdout carries only its result. */
export const stderrLogger: Logger = {
  info: (...args) => console.error(...args),
  warn: (...args) => console.error('warning:', ...args),
  error: (...args) => console.error('error:', ...args),
};
