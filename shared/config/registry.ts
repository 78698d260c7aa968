/**
 * The settings registry: every setting the app reads, declared once as data. The config readers
 * take defaults and ranges from here, the README's configuration table is checked against it,
 * the commands' `--help` lists from it, and the deployment templates are checked against the
 * `deploy` flag. Adding a setting anywhere else is a bug.
 */
export type SettingConcern =
  'reports' | 'graph' | 'credentials' | 'storage' | 'snapshot' | 'cache' | 'status';

export interface SettingDefinition {
  /** The exact name, or a family written with `{NAME}` for the storage connection prefixes. */
  readonly name: string;
  readonly concern: SettingConcern;
  /** The documented default as text; absent when there is none (optional or required). */
  readonly default?: string;
  /** Whole-number settings: the accepted range, inclusive. */
  readonly range?: { readonly min: number; readonly max: number };
  /** Settings with a closed set of values (compared case-insensitively). */
  readonly allowed?: readonly string[];
  /** One line: what it does. */
  readonly meaning: string;
  /** Set explicitly by the deployment templates (infra/). */
  readonly deploy?: boolean;
  /** Holds a secret: never logged, echoed or used as a cache key. */
  readonly secret?: boolean;
  /** Required by the timer function (the host resolves `%SNAPSHOT_SCHEDULE%`). */
  readonly required?: boolean;
}

export const SETTINGS: readonly SettingDefinition[] = [
  {
    name: 'REPORTS',
    concern: 'reports',
    default: 'all',
    deploy: true,
    meaning:
      'comma-separated route slugs of the reports served and archived (`all`: the whole catalogue)',
  },
  {
    name: 'GRAPH_BASE_URL',
    concern: 'graph',
    default: 'https://graph.microsoft.com/v1.0',
    meaning: 'Graph root; the token scope is `{origin}/.default`',
  },
  {
    name: 'GRAPH_CREDENTIAL',
    concern: 'credentials',
    default: 'auto',
    allowed: ['auto', 'managed-identity', 'environment', 'azure-cli'],
    meaning: 'which Azure credential reads Graph (and identity-based storage)',
  },
  {
    name: 'AZURE_TENANT_ID',
    concern: 'credentials',
    meaning: 'tenant of the app registration (client credentials, or azure-cli)',
  },
  {
    name: 'AZURE_CLIENT_ID',
    concern: 'credentials',
    meaning: 'app registration client id; alone, it selects a user-assigned managed identity',
  },
  {
    name: 'AZURE_CLIENT_SECRET',
    concern: 'credentials',
    secret: true,
    meaning: 'client secret of the app registration',
  },
  {
    name: 'AZURE_CLIENT_CERTIFICATE_PATH',
    concern: 'credentials',
    meaning: 'PEM certificate of the app registration, instead of a secret',
  },
  {
    name: 'GRAPH_ACCESS_TOKEN',
    concern: 'credentials',
    secret: true,
    meaning: 'static bearer token, for a loopback Graph stand-in only',
  },
  {
    name: 'GRAPH_MAX_ATTEMPTS',
    concern: 'graph',
    default: '4',
    range: { min: 1, max: 10 },
    meaning: 'attempts per report fetch',
  },
  {
    name: 'GRAPH_CALL_TIMEOUT_MS',
    concern: 'graph',
    default: '10000',
    range: { min: 100, max: 300_000 },
    meaning: 'timeout of each HTTP call to Graph',
  },
  {
    name: 'GRAPH_RETRY_BASE_DELAY_MS',
    concern: 'graph',
    default: '1000',
    range: { min: 0, max: 60_000 },
    meaning: 'first backoff step, and the least wait after any `Retry-After`',
  },
  {
    name: 'GRAPH_MAX_DOWNLOAD_BYTES',
    concern: 'graph',
    default: '1048576',
    range: { min: 1024, max: 104_857_600 },
    meaning: 'largest CSV accepted from the download host (a real D180 is about 10 KB)',
  },
  {
    name: 'REQUEST_TIMEOUT_MS',
    concern: 'graph',
    default: '30000',
    range: { min: 100, max: 600_000 },
    meaning: 'the endpoint answers within this, whatever Graph does',
  },
  {
    name: 'SNAPSHOT_SCHEDULE',
    concern: 'snapshot',
    required: true,
    deploy: true,
    meaning: 'six-field NCRONTAB in UTC for the timer, e.g. `0 0 6 * * *`',
  },
  {
    name: 'SNAPSHOT_PERIODS',
    concern: 'snapshot',
    default: 'D7',
    deploy: true,
    meaning: 'comma-separated periods the timer stores each run',
  },
  {
    name: 'SNAPSHOT_STORAGE',
    concern: 'storage',
    secret: true,
    meaning: 'storage connection string for the archive (default: `AzureWebJobsStorage`)',
  },
  {
    name: 'SNAPSHOT_STORAGE__blobServiceUri',
    concern: 'storage',
    meaning: 'identity-based archive storage instead of a connection string',
  },
  {
    name: 'SNAPSHOT_STORAGE__accountName',
    concern: 'storage',
    meaning: 'identity-based archive storage, by account name',
  },
  {
    name: 'SNAPSHOT_STORAGE__clientId',
    concern: 'storage',
    meaning: 'user-assigned identity for identity-based archive storage',
  },
  {
    name: 'SNAPSHOT_CONTAINER',
    concern: 'storage',
    default: 'graph-reports',
    deploy: true,
    meaning: 'archive container (also holds the shared cache, history index and status)',
  },
  {
    name: 'SNAPSHOT_FETCH_TIMEOUT_MS',
    concern: 'snapshot',
    default: '120000',
    range: { min: 1_000, max: 600_000 },
    meaning: 'time budget of each Graph fetch in a snapshot run',
  },
  {
    name: 'STORAGE_MAX_TRIES',
    concern: 'storage',
    default: '3',
    range: { min: 1, max: 10 },
    meaning: 'tries per storage call',
  },
  {
    name: 'STORAGE_TRY_TIMEOUT_MS',
    concern: 'storage',
    default: '10000',
    range: { min: 100, max: 600_000 },
    meaning: 'timeout of each storage try',
  },
  {
    name: 'REPORT_CACHE_SECONDS',
    concern: 'cache',
    default: '3600',
    range: { min: 0, max: 86_400 },
    deploy: true,
    meaning: 'seconds a report is served without asking Graph; 0 = ask every time',
  },
  {
    name: 'REPORT_STALE_SECONDS',
    concern: 'cache',
    default: '604800',
    range: { min: 0, max: 2_592_000 },
    deploy: true,
    meaning: 'how long the last good report may be served stale when Graph fails; 0 = never',
  },
  {
    name: 'GRAPH_CALL_BUDGET',
    concern: 'cache',
    default: '10',
    range: { min: 0, max: 14 },
    deploy: true,
    meaning: 'report calls per 10 minutes per instance; 0 = off',
  },
  {
    name: 'GRAPH_APP_CALL_BUDGET',
    concern: 'cache',
    default: '25',
    range: { min: 0, max: 40 },
    meaning:
      'report calls per 10 minutes per instance across all reports (Graph caps CSV reports at 40 per tenant); 0 = off',
  },
  {
    name: 'STATUS_STALE_AFTER_HOURS',
    concern: 'status',
    default: '96',
    range: { min: 1, max: 8760 },
    meaning: 'hours after the end of the newest refresh date before /status says stale',
  },
];

const byName = new Map(SETTINGS.map((definition) => [definition.name, definition]));

/** The declaration of a setting; throws for a name the registry does not know (a bug). */
export function settingDefinition(name: string): SettingDefinition {
  const definition = byName.get(name);
  if (!definition) throw new Error(`Setting ${name} is not declared in the settings registry.`);
  return definition;
}
