import { createHmac, randomBytes } from 'node:crypto';
import { TokenCredential } from '@azure/identity';
import { AzureCredentialSettings, GraphConfig, readGraphConfig, Settings } from '../config';
import { azureCredential, graphTokenProvider, TokenProvider } from '../graph/credentials';
import { GraphReportClient } from '../graph/client';
import { MemoryReportCache, ReportCache } from '../graph/etagCache';

/**
 * The composition root: the one place that builds what is worth keeping for the life of the
 * process, and keeps it, once per distinct configuration. It owns:
 * - the Azure credentials, one per identity setting (their token caches spare Entra a token
 *   request per call), for Graph and for anything else that signs in with them (storage);
 * - per Graph configuration: the token provider, the ETag cache (so Graph can answer 304 to the
 *   next request or run, across invocations) and the Graph client over both.
 * Nothing else in shared/ keeps state between calls: functions and tools take their services from
 * here; tests build their own pieces when they need isolation. A Functions instance sees one
 * configuration, tests and tools a few, so nothing is ever evicted.
 *
 * No key holds a secret. A plain hash of a secret would still stand in for it: whoever sees the
 * key (a heap snapshot, a debug dump of these maps) could test guesses offline, and a short or
 * reused secret would fall. Secrets are therefore keyed by an HMAC under a random key made when
 * the registry is, never stored or logged: equal for equal secrets within this process, which is
 * all a cache key needs, and useless outside it.
 */

export interface Services {
  readonly graphConfig: GraphConfig;
  /** The Azure credential behind `tokens`; none for a static token (local stand-ins only). */
  readonly credential: TokenCredential | undefined;
  readonly tokens: TokenProvider;
  readonly etagCache: ReportCache;
  /** Shared by every caller with this configuration; pass your own log to `fetchReport`. */
  readonly graphClient: GraphReportClient;
}

/** JSON with keys sorted at every level, so equal values give equal keys whatever built them. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class ServiceRegistry {
  private readonly hmacKey = randomBytes(32);
  private readonly credentials = new Map<string, TokenCredential>();
  private readonly graphServices = new Map<string, Services>();

  /** Reads the Graph settings (a bad one throws its ConfigError) and returns their services. */
  servicesFor(settings: Settings): Services {
    return this.servicesForGraph(readGraphConfig(settings));
  }

  servicesForGraph(config: GraphConfig): Services {
    const key = this.graphKey(config);
    let services = this.graphServices.get(key);
    if (!services) {
      const { auth } = config;
      const credential = auth.kind === 'azure' ? this.credentialFor(auth.credential) : undefined;
      const tokens = graphTokenProvider(config, credential);
      const etagCache = new MemoryReportCache();
      const graphClient = new GraphReportClient({ config, tokens, cache: etagCache });
      services = { graphConfig: config, credential, tokens, etagCache, graphClient };
      this.graphServices.set(key, services);
    }
    return services;
  }

  /** The @azure/identity credential for these settings, built once. */
  credentialFor(settings: AzureCredentialSettings): TokenCredential {
    const key = this.credentialKey(settings);
    let credential = this.credentials.get(key);
    if (!credential) {
      credential = azureCredential(settings);
      this.credentials.set(key, credential);
    }
    return credential;
  }

  /** Every key in use, so a test can check that none holds a secret. */
  keys(): string[] {
    return [...this.credentials.keys(), ...this.graphServices.keys()];
  }

  private fingerprint(secret: string): string {
    return `hmac:${createHmac('sha256', this.hmacKey).update(secret).digest('base64url')}`;
  }

  private credentialKey(settings: AzureCredentialSettings): string {
    return stableJson(
      settings.kind === 'client-secret'
        ? { ...settings, clientSecret: this.fingerprint(settings.clientSecret) }
        : settings,
    );
  }

  private graphKey(config: GraphConfig): string {
    const { auth } = config;
    const keyedAuth =
      auth.kind === 'static-token'
        ? { kind: auth.kind, token: this.fingerprint(auth.token) }
        : { kind: auth.kind, credential: this.credentialKey(auth.credential) };
    return stableJson({ ...config, auth: keyedAuth });
  }
}

/** The process's registry: the only state shared/ keeps, reached through the functions below. */
const processServices = new ServiceRegistry();

/** The services for these settings: what the endpoint and the report command use. */
export function servicesFor(settings: Settings): Services {
  return processServices.servicesFor(settings);
}

/** The same, from a Graph configuration already read (the snapshot job's `config.graph`). */
export function servicesForGraph(config: GraphConfig): Services {
  return processServices.servicesForGraph(config);
}

/** The shared credential for an identity setting (identity-based storage, for one). */
export function credentialFor(settings: AzureCredentialSettings): TokenCredential {
  return processServices.credentialFor(settings);
}
