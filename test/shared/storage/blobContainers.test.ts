import type { TokenCredential } from '@azure/identity';
import { ConfigKeys, readStorageConfig } from '../../../shared/config';
import { openContainer, StorageContainers } from '../../../shared/storage/blobContainers';

const IDENTITY = readStorageConfig({
  SNAPSHOT_STORAGE__blobServiceUri: 'https://127.0.0.1:1/devstoreaccount1',
  AZURE_TENANT_ID: 'tenant',
  AZURE_CLIENT_ID: 'client',
  AZURE_CLIENT_SECRET: 'client-secret-value',
});
const ACCOUNT_KEY = Buffer.from('an account key, never in a key').toString('base64');
const CONNECTION_STRING = readStorageConfig({
  SNAPSHOT_STORAGE: `DefaultEndpointsProtocol=https;AccountName=myarchive;AccountKey=${ACCOUNT_KEY};EndpointSuffix=core.windows.net`,
});

function containersCounting() {
  const asked: string[] = [];
  const credential: TokenCredential = { getToken: () => Promise.resolve(null) };
  const containers = new StorageContainers(new ConfigKeys(), (settings) => {
    asked.push(settings.kind);
    return credential;
  });
  return { containers, asked };
}

describe('the storage containers of one process', () => {
  it('give one configuration one container, signed in with the credential handed in', () => {
    const { containers, asked } = containersCounting();
    const container = containers.containerFor(IDENTITY);
    expect(containers.containerFor({ ...IDENTITY })).toBe(container);
    expect(container.connection).toBe(IDENTITY.connection);
    expect(container.client.containerName).toBe(IDENTITY.container);
    expect(asked).toEqual(['client-secret']);
  });

  it('give tighter tries (the shared report copy) a container of their own', () => {
    const { containers } = containersCounting();
    const tight = containers.containerFor(IDENTITY, { maxTries: 1, tryTimeoutMs: 2_000 });
    expect(tight).not.toBe(containers.containerFor(IDENTITY));
    expect(containers.containerFor(IDENTITY, { maxTries: 1, tryTimeoutMs: 2_000 })).toBe(tight);
  });

  it('need no credential for a connection string, and never key one by its secrets', () => {
    const { containers, asked } = containersCounting();
    containers.containerFor(CONNECTION_STRING);
    expect(asked).toEqual([]);
    containers.containerFor(IDENTITY);
    for (const key of containers.keys()) {
      expect(key).not.toContain('client-secret-value');
      expect(key).not.toContain(ACCOUNT_KEY);
    }
  });

  it('refuse identity-based storage without the credential the composition root keeps', () => {
    expect(() => openContainer(IDENTITY, undefined)).toThrow(
      'SNAPSHOT_STORAGE__blobServiceUri: identity-based storage needs',
    );
  });
});
