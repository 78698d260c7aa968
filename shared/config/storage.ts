import { ConfigError } from '../common/errors';
import { AzureCredentialSettings, readAzureCredential } from './azureCredentialSettings';
import { httpUrl, integerSetting, matching, rawSetting, Settings, textSetting } from './values';

/** Where the archive lives: a connection string, or a blob service URI reached with an identity. */
export type StorageConnection =
  | { kind: 'connection-string'; setting: string; connectionString: string }
  | {
      kind: 'identity';
      setting: string;
      blobServiceUri: string;
      credential: AzureCredentialSettings;
    };

export interface StorageConfig {
  readonly connection: StorageConnection;
  readonly container: string;
  readonly maxTries: number;
  readonly tryTimeoutMs: number;
}

export function readStorageConfig(settings: Settings): StorageConfig {
  const config = readOptionalStorageConfig(settings);
  if (!config) {
    throw new ConfigError(
      'SNAPSHOT_STORAGE',
      'no storage is configured: set SNAPSHOT_STORAGE (a connection string) or SNAPSHOT_STORAGE__blobServiceUri, or AzureWebJobsStorage.',
    );
  }
  return config;
}

/**
 * The archive's storage where one is configured, undefined where none is: the live endpoint
 * works without storage (it only loses the shared cache). A storage setting that is present but
 * wrong is still an error that names it.
 */
export function readOptionalStorageConfig(settings: Settings): StorageConfig | undefined {
  // The Functions host's own storage is the fallback, in either of its forms, as for bindings.
  const connection =
    readStorageConnection(settings, 'SNAPSHOT_STORAGE') ??
    readStorageConnection(settings, 'AzureWebJobsStorage');
  if (!connection) return undefined;
  return {
    connection,
    container: matching(
      'SNAPSHOT_CONTAINER',
      textSetting(settings, 'SNAPSHOT_CONTAINER'),
      /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/,
      'a valid container name: 3 to 63 lower-case letters, digits and single hyphens',
    ),
    maxTries: integerSetting(settings, 'STORAGE_MAX_TRIES'),
    tryTimeoutMs: integerSetting(settings, 'STORAGE_TRY_TIMEOUT_MS'),
  };
}

/**
 * One connection prefix, the way the Functions host reads its own: `{prefix}` is a connection
 * string; else `{prefix}__blobServiceUri` or `{prefix}__accountName` with an identity
 * (`{prefix}__clientId` picks a user-assigned one). Undefined when none of them is set.
 */
function readStorageConnection(settings: Settings, prefix: string): StorageConnection | undefined {
  const connectionString = rawSetting(settings, prefix);
  if (connectionString) {
    if (!isConnectionString(connectionString)) {
      throw new ConfigError(
        prefix,
        'is not a valid storage connection string: it needs AccountName and AccountKey (or a BlobEndpoint with a SAS), or UseDevelopmentStorage=true.',
      );
    }
    return { kind: 'connection-string', setting: prefix, connectionString };
  }
  const explicitUri = rawSetting(settings, `${prefix}__blobServiceUri`);
  const accountName = rawSetting(settings, `${prefix}__accountName`);
  if (!explicitUri && accountName) {
    matching(
      `${prefix}__accountName`,
      accountName,
      /^[a-z0-9]{3,24}$/,
      'a storage account name: 3 to 24 lower-case letters and digits',
    );
  }
  const uriSetting = explicitUri ? `${prefix}__blobServiceUri` : `${prefix}__accountName`;
  const rawUri = explicitUri ?? (accountName && `https://${accountName}.blob.core.windows.net`);
  if (!rawUri) return undefined;
  const blobServiceUri = httpUrl(uriSetting, rawUri).href;
  const credential = readAzureCredential(settings, `${prefix}__clientId`);
  if (!credential) {
    throw new ConfigError(
      uriSetting,
      'identity-based storage needs a credential: the managed identity in Azure, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET elsewhere.',
    );
  }
  return { kind: 'identity', setting: uriSetting, blobServiceUri, credential };
}

/** Whether the storage SDK's own parser accepts it: what it cannot read now would fail every run. */
function isConnectionString(connectionString: string): boolean {
  // Loaded here rather than at the top: only a configuration that names a connection string pays
  // for the storage SDK, so the HTTP function, which never touches storage, starts without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk: typeof import('@azure/storage-blob') = require('@azure/storage-blob');
  try {
    sdk.BlobServiceClient.fromConnectionString(connectionString);
    return true;
  } catch {
    return false;
  }
}
