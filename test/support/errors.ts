import { CallBudgetSpentError, FetchInProgressError } from '../../shared/cache/reportCache';
import {
  ArchiveNotReadyError,
  BadRequestError,
  ConfigError,
  CredentialError,
  ErrorKind,
  GraphAuthError,
  GraphBadResponseError,
  GraphThrottledError,
  GraphTimeoutError,
  ReportFormatError,
  ServiceError,
  StorageError,
} from '../../shared/common/errors';

/** Runs `action` and returns what it threw, failing the test unless it is an instance of `type`. */
export function thrownBy<T extends Error>(
  type: abstract new (...args: never[]) => T,
  action: () => unknown,
): T {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(type);
  expect((thrown as T).name).toBe(type.name);
  return thrown as T;
}

/** One error of every kind, keyed by it: a new kind fails `tsc` here until the tests know it. */
export const ONE_OF_EACH_KIND: Readonly<Record<ErrorKind, ServiceError>> = {
  config: new ConfigError('GRAPH_BASE_URL', 'bad'),
  'bad-request': new BadRequestError('period', 'bad'),
  throttled: new GraphThrottledError('slow down', 5),
  'call-budget-spent': new CallBudgetSpentError(14, 30),
  'lock-unavailable': new FetchInProgressError(2),
  credential: new CredentialError('no token'),
  unauthorized: new GraphAuthError(401, 'refused'),
  'bad-upstream-response': new GraphBadResponseError('odd'),
  timeout: new GraphTimeoutError('late'),
  'bad-report-format': new ReportFormatError('drift'),
  storage: new StorageError('down'),
  'archive-not-ready': new ArchiveNotReadyError('building', 900),
};
