import type { TokenCredential } from '@azure/identity';
import { GraphConfig } from '../config';
import { CredentialError } from '../common/errors';

/**
 * Supplies the bearer token for Graph. Build one per configuration and keep it, so its credential's
 * token cache is reused: the composition root (shared/app/services.ts) does, with the credential
 * it keeps (it builds them: see shared/app/azureCredential.ts).
 */
export interface TokenProvider {
  /** `cancelled` ends the wait once the caller has given up. */
  getToken(cancelled?: AbortSignal): Promise<string>;
}

/**
 * The token provider for a Graph configuration. `credential` is the one the composition root
 * keeps for `config.auth` (shared, so its token cache is); a static token needs none.
 */
export function graphTokenProvider(
  config: GraphConfig,
  credential: TokenCredential | undefined,
): TokenProvider {
  const auth = config.auth;
  if (auth.kind === 'static-token') {
    return { getToken: () => Promise.resolve(auth.token) };
  }
  if (!credential) {
    throw new Error(
      `Graph's ${auth.credential.kind} credential must be handed in: shared/app builds it.`,
    );
  }
  const identity = credential;
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
