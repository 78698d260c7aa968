import type { TokenCredential } from '@azure/identity';
import type { HistoryReaders } from '../archive/historyReader';
import {
  AzureCredentialSettings,
  CacheConfig,
  ConfigKeys,
  GraphConfig,
  readCacheConfig,
  readGraphConfig,
  readOptionalStorageConfig,
  Settings,
  SETTINGS,
  stableJson,
  StorageConfig,
} from '../config';
import { SharedReportCache } from '../cache/blobCache';
import { CallBudget } from '../cache/callBudget';
import { ReportCache } from '../cache/reportCache';
import { Logger, silentLogger } from '../common/logger';
import { parseReportCsv, ParsedReport } from '../reports/csv';
import { ReportDefinition } from '../reports/definitions';
import { graphTokenProvider, TokenProvider } from '../graph/tokenProvider';
import { GraphReportClient } from '../graph/client';
import { EtagCache, MemoryEtagCache } from '../graph/etagCache';
import { StorageContainer, StorageContainers, StorageTries } from '../storage/blobContainers';
import { azureCredential } from './azureCredential';

/**
 * shared/app is the composition root: the one place that builds services and connects them, and
 * keeps what is worth keeping for the life of the process, once per distinct configuration. No
 * other folder of shared/ imports it (eslint.config.mjs enforces it): they are handed what they
 * use. It owns:
 * - the Azure credentials, one per identity setting (their token caches spare Entra a token
 *   request per call), for Graph and for storage alike;
 * - per Graph configuration: the token provider, the ETag cache (so Graph can answer 304 to the
 *   next request or run, across invocations) and the Graph client over both;
 * - per storage configuration: the container client (shared/storage), signed in with that one
 *   credential, for the archive, its documents, the history readers and the shared report copy;
 * - per report and settings: the live endpoint's report cache; and the snapshot job built from
 *   settings (snapshotJobs.ts).
 * Functions and tools take their services from here; tests build a registry of their own when
 * they need isolation. A Functions instance sees one configuration, tests and tools a few, so
 * nothing is ever evicted. Every key comes from one scheme (ConfigKeys), and none holds a secret.
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

/** What the live endpoint uses for one report: its Graph services and its report cache. */
export interface ReportServices {
  readonly graph: Services;
  readonly reportCache: ReportCache<ParsedReport>;
}

export interface ServiceRegistryOptions {
  /** Builds a credential (called once per distinct identity setting); tests count calls. */
  readonly credentialFactory?: (settings: AzureCredentialSettings) => TokenCredential;
}

export class ServiceRegistry {
  private readonly configKeys = new ConfigKeys();
  private readonly credentialFactory: (settings: AzureCredentialSettings) => TokenCredential;
  /** The storage containers, one per storage configuration, signed in with credentialFor. */
  private readonly containers: StorageContainers;
  private readonly credentials = new Map<string, TokenCredential>();
  private readonly graphServices = new Map<string, Services>();
  private readonly reportCaches = new Map<string, ReportCache<ParsedReport>>();
  private readonly reportServices = new Map<string, ReportServices>();
  /** GRAPH_APP_CALL_BUDGET's count, one per configuration: see appBudgetFor. */
  private readonly appBudgets = new Map<string, CallBudget>();
  private readers: HistoryReaders | undefined;

  constructor(options: ServiceRegistryOptions = {}) {
    this.credentialFactory = options.credentialFactory ?? azureCredential;
    this.containers = new StorageContainers(this.configKeys, (settings) =>
      this.credentialFor(settings),
    );
  }

  /** The history index readers, one per archive: the index they hold lives as long as we do. */
  historyReaders(): HistoryReaders {
    // Required on first use: the reader brings the archive's modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module: typeof import('../archive/historyReader') = require('../archive/historyReader');
    return (this.readers ??= new module.HistoryReaders(this.containers));
  }

  /** The container of a storage configuration, shared by everything that uses it. */
  containerFor(storage: StorageConfig, tries?: StorageTries): StorageContainer {
    return this.containers.containerFor(storage, tries);
  }

  /**
   * A Graph client of the caller's own (its `apiCalls` and log are the caller's: a snapshot
   * run's) over the token provider and ETag cache for this configuration, unless a cache is given.
   */
  ownGraphClient(config: GraphConfig, log: Logger, cache?: EtagCache): GraphReportClient {
    const services = this.servicesForGraph(config);
    return new GraphReportClient({
      config,
      tokens: services.tokens,
      cache: cache ?? services.etagCache,
      log,
    });
  }

  /** Reads the Graph settings (a bad one throws its ConfigError) and returns their services. */
  servicesFor(settings: Settings): Services {
    return this.servicesForGraph(readGraphConfig(settings));
  }

  servicesForGraph(config: GraphConfig): Services {
    const key = this.configKeys.graph(config);
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
    const key = this.configKeys.credential(settings);
    let credential = this.credentials.get(key);
    if (!credential) {
      credential = this.credentialFactory(settings);
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
  reportServicesFor(settings: Settings, definition: ReportDefinition): ReportServices {
    const quickKey = `${definition.graphFunction}|${this.configKeys.fingerprint(settingsValues(settings))}`;
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
    const appKey = stableJson({
      graph: this.configKeys.graph(graph.graphConfig),
      cache,
      storage: storage && this.containers.keyOf(storage),
    });
    const key = stableJson({ app: appKey, report: definition.graphFunction });
    let reportCache = this.reportCaches.get(key);
    if (!reportCache) {
      reportCache = this.buildReportCache(graph, cache, storage, definition, appKey);
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
      ...this.appBudgets.keys(),
      ...this.containers.keys(),
    ];
  }

  private buildReportCache(
    graph: Services,
    cache: CacheConfig,
    storage: StorageConfig | undefined,
    definition: ReportDefinition,
    appKey: string,
    log: Logger = silentLogger,
  ): ReportCache<ParsedReport> {
    const shared = storage
      ? new SharedReportCache(
          this.cacheContainer(storage),
          definition,
          log,
          graph.graphConfig.maxDownloadBytes,
        )
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
      // same cache (same settings), so they spend the same budget. Every report's budget spends
      // from the one app-wide budget of its Graph configuration too.
      budget: new CallBudget(
        cache.callBudget,
        undefined,
        undefined,
        this.appBudgetFor(appKey, cache.appCallBudget),
      ),
      shared,
      log,
    });
  }

  /**
   * GRAPH_APP_CALL_BUDGET's count for one configuration (Graph app and tenant, cache settings and
   * storage, as a report cache is keyed, without the report): every report's cache of it spends
   * from this one. An instance has one configuration, so one app-wide budget.
   */
  private appBudgetFor(appKey: string, limit: number): CallBudget {
    const key = appKey;
    let budget = this.appBudgets.get(key);
    if (!budget) {
      budget = new CallBudget(limit);
      this.appBudgets.set(key, budget);
    }
    return budget;
  }

  /**
   * The container for the shared copy: one try of about 2 s per call, so storage trouble costs a
   * request at most that before it falls back to memory and Graph.
   */
  private cacheContainer(storage: StorageConfig) {
    return this.containerFor(storage, { maxTries: 1, tryTimeoutMs: 2_000 }).client;
  }
}

/** The process's registry: the only state shared/ keeps, reached through the functions below. */
const processServices = new ServiceRegistry();

/** The process's registry itself, for what takes one (the snapshot job's entry points). */
export function processRegistry(): ServiceRegistry {
  return processServices;
}

/** The services for these settings: what the endpoint and the report command use. */
export function servicesFor(settings: Settings): Services {
  return processServices.servicesFor(settings);
}

/** The same, from a Graph configuration already read (the snapshot job's `config.graph`). */
export function servicesForGraph(config: GraphConfig): Services {
  return processServices.servicesForGraph(config);
}

/** The live endpoint's Graph services and report cache for one report under these settings. */
export function reportServicesFor(
  settings: Settings,
  definition: ReportDefinition,
): ReportServices {
  return processServices.reportServicesFor(settings, definition);
}

/** The report cache for one report under these settings (the live endpoint's). */
export function reportCacheFor(
  settings: Settings,
  definition: ReportDefinition,
): ReportCache<ParsedReport> {
  return processServices.reportCacheFor(settings, definition);
}

/** A Graph client of the caller's own over the process's services: see ServiceRegistry. */
export function ownGraphClient(
  config: GraphConfig,
  log: Logger,
  cache?: EtagCache,
): GraphReportClient {
  return processServices.ownGraphClient(config, log, cache);
}

/** The process's history index readers (the history, status and chart endpoints'). */
export function historyReaders(): HistoryReaders {
  return processServices.historyReaders();
}

/** The shared credential for an identity setting (identity-based storage, for one). */
export function credentialFor(settings: AzureCredentialSettings): TokenCredential {
  return processServices.credentialFor(settings);
}
