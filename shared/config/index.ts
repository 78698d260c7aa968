import { ConfigError } from '../common/errors';
import { isLoopbackHost } from '../common/loopback';
import { BlobServiceClient } from '@azure/storage-blob';
import { parsePeriod, REPORT_PERIODS, ReportPeriod } from '../reports/definitions';

/**
 * All settings are read and validated here, from one flat map (process.env in Azure, where app
 * settings arrive as environment variables). A bad or missing setting throws a ConfigError that
 * names it.
 */
export type Settings = Readonly<Record<string, string | undefined>>;

export type AzureCredentialSettings =
  | { kind: 'managed-identity'; clientId?: string }
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'client-certificate'; tenantId: string; clientId: string; certificatePath: string }
  | { kind: 'azure-cli'; tenantId?: string };

export type GraphAuth =
  { kind: 'static-token'; token: string } | { kind: 'azure'; credential: AzureCredentialSettings };

export interface GraphConfig {
  /** Without a trailing slash, e.g. `https://graph.microsoft.com/v1.0`. */
  readonly baseUrl: string;
  /** `{origin of baseUrl}/.default`. */
  readonly scope: string;
  readonly auth: GraphAuth;
  readonly maxAttempts: number;
  readonly callTimeoutMs: number;
  readonly retryBaseDelayMs: number;
  /** Budget for one request to our HTTP endpoint, whatever Graph does. */
  readonly requestTimeoutMs: number;
  /** Largest CSV read from the download host; a bigger answer is refused, not buffered. */
  readonly maxDownloadBytes: number;
}

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

export interface SnapshotConfig {
  readonly graph: GraphConfig;
  readonly storage: StorageConfig;
  readonly periods: readonly ReportPeriod[];
  /** Budget for each Graph fetch of the snapshot job (longer than an HTTP request's). */
  readonly fetchTimeoutMs: number;
}

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';
const CREDENTIAL_KINDS = ['auto', 'managed-identity', 'environment', 'azure-cli'] as const;

function value(settings: Settings, name: string): string | undefined {
  const raw = settings[name]?.trim();
  return raw ? raw : undefined;
}

function integer(settings: Settings, name: string, fallback: number, min: number, max: number) {
  const raw = value(settings, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return Number(raw);
}

function httpUrl(name: string, raw: string): URL {
  let url: URL;
  if (/[?#]/.test(raw))
    throw new ConfigError(name, 'must not contain credentials, a query or a fragment.');
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError(name, 'must be an https URL (plain http is allowed for loopback only).');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(name, 'must not contain credentials, a query or a fragment.');
  }
  return url;
}

/**
 * The Azure credential to use. GRAPH_CREDENTIAL picks one explicitly (managed-identity,
 * environment, azure-cli); `auto` takes the managed identity where the Functions host provides
 * one, else client credentials from the environment, else none (undefined).
 */
export function readAzureCredential(
  settings: Settings,
  clientIdSetting = 'AZURE_CLIENT_ID',
): AzureCredentialSettings | undefined {
  const choice = (value(settings, 'GRAPH_CREDENTIAL') ?? 'auto').toLowerCase();
  if (!(CREDENTIAL_KINDS as readonly string[]).includes(choice)) {
    throw new ConfigError('GRAPH_CREDENTIAL', `must be one of ${CREDENTIAL_KINDS.join(', ')}.`);
  }
  const clientId = value(settings, clientIdSetting) ?? value(settings, 'AZURE_CLIENT_ID');
  // The Functions host announces its managed identity with both settings; with either missing,
  // @azure/identity would probe the instance metadata address instead, which we never do.
  const hostHasIdentity =
    value(settings, 'IDENTITY_ENDPOINT') !== undefined &&
    value(settings, 'IDENTITY_HEADER') !== undefined;
  if (choice === 'managed-identity' || (choice === 'auto' && hostHasIdentity)) {
    if (!hostHasIdentity) {
      throw new ConfigError(
        'GRAPH_CREDENTIAL',
        'managed-identity needs the identity endpoint the Functions host provides (IDENTITY_ENDPOINT and IDENTITY_HEADER); it is not available here.',
      );
    }
    return clientId ? { kind: 'managed-identity', clientId } : { kind: 'managed-identity' };
  }
  if (choice === 'azure-cli') {
    const tenantId = value(settings, 'AZURE_TENANT_ID');
    return tenantId ? { kind: 'azure-cli', tenantId } : { kind: 'azure-cli' };
  }
  const secret = value(settings, 'AZURE_CLIENT_SECRET');
  const certificatePath = value(settings, 'AZURE_CLIENT_CERTIFICATE_PATH');
  if (choice === 'auto' && !secret && !certificatePath) return undefined;
  if (!secret && !certificatePath) {
    throw new ConfigError(
      'AZURE_CLIENT_SECRET',
      'GRAPH_CREDENTIAL=environment needs AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH.',
    );
  }
  const tenantId = value(settings, 'AZURE_TENANT_ID');
  if (!tenantId)
    throw new ConfigError('AZURE_TENANT_ID', 'is required with a client secret or certificate.');
  if (!clientId)
    throw new ConfigError('AZURE_CLIENT_ID', 'is required with a client secret or certificate.');
  return secret
    ? { kind: 'client-secret', tenantId, clientId, clientSecret: secret }
    : { kind: 'client-certificate', tenantId, clientId, certificatePath: certificatePath! };
}

export function readGraphConfig(settings: Settings): GraphConfig {
  const rawBase = value(settings, 'GRAPH_BASE_URL') ?? DEFAULT_GRAPH_BASE_URL;
  const base = httpUrl('GRAPH_BASE_URL', rawBase);
  const token = value(settings, 'GRAPH_ACCESS_TOKEN');
  let auth: GraphAuth;
  if (token) {
    if (!isLoopbackHost(base.hostname)) {
      throw new ConfigError(
        'GRAPH_ACCESS_TOKEN',
        'a static token is for local Graph stand-ins only: GRAPH_BASE_URL must then be a loopback URL.',
      );
    }
    auth = { kind: 'static-token', token };
  } else {
    const credential = readAzureCredential(settings);
    if (!credential) {
      throw new ConfigError(
        'GRAPH_CREDENTIAL',
        'no Graph credentials are configured. In Azure, enable the app\'s managed identity; elsewhere set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or GRAPH_CREDENTIAL=azure-cli after "az login". To try the service without a tenant, run "npm run demo".',
      );
    }
    auth = { kind: 'azure', credential };
  }
  return {
    baseUrl: base.href.replace(/\/+$/, ''),
    scope: `${base.origin}/.default`,
    auth,
    maxAttempts: integer(settings, 'GRAPH_MAX_ATTEMPTS', 4, 1, 10),
    callTimeoutMs: integer(settings, 'GRAPH_CALL_TIMEOUT_MS', 10_000, 100, 300_000),
    retryBaseDelayMs: integer(settings, 'GRAPH_RETRY_BASE_DELAY_MS', 1_000, 0, 60_000),
    requestTimeoutMs: integer(settings, 'REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    maxDownloadBytes: integer(settings, 'GRAPH_MAX_DOWNLOAD_BYTES', 1_048_576, 1_024, 104_857_600),
  };
}

function readStorageConnection(settings: Settings, name: string): StorageConnection | undefined {
  const connectionString = value(settings, name);
  if (connectionString) {
    try {
      // The SDK's own parser: what it cannot read now would fail every run later.
      BlobServiceClient.fromConnectionString(connectionString);
    } catch {
      throw new ConfigError(
        name,
        'is not a valid storage connection string: it needs AccountName and AccountKey (or a BlobEndpoint with a SAS), or UseDevelopmentStorage=true.',
      );
    }
    return { kind: 'connection-string', setting: name, connectionString };
  }
  const explicitUri = value(settings, `${name}__blobServiceUri`);
  const accountName = value(settings, `${name}__accountName`);
  if (!explicitUri && accountName && !/^[a-z0-9]{3,24}$/.test(accountName)) {
    throw new ConfigError(
      `${name}__accountName`,
      'must be a storage account name: 3 to 24 lower-case letters and digits.',
    );
  }
  const uriSetting = explicitUri ? `${name}__blobServiceUri` : `${name}__accountName`;
  const rawUri = explicitUri ?? (accountName && `https://${accountName}.blob.core.windows.net`);
  if (!rawUri) return undefined;
  const blobServiceUri = httpUrl(uriSetting, rawUri).href;
  const credential = readAzureCredential(settings, `${name}__clientId`);
  if (!credential) {
    throw new ConfigError(
      uriSetting,
      'identity-based storage needs a credential: the managed identity in Azure, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET elsewhere.',
    );
  }
  return { kind: 'identity', setting: uriSetting, blobServiceUri, credential };
}

export function readStorageConfig(settings: Settings): StorageConfig {
  const connection =
    readStorageConnection(settings, 'SNAPSHOT_STORAGE') ??
    readStorageConnection(settings, 'AzureWebJobsStorage');
  if (!connection) {
    throw new ConfigError(
      'SNAPSHOT_STORAGE',
      'no storage is configured: set SNAPSHOT_STORAGE (a connection string) or SNAPSHOT_STORAGE__blobServiceUri, or AzureWebJobsStorage.',
    );
  }
  const container = value(settings, 'SNAPSHOT_CONTAINER') ?? 'graph-reports';
  if (!/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/.test(container)) {
    throw new ConfigError(
      'SNAPSHOT_CONTAINER',
      'must be a valid container name: 3 to 63 lower-case letters, digits and single hyphens.',
    );
  }
  return {
    connection,
    container,
    maxTries: integer(settings, 'STORAGE_MAX_TRIES', 3, 1, 10),
    tryTimeoutMs: integer(settings, 'STORAGE_TRY_TIMEOUT_MS', 10_000, 100, 600_000),
  };
}

export function readSnapshotPeriods(settings: Settings): ReportPeriod[] {
  const raw = value(settings, 'SNAPSHOT_PERIODS') ?? 'D7';
  const periods = new Set<ReportPeriod>();
  for (const part of raw.split(',').filter((entry) => entry.trim() !== '')) {
    const period = parsePeriod(part);
    if (!period) {
      throw new ConfigError(
        'SNAPSHOT_PERIODS',
        `"${part.trim()}" is not one of D7, D30, D90, D180.`,
      );
    }
    periods.add(period);
  }
  if (periods.size === 0) {
    throw new ConfigError(
      'SNAPSHOT_PERIODS',
      `lists no period; use some of ${REPORT_PERIODS.join(', ')}.`,
    );
  }
  return [...periods];
}

export function readSnapshotConfig(settings: Settings): SnapshotConfig {
  return {
    graph: readGraphConfig(settings),
    storage: readStorageConfig(settings),
    periods: readSnapshotPeriods(settings),
    fetchTimeoutMs: integer(settings, 'SNAPSHOT_FETCH_TIMEOUT_MS', 120_000, 1_000, 600_000),
  };
}
