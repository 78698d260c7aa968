import type { TokenCredential } from '@azure/identity';
import { AzureCredentialSettings } from '../config';

/**
 * Builds the @azure/identity credential the settings chose: a new one each call, with an empty
 * token cache. The registry (services.ts) calls it once per distinct setting and keeps the result;
 * nothing else in shared/ builds a credential.
 */
export function azureCredential(settings: AzureCredentialSettings): TokenCredential {
  // Loaded on first use, not with the module: a function instance that is served from the cache,
  // or uses a static token, never pays @azure/identity's load time at cold start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const identity: typeof import('@azure/identity') = require('@azure/identity');
  const {
    AzureCliCredential,
    ClientCertificateCredential,
    ClientSecretCredential,
    ManagedIdentityCredential,
  } = identity;
  switch (settings.kind) {
    case 'managed-identity':
      return settings.clientId
        ? new ManagedIdentityCredential({ clientId: settings.clientId })
        : new ManagedIdentityCredential();
    case 'client-secret':
      return new ClientSecretCredential(
        settings.tenantId,
        settings.clientId,
        settings.clientSecret,
      );
    case 'client-certificate':
      return new ClientCertificateCredential(settings.tenantId, settings.clientId, {
        certificatePath: settings.certificatePath,
      });
    case 'azure-cli':
      return settings.tenantId
        ? new AzureCliCredential({ tenantId: settings.tenantId })
        : new AzureCliCredential();
  }
}
