import dns from 'node:dns';
import { thrownBy } from '../../support/errors';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import {
  AzureCredentialSettings,
  DEFAULT_GRAPH_BASE_URL,
  readAzureCredential,
  readGraphConfig,
  readSnapshotConfig,
  readSnapshotPeriods,
  readStorageConfig,
  Settings,
} from '../../../shared/config';
import { ConfigError } from '../../../shared/common/errors';

/** Runs `read` and returns the ConfigError it must throw. */
function configError(read: () => unknown): ConfigError {
  const error = thrownBy(ConfigError, read);
  expect(error.kind).toBe('config');
  expect(error.message.startsWith(`${error.setting}: `)).toBe(true);
  return error;
}

/** The smallest Graph settings that succeed without touching credentials under test. */
const CLI: Settings = { GRAPH_CREDENTIAL: 'azure-cli' };
const CLIENT_SECRET: Settings = {
  AZURE_TENANT_ID: 'tenant-1',
  AZURE_CLIENT_ID: 'client-1',
  AZURE_CLIENT_SECRET: 'secret-1',
};
const CONNECTION_STRING =
  'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net';
const LOCAL_GRAPH: Settings = {
  GRAPH_BASE_URL: 'http://127.0.0.1:8080/v1.0',
  GRAPH_ACCESS_TOKEN: 'local-token',
};

describe('readAzureCredential', () => {
  it('returns undefined in auto mode when nothing is configured', () => {
    expect(readAzureCredential({})).toBeUndefined();
  });

  it('treats blank settings as unset', () => {
    expect(
      readAzureCredential({
        GRAPH_CREDENTIAL: '  ',
        IDENTITY_ENDPOINT: ' ',
        AZURE_CLIENT_SECRET: '',
      }),
    ).toBeUndefined();
  });

  it('returns undefined in auto mode when only a tenant and client id are set (no secret or certificate)', () => {
    expect(readAzureCredential({ AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c' })).toBeUndefined();
  });

  it('chooses a system-assigned managed identity when the host provides IDENTITY_ENDPOINT', () => {
    expect(
      readAzureCredential({
        IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token',
        IDENTITY_HEADER: 'h',
      }),
    ).toEqual({
      kind: 'managed-identity',
    });
  });

  it('chooses a user-assigned managed identity when AZURE_CLIENT_ID is also set', () => {
    expect(
      readAzureCredential({
        IDENTITY_ENDPOINT: 'http://localhost:8081',
        IDENTITY_HEADER: 'h',
        AZURE_CLIENT_ID: 'uami',
      }),
    ).toEqual({ kind: 'managed-identity', clientId: 'uami' });
  });

  it('prefers the managed identity over client-secret settings in auto mode', () => {
    expect(
      readAzureCredential({
        ...CLIENT_SECRET,
        IDENTITY_ENDPOINT: 'http://localhost:8081',
        IDENTITY_HEADER: 'h',
      }),
    ).toEqual({ kind: 'managed-identity', clientId: 'client-1' });
  });

  it('accepts GRAPH_CREDENTIAL=managed-identity when IDENTITY_ENDPOINT is set', () => {
    expect(
      readAzureCredential({
        GRAPH_CREDENTIAL: 'managed-identity',
        IDENTITY_ENDPOINT: 'http://localhost:8081',
        IDENTITY_HEADER: 'h',
      }),
    ).toEqual({ kind: 'managed-identity' });
  });

  it('rejects GRAPH_CREDENTIAL=managed-identity without IDENTITY_ENDPOINT (never probes IMDS)', () => {
    const error = configError(() =>
      readAzureCredential({ GRAPH_CREDENTIAL: 'managed-identity', AZURE_CLIENT_ID: 'uami' }),
    );
    expect(error.setting).toBe('GRAPH_CREDENTIAL');
    expect(error.message).toContain('IDENTITY_ENDPOINT');
  });

  it('reads a client secret', () => {
    expect(readAzureCredential(CLIENT_SECRET)).toEqual({
      kind: 'client-secret',
      tenantId: 'tenant-1',
      clientId: 'client-1',
      clientSecret: 'secret-1',
    });
  });

  it('trims surrounding whitespace from credential settings', () => {
    expect(
      readAzureCredential({
        AZURE_TENANT_ID: ' tenant-1 ',
        AZURE_CLIENT_ID: '\tclient-1\n',
        AZURE_CLIENT_SECRET: ' secret-1 ',
      }),
    ).toEqual({
      kind: 'client-secret',
      tenantId: 'tenant-1',
      clientId: 'client-1',
      clientSecret: 'secret-1',
    });
  });

  it('reads a client certificate', () => {
    expect(
      readAzureCredential({
        AZURE_TENANT_ID: 'tenant-1',
        AZURE_CLIENT_ID: 'client-1',
        AZURE_CLIENT_CERTIFICATE_PATH: '/certs/app.pem',
      }),
    ).toEqual({
      kind: 'client-certificate',
      tenantId: 'tenant-1',
      clientId: 'client-1',
      certificatePath: '/certs/app.pem',
    });
  });

  it('prefers the client secret when both a secret and a certificate are set', () => {
    expect(
      readAzureCredential({ ...CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH: '/certs/app.pem' }),
    ).toMatchObject({ kind: 'client-secret', clientSecret: 'secret-1' });
  });

  it('uses the environment credential with GRAPH_CREDENTIAL=environment even when the host has an identity', () => {
    expect(
      readAzureCredential({
        ...CLIENT_SECRET,
        GRAPH_CREDENTIAL: 'environment',
        IDENTITY_ENDPOINT: 'http://localhost:8081',
        IDENTITY_HEADER: 'h',
      }),
    ).toMatchObject({ kind: 'client-secret' });
  });

  it('rejects GRAPH_CREDENTIAL=environment without a secret or certificate, naming AZURE_CLIENT_SECRET', () => {
    const error = configError(() =>
      readAzureCredential({
        GRAPH_CREDENTIAL: 'environment',
        AZURE_TENANT_ID: 't',
        AZURE_CLIENT_ID: 'c',
      }),
    );
    expect(error.setting).toBe('AZURE_CLIENT_SECRET');
    expect(error.message).toContain('AZURE_CLIENT_CERTIFICATE_PATH');
  });

  it('rejects a client secret without AZURE_TENANT_ID', () => {
    const error = configError(() =>
      readAzureCredential({ AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' }),
    );
    expect(error.setting).toBe('AZURE_TENANT_ID');
  });

  it('rejects a client secret without AZURE_CLIENT_ID', () => {
    const error = configError(() =>
      readAzureCredential({ AZURE_TENANT_ID: 't', AZURE_CLIENT_SECRET: 's' }),
    );
    expect(error.setting).toBe('AZURE_CLIENT_ID');
  });

  it('rejects a client certificate without AZURE_TENANT_ID', () => {
    const error = configError(() =>
      readAzureCredential({ AZURE_CLIENT_ID: 'c', AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' }),
    );
    expect(error.setting).toBe('AZURE_TENANT_ID');
  });

  it('rejects a client certificate without AZURE_CLIENT_ID', () => {
    const error = configError(() =>
      readAzureCredential({ AZURE_TENANT_ID: 't', AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' }),
    );
    expect(error.setting).toBe('AZURE_CLIENT_ID');
  });

  it('never leaks the client secret into an error message', () => {
    const error = configError(() =>
      readAzureCredential({ AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 'super-secret-value' }),
    );
    expect(error.message).not.toContain('super-secret-value');
  });

  it('reads the Azure CLI credential without a tenant', () => {
    expect(readAzureCredential({ GRAPH_CREDENTIAL: 'azure-cli' })).toEqual({ kind: 'azure-cli' });
  });

  it('reads the Azure CLI credential with AZURE_TENANT_ID', () => {
    expect(
      readAzureCredential({ GRAPH_CREDENTIAL: 'azure-cli', AZURE_TENANT_ID: 'tenant-1' }),
    ).toEqual({ kind: 'azure-cli', tenantId: 'tenant-1' });
  });

  it('uses the Azure CLI when asked even if the host has an identity and a secret is set', () => {
    expect(
      readAzureCredential({
        ...CLIENT_SECRET,
        GRAPH_CREDENTIAL: 'azure-cli',
        IDENTITY_ENDPOINT: 'http://localhost:8081',
        IDENTITY_HEADER: 'h',
      }),
    ).toEqual({ kind: 'azure-cli', tenantId: 'tenant-1' });
  });

  it('accepts an explicit GRAPH_CREDENTIAL=auto like the default', () => {
    expect(readAzureCredential({ ...CLIENT_SECRET, GRAPH_CREDENTIAL: 'auto' })).toMatchObject({
      kind: 'client-secret',
    });
  });

  it.each(['certificate', 'msi', 'azure_cli', 'default'])(
    'rejects GRAPH_CREDENTIAL=%s, naming GRAPH_CREDENTIAL and the allowed values',
    (choice) => {
      const error = configError(() => readAzureCredential({ GRAPH_CREDENTIAL: choice }));
      expect(error.setting).toBe('GRAPH_CREDENTIAL');
      expect(error.message).toContain('auto, managed-identity, environment, azure-cli');
    },
  );

  it('reads the client id from the given setting first, falling back to AZURE_CLIENT_ID', () => {
    const settings = {
      IDENTITY_ENDPOINT: 'http://localhost:8081',
      IDENTITY_HEADER: 'h',
      AZURE_CLIENT_ID: 'fallback',
      MY__clientId: 'specific',
    };
    expect(readAzureCredential(settings, 'MY__clientId')).toEqual({
      kind: 'managed-identity',
      clientId: 'specific',
    });
    expect(readAzureCredential(settings, 'OTHER__clientId')).toEqual({
      kind: 'managed-identity',
      clientId: 'fallback',
    });
  });
});

describe('readGraphConfig', () => {
  it('applies the documented defaults', () => {
    expect(readGraphConfig(CLI)).toEqual({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      scope: 'https://graph.microsoft.com/.default',
      auth: { kind: 'azure', credential: { kind: 'azure-cli' } },
      maxAttempts: 4,
      callTimeoutMs: 10_000,
      retryBaseDelayMs: 1_000,
      requestTimeoutMs: 30_000,
      maxDownloadBytes: 1_048_576,
    });
    expect(DEFAULT_GRAPH_BASE_URL).toBe('https://graph.microsoft.com/v1.0');
  });

  it('treats a blank GRAPH_BASE_URL as unset', () => {
    expect(readGraphConfig({ ...CLI, GRAPH_BASE_URL: '   ' }).baseUrl).toBe(DEFAULT_GRAPH_BASE_URL);
  });

  it('derives the scope from the origin of the base URL, not its path', () => {
    const config = readGraphConfig({ ...CLI, GRAPH_BASE_URL: 'https://graph.microsoft.us/beta' });
    expect(config.scope).toBe('https://graph.microsoft.us/.default');
    expect(config.baseUrl).toBe('https://graph.microsoft.us/beta');
  });

  it('keeps a non-default port in the scope origin', () => {
    const config = readGraphConfig({ ...CLI, GRAPH_BASE_URL: 'https://graph.example:8443/v1.0' });
    expect(config.scope).toBe('https://graph.example:8443/.default');
  });

  it('trims trailing slashes from the base URL', () => {
    expect(
      readGraphConfig({ ...CLI, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0/' }).baseUrl,
    ).toBe('https://graph.microsoft.com/v1.0');
    expect(
      readGraphConfig({ ...CLI, GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0///' }).baseUrl,
    ).toBe('https://graph.microsoft.com/v1.0');
    expect(readGraphConfig({ ...CLI, GRAPH_BASE_URL: 'https://graph.microsoft.com' }).baseUrl).toBe(
      'https://graph.microsoft.com',
    );
  });

  it('reads the numeric settings, trimming whitespace', () => {
    const config = readGraphConfig({
      ...CLI,
      GRAPH_MAX_ATTEMPTS: ' 7 ',
      GRAPH_CALL_TIMEOUT_MS: '2500',
      GRAPH_RETRY_BASE_DELAY_MS: '0',
      REQUEST_TIMEOUT_MS: '45000',
    });
    expect(config).toMatchObject({
      maxAttempts: 7,
      callTimeoutMs: 2500,
      retryBaseDelayMs: 0,
      requestTimeoutMs: 45000,
    });
  });

  it.each([
    ['GRAPH_MAX_ATTEMPTS', '1', 1],
    ['GRAPH_MAX_ATTEMPTS', '10', 10],
    ['GRAPH_CALL_TIMEOUT_MS', '100', 100],
    ['GRAPH_CALL_TIMEOUT_MS', '300000', 300_000],
    ['GRAPH_RETRY_BASE_DELAY_MS', '60000', 60_000],
    ['REQUEST_TIMEOUT_MS', '100', 100],
    ['REQUEST_TIMEOUT_MS', '600000', 600_000],
  ])('accepts %s=%s at the edge of its range', (name, raw, expected) => {
    const config = readGraphConfig({ ...CLI, [name]: raw });
    const key = {
      GRAPH_MAX_ATTEMPTS: 'maxAttempts',
      GRAPH_CALL_TIMEOUT_MS: 'callTimeoutMs',
      GRAPH_RETRY_BASE_DELAY_MS: 'retryBaseDelayMs',
      REQUEST_TIMEOUT_MS: 'requestTimeoutMs',
    }[name] as keyof typeof config;
    expect(config[key]).toBe(expected);
  });

  it.each([
    ['GRAPH_MAX_ATTEMPTS', '0'],
    ['GRAPH_MAX_ATTEMPTS', '11'],
    ['GRAPH_MAX_ATTEMPTS', 'three'],
    ['GRAPH_MAX_ATTEMPTS', '2.5'],
    ['GRAPH_MAX_ATTEMPTS', '-1'],
    ['GRAPH_MAX_ATTEMPTS', '1e1'],
    ['GRAPH_MAX_ATTEMPTS', '0x5'],
    ['GRAPH_CALL_TIMEOUT_MS', '99'],
    ['GRAPH_CALL_TIMEOUT_MS', '300001'],
    ['GRAPH_RETRY_BASE_DELAY_MS', '60001'],
    ['GRAPH_RETRY_BASE_DELAY_MS', '1s'],
    ['REQUEST_TIMEOUT_MS', '99'],
    ['REQUEST_TIMEOUT_MS', '600001'],
  ])('rejects %s=%s, naming the setting, its range and the bad value', (name, raw) => {
    const error = configError(() => readGraphConfig({ ...CLI, [name]: raw }));
    expect(error.setting).toBe(name);
    expect(error.message).toMatch(/must be a whole number from \d+ to \d+/);
    expect(error.message).toContain(`"${raw}"`);
  });

  it.each(['not a url', 'graph.microsoft.com/v1.0', '://missing-scheme'])(
    'rejects GRAPH_BASE_URL=%s as not a valid URL',
    (raw) => {
      const error = configError(() => readGraphConfig({ ...CLI, GRAPH_BASE_URL: raw }));
      expect(error.setting).toBe('GRAPH_BASE_URL');
      expect(error.message).toContain('not a valid URL');
    },
  );

  it.each([
    'http://graph.microsoft.com/v1.0',
    'http://10.0.0.5/v1.0',
    'http://127.0.0.1.nip.io/v1.0',
    'ftp://graph.microsoft.com/v1.0',
    'file:///etc/passwd',
  ])('rejects GRAPH_BASE_URL=%s: plain http is for loopback only', (raw) => {
    const error = configError(() => readGraphConfig({ ...CLI, GRAPH_BASE_URL: raw }));
    expect(error.setting).toBe('GRAPH_BASE_URL');
    expect(error.message).toContain('https');
  });

  it.each([
    'http://127.0.0.1:8080/v1.0',
    'http://localhost:8080/v1.0',
    'http://[::1]:8080/v1.0',
    'http://127.5.6.7/v1.0',
  ])('accepts plain http on loopback: %s', (raw) => {
    const config = readGraphConfig({ ...CLI, GRAPH_BASE_URL: raw });
    expect(config.baseUrl).toBe(raw);
    expect(config.scope).toBe(`${new URL(raw).origin}/.default`);
  });

  it.each([
    'https://graph.microsoft.com/v1.0?$top=1',
    'https://graph.microsoft.com/v1.0#fragment',
    'https://user:pass@graph.microsoft.com/v1.0',
    'https://user@graph.microsoft.com/v1.0',
  ])('rejects GRAPH_BASE_URL=%s with credentials, a query or a fragment', (raw) => {
    const error = configError(() => readGraphConfig({ ...CLI, GRAPH_BASE_URL: raw }));
    expect(error.setting).toBe('GRAPH_BASE_URL');
    expect(error.message).toContain('must not contain credentials, a query or a fragment');
    expect(error.message).not.toContain('pass');
  });

  it('uses a static token against a loopback Graph stand-in', () => {
    const config = readGraphConfig(LOCAL_GRAPH);
    expect(config.auth).toEqual({ kind: 'static-token', token: 'local-token' });
    expect(config.baseUrl).toBe('http://127.0.0.1:8080/v1.0');
    expect(config.scope).toBe('http://127.0.0.1:8080/.default');
  });

  it('prefers the static token over any Azure credential settings', () => {
    const config = readGraphConfig({ ...LOCAL_GRAPH, ...CLIENT_SECRET });
    expect(config.auth).toEqual({ kind: 'static-token', token: 'local-token' });
  });

  it('accepts a static token on an https loopback URL', () => {
    const config = readGraphConfig({
      GRAPH_BASE_URL: 'https://localhost:8443/v1.0',
      GRAPH_ACCESS_TOKEN: 't',
    });
    expect(config.auth).toEqual({ kind: 'static-token', token: 't' });
  });

  it.each([undefined, 'https://graph.microsoft.com/v1.0', 'https://graph.example/v1.0'])(
    'rejects GRAPH_ACCESS_TOKEN when GRAPH_BASE_URL is not loopback (%s)',
    (base) => {
      const error = configError(() =>
        readGraphConfig({ GRAPH_BASE_URL: base, GRAPH_ACCESS_TOKEN: 'leaky-token' }),
      );
      expect(error.setting).toBe('GRAPH_ACCESS_TOKEN');
      expect(error.message).toContain('loopback');
      expect(error.message).not.toContain('leaky-token');
    },
  );

  it('treats a blank GRAPH_ACCESS_TOKEN as unset', () => {
    expect(readGraphConfig({ ...CLI, GRAPH_ACCESS_TOKEN: '  ' }).auth).toEqual({
      kind: 'azure',
      credential: { kind: 'azure-cli' },
    });
  });

  it('rejects a configuration with no credentials at all, naming GRAPH_CREDENTIAL', () => {
    const error = configError(() => readGraphConfig({}));
    expect(error.setting).toBe('GRAPH_CREDENTIAL');
    expect(error.message).toContain('no Graph credentials are configured');
  });

  it('rejects partial client-secret settings in auto mode as no credentials', () => {
    const error = configError(() =>
      readGraphConfig({ AZURE_TENANT_ID: 'tenant-1', AZURE_CLIENT_ID: 'client-1' }),
    );
    expect(error.setting).toBe('GRAPH_CREDENTIAL');
  });

  it('reports the missing piece of partial client-secret settings', () => {
    expect(
      configError(() => readGraphConfig({ AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' }))
        .setting,
    ).toBe('AZURE_TENANT_ID');
    expect(
      configError(() => readGraphConfig({ AZURE_TENANT_ID: 't', AZURE_CLIENT_SECRET: 's' }))
        .setting,
    ).toBe('AZURE_CLIENT_ID');
  });

  it('rejects GRAPH_CREDENTIAL=managed-identity without IDENTITY_ENDPOINT', () => {
    const error = configError(() => readGraphConfig({ GRAPH_CREDENTIAL: 'managed-identity' }));
    expect(error.setting).toBe('GRAPH_CREDENTIAL');
  });

  it('chooses the managed identity when the host provides IDENTITY_ENDPOINT', () => {
    expect(
      readGraphConfig({ IDENTITY_ENDPOINT: 'http://localhost:8081', IDENTITY_HEADER: 'h' }).auth,
    ).toEqual({
      kind: 'azure',
      credential: { kind: 'managed-identity' },
    });
  });

  it('chooses a user-assigned managed identity when AZURE_CLIENT_ID is set', () => {
    expect(
      readGraphConfig({
        IDENTITY_ENDPOINT: 'http://localhost:8081',
        IDENTITY_HEADER: 'h',
        AZURE_CLIENT_ID: 'uami',
      }).auth,
    ).toEqual({ kind: 'azure', credential: { kind: 'managed-identity', clientId: 'uami' } });
  });

  it('uses a client secret', () => {
    expect(readGraphConfig(CLIENT_SECRET).auth).toEqual({
      kind: 'azure',
      credential: {
        kind: 'client-secret',
        tenantId: 'tenant-1',
        clientId: 'client-1',
        clientSecret: 'secret-1',
      },
    });
  });

  it('uses a client certificate', () => {
    expect(
      readGraphConfig({
        AZURE_TENANT_ID: 'tenant-1',
        AZURE_CLIENT_ID: 'client-1',
        AZURE_CLIENT_CERTIFICATE_PATH: '/certs/app.pem',
      }).auth,
    ).toEqual({
      kind: 'azure',
      credential: {
        kind: 'client-certificate',
        tenantId: 'tenant-1',
        clientId: 'client-1',
        certificatePath: '/certs/app.pem',
      },
    });
  });

  it('uses the Azure CLI credential', () => {
    expect(readGraphConfig({ ...CLI, AZURE_TENANT_ID: 'tenant-1' }).auth).toEqual({
      kind: 'azure',
      credential: { kind: 'azure-cli', tenantId: 'tenant-1' },
    });
  });

  it('validates GRAPH_BASE_URL before the credentials', () => {
    expect(configError(() => readGraphConfig({ GRAPH_BASE_URL: 'nope' })).setting).toBe(
      'GRAPH_BASE_URL',
    );
  });
});

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
    // Looks like one, but names no endpoint: the SDK could never use it.
    'AccountName=acct;AccountKey=a2V5',
  ])('rejects SNAPSHOT_STORAGE=%s as not a storage connection string', (raw) => {
    const error = configError(() =>
      readStorageConfig({ SNAPSHOT_STORAGE: raw, AzureWebJobsStorage: CONNECTION_STRING }),
    );
    expect(error.setting).toBe('SNAPSHOT_STORAGE');
    expect(error.message).toContain('not a valid storage connection string');
  });

  it('never leaks a connection string into its error', () => {
    const error = configError(() =>
      readStorageConfig({ SNAPSHOT_STORAGE: 'SharedAccessSignature=sig-secret' }),
    );
    expect(error.message).not.toContain('sig-secret');
  });

  it('falls back to SNAPSHOT_STORAGE__blobServiceUri with an identity', () => {
    expect(
      readStorageConfig({
        SNAPSHOT_STORAGE__blobServiceUri: 'https://acct.blob.core.windows.net',
        IDENTITY_ENDPOINT: 'http://localhost:8081',
        IDENTITY_HEADER: 'h',
      }).connection,
    ).toEqual({
      kind: 'identity',
      setting: 'SNAPSHOT_STORAGE__blobServiceUri',
      blobServiceUri: 'https://acct.blob.core.windows.net/',
      credential: { kind: 'managed-identity' },
    });
  });

  it('falls back to SNAPSHOT_STORAGE__accountName, building the blob service URI', () => {
    expect(
      readStorageConfig({ SNAPSHOT_STORAGE__accountName: 'acct', ...CLIENT_SECRET }).connection,
    ).toEqual({
      kind: 'identity',
      setting: 'SNAPSHOT_STORAGE__accountName',
      blobServiceUri: 'https://acct.blob.core.windows.net/',
      credential: {
        kind: 'client-secret',
        tenantId: 'tenant-1',
        clientId: 'client-1',
        clientSecret: 'secret-1',
      },
    });
  });

  it('falls back to AzureWebJobsStorage when no SNAPSHOT_STORAGE setting is present', () => {
    expect(readStorageConfig({ AzureWebJobsStorage: CONNECTION_STRING }).connection).toEqual({
      kind: 'connection-string',
      setting: 'AzureWebJobsStorage',
      connectionString: CONNECTION_STRING,
    });
  });

  it('falls back to identity-based AzureWebJobsStorage__accountName', () => {
    expect(
      readStorageConfig({
        AzureWebJobsStorage__accountName: 'jobs',
        IDENTITY_ENDPOINT: 'http://localhost:8081',
        IDENTITY_HEADER: 'h',
      }).connection,
    ).toEqual({
      kind: 'identity',
      setting: 'AzureWebJobsStorage__accountName',
      blobServiceUri: 'https://jobs.blob.core.windows.net/',
      credential: { kind: 'managed-identity' },
    });
  });

  it('prefers SNAPSHOT_STORAGE over every other storage setting', () => {
    expect(
      readStorageConfig({
        SNAPSHOT_STORAGE: CONNECTION_STRING,
        SNAPSHOT_STORAGE__blobServiceUri: 'https://other.blob.core.windows.net',
        SNAPSHOT_STORAGE__accountName: 'third',
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      }).connection,
    ).toMatchObject({ kind: 'connection-string', setting: 'SNAPSHOT_STORAGE' });
  });

  it('prefers SNAPSHOT_STORAGE__blobServiceUri over __accountName and AzureWebJobsStorage', () => {
    expect(
      readStorageConfig({
        ...CLI,
        SNAPSHOT_STORAGE__blobServiceUri: 'https://uri.blob.core.windows.net',
        SNAPSHOT_STORAGE__accountName: 'name',
        AzureWebJobsStorage: CONNECTION_STRING,
      }).connection,
    ).toMatchObject({ kind: 'identity', blobServiceUri: 'https://uri.blob.core.windows.net/' });
  });

  it('prefers SNAPSHOT_STORAGE__accountName over AzureWebJobsStorage', () => {
    expect(
      readStorageConfig({
        ...CLI,
        SNAPSHOT_STORAGE__accountName: 'name',
        AzureWebJobsStorage: CONNECTION_STRING,
      }).connection,
    ).toMatchObject({ kind: 'identity', blobServiceUri: 'https://name.blob.core.windows.net/' });
  });

  it('does not fall back to AzureWebJobsStorage when SNAPSHOT_STORAGE is invalid', () => {
    expect(
      configError(() =>
        readStorageConfig({ SNAPSHOT_STORAGE: 'garbage', AzureWebJobsStorage: CONNECTION_STRING }),
      ).setting,
    ).toBe('SNAPSHOT_STORAGE');
  });

  it('uses SNAPSHOT_STORAGE__clientId for a user-assigned identity, before AZURE_CLIENT_ID', () => {
    const settings = {
      SNAPSHOT_STORAGE__accountName: 'acct',
      IDENTITY_ENDPOINT: 'http://localhost:8081',
      IDENTITY_HEADER: 'h',
      AZURE_CLIENT_ID: 'graph-identity',
    };
    expect(readStorageConfig(settings).connection).toMatchObject({
      credential: { kind: 'managed-identity', clientId: 'graph-identity' },
    });
    expect(
      readStorageConfig({ ...settings, SNAPSHOT_STORAGE__clientId: 'storage-identity' }).connection,
    ).toMatchObject({ credential: { kind: 'managed-identity', clientId: 'storage-identity' } });
  });

  it('accepts an http loopback blob service URI (Azurite)', () => {
    expect(
      readStorageConfig({
        ...CLI,
        SNAPSHOT_STORAGE__blobServiceUri: 'http://127.0.0.1:10000/devstoreaccount1',
      }).connection,
    ).toMatchObject({ blobServiceUri: 'http://127.0.0.1:10000/devstoreaccount1' });
  });

  it('rejects identity-based storage without a credential, naming the blob service URI setting', () => {
    const error = configError(() =>
      readStorageConfig({ SNAPSHOT_STORAGE__blobServiceUri: 'https://acct.blob.core.windows.net' }),
    );
    expect(error.setting).toBe('SNAPSHOT_STORAGE__blobServiceUri');
    expect(error.message).toContain('needs a credential');
  });

  it('rejects identity-based storage from __accountName without a credential', () => {
    expect(
      configError(() => readStorageConfig({ SNAPSHOT_STORAGE__accountName: 'acct' })).setting,
    ).toBe('SNAPSHOT_STORAGE__accountName');
  });

  it('rejects identity-based storage when GRAPH_CREDENTIAL=managed-identity has no endpoint', () => {
    expect(
      configError(() =>
        readStorageConfig({
          GRAPH_CREDENTIAL: 'managed-identity',
          SNAPSHOT_STORAGE__accountName: 'acct',
        }),
      ).setting,
    ).toBe('GRAPH_CREDENTIAL');
  });

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

  it('rejects a configuration with no storage at all, naming SNAPSHOT_STORAGE', () => {
    const error = configError(() => readStorageConfig({ ...CLIENT_SECRET }));
    expect(error.setting).toBe('SNAPSHOT_STORAGE');
    expect(error.message).toContain('no storage is configured');
  });

  it('treats blank storage settings as absent', () => {
    expect(
      configError(() =>
        readStorageConfig({
          SNAPSHOT_STORAGE: ' ',
          SNAPSHOT_STORAGE__blobServiceUri: '',
          SNAPSHOT_STORAGE__accountName: '  ',
          AzureWebJobsStorage: '',
        }),
      ).setting,
    ).toBe('SNAPSHOT_STORAGE');
  });

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

  it('reads the retry limits', () => {
    expect(
      readStorageConfig({
        SNAPSHOT_STORAGE: CONNECTION_STRING,
        STORAGE_MAX_TRIES: '10',
        STORAGE_TRY_TIMEOUT_MS: '100',
      }),
    ).toMatchObject({ maxTries: 10, tryTimeoutMs: 100 });
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
  });
});

describe('readSnapshotPeriods', () => {
  it('defaults to D7', () => {
    expect(readSnapshotPeriods({})).toEqual(['D7']);
    expect(readSnapshotPeriods({ SNAPSHOT_PERIODS: '  ' })).toEqual(['D7']);
  });

  it('reads every period, in the order given', () => {
    expect(readSnapshotPeriods({ SNAPSHOT_PERIODS: 'D180,D7,D90,D30' })).toEqual([
      'D180',
      'D7',
      'D90',
      'D30',
    ]);
  });

  it('is case-insensitive, tolerates spaces and removes duplicates', () => {
    expect(readSnapshotPeriods({ SNAPSHOT_PERIODS: ' d30 , D7,d7, D30 ,d30' })).toEqual([
      'D30',
      'D7',
    ]);
  });

  it.each([
    ['D7,D14', '"D14"'],
    ['7', '"7"'],
    ['D7;D30', '"D7;D30"'],
    ['D7, weekly ', '"weekly"'],
  ])('rejects SNAPSHOT_PERIODS=%s, quoting the bad entry %s', (raw, quoted) => {
    const error = configError(() => readSnapshotPeriods({ SNAPSHOT_PERIODS: raw }));
    expect(error.setting).toBe('SNAPSHOT_PERIODS');
    expect(error.message).toContain(`${quoted} is not one of D7, D30, D90, D180`);
  });
});

describe('readSnapshotConfig', () => {
  const VALID: Settings = { ...CLI, SNAPSHOT_STORAGE: CONNECTION_STRING };

  it('combines the Graph, storage and period settings with the default fetch timeout', () => {
    expect(readSnapshotConfig({ ...VALID, SNAPSHOT_PERIODS: 'd30,D7' })).toEqual({
      graph: readGraphConfig(VALID),
      storage: readStorageConfig(VALID),
      periods: ['D30', 'D7'],
      fetchTimeoutMs: 120_000,
    });
  });

  it('reads SNAPSHOT_FETCH_TIMEOUT_MS within 1000..600000', () => {
    expect(readSnapshotConfig({ ...VALID, SNAPSHOT_FETCH_TIMEOUT_MS: '1000' }).fetchTimeoutMs).toBe(
      1000,
    );
    expect(
      readSnapshotConfig({ ...VALID, SNAPSHOT_FETCH_TIMEOUT_MS: '600000' }).fetchTimeoutMs,
    ).toBe(600_000);
  });

  it.each(['999', '600001', 'two minutes'])('rejects SNAPSHOT_FETCH_TIMEOUT_MS=%s', (raw) => {
    expect(
      configError(() => readSnapshotConfig({ ...VALID, SNAPSHOT_FETCH_TIMEOUT_MS: raw })).setting,
    ).toBe('SNAPSHOT_FETCH_TIMEOUT_MS');
  });

  it('propagates a Graph setting error', () => {
    expect(
      configError(() => readSnapshotConfig({ SNAPSHOT_STORAGE: CONNECTION_STRING })).setting,
    ).toBe('GRAPH_CREDENTIAL');
  });

  it('propagates a storage setting error', () => {
    expect(configError(() => readSnapshotConfig({ ...CLI })).setting).toBe('SNAPSHOT_STORAGE');
  });

  it('propagates a period setting error', () => {
    expect(
      configError(() => readSnapshotConfig({ ...VALID, SNAPSHOT_PERIODS: 'D1' })).setting,
    ).toBe('SNAPSHOT_PERIODS');
  });
});

describe('purity', () => {
  const networkSpies: jest.SpyInstance[] = [];
  const fail = () => {
    throw new Error('configuration reading must not touch the network');
  };

  beforeEach(() => {
    networkSpies.push(
      jest.spyOn(globalThis, 'fetch').mockImplementation(fail),
      jest.spyOn(http, 'request').mockImplementation(fail),
      jest.spyOn(http, 'get').mockImplementation(fail),
      jest.spyOn(https, 'request').mockImplementation(fail),
      jest.spyOn(https, 'get').mockImplementation(fail),
      jest.spyOn(net, 'connect').mockImplementation(fail),
      jest.spyOn(net, 'createConnection').mockImplementation(fail),
      jest.spyOn(dns, 'lookup').mockImplementation(fail),
    );
  });

  afterEach(() => {
    for (const spy of networkSpies.splice(0)) spy.mockRestore();
  });

  const CREDENTIAL_SETTINGS: [string, Settings][] = [
    ['managed identity', { IDENTITY_ENDPOINT: 'http://localhost:8081', IDENTITY_HEADER: 'h' }],
    [
      'user-assigned managed identity',
      { IDENTITY_ENDPOINT: 'http://localhost:8081', IDENTITY_HEADER: 'h', AZURE_CLIENT_ID: 'uami' },
    ],
    ['client secret', CLIENT_SECRET],
    [
      'client certificate',
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' },
    ],
    ['azure cli', CLI],
  ];

  it.each(CREDENTIAL_SETTINGS)(
    'reads the %s credential as plain data, without any network call',
    (_, settings) => {
      const credential = readAzureCredential(settings) as AzureCredentialSettings;
      const snapshot = readSnapshotConfig({
        ...settings,
        SNAPSHOT_STORAGE__accountName: 'acct',
      });
      // Plain data: no credential instances, functions or prototypes that could fetch tokens.
      expect(JSON.parse(JSON.stringify(credential))).toEqual(credential);
      expect(Object.getPrototypeOf(credential)).toBe(Object.prototype);
      expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
      expect(snapshot.graph.auth).toEqual({ kind: 'azure', credential });
      expect(snapshot.storage.connection).toMatchObject({ credential });
      for (const spy of networkSpies) expect(spy).not.toHaveBeenCalled();
    },
  );

  it('does not read process.env: only the settings passed in count', () => {
    const saved = process.env.GRAPH_CREDENTIAL;
    process.env.GRAPH_CREDENTIAL = 'azure-cli';
    try {
      expect(configError(() => readGraphConfig({})).setting).toBe('GRAPH_CREDENTIAL');
    } finally {
      if (saved === undefined) delete process.env.GRAPH_CREDENTIAL;
      else process.env.GRAPH_CREDENTIAL = saved;
    }
  });

  it('does not modify the settings it reads', () => {
    const settings = { ...CLIENT_SECRET, SNAPSHOT_STORAGE: CONNECTION_STRING };
    const copy = { ...settings };
    readSnapshotConfig(Object.freeze(settings));
    expect(settings).toEqual(copy);
  });
});

describe('settings that look valid to the URL parser but are not', () => {
  it.each(['https://graph.microsoft.com/v1.0?', 'https://graph.microsoft.com/v1.0#'])(
    'rejects GRAPH_BASE_URL=%s with an empty query or fragment',
    (url) => {
      expect(configError(() => readGraphConfig({ ...CLI, GRAPH_BASE_URL: url })).setting).toBe(
        'GRAPH_BASE_URL',
      );
    },
  );

  it.each(['evil.example/', 'Upper', 'ab', 'with space'])(
    'rejects SNAPSHOT_STORAGE__accountName=%p, naming that setting',
    (accountName) => {
      const error = configError(() =>
        readStorageConfig({ SNAPSHOT_STORAGE__accountName: accountName, ...CLIENT_SECRET }),
      );
      expect(error.setting).toBe('SNAPSHOT_STORAGE__accountName');
    },
  );

  it('reads GRAPH_CREDENTIAL in any case', () => {
    expect(readAzureCredential({ GRAPH_CREDENTIAL: 'Azure-CLI' })).toEqual({ kind: 'azure-cli' });
  });

  it('tolerates empty entries in SNAPSHOT_PERIODS, such as a trailing comma', () => {
    expect(readSnapshotPeriods({ SNAPSHOT_PERIODS: 'D7,,D30,' })).toEqual(['D7', 'D30']);
  });
});

describe('the managed identity, never probing the instance metadata address', () => {
  it('is not chosen from IDENTITY_ENDPOINT alone: @azure/identity would fall back to IMDS', () => {
    expect(readAzureCredential({ IDENTITY_ENDPOINT: 'http://localhost:8081' })).toBeUndefined();
    const error = configError(() =>
      readAzureCredential({
        GRAPH_CREDENTIAL: 'managed-identity',
        IDENTITY_ENDPOINT: 'http://localhost:8081',
      }),
    );
    expect(error.message).toContain('IDENTITY_HEADER');
  });
});

describe('SNAPSHOT_PERIODS that name nothing', () => {
  it.each([',', ' , ,'])('rejects %p, naming the setting and the periods to choose from', (raw) => {
    const error = configError(() => readSnapshotPeriods({ SNAPSHOT_PERIODS: raw }));
    expect(error.setting).toBe('SNAPSHOT_PERIODS');
    expect(error.message).toContain('D7, D30, D90, D180');
  });
});
