/**
 * shared/storage owns the Blob plumbing every concern that keeps blobs shares: the container
 * client for a storage configuration (this module: one per configuration, signed in with the
 * credential the composition root keeps for it), reading a body (readBody), and telling and
 * describing the SDK's failures without loading it (storageErrors). What the blobs mean is
 * theirs: the archive's (shared/archive) and the shared report copy's (shared/cache).
 */
import type { TokenCredential } from '@azure/identity';
import type { ContainerClient, StoragePipelineOptions } from '@azure/storage-blob';
import type {
  AzureCredentialSettings,
  ConfigKeys,
  StorageConfig,
  StorageConnection,
} from '../config';

/** How hard each call tries: the configuration's own, or tighter for the shared report copy. */
export interface StorageTries {
  readonly maxTries: number;
  readonly tryTimeoutMs: number;
}

/** One container of one storage configuration: its client, and the connection failures name. */
export interface StorageContainer {
  readonly client: ContainerClient;
  readonly connection: StorageConnection;
}

/**
 * A new container client with bounded retries and a per-try timeout. Identity-based storage signs
 * in with `credential`, the one the composition root keeps for `config.connection.credential`:
 * a credential built here would start with an empty token cache.
 */
export function openContainer(
  config: StorageConfig,
  credential: TokenCredential | undefined,
  tries: StorageTries = config,
): StorageContainer {
  // The SDK's defaults would wait minutes on an unreachable account before the run could fail
  // and be retried by the host.
  const options: StoragePipelineOptions = {
    retryOptions: {
      maxTries: tries.maxTries,
      tryTimeoutInMs: tries.tryTimeoutMs,
      retryDelayInMs: 200,
      maxRetryDelayInMs: 2_000,
    },
  };
  const { connection } = config;
  // Loaded here, on first use, not with the module: see storageErrors.ts.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk: typeof import('@azure/storage-blob') = require('@azure/storage-blob');
  const { BlobServiceClient } = sdk;
  let service;
  if (connection.kind === 'connection-string') {
    service = BlobServiceClient.fromConnectionString(connection.connectionString, options);
  } else {
    if (!credential) {
      throw new Error(`${connection.setting}: identity-based storage needs the app's credential.`);
    }
    service = new BlobServiceClient(connection.blobServiceUri, credential, options);
  }
  return { client: service.getContainerClient(config.container), connection };
}

/**
 * The containers of one process, one per storage configuration (and tries), each built once with
 * the credential `credentialFor` keeps for its identity: the archive, its documents, the history
 * readers and the shared report copy of one configuration all reach storage through the same
 * client and token cache. Keyed by the configuration's key (ConfigKeys), never by a secret.
 */
export class StorageContainers {
  private readonly containers = new Map<string, StorageContainer>();

  constructor(
    private readonly configKeys: ConfigKeys,
    private readonly credentialFor: (settings: AzureCredentialSettings) => TokenCredential,
  ) {}

  /** The key of a storage configuration: whoever keeps something per storage uses this one. */
  keyOf(config: StorageConfig): string {
    return this.configKeys.storage(config);
  }

  containerFor(config: StorageConfig, tries: StorageTries = config): StorageContainer {
    const tried = { ...config, maxTries: tries.maxTries, tryTimeoutMs: tries.tryTimeoutMs };
    const key = this.keyOf(tried);
    let container = this.containers.get(key);
    if (!container) {
      const { connection } = config;
      const credential =
        connection.kind === 'identity' ? this.credentialFor(connection.credential) : undefined;
      container = openContainer(tried, credential);
      this.containers.set(key, container);
    }
    return container;
  }

  /** Every key in use, so a test can check that none holds a secret. */
  keys(): string[] {
    return [...this.containers.keys()];
  }
}
