import {
  DEFAULT_GRAPH_BASE_URL,
  GraphAuth,
  GraphConfig,
  readGraphConfig,
  Settings,
} from '../../../shared/config';
import {
  CLI,
  CLIENT_SECRET,
  configError,
  HOST_IDENTITY,
  LOCAL_GRAPH,
  rejectsNaming,
} from './fixtures';

/** Each whole-number Graph setting and the field it fills. */
const NUMBERS: Record<string, keyof GraphConfig> = {
  GRAPH_MAX_ATTEMPTS: 'maxAttempts',
  GRAPH_CALL_TIMEOUT_MS: 'callTimeoutMs',
  GRAPH_RETRY_BASE_DELAY_MS: 'retryBaseDelayMs',
  REQUEST_TIMEOUT_MS: 'requestTimeoutMs',
  GRAPH_MAX_DOWNLOAD_BYTES: 'maxDownloadBytes',
};

describe('readGraphConfig', () => {
  it('applies the documented defaults', () => {
    expect(readGraphConfig(CLI)).toEqual({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      scope: 'https://graph.microsoft.com/.default',
      auth: { kind: 'azure', credential: { kind: 'azure-cli' } },
      maxAttempts: 4,
      callTimeoutMs: 10_000,
      retryBaseDelayMs: 1_000,
      requestTimeoutMs: 30_000,
      maxDownloadBytes: 1_048_576,
    });
    expect(DEFAULT_GRAPH_BASE_URL).toBe('https://graph.microsoft.com/v1.0');
  });

  describe('GRAPH_BASE_URL', () => {
    it.each([
      // Blank is unset.
      ['   ', DEFAULT_GRAPH_BASE_URL, 'https://graph.microsoft.com/.default'],
      // The scope comes from the origin, not the path, and keeps a non-default port.
      [
        'https://graph.microsoft.us/beta',
        'https://graph.microsoft.us/beta',
        'https://graph.microsoft.us/.default',
      ],
      [
        'https://graph.example:8443/v1.0',
        'https://graph.example:8443/v1.0',
        'https://graph.example:8443/.default',
      ],
      // Trailing slashes go.
      [
        'https://graph.microsoft.com/v1.0/',
        'https://graph.microsoft.com/v1.0',
        'https://graph.microsoft.com/.default',
      ],
      [
        'https://graph.microsoft.com/v1.0///',
        'https://graph.microsoft.com/v1.0',
        'https://graph.microsoft.com/.default',
      ],
      [
        'https://graph.microsoft.com',
        'https://graph.microsoft.com',
        'https://graph.microsoft.com/.default',
      ],
      // Plain http on loopback.
      [
        'http://127.0.0.1:8080/v1.0',
        'http://127.0.0.1:8080/v1.0',
        'http://127.0.0.1:8080/.default',
      ],
      [
        'http://localhost:8080/v1.0',
        'http://localhost:8080/v1.0',
        'http://localhost:8080/.default',
      ],
      ['http://[::1]:8080/v1.0', 'http://[::1]:8080/v1.0', 'http://[::1]:8080/.default'],
      ['http://127.5.6.7/v1.0', 'http://127.5.6.7/v1.0', 'http://127.5.6.7/.default'],
    ])('reads %p as the base URL %s with the scope %s', (raw, baseUrl, scope) => {
      expect(readGraphConfig({ ...CLI, GRAPH_BASE_URL: raw })).toMatchObject({ baseUrl, scope });
    });

    it.each([
      ['not a url', 'not a valid URL'],
      ['graph.microsoft.com/v1.0', 'not a valid URL'],
      ['://missing-scheme', 'not a valid URL'],
      // Plain http is for loopback only.
      ['http://graph.microsoft.com/v1.0', 'https'],
      ['http://10.0.0.5/v1.0', 'https'],
      ['http://127.0.0.1.nip.io/v1.0', 'https'],
      ['ftp://graph.microsoft.com/v1.0', 'https'],
      ['file:///etc/passwd', 'https'],
      // Nothing but a scheme, host, port and path, not even an empty query or fragment.
      [
        'https://graph.microsoft.com/v1.0?$top=1',
        'must not contain credentials, a query or a fragment',
      ],
      [
        'https://graph.microsoft.com/v1.0#fragment',
        'must not contain credentials, a query or a fragment',
      ],
      [
        'https://user:pass@graph.microsoft.com/v1.0',
        'must not contain credentials, a query or a fragment',
      ],
      [
        'https://user@graph.microsoft.com/v1.0',
        'must not contain credentials, a query or a fragment',
      ],
      ['https://graph.microsoft.com/v1.0?', 'must not contain credentials, a query or a fragment'],
      ['https://graph.microsoft.com/v1.0#', 'must not contain credentials, a query or a fragment'],
    ])('rejects %p, saying %p and never repeating the value', (raw, fragment) => {
      const error = configError(() => readGraphConfig({ ...CLI, GRAPH_BASE_URL: raw }));
      expect(error.setting).toBe('GRAPH_BASE_URL');
      expect(error.message).toContain(fragment);
      expect(error.message).not.toContain(raw);
      expect(error.message).not.toContain('pass');
    });
  });

  describe('whole-number settings', () => {
    it.each([
      ['GRAPH_MAX_ATTEMPTS', ' 7 ', 7],
      ['GRAPH_MAX_ATTEMPTS', '1', 1],
      ['GRAPH_MAX_ATTEMPTS', '10', 10],
      ['GRAPH_CALL_TIMEOUT_MS', '2500', 2500],
      ['GRAPH_CALL_TIMEOUT_MS', '100', 100],
      ['GRAPH_CALL_TIMEOUT_MS', '300000', 300_000],
      ['GRAPH_RETRY_BASE_DELAY_MS', '0', 0],
      ['GRAPH_RETRY_BASE_DELAY_MS', '60000', 60_000],
      ['REQUEST_TIMEOUT_MS', '45000', 45_000],
      ['REQUEST_TIMEOUT_MS', '100', 100],
      ['REQUEST_TIMEOUT_MS', '600000', 600_000],
      ['GRAPH_MAX_DOWNLOAD_BYTES', '1024', 1024],
      ['GRAPH_MAX_DOWNLOAD_BYTES', '104857600', 104_857_600],
    ])(
      'reads %s=%p as %d (surrounding whitespace and the edges of the range are fine)',
      (name, raw, expected) => {
        expect(readGraphConfig({ ...CLI, [name]: raw })[NUMBERS[name]!]).toBe(expected);
      },
    );

    it.each([
      ['GRAPH_MAX_ATTEMPTS', '0'],
      ['GRAPH_MAX_ATTEMPTS', '11'],
      ['GRAPH_MAX_ATTEMPTS', 'three'],
      ['GRAPH_MAX_ATTEMPTS', '2.5'],
      ['GRAPH_MAX_ATTEMPTS', '-1'],
      ['GRAPH_MAX_ATTEMPTS', '1e1'],
      ['GRAPH_MAX_ATTEMPTS', '0x5'],
      ['GRAPH_CALL_TIMEOUT_MS', '99'],
      ['GRAPH_CALL_TIMEOUT_MS', '300001'],
      ['GRAPH_RETRY_BASE_DELAY_MS', '60001'],
      ['GRAPH_RETRY_BASE_DELAY_MS', '1s'],
      ['REQUEST_TIMEOUT_MS', '99'],
      ['REQUEST_TIMEOUT_MS', '600001'],
      ['GRAPH_MAX_DOWNLOAD_BYTES', '1023'],
      ['GRAPH_MAX_DOWNLOAD_BYTES', '104857601'],
      ['GRAPH_MAX_DOWNLOAD_BYTES', '1MB'],
    ])('rejects %s=%s, naming the setting, its range and the bad value', (name, raw) => {
      const error = configError(() => readGraphConfig({ ...CLI, [name]: raw }));
      expect(error.setting).toBe(name);
      expect(error.message).toMatch(/must be a whole number from \d+ to \d+/);
      expect(error.message).toContain(`"${raw}"`);
    });
  });

  describe('auth', () => {
    it.each<[string, Settings, GraphAuth]>([
      [
        'uses a static token against a loopback Graph stand-in',
        LOCAL_GRAPH,
        { kind: 'static-token', token: 'local-token' },
      ],
      [
        'prefers the static token over any Azure credential settings',
        { ...LOCAL_GRAPH, ...CLIENT_SECRET },
        { kind: 'static-token', token: 'local-token' },
      ],
      [
        'accepts a static token on an https loopback URL',
        { GRAPH_BASE_URL: 'https://localhost:8443/v1.0', GRAPH_ACCESS_TOKEN: 't' },
        { kind: 'static-token', token: 't' },
      ],
      [
        'treats a blank GRAPH_ACCESS_TOKEN as unset',
        { ...CLI, GRAPH_ACCESS_TOKEN: '  ' },
        { kind: 'azure', credential: { kind: 'azure-cli' } },
      ],
      [
        'chooses the managed identity when the host provides IDENTITY_ENDPOINT',
        HOST_IDENTITY,
        { kind: 'azure', credential: { kind: 'managed-identity' } },
      ],
      [
        'chooses a user-assigned managed identity when AZURE_CLIENT_ID is set',
        { ...HOST_IDENTITY, AZURE_CLIENT_ID: 'uami' },
        { kind: 'azure', credential: { kind: 'managed-identity', clientId: 'uami' } },
      ],
      [
        'uses a client secret',
        CLIENT_SECRET,
        {
          kind: 'azure',
          credential: {
            kind: 'client-secret',
            tenantId: 'tenant-1',
            clientId: 'client-1',
            clientSecret: 'secret-1',
          },
        },
      ],
      [
        'uses a client certificate',
        {
          AZURE_TENANT_ID: 'tenant-1',
          AZURE_CLIENT_ID: 'client-1',
          AZURE_CLIENT_CERTIFICATE_PATH: '/certs/app.pem',
        },
        {
          kind: 'azure',
          credential: {
            kind: 'client-certificate',
            tenantId: 'tenant-1',
            clientId: 'client-1',
            certificatePath: '/certs/app.pem',
          },
        },
      ],
      [
        'uses the Azure CLI credential',
        { ...CLI, AZURE_TENANT_ID: 'tenant-1' },
        { kind: 'azure', credential: { kind: 'azure-cli', tenantId: 'tenant-1' } },
      ],
    ])('%s', (_, settings, auth) => {
      expect(readGraphConfig(settings).auth).toEqual(auth);
    });

    it.each([undefined, 'https://graph.microsoft.com/v1.0', 'https://graph.example/v1.0'])(
      'rejects GRAPH_ACCESS_TOKEN when GRAPH_BASE_URL is not loopback (%s)',
      (base) => {
        const error = configError(() =>
          readGraphConfig({ GRAPH_BASE_URL: base, GRAPH_ACCESS_TOKEN: 'leaky-token' }),
        );
        expect(error.setting).toBe('GRAPH_ACCESS_TOKEN');
        expect(error.message).toContain('loopback');
        expect(error.message).not.toContain('leaky-token');
      },
    );

    it.each<[string, Settings, string, string]>([
      [
        'rejects a configuration with no credentials at all, naming GRAPH_CREDENTIAL',
        {},
        'GRAPH_CREDENTIAL',
        'no Graph credentials are configured',
      ],
      [
        'rejects partial client-secret settings in auto mode as no credentials',
        { AZURE_TENANT_ID: 'tenant-1', AZURE_CLIENT_ID: 'client-1' },
        'GRAPH_CREDENTIAL',
        'no Graph credentials are configured',
      ],
      [
        'reports a client secret without a tenant as the missing piece',
        { AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' },
        'AZURE_TENANT_ID',
        'is required',
      ],
      [
        'reports a client secret without a client id as the missing piece',
        { AZURE_TENANT_ID: 't', AZURE_CLIENT_SECRET: 's' },
        'AZURE_CLIENT_ID',
        'is required',
      ],
      [
        'rejects GRAPH_CREDENTIAL=managed-identity without IDENTITY_ENDPOINT',
        { GRAPH_CREDENTIAL: 'managed-identity' },
        'GRAPH_CREDENTIAL',
        'IDENTITY_ENDPOINT',
      ],
      [
        'validates GRAPH_BASE_URL before the credentials',
        { GRAPH_BASE_URL: 'nope' },
        'GRAPH_BASE_URL',
        'not a valid URL',
      ],
    ])('%s', rejectsNaming(readGraphConfig));
  });
});
