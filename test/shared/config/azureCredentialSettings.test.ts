import { AzureCredentialSettings, readAzureCredential, Settings } from '../../../shared/config';
import { CLIENT_SECRET, configError, HOST_IDENTITY, rejectsNaming } from './fixtures';

const CERTIFICATE: Settings = {
  AZURE_TENANT_ID: 'tenant-1',
  AZURE_CLIENT_ID: 'client-1',
  AZURE_CLIENT_CERTIFICATE_PATH: '/certs/app.pem',
};
const SECRET_CREDENTIAL: AzureCredentialSettings = {
  kind: 'client-secret',
  tenantId: 'tenant-1',
  clientId: 'client-1',
  clientSecret: 'secret-1',
};

describe('readAzureCredential', () => {
  it.each<[string, Settings, AzureCredentialSettings | undefined]>([
    ['returns undefined in auto mode when nothing is configured', {}, undefined],
    [
      'treats blank settings as unset',
      { GRAPH_CREDENTIAL: '  ', IDENTITY_ENDPOINT: ' ', AZURE_CLIENT_SECRET: '' },
      undefined,
    ],
    [
      'returns undefined in auto mode when only a tenant and client id are set (no secret or certificate)',
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c' },
      undefined,
    ],
    [
      'does not choose the managed identity from IDENTITY_ENDPOINT alone: @azure/identity would fall back to IMDS',
      { IDENTITY_ENDPOINT: 'http://localhost:8081' },
      undefined,
    ],
    [
      'chooses a system-assigned managed identity when the host provides IDENTITY_ENDPOINT',
      { IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token', IDENTITY_HEADER: 'h' },
      { kind: 'managed-identity' },
    ],
    [
      'chooses a user-assigned managed identity when AZURE_CLIENT_ID is also set',
      { ...HOST_IDENTITY, AZURE_CLIENT_ID: 'uami' },
      { kind: 'managed-identity', clientId: 'uami' },
    ],
    [
      'prefers the managed identity over client-secret settings in auto mode',
      { ...CLIENT_SECRET, ...HOST_IDENTITY },
      { kind: 'managed-identity', clientId: 'client-1' },
    ],
    [
      'accepts GRAPH_CREDENTIAL=managed-identity when IDENTITY_ENDPOINT is set',
      { GRAPH_CREDENTIAL: 'managed-identity', ...HOST_IDENTITY },
      { kind: 'managed-identity' },
    ],
    ['reads a client secret', CLIENT_SECRET, SECRET_CREDENTIAL],
    [
      'trims surrounding whitespace from credential settings',
      {
        AZURE_TENANT_ID: ' tenant-1 ',
        AZURE_CLIENT_ID: '\tclient-1\n',
        AZURE_CLIENT_SECRET: ' secret-1 ',
      },
      SECRET_CREDENTIAL,
    ],
    [
      'reads a client certificate',
      CERTIFICATE,
      {
        kind: 'client-certificate',
        tenantId: 'tenant-1',
        clientId: 'client-1',
        certificatePath: '/certs/app.pem',
      },
    ],
    [
      'prefers the client secret when both a secret and a certificate are set',
      { ...CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH: '/certs/app.pem' },
      SECRET_CREDENTIAL,
    ],
    [
      'uses the environment credential with GRAPH_CREDENTIAL=environment even when the host has an identity',
      { ...CLIENT_SECRET, GRAPH_CREDENTIAL: 'environment', ...HOST_IDENTITY },
      SECRET_CREDENTIAL,
    ],
    [
      'reads the Azure CLI credential without a tenant',
      { GRAPH_CREDENTIAL: 'azure-cli' },
      { kind: 'azure-cli' },
    ],
    [
      'reads the Azure CLI credential with AZURE_TENANT_ID',
      { GRAPH_CREDENTIAL: 'azure-cli', AZURE_TENANT_ID: 'tenant-1' },
      { kind: 'azure-cli', tenantId: 'tenant-1' },
    ],
    [
      'uses the Azure CLI when asked even if the host has an identity and a secret is set',
      { ...CLIENT_SECRET, GRAPH_CREDENTIAL: 'azure-cli', ...HOST_IDENTITY },
      { kind: 'azure-cli', tenantId: 'tenant-1' },
    ],
    [
      'accepts an explicit GRAPH_CREDENTIAL=auto like the default',
      { ...CLIENT_SECRET, GRAPH_CREDENTIAL: 'auto' },
      SECRET_CREDENTIAL,
    ],
    [
      'reads GRAPH_CREDENTIAL in any case',
      { GRAPH_CREDENTIAL: 'Azure-CLI' },
      { kind: 'azure-cli' },
    ],
  ])('%s', (_, settings, expected) => {
    expect(readAzureCredential(settings)).toEqual(expected);
  });

  it.each<[string, Settings, string, string]>([
    [
      'rejects GRAPH_CREDENTIAL=managed-identity without IDENTITY_ENDPOINT (never probes IMDS)',
      { GRAPH_CREDENTIAL: 'managed-identity', AZURE_CLIENT_ID: 'uami' },
      'GRAPH_CREDENTIAL',
      'IDENTITY_ENDPOINT',
    ],
    [
      'rejects GRAPH_CREDENTIAL=managed-identity without IDENTITY_HEADER: @azure/identity would fall back to IMDS',
      { GRAPH_CREDENTIAL: 'managed-identity', IDENTITY_ENDPOINT: 'http://localhost:8081' },
      'GRAPH_CREDENTIAL',
      'IDENTITY_HEADER',
    ],
    [
      'rejects GRAPH_CREDENTIAL=environment without a secret or certificate, naming AZURE_CLIENT_SECRET',
      { GRAPH_CREDENTIAL: 'environment', AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c' },
      'AZURE_CLIENT_SECRET',
      'AZURE_CLIENT_CERTIFICATE_PATH',
    ],
    [
      'rejects a client secret without AZURE_TENANT_ID',
      { AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' },
      'AZURE_TENANT_ID',
      'is required with a client secret or certificate',
    ],
    [
      'rejects a client secret without AZURE_CLIENT_ID',
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_SECRET: 's' },
      'AZURE_CLIENT_ID',
      'is required with a client secret or certificate',
    ],
    [
      'rejects a client certificate without AZURE_TENANT_ID',
      { AZURE_CLIENT_ID: 'c', AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' },
      'AZURE_TENANT_ID',
      'is required with a client secret or certificate',
    ],
    [
      'rejects a client certificate without AZURE_CLIENT_ID',
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' },
      'AZURE_CLIENT_ID',
      'is required with a client secret or certificate',
    ],
  ])('%s', rejectsNaming(readAzureCredential));

  it.each(['certificate', 'msi', 'azure_cli', 'default'])(
    'rejects GRAPH_CREDENTIAL=%s, naming GRAPH_CREDENTIAL and the allowed values',
    (choice) => {
      const error = configError(() => readAzureCredential({ GRAPH_CREDENTIAL: choice }));
      expect(error.setting).toBe('GRAPH_CREDENTIAL');
      expect(error.message).toContain('auto, managed-identity, environment, azure-cli');
    },
  );

  it('never leaks the client secret into an error message', () => {
    const error = configError(() =>
      readAzureCredential({ AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 'super-secret-value' }),
    );
    expect(error.message).not.toContain('super-secret-value');
  });

  it('reads the client id from the given setting first, falling back to AZURE_CLIENT_ID', () => {
    const settings = { ...HOST_IDENTITY, AZURE_CLIENT_ID: 'fallback', MY__clientId: 'specific' };
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
