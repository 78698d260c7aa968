import { thrownBy } from '../../support/errors';
import { Settings } from '../../../shared/config';
import { ConfigError } from '../../../shared/common/errors';

/** Runs `read` and returns the ConfigError it must throw, whose message starts with the setting. */
export function configError(read: () => unknown): ConfigError {
  const error = thrownBy(ConfigError, read);
  expect(error.kind).toBe('config');
  expect(error.message.startsWith(`${error.setting}: `)).toBe(true);
  return error;
}

/**
 * The body of an it.each table of rejected settings, rows `[title, settings, setting, fragment]`:
 * `read(settings)` throws a ConfigError that names `setting` and whose message has `fragment`.
 */
export function rejectsNaming(read: (settings: Settings) => unknown) {
  return (_title: string, settings: Settings, setting: string, fragment: string): void => {
    const error = configError(() => read(settings));
    expect(error.setting).toBe(setting);
    expect(error.message).toContain(fragment);
  };
}

/** The smallest Graph settings that succeed without touching credentials under test. */
export const CLI: Settings = { GRAPH_CREDENTIAL: 'azure-cli' };

export const CLIENT_SECRET: Settings = {
  AZURE_TENANT_ID: 'tenant-1',
  AZURE_CLIENT_ID: 'client-1',
  AZURE_CLIENT_SECRET: 'secret-1',
};

/** What the Functions host sets when the app has a managed identity. */
export const HOST_IDENTITY: Settings = {
  IDENTITY_ENDPOINT: 'http://localhost:8081',
  IDENTITY_HEADER: 'h',
};

export const CONNECTION_STRING =
  'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net';

export const LOCAL_GRAPH: Settings = {
  GRAPH_BASE_URL: 'http://127.0.0.1:8080/v1.0',
  GRAPH_ACCESS_TOKEN: 'local-token',
};
