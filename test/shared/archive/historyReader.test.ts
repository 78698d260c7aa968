import { readStorageConfig, StorageConfig } from '../../../shared/config';
import { HistoryReaders, storageIdentity } from '../../../shared/archive/historyReader';
import { historyIndexBlobName } from '../../../shared/archive/historyIndex';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { HISTORY_INDEX_MAX_BYTES } from '../../../shared/storage/boundedRead';
import { azuriteSettings, containerOf } from '../../support/azurite';

const KEY = 'c2VjcmV0LWtleS1ub3QtdG8tYmUtc2Vlbg==';
const account = (key = KEY, container = 'graph-reports') =>
  readStorageConfig({
    SNAPSHOT_STORAGE: `DefaultEndpointsProtocol=https;AccountName=myarchive;AccountKey=${key};EndpointSuffix=core.windows.net`,
    SNAPSHOT_CONTAINER: container,
  });
const identity = (clientSecret: string) =>
  readStorageConfig({
    SNAPSHOT_STORAGE__accountName: 'myarchive',
    AZURE_TENANT_ID: 'tenant',
    AZURE_CLIENT_ID: 'client',
    AZURE_CLIENT_SECRET: clientSecret,
  });

describe('the history readers of one process', () => {
  it('give every request to the same archive the same reader, so the index held is reused', () => {
    const readers = new HistoryReaders();
    const reader = readers.readerFor(account(), skypeP2pMinuteCounts);
    expect(readers.readerFor(account(), skypeP2pMinuteCounts)).toBe(reader);
    expect(readers.readerFor(account(KEY, 'other-container'), skypeP2pMinuteCounts)).not.toBe(
      reader,
    );
    expect(new HistoryReaders().readerFor(account(), skypeP2pMinuteCounts)).not.toBe(reader);
  });

  it.each<[string, StorageConfig, string]>([
    ['an account key', account(), KEY],
    ['a client secret', identity('client-secret-value'), 'client-secret-value'],
    [
      'a SAS',
      readStorageConfig({
        SNAPSHOT_STORAGE:
          'BlobEndpoint=https://myarchive.blob.core.windows.net;SharedAccessSignature=sv=2024&sig=abc123secret',
      }),
      'abc123secret',
    ],
  ])(
    'key a storage configuration by its account and container, never by %s',
    (_, config, secret) => {
      expect(storageIdentity(config)).not.toContain(secret);
      expect(storageIdentity(config)).toContain('myarchive');
    },
  );

  it('tell accounts and containers apart', () => {
    const keys = [
      storageIdentity(account()),
      storageIdentity(account(KEY, 'other-container')),
      storageIdentity(identity('s')),
      storageIdentity(readStorageConfig({ SNAPSHOT_STORAGE: 'UseDevelopmentStorage=true' })),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('an index too large to be one (defect 3)', () => {
  it('is unreadable without being read: the 503 and the rebuild that exist for a corrupt one [bad-input]', async () => {
    const settings = azuriteSettings();
    const container = containerOf(settings);
    await container.createIfNotExists();
    const oversized = Buffer.alloc(HISTORY_INDEX_MAX_BYTES + 1, 0x20);
    await container
      .getBlockBlobClient(historyIndexBlobName(skypeP2pMinuteCounts))
      .uploadData(oversized);
    const reader = new HistoryReaders().readerFor(
      readStorageConfig(settings),
      skypeP2pMinuteCounts,
    );
    const view = await reader.view();
    expect(view).toEqual({
      state: 'unreadable',
      detail: `too large: ${oversized.length} bytes, over the limit of ${HISTORY_INDEX_MAX_BYTES}`,
    });
  }, 30_000);
});
