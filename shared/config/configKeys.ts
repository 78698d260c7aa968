import { createHmac, randomBytes } from 'node:crypto';
import type { AzureCredentialSettings } from './azureCredentialSettings';
import type { GraphConfig } from './graph';
import type { StorageConfig } from './storage';

/** JSON with keys sorted at every level, so equal values give equal keys whatever built them. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The one keying scheme for configurations read from settings: equal configurations get equal
 * keys, whatever object holds them, so whoever keeps something per configuration (a credential,
 * Graph services, a storage container, a history reader) keeps one.
 *
 * No key holds a secret. A plain hash of a secret would still stand in for it: whoever sees the
 * key (a heap snapshot, a debug dump of the maps) could test guesses offline, and a short or
 * reused secret would fall. Secrets are therefore keyed by an HMAC under a random key made with
 * this object, never stored or logged: equal for equal secrets within this process, which is all
 * a cache key needs, and useless outside it. A rotated secret thus gets a key of its own.
 */
export class ConfigKeys {
  private readonly hmacKey = randomBytes(32);

  /** Stands in for a secret (or anything holding one, such as a connection string). */
  fingerprint(secret: string): string {
    return `hmac:${createHmac('sha256', this.hmacKey).update(secret).digest('base64url')}`;
  }

  credential(settings: AzureCredentialSettings): string {
    return stableJson(
      settings.kind === 'client-secret'
        ? { ...settings, clientSecret: this.fingerprint(settings.clientSecret) }
        : settings,
    );
  }

  graph(config: GraphConfig): string {
    const { auth } = config;
    const keyedAuth =
      auth.kind === 'static-token'
        ? { kind: auth.kind, token: this.fingerprint(auth.token) }
        : { kind: auth.kind, credential: this.credential(auth.credential) };
    return stableJson({ ...config, auth: keyedAuth });
  }

  /** The account, container, identity and tries; a connection string (keys, SAS) only hashed. */
  storage(config: StorageConfig): string {
    const { connection } = config;
    return stableJson({
      ...config,
      connection:
        connection.kind === 'connection-string'
          ? { ...connection, connectionString: this.fingerprint(connection.connectionString) }
          : { ...connection, credential: this.credential(connection.credential) },
    });
  }
}
