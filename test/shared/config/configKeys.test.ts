import { ConfigKeys, readStorageConfig, StorageConfig } from '../../../shared/config';

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

describe('the keys of storage configurations', () => {
  const keys = new ConfigKeys();

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
  ])('never hold %s, whole or in part', (_, config, secret) => {
    const key = keys.storage(config);
    expect(key).not.toContain(secret);
    expect(key).not.toContain(secret.slice(-8));
    expect(key).not.toContain(Buffer.from(secret).toString('base64'));
  });

  it('are equal for equal configurations, whatever object holds them', () => {
    expect(keys.storage(account())).toBe(keys.storage({ ...account() }));
    expect(keys.storage(identity('s'))).toBe(keys.storage(identity('s')));
  });

  it('tell accounts, containers, identities and tries apart', () => {
    const all = [
      keys.storage(account()),
      keys.storage(account(KEY, 'other-container')),
      keys.storage({ ...account(), maxTries: 1 }),
      keys.storage(identity('s')),
      keys.storage(identity('rotated')),
      keys.storage(readStorageConfig({ SNAPSHOT_STORAGE: 'UseDevelopmentStorage=true' })),
    ];
    expect(new Set(all).size).toBe(all.length);
  });

  it('are useless outside the object that made them', () => {
    expect(new ConfigKeys().storage(account())).not.toBe(keys.storage(account()));
  });
});
