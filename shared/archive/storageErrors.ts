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
