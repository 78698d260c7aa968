import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import { readGraphConfig } from '../../../shared/config';
import { azureCredential, graphTokenProvider } from '../../../shared/graph/credentials';
import { CredentialError } from '../../../shared/common/errors';

describe('credentials', () => {
  it('hands out the static token for a loopback Graph stand-in', async () => {
    const config = readGraphConfig({
      GRAPH_BASE_URL: 'http://127.0.0.1:1/v1.0',
      GRAPH_ACCESS_TOKEN: 'local',
    });
    await expect(graphTokenProvider(config).getToken()).resolves.toBe('local');
  });

  it.each([
    [
      'a system-assigned identity',
      { kind: 'managed-identity' } as const,
      ManagedIdentityCredential,
    ],
    [
      'user-assigned identity',
      { kind: 'managed-identity', clientId: 'user-assigned' } as const,
      ManagedIdentityCredential,
    ],
    [
      'a client secret',
      { kind: 'client-secret', tenantId: 't', clientId: 'c', clientSecret: 's' } as const,
      ClientSecretCredential,
    ],
    [
      'a client certificate',
      {
        kind: 'client-certificate',
        tenantId: 't',
        clientId: 'c',
        certificatePath: '/nonexistent.pem',
      } as const,
      ClientCertificateCredential,
    ],
    ['the Azure CLI', { kind: 'azure-cli' } as const, AzureCliCredential],
  ])('builds the @azure/identity credential for %s', (_, settings, type) => {
    expect(azureCredential(settings)).toBeInstanceOf(type);
  });

  it("builds a new credential each call: keeping one is the composition root's job", () => {
    const settings = { kind: 'azure-cli' } as const;
    expect(azureCredential(settings)).not.toBe(azureCredential(settings));
  });

  it('asks the credential it is given, so its caller can share one', async () => {
    const asked: string[] = [];
    const credential = {
      getToken: (scope: string | string[]) => {
        asked.push(String(scope));
        return Promise.resolve({ token: 'shared', expiresOnTimestamp: Date.now() + 60_000 });
      },
    };
    const config = readGraphConfig({ GRAPH_CREDENTIAL: 'azure-cli' });
    await expect(graphTokenProvider(config, credential).getToken()).resolves.toBe('shared');
    expect(asked).toEqual(['https://graph.microsoft.com/.default']);
  });

  it('turns a credential failure into CredentialError naming the credential kind, keeping the detail as its cause', async () => {
    // No az on this PATH: the credential fails locally, without contacting anything even where
    // a developer has the Azure CLI installed and logged in.
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const failure = graphTokenProvider(
        readGraphConfig({ GRAPH_CREDENTIAL: 'azure-cli' }),
      ).getToken();
      await expect(failure).rejects.toBeInstanceOf(CredentialError);
      await expect(failure).rejects.toMatchObject({ cause: expect.any(Error) });
      await expect(failure).rejects.toThrow(
        /^Could not get a token for https:\/\/graph\.microsoft\.com\/\.default from the azure-cli credential \(\w+\)/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
