import { errorMessage, StorageError } from '../common/errors';
import type { StorageConnection } from '../config';

/**
 * The storage SDK's failures, recognised by name rather than by `instanceof`, so that modules
 * which only handle them need not load @azure/storage-blob (most of a function's cold start) until
 * storage is actually used.
 */
export interface StorageRestError {
  readonly name: 'RestError';
  readonly message: string;
  readonly statusCode?: number;
  readonly code?: string;
}

export function isRestError(error: unknown): error is StorageRestError {
  return (error as { name?: unknown } | null)?.name === 'RestError';
}

/** Azurite's account: a connection to it that fails most likely means Azurite is not running. */
function isDevelopmentStorage(connection: StorageConnection): boolean {
  const target =
    connection.kind === 'connection-string'
      ? connection.connectionString
      : connection.blobServiceUri;
  return /UseDevelopmentStorage=true|devstoreaccount1/i.test(target);
}

/** Node's codes for "the request never reached a storage service". */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
]);

/**
 * A storage failure as a StorageError. SDK errors can quote request URLs and connection strings
 * hold keys, so the message keeps only what identifies the failure; when storage could not be
 * reached at all it names the setting to check, and for the development account how to start it.
 */
export function storageFailure(
  action: string,
  error: unknown,
  connection: StorageConnection,
): StorageError {
  const code = (error as { code?: unknown } | null)?.code;
  if (isRestError(error) && error.statusCode === undefined && UNREACHABLE.has(`${code}`)) {
    const start = isDevelopmentStorage(connection)
      ? ' It is the development storage account: start Azurite with `npx azurite-blob --disableTelemetry --skipApiVersionCheck`.'
      : '';
    return new StorageError(
      `Blob Storage failed to ${action}: could not reach the storage configured by ${connection.setting} (${String(code)}).${start}`,
    );
  }
  const detail = isRestError(error)
    ? `${error.statusCode ?? 'no status'} ${error.code ?? error.name}`
    : (error as { name?: unknown } | null)?.name === 'AbortError'
      ? 'timed out'
      : errorMessage(error).split('\n')[0];
  return new StorageError(`Blob Storage failed to ${action}: ${detail}.`);
}
