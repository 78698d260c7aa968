import { ConfigError } from '../common/errors';
import { isLoopbackHost } from '../common/loopback';
import { AzureCredentialSettings, readAzureCredential } from './azureCredentialSettings';
import { defaultOf, httpUrl, integerSetting, rawSetting, Settings, textSetting } from './values';

/** How the Graph client reaches Graph: where, with which identity, and within which limits. */
export type GraphAuth =
  { kind: 'static-token'; token: string } | { kind: 'azure'; credential: AzureCredentialSettings };

export interface GraphConfig {
  /** Without a trailing slash, e.g. `https://graph.microsoft.com/v1.0`. */
  readonly baseUrl: string;
  /** `{origin of baseUrl}/.default`. */
  readonly scope: string;
  readonly auth: GraphAuth;
  readonly maxAttempts: number;
  readonly callTimeoutMs: number;
  readonly retryBaseDelayMs: number;
  /** Budget for one request to our HTTP endpoint, whatever Graph does. */
  readonly requestTimeoutMs: number;
  /** Largest CSV accepted from the download host: a bigger body is refused, not buffered. */
  readonly maxDownloadBytes: number;
}

export const DEFAULT_GRAPH_BASE_URL = defaultOf('GRAPH_BASE_URL');

export function readGraphConfig(settings: Settings): GraphConfig {
  const base = httpUrl('GRAPH_BASE_URL', textSetting(settings, 'GRAPH_BASE_URL'));
  return {
    baseUrl: base.href.replace(/\/+$/, ''),
    scope: `${base.origin}/.default`,
    auth: readGraphAuth(settings, base),
    maxAttempts: integerSetting(settings, 'GRAPH_MAX_ATTEMPTS'),
    callTimeoutMs: integerSetting(settings, 'GRAPH_CALL_TIMEOUT_MS'),
    retryBaseDelayMs: integerSetting(settings, 'GRAPH_RETRY_BASE_DELAY_MS'),
    requestTimeoutMs: integerSetting(settings, 'REQUEST_TIMEOUT_MS'),
    maxDownloadBytes: integerSetting(settings, 'GRAPH_MAX_DOWNLOAD_BYTES'),
  };
}

/**
 * A static token is for loopback stand-ins only: it must never reach a real Graph host, which
 * gets a credential that renews its tokens. Without either, the error says how to get one.
 */
function readGraphAuth(settings: Settings, base: URL): GraphAuth {
  const token = rawSetting(settings, 'GRAPH_ACCESS_TOKEN');
  if (token) {
    if (!isLoopbackHost(base.hostname)) {
      throw new ConfigError(
        'GRAPH_ACCESS_TOKEN',
        'a static token is for local Graph stand-ins only: GRAPH_BASE_URL must then be a loopback URL.',
      );
    }
    return { kind: 'static-token', token };
  }
  const credential = readAzureCredential(settings);
  if (!credential) {
    throw new ConfigError(
      'GRAPH_CREDENTIAL',
      'no Graph credentials are configured. In Azure, enable the app\'s managed identity; elsewhere set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH), or GRAPH_CREDENTIAL=azure-cli after "az login". To try the service without a tenant, run "npm run demo".',
    );
  }
  return { kind: 'azure', credential };
}
