import { ConfigError } from '../common/errors';
import { choiceSetting, rawSetting, Settings } from './values';

/** Which Azure credential to build, as plain data: reading it never asks for a token. */
export type AzureCredentialSettings =
  | { kind: 'managed-identity'; clientId?: string }
  | { kind: 'client-secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'client-certificate'; tenantId: string; clientId: string; certificatePath: string }
  | { kind: 'azure-cli'; tenantId?: string };

/**
 * The Azure credential to use. GRAPH_CREDENTIAL picks one explicitly (managed-identity,
 * environment, azure-cli); `auto` takes the managed identity where the Functions host provides
 * one, else client credentials from the environment, else none (undefined).
 */
export function readAzureCredential(
  settings: Settings,
  clientIdSetting = 'AZURE_CLIENT_ID',
): AzureCredentialSettings | undefined {
  const choice = choiceSetting(settings, 'GRAPH_CREDENTIAL');
  const clientId = rawSetting(settings, clientIdSetting) ?? rawSetting(settings, 'AZURE_CLIENT_ID');
  // The Functions host announces its managed identity with both settings; with either missing,
  // @azure/identity would probe the instance metadata address instead, which we never do.
  const hostHasIdentity =
    rawSetting(settings, 'IDENTITY_ENDPOINT') !== undefined &&
    rawSetting(settings, 'IDENTITY_HEADER') !== undefined;
  if (choice === 'managed-identity' || (choice === 'auto' && hostHasIdentity)) {
    if (!hostHasIdentity) {
      throw new ConfigError(
        'GRAPH_CREDENTIAL',
        'managed-identity needs the identity endpoint the Functions host provides (IDENTITY_ENDPOINT and IDENTITY_HEADER); it is not available here.',
      );
    }
    return clientId ? { kind: 'managed-identity', clientId } : { kind: 'managed-identity' };
  }
  if (choice === 'azure-cli') {
    const tenantId = rawSetting(settings, 'AZURE_TENANT_ID');
    return tenantId ? { kind: 'azure-cli', tenantId } : { kind: 'azure-cli' };
  }
  const secret = rawSetting(settings, 'AZURE_CLIENT_SECRET');
  const certificatePath = rawSetting(settings, 'AZURE_CLIENT_CERTIFICATE_PATH');
  if (choice === 'auto' && !secret && !certificatePath) return undefined;
  if (!secret && !certificatePath) {
    throw new ConfigError(
      'AZURE_CLIENT_SECRET',
      'GRAPH_CREDENTIAL=environment needs AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH.',
    );
  }
  const tenantId = rawSetting(settings, 'AZURE_TENANT_ID');
  if (!tenantId)
    throw new ConfigError('AZURE_TENANT_ID', 'is required with a client secret or certificate.');
  if (!clientId)
    throw new ConfigError('AZURE_CLIENT_ID', 'is required with a client secret or certificate.');
  return secret
    ? { kind: 'client-secret', tenantId, clientId, clientSecret: secret }
    : { kind: 'client-certificate', tenantId, clientId, certificatePath: certificatePath! };
}
