import { readStorageConfig, Settings, StorageConnection } from '../../../shared/config';
import { CLI, CLIENT_SECRET, configError, CONNECTION_STRING, HOST_IDENTITY } from './fixtures';
import { rejectsNaming } from './fixtures';

describe('readStorageConfig', () => {
  it('uses SNAPSHOT_STORAGE as a connection string, with the default container and limits', () => {
    expect(readStorageConfig({ SNAPSHOT_STORAGE: CONNECTION_STRING })).toEqual({
      connection: {
        kind: 'connection-string',
        setting: 'SNAPSHOT_STORAGE',
        connectionString: CONNECTION_STRING,
      },
      container: 'graph-reports',
      maxTries: 3,
      tryTimeoutMs: 10_000,
    });
  });

  describe('the connection', () => {
    it.each([
      'UseDevelopmentStorage=true',
      'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;SharedAccessSignature=sv=1',
      'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net',
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;',
    ])('recognises the connection string %s', (connectionString) => {
      expect(readStorageConfig({ SNAPSHOT_STORAGE: connectionString }).connection).toEqual({
        kind: 'connection-string',
        setting: 'SNAPSHOT_STORAGE',
        connectionString,
      });
    });

    it.each([
      'https://acct.blob.core.windows.net',
      'acct',
      'AccountKey=a2V5',
      'MyAccountName=acct',
      'garbage',
      // Looks like one, but names no endpoint: the SDK could never use it.
      'AccountName=acct;AccountKey=a2V5',
    ])(
      'rejects SNAPSHOT_STORAGE=%s as not a storage connection string, without falling back to AzureWebJobsStorage',
      (raw) => {
        const error = configError(() =>
          readStorageConfig({ SNAPSHOT_STORAGE: raw, AzureWebJobsStorage: CONNECTION_STRING }),
        );
        expect(error.setting).toBe('SNAPSHOT_STORAGE');
        expect(error.message).toContain('not a valid storage connection string');
      },
    );

    it('never leaks a connection string into its error', () => {
      const error = configError(() =>
        readStorageConfig({ SNAPSHOT_STORAGE: 'SharedAccessSignature=sig-secret' }),
      );
      expect(error.message).not.toContain('sig-secret');
    });

    it.each<[string, Settings, StorageConnection]>([
      [
        'falls back to SNAPSHOT_STORAGE__blobServiceUri with an identity',
        {
          SNAPSHOT_STORAGE__blobServiceUri: 'https://acct.blob.core.windows.net',
          ...HOST_IDENTITY,
        },
        {
          kind: 'identity',
          setting: 'SNAPSHOT_STORAGE__blobServiceUri',
          blobServiceUri: 'https://acct.blob.core.windows.net/',
          credential: { kind: 'managed-identity' },
        },
      ],
      [
        'falls back to SNAPSHOT_STORAGE__accountName, building the blob service URI',
        { SNAPSHOT_STORAGE__accountName: 'acct', ...CLIENT_SECRET },
        {
          kind: 'identity',
          setting: 'SNAPSHOT_STORAGE__accountName',
          blobServiceUri: 'https://acct.blob.core.windows.net/',
          credential: {
            kind: 'client-secret',
            tenantId: 'tenant-1',
            clientId: 'client-1',
            clientSecret: 'secret-1',
          },
        },
      ],
      [
        'falls back to AzureWebJobsStorage when no SNAPSHOT_STORAGE setting is present',
        { AzureWebJobsStorage: CONNECTION_STRING },
        {
          kind: 'connection-string',
          setting: 'AzureWebJobsStorage',
          connectionString: CONNECTION_STRING,
        },
      ],
      [
        'falls back to identity-based AzureWebJobsStorage__accountName',
        { AzureWebJobsStorage__accountName: 'jobs', ...HOST_IDENTITY },
        {
          kind: 'identity',
          setting: 'AzureWebJobsStorage__accountName',
          blobServiceUri: 'https://jobs.blob.core.windows.net/',
          credential: { kind: 'managed-identity' },
        },
      ],
      [
        'prefers SNAPSHOT_STORAGE over every other storage setting',
        {
          SNAPSHOT_STORAGE: CONNECTION_STRING,
          SNAPSHOT_STORAGE__blobServiceUri: 'https://other.blob.core.windows.net',
          SNAPSHOT_STORAGE__accountName: 'third',
          AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        },
        {
          kind: 'connection-string',
          setting: 'SNAPSHOT_STORAGE',
          connectionString: CONNECTION_STRING,
        },
      ],
      [
        'prefers SNAPSHOT_STORAGE__blobServiceUri over __accountName and AzureWebJobsStorage',
        {
          ...CLI,
          SNAPSHOT_STORAGE__blobServiceUri: 'https://uri.blob.core.windows.net',
          SNAPSHOT_STORAGE__accountName: 'name',
          AzureWebJobsStorage: CONNECTION_STRING,
        },
        {
          kind: 'identity',
          setting: 'SNAPSHOT_STORAGE__blobServiceUri',
          blobServiceUri: 'https://uri.blob.core.windows.net/',
          credential: { kind: 'azure-cli' },
        },
      ],
      [
        'prefers SNAPSHOT_STORAGE__accountName over AzureWebJobsStorage',
        { ...CLI, SNAPSHOT_STORAGE__accountName: 'name', AzureWebJobsStorage: CONNECTION_STRING },
        {
          kind: 'identity',
          setting: 'SNAPSHOT_STORAGE__accountName',
          blobServiceUri: 'https://name.blob.core.windows.net/',
          credential: { kind: 'azure-cli' },
        },
      ],
      [
        'uses AZURE_CLIENT_ID for the storage identity when SNAPSHOT_STORAGE__clientId is unset',
        {
          SNAPSHOT_STORAGE__accountName: 'acct',
          ...HOST_IDENTITY,
          AZURE_CLIENT_ID: 'graph-identity',
        },
        {
          kind: 'identity',
          setting: 'SNAPSHOT_STORAGE__accountName',
          blobServiceUri: 'https://acct.blob.core.windows.net/',
          credential: { kind: 'managed-identity', clientId: 'graph-identity' },
        },
      ],
      [
        'uses SNAPSHOT_STORAGE__clientId for a user-assigned identity, before AZURE_CLIENT_ID',
        {
          SNAPSHOT_STORAGE__accountName: 'acct',
          ...HOST_IDENTITY,
          AZURE_CLIENT_ID: 'graph-identity',
          SNAPSHOT_STORAGE__clientId: 'storage-identity',
        },
        {
          kind: 'identity',
          setting: 'SNAPSHOT_STORAGE__accountName',
          blobServiceUri: 'https://acct.blob.core.windows.net/',
          credential: { kind: 'managed-identity', clientId: 'storage-identity' },
        },
      ],
      [
        'accepts an http loopback blob service URI (Azurite)',
        { ...CLI, SNAPSHOT_STORAGE__blobServiceUri: 'http://127.0.0.1:10000/devstoreaccount1' },
        {
          kind: 'identity',
          setting: 'SNAPSHOT_STORAGE__blobServiceUri',
          blobServiceUri: 'http://127.0.0.1:10000/devstoreaccount1',
          credential: { kind: 'azure-cli' },
        },
      ],
    ])('%s', (_, settings, connection) => {
      expect(readStorageConfig(settings).connection).toEqual(connection);
    });

    it.each<[string, Settings, string, string]>([
      [
        'rejects identity-based storage without a credential, naming the blob service URI setting',
        { SNAPSHOT_STORAGE__blobServiceUri: 'https://acct.blob.core.windows.net' },
        'SNAPSHOT_STORAGE__blobServiceUri',
        'needs a credential',
      ],
      [
        'rejects identity-based storage from __accountName without a credential',
        { SNAPSHOT_STORAGE__accountName: 'acct' },
        'SNAPSHOT_STORAGE__accountName',
        'needs a credential',
      ],
      [
        'rejects identity-based storage when GRAPH_CREDENTIAL=managed-identity has no endpoint',
        { GRAPH_CREDENTIAL: 'managed-identity', SNAPSHOT_STORAGE__accountName: 'acct' },
        'GRAPH_CREDENTIAL',
        'IDENTITY_ENDPOINT',
      ],
      [
        'rejects a configuration with no storage at all, naming SNAPSHOT_STORAGE',
        { ...CLIENT_SECRET },
        'SNAPSHOT_STORAGE',
        'no storage is configured',
      ],
      [
        'treats blank storage settings as absent',
        {
          SNAPSHOT_STORAGE: ' ',
          SNAPSHOT_STORAGE__blobServiceUri: '',
          SNAPSHOT_STORAGE__accountName: '  ',
          AzureWebJobsStorage: '',
        },
        'SNAPSHOT_STORAGE',
        'no storage is configured',
      ],
    ])('%s', rejectsNaming(readStorageConfig));

    it.each([
      ['http://acct.blob.core.windows.net', 'https'],
      ['https://acct.blob.core.windows.net/?sv=2024&sig=secret', 'query'],
      ['not a url', 'not a valid URL'],
    ])('rejects SNAPSHOT_STORAGE__blobServiceUri=%s', (raw, fragment) => {
      const error = configError(() =>
        readStorageConfig({ ...CLI, SNAPSHOT_STORAGE__blobServiceUri: raw }),
      );
      expect(error.setting).toBe('SNAPSHOT_STORAGE__blobServiceUri');
      expect(error.message).toContain(fragment);
      expect(error.message).not.toContain('sig=secret');
    });

    it.each(['evil.example/', 'Upper', 'ab', 'with space'])(
      'rejects SNAPSHOT_STORAGE__accountName=%p, naming that setting',
      (accountName) => {
        const error = configError(() =>
          readStorageConfig({ SNAPSHOT_STORAGE__accountName: accountName, ...CLIENT_SECRET }),
        );
        expect(error.setting).toBe('SNAPSHOT_STORAGE__accountName');
        expect(error.message).toContain('storage account name');
      },
    );
  });

  describe('the container', () => {
    it.each(['abc', 'graph-reports', 'a1-b2-c3', 'x'.repeat(63), '123'])(
      'accepts the container name %s',
      (container) => {
        expect(
          readStorageConfig({ SNAPSHOT_STORAGE: CONNECTION_STRING, SNAPSHOT_CONTAINER: container })
            .container,
        ).toBe(container);
      },
    );

    it.each([
      'ab',
      'x'.repeat(64),
      'Graph-Reports',
      'graph--reports',
      '-graph',
      'graph-',
      'graph_reports',
      'graph reports',
      'graph.reports',
    ])('rejects SNAPSHOT_CONTAINER=%s', (container) => {
      const error = configError(() =>
        readStorageConfig({ SNAPSHOT_STORAGE: CONNECTION_STRING, SNAPSHOT_CONTAINER: container }),
      );
      expect(error.setting).toBe('SNAPSHOT_CONTAINER');
      expect(error.message).toContain('valid container name');
    });
  });

  describe('the retry limits', () => {
    it.each([
      ['STORAGE_MAX_TRIES', '10', 'maxTries', 10],
      ['STORAGE_MAX_TRIES', ' 1 ', 'maxTries', 1],
      ['STORAGE_TRY_TIMEOUT_MS', '100', 'tryTimeoutMs', 100],
      ['STORAGE_TRY_TIMEOUT_MS', '600000', 'tryTimeoutMs', 600_000],
    ] as const)('reads %s=%p as %s %d', (name, raw, field, expected) => {
      expect(readStorageConfig({ SNAPSHOT_STORAGE: CONNECTION_STRING, [name]: raw })[field]).toBe(
        expected,
      );
    });

    it.each([
      ['STORAGE_MAX_TRIES', '0'],
      ['STORAGE_MAX_TRIES', '11'],
      ['STORAGE_MAX_TRIES', 'many'],
      ['STORAGE_TRY_TIMEOUT_MS', '99'],
      ['STORAGE_TRY_TIMEOUT_MS', '600001'],
    ])('rejects %s=%s', (name, raw) => {
      const error = configError(() =>
        readStorageConfig({ SNAPSHOT_STORAGE: CONNECTION_STRING, [name]: raw }),
      );
      expect(error.setting).toBe(name);
      expect(error.message).toContain(`"${raw}"`);
    });
  });
});
