import { createHmac, randomBytes } from 'node:crypto';
import { TokenCredential } from '@azure/identity';
import type { ContainerClient } from '@azure/storage-blob';
import type { HistoryReaders } from '../archive/historyReader';
import {
  AzureCredentialSettings,
  CacheConfig,
  GraphConfig,
  readCacheConfig,
  readGraphConfig,
  readOptionalStorageConfig,
  Settings,
  SETTINGS,
  StorageConfig,
} from '../config';
import { SharedReportCache } from '../cache/blobCache';
import { CallBudget } from '../cache/callBudget';
import { ReportCache } from '../cache/reportCache';
import { Logger, silentLogger } from '../common/logger';
import { parseReportCsv, ParsedReport } from '../reports/csv';
import { ReportDefinition } from '../reports/definitions';
import { azureCredential, graphTokenProvider, TokenProvider } from '../graph/credentials';
import { GraphReportClient } from '../graph/client';
import { EtagCache, MemoryEtagCache } from '../graph/etagCache';

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
  readonly etagCache: EtagCache;
  /** Shared by every caller with this configuration; pass your own log to `fetchReport`. */
  readonly graphClient: GraphReportClient;
}

/**
 * Every setting the services depend on, values only, in a fixed order: the registry's settings
 * and the host-provided ones the readers also consult.
 */
const SERVICE_SETTINGS = [
  ...SETTINGS.map((setting) => setting.name),
  'AzureWebJobsStorage',
  'AzureWebJobsStorage__blobServiceUri',
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsStorage__clientId',
  'AzureWebJobsStorage__credential',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
];

function settingsValues(settings: Settings): string {
  let values = '';
  for (const name of SERVICE_SETTINGS) values += `${settings[name] ?? '\u0000'}\u0001`;
  return values;
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
  private readonly reportCaches = new Map<string, ReportCache<ParsedReport>>();
  private readonly reportServices = new Map<
    string,
    { readonly graph: Services; readonly reportCache: ReportCache<ParsedReport> }
  >();
  private readers: HistoryReaders | undefined;

  /** The history index readers, one per archive: the index they hold lives as long as we do. */
  historyReaders(): HistoryReaders {
    // Required on first use: the reader brings the storage modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module: typeof import('../archive/historyReader') = require('../archive/historyReader');
    return (this.readers ??= new module.HistoryReaders());
  }

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
      const etagCache = new MemoryEtagCache();
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

  /**
   * The report cache for one report under these settings: Graph settings, the cache settings,
   * and the storage that holds the shared copy (optional: without it, memory only). Reading a
   * bad setting throws its ConfigError; the storage SDK loads only once storage is used.
   */
  reportCacheFor(settings: Settings, definition: ReportDefinition): ReportCache<ParsedReport> {
    return this.reportServicesFor(settings, definition).reportCache;
  }

  /**
   * The live endpoint's services for one report, found without reading the settings again: on
   * the hot path a request costs one fingerprint of the settings' values (an HMAC, as for every
   * key here) instead of parsing URLs and connection strings and keying several maps.
   */
  reportServicesFor(
    settings: Settings,
    definition: ReportDefinition,
  ): { readonly graph: Services; readonly reportCache: ReportCache<ParsedReport> } {
    const quickKey = `${definition.graphFunction}|${this.fingerprint(settingsValues(settings))}`;
    let found = this.reportServices.get(quickKey);
    if (!found) {
      const graph = this.servicesForGraph(readGraphConfig(settings));
      found = { graph, reportCache: this.buildOrFindReportCache(settings, definition, graph) };
      this.reportServices.set(quickKey, found);
    }
    return found;
  }

  private buildOrFindReportCache(
    settings: Settings,
    definition: ReportDefinition,
    graph: Services,
  ): ReportCache<ParsedReport> {
    const cache = readCacheConfig(settings);
    // REPORT_CACHE_SECONDS=0 neither reads nor needs the shared copy.
    const storage = cache.cacheSeconds > 0 ? readOptionalStorageConfig(settings) : undefined;
    const key = stableJson({
      graph: this.graphKey(graph.graphConfig),
      cache,
      storage: storage && this.storageKey(storage),
      report: definition.graphFunction,
    });
    let reportCache = this.reportCaches.get(key);
    if (!reportCache) {
      reportCache = this.buildReportCache(graph, cache, storage, definition);
      this.reportCaches.set(key, reportCache);
    }
    return reportCache;
  }

  /** Every key in use, so a test can check that none holds a secret. */
  keys(): string[] {
    return [
      ...this.credentials.keys(),
      ...this.graphServices.keys(),
      ...this.reportCaches.keys(),
      ...this.reportServices.keys(),
    ];
  }

  private buildReportCache(
    graph: Services,
    cache: CacheConfig,
    storage: StorageConfig | undefined,
    definition: ReportDefinition,
    log: Logger = silentLogger,
  ): ReportCache<ParsedReport> {
    const shared = storage
      ? new SharedReportCache(this.cacheContainer(storage), definition, log)
      : undefined;
    return new ReportCache<ParsedReport>({
      fetch: async (period, options) => {
        const fetched = await graph.graphClient.fetchReport(
          definition,
          period,
          options.timeoutMs,
          options.log,
          { known: options.known, beforeCall: options.beforeCall },
        );
        return { bytes: fetched.bytes, etag: fetched.etag, notModified: fetched.fromCache };
      },
      parse: (period, bytes) => parseReportCsv(definition, bytes, period),
      policy: { cacheSeconds: cache.cacheSeconds, staleSeconds: cache.staleSeconds },
      // One budget per report cache: in an instance, the endpoint and the snapshot job reach the
      // same cache (same settings), so they spend the same budget.
      budget: new CallBudget(cache.callBudget),
      shared,
      log,
    });
  }

  /**
   * The container for the shared copy: one try of about 2 s per call, so storage trouble costs a
   * request at most that before it falls back to memory and Graph.
   */
  private cacheContainer(storage: StorageConfig): ContainerClient {
    const credential =
      storage.connection.kind === 'identity'
        ? this.credentialFor(storage.connection.credential)
        : undefined;
    // Required here, not imported: the storage SDK loads with the first request that uses it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const archive: typeof import('../archive/blobArchive') = require('../archive/blobArchive');
    return archive.archiveContainer(storage, { maxTries: 1, tryTimeoutMs: 2_000 }, credential);
  }

  private storageKey(storage: StorageConfig): string {
    const { connection } = storage;
    return stableJson({
      ...storage,
      connection:
        connection.kind === 'connection-string'
          ? { ...connection, connectionString: this.fingerprint(connection.connectionString) }
          : { ...connection, credential: this.credentialKey(connection.credential) },
    });
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

/** The live endpoint's Graph services and report cache for one report under these settings. */
export function reportServicesFor(settings: Settings, definition: ReportDefinition) {
  return processServices.reportServicesFor(settings, definition);
}

/** The report cache for one report under these settings (the live endpoint's). */
export function reportCacheFor(
  settings: Settings,
  definition: ReportDefinition,
): ReportCache<ParsedReport> {
  return processServices.reportCacheFor(settings, definition);
}

/**
 * A Graph client of the caller's own (its `apiCalls` and log are the caller's: a snapshot run's)
 * over the process's token provider and ETag cache for this configuration, unless a cache is
 * given.
 */
export function ownGraphClient(
  config: GraphConfig,
  log: Logger,
  cache?: EtagCache,
): GraphReportClient {
  const services = processServices.servicesForGraph(config);
  return new GraphReportClient({
    config,
    tokens: services.tokens,
    cache: cache ?? services.etagCache,
    log,
  });
}

/** The process's history index readers (the history, status and chart endpoints'). */
export function historyReaders(): HistoryReaders {
  return processServices.historyReaders();
}

/** The shared credential for an identity setting (identity-based storage, for one). */
export function credentialFor(settings: AzureCredentialSettings): TokenCredential {
  return processServices.credentialFor(settings);
}
