import { BlobServiceClient, ContainerClient, StoragePipelineOptions } from '@azure/storage-blob';
import { StorageConfig } from '../config';
import { azureCredential } from '../graph/credentials';

/**
 * The archive container, with bounded retries and a per-try timeout: the SDK's defaults would
 * wait minutes on an unreachable account before the run could fail and be retried by the host.
 */
export function archiveContainer(config: StorageConfig): ContainerClient {
  const options: StoragePipelineOptions = {
    retryOptions: {
      maxTries: config.maxTries,
      tryTimeoutInMs: config.tryTimeoutMs,
      retryDelayInMs: 200,
      maxRetryDelayInMs: 2_000,
    },
  };
  const { connection } = config;
  const service =
    connection.kind === 'connection-string'
      ? BlobServiceClient.fromConnectionString(connection.connectionString, options)
      : new BlobServiceClient(
          connection.blobServiceUri,
          azureCredential(connection.credential),
          options,
        );
  return service.getContainerClient(config.container);
}
