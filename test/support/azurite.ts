import { randomUUID } from 'node:crypto';
import { BlobServiceClient, ContainerClient } from '@azure/storage-blob';

// Read once at load: suites replace process.env with exactly the settings a test wants.
const testAzurite = process.env.TEST_AZURITE_CONNECTION_STRING;

/** The Azurite jest's global setup started for this run. */
export function azuriteConnectionString(): string {
  const connectionString = testAzurite;
  if (!connectionString)
    throw new Error('Azurite is started by jest globalSetup; run the tests with jest.');
  return connectionString;
}

/** A fresh container name per test, so suites never see each other's blobs. */
export function uniqueContainer(): string {
  return `test-${randomUUID().slice(0, 18)}`;
}

/** The settings that point the archive at the test Azurite, in a container of its own. */
export function azuriteSettings() {
  return { SNAPSHOT_STORAGE: azuriteConnectionString(), SNAPSHOT_CONTAINER: uniqueContainer() };
}

export function containerClient(
  name: string,
  connectionString = azuriteConnectionString(),
): ContainerClient {
  return BlobServiceClient.fromConnectionString(connectionString).getContainerClient(name);
}

/** The container that archive settings (as from azuriteSettings) name. */
export function containerOf(settings: { SNAPSHOT_STORAGE: string; SNAPSHOT_CONTAINER: string }) {
  return containerClient(settings.SNAPSHOT_CONTAINER, settings.SNAPSHOT_STORAGE);
}

export interface BlobView {
  name: string;
  metadata: Record<string, string>;
  contentType?: string;
  etag?: string;
}

export async function listBlobs(container: ContainerClient): Promise<BlobView[]> {
  const blobs: BlobView[] = [];
  for await (const blob of container.listBlobsFlat({ includeMetadata: true })) {
    blobs.push({
      name: blob.name,
      metadata: blob.metadata ?? {},
      contentType: blob.properties.contentType,
      etag: blob.properties.etag,
    });
  }
  return blobs;
}

/** The names of the blobs in a container, sorted. */
export async function blobNamesIn(container: ContainerClient): Promise<string[]> {
  return (await listBlobs(container)).map((blob) => blob.name).sort();
}
