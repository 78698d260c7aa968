import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import { azureCredential } from '../../../shared/app/azureCredential';

describe('azureCredential', () => {
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
});
