import type { TokenCredential } from '@azure/identity';
import { AzureCredentialSettings, GraphConfig } from '../config';
import { CredentialError } from '../common/errors';

/**
 * Supplies the bearer token for Graph. Build one per configuration and keep it, so its credential's
 * token cache is reused: the composition root (shared/app/services.ts) does.
 */
export interface TokenProvider {
  /** `cancelled` ends the wait once the caller has given up. */
  getToken(cancelled?: AbortSignal): Promise<string>;
}

/**
 * Builds the @azure/identity credential the settings chose: a new one each call, with an empty
 * token cache. Keeping one per setting is the composition root's job (shared/app/services.ts).
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

/** `credential` is the one to share, if the caller keeps one; else a new one is built. */
export function graphTokenProvider(
  config: GraphConfig,
  credential?: TokenCredential,
): TokenProvider {
  const auth = config.auth;
  if (auth.kind === 'static-token') {
    return { getToken: () => Promise.resolve(auth.token) };
  }
  const identity = credential ?? azureCredential(auth.credential);
  return {
    async getToken(cancelled) {
      try {
        const token = await identity.getToken(config.scope, { abortSignal: cancelled });
        if (!token) throw new Error('the credential returned no token');
        return token.token;
      } catch (error) {
        // Identity errors can be long and name endpoints: the message keeps the class of failure,
        // the cause (logged by the service, never answered) keeps the detail.
        const reason = error instanceof Error ? error.name : 'unknown error';
        throw new CredentialError(
          `Could not get a token for ${config.scope} from the ${auth.credential.kind} credential (${reason}). Check the app's identity or client credentials.`,
          { cause: error },
        );
      }
    },
  };
}
