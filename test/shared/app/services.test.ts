import { randomUUID } from 'node:crypto';
import { ClientSecretCredential } from '@azure/identity';
import {
  credentialFor,
  ServiceRegistry,
  servicesFor,
  servicesForGraph,
} from '../../../shared/app/services';
import { runSnapshotFromSettings } from '../../../shared/app/snapshotJobs';
import { AzureCredentialSettings, readGraphConfig } from '../../../shared/config';
import { serveArchiveStatus } from '../../../shared/http/statusEndpoint';
import { serveHistory } from '../../../shared/http/historyEndpoint';
import { serveReport } from '../../../shared/http/reportEndpoint';
import { skypeP2pMinuteCounts } from '../../../shared/reports/definitions';
import { captureLogger } from '../../support/logs';
import { ConfigError } from '../../../shared/common/errors';

const TOKEN = `static-${randomUUID()}`;
const SECRET = `secret-${randomUUID()}`;

/** A loopback stand-in with a static token: builds without contacting anything. */
const STATIC = { GRAPH_BASE_URL: 'http://127.0.0.1:1/v1.0', GRAPH_ACCESS_TOKEN: TOKEN };
/** Client credentials: a ClientSecretCredential, which asks Entra only when a token is needed. */
const CLIENT_SECRET = {
  GRAPH_CREDENTIAL: 'environment',
  AZURE_TENANT_ID: 'tenant-1',
  AZURE_CLIENT_ID: 'client-1',
  AZURE_CLIENT_SECRET: SECRET,
};

describe('servicesFor', () => {
  it('gives equal settings the same services: one client, ETag cache and token provider', () => {
    const first = servicesFor({ ...STATIC });
    const again = servicesFor({ ...STATIC, SOME_OTHER_APP_SETTING: 'ignored' });
    expect(again).toBe(first);
    expect(again.graphClient).toBe(first.graphClient);
    expect(again.etagCache).toBe(first.etagCache);
    expect(again.tokens).toBe(first.tokens);
    expect(first.graphConfig).toEqual(readGraphConfig(STATIC));
  });

  it('gives the configuration read elsewhere (the snapshot job) the same services', () => {
    expect(servicesForGraph(readGraphConfig(STATIC))).toBe(servicesFor(STATIC));
  });

  it.each([
    ['another Graph', { GRAPH_BASE_URL: 'http://127.0.0.1:2/v1.0' }],
    ['another static token', { GRAPH_ACCESS_TOKEN: `${TOKEN}-other` }],
    ['another attempt count', { GRAPH_MAX_ATTEMPTS: '2' }],
    ['another request timeout', { REQUEST_TIMEOUT_MS: '1234' }],
  ])('gives %s services of their own', (_, change) => {
    const first = servicesFor(STATIC);
    const other = servicesFor({ ...STATIC, ...change });
    expect(other).not.toBe(first);
    expect(other.graphClient).not.toBe(first.graphClient);
    expect(other.etagCache).not.toBe(first.etagCache);
  });

  it('gives another client secret services and a credential of their own', () => {
    const first = servicesFor(CLIENT_SECRET);
    const other = servicesFor({ ...CLIENT_SECRET, AZURE_CLIENT_SECRET: `${SECRET}-rotated` });
    expect(servicesFor({ ...CLIENT_SECRET })).toBe(first);
    expect(other).not.toBe(first);
    expect(other.credential).not.toBe(first.credential);
  });

  it('throws the ConfigError naming a bad setting, so the endpoint can answer 500 with it', () => {
    expect(() => servicesFor({ ...STATIC, GRAPH_MAX_ATTEMPTS: 'lots' })).toThrow(ConfigError);
  });
});

describe('credentialFor', () => {
  const settings = {
    kind: 'client-secret',
    tenantId: 't',
    clientId: 'c',
    clientSecret: 's',
  } as const;

  it('builds each distinct credential once, so its token cache is shared', () => {
    expect(credentialFor({ ...settings })).toBe(credentialFor({ ...settings }));
    expect(credentialFor({ ...settings, clientSecret: 'other' })).not.toBe(credentialFor(settings));
    expect(credentialFor(settings)).toBeInstanceOf(ClientSecretCredential);
  });

  it('is the credential behind the Graph services of the same identity', () => {
    expect(servicesFor(CLIENT_SECRET).credential).toBe(
      credentialFor({
        kind: 'client-secret',
        tenantId: 'tenant-1',
        clientId: 'client-1',
        clientSecret: SECRET,
      }),
    );
  });
});

describe('ServiceRegistry keys', () => {
  function registryWithEveryKind() {
    const registry = new ServiceRegistry();
    registry.servicesFor(STATIC);
    registry.servicesFor(CLIENT_SECRET);
    registry.credentialFor({
      kind: 'client-certificate',
      tenantId: 't',
      clientId: 'c',
      certificatePath: '/nonexistent.pem',
    });
    return registry;
  }

  it('never hold a secret, whole or in part', () => {
    const keys = registryWithEveryKind().keys();
    // The static token's Graph services, the client secret's credential and its Graph services,
    // and the certificate credential.
    expect(keys).toHaveLength(4);
    for (const key of keys) {
      for (const secret of [TOKEN, SECRET]) {
        expect(key).not.toContain(secret);
        expect(key).not.toContain(secret.slice(-12));
        expect(key).not.toContain(Buffer.from(secret).toString('base64'));
      }
    }
  });

  it('still tell secrets apart, within one registry only', () => {
    const registry = registryWithEveryKind();
    const before = registry.keys();
    registry.servicesFor({ ...CLIENT_SECRET, AZURE_CLIENT_SECRET: `${SECRET}-rotated` });
    expect(registry.keys()).toHaveLength(before.length + 2);
    // Another process (registry) keys the same secret differently: the key is useless outside it.
    const elsewhere = registryWithEveryKind().keys();
    expect(elsewhere.filter((key) => key.includes('hmac:'))).not.toEqual(
      before.filter((key) => key.includes('hmac:')),
    );
  });
});

describe('one identity-based configuration', () => {
  /** Graph and storage signed in with the same client credentials, none of it reachable. */
  const IDENTITY = {
    ...CLIENT_SECRET,
    GRAPH_BASE_URL: 'http://127.0.0.1:1/v1.0',
    GRAPH_MAX_ATTEMPTS: '1',
    SNAPSHOT_STORAGE__blobServiceUri: 'https://127.0.0.1:1/devstoreaccount1',
    STORAGE_MAX_TRIES: '1',
    STORAGE_TRY_TIMEOUT_MS: '2000',
  };

  it('builds one credential for a snapshot run and the history, status and report requests', async () => {
    const built: AzureCredentialSettings[] = [];
    const registry = new ServiceRegistry({
      credentialFactory: (settings) => {
        built.push(settings);
        // Fails at once and offline: the calls below fail too, which is not what this is about.
        return { getToken: () => Promise.reject(new Error('offline')) };
      },
    });
    const { logger } = captureLogger();
    const query = new URLSearchParams({ from: '2026-01-01', to: '2026-01-07' });

    await expect(
      runSnapshotFromSettings(skypeP2pMinuteCounts, IDENTITY, logger, registry),
    ).rejects.toThrow();
    await serveHistory(
      skypeP2pMinuteCounts,
      { query },
      { settings: IDENTITY, log: logger, readers: registry.historyReaders() },
    );
    await serveArchiveStatus(skypeP2pMinuteCounts, {
      settings: IDENTITY,
      log: logger,
      readers: registry.historyReaders(),
    });
    await serveReport(
      skypeP2pMinuteCounts,
      { query: new URLSearchParams() },
      IDENTITY,
      logger,
      (settings, definition) => registry.reportServicesFor(settings, definition),
    );
    await registry.reportCacheFor(IDENTITY, skypeP2pMinuteCounts).idle();

    expect(built).toEqual([
      { kind: 'client-secret', tenantId: 'tenant-1', clientId: 'client-1', clientSecret: SECRET },
    ]);
  });
});
