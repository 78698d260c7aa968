import { execFileSync } from 'node:child_process';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import {
  AzureCredentialSettings,
  readAzureCredential,
  readGraphConfig,
  readSnapshotConfig,
  Settings,
} from '../../../shared/config';
import { projectRoot } from '../../support/processes';
import { CLI, CLIENT_SECRET, configError, CONNECTION_STRING, HOST_IDENTITY } from './fixtures';

describe('purity', () => {
  const networkSpies: jest.SpyInstance[] = [];
  const fail = () => {
    throw new Error('configuration reading must not touch the network');
  };

  beforeEach(() => {
    networkSpies.push(
      jest.spyOn(globalThis, 'fetch').mockImplementation(fail),
      jest.spyOn(http, 'request').mockImplementation(fail),
      jest.spyOn(http, 'get').mockImplementation(fail),
      jest.spyOn(https, 'request').mockImplementation(fail),
      jest.spyOn(https, 'get').mockImplementation(fail),
      jest.spyOn(net, 'connect').mockImplementation(fail),
      jest.spyOn(net, 'createConnection').mockImplementation(fail),
      jest.spyOn(dns, 'lookup').mockImplementation(fail),
    );
  });

  afterEach(() => {
    for (const spy of networkSpies.splice(0)) spy.mockRestore();
  });

  it.each<[string, Settings]>([
    ['managed identity', HOST_IDENTITY],
    ['user-assigned managed identity', { ...HOST_IDENTITY, AZURE_CLIENT_ID: 'uami' }],
    ['client secret', CLIENT_SECRET],
    [
      'client certificate',
      { AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' },
    ],
    ['azure cli', CLI],
  ])('reads the %s credential as plain data, without any network call', (_, settings) => {
    const credential = readAzureCredential(settings) as AzureCredentialSettings;
    const snapshot = readSnapshotConfig({ ...settings, SNAPSHOT_STORAGE__accountName: 'acct' });
    // Plain data: no credential instances, functions or prototypes that could fetch tokens.
    expect(JSON.parse(JSON.stringify(credential))).toEqual(credential);
    expect(Object.getPrototypeOf(credential)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot.graph.auth).toEqual({ kind: 'azure', credential });
    expect(snapshot.storage.connection).toMatchObject({ credential });
    for (const spy of networkSpies) expect(spy).not.toHaveBeenCalled();
  });

  it('does not read process.env: only the settings passed in count', () => {
    const saved = process.env.GRAPH_CREDENTIAL;
    process.env.GRAPH_CREDENTIAL = 'azure-cli';
    try {
      expect(configError(() => readGraphConfig({})).setting).toBe('GRAPH_CREDENTIAL');
    } finally {
      if (saved === undefined) delete process.env.GRAPH_CREDENTIAL;
      else process.env.GRAPH_CREDENTIAL = saved;
    }
  });

  it('does not modify the settings it reads', () => {
    const settings = { ...CLIENT_SECRET, SNAPSHOT_STORAGE: CONNECTION_STRING };
    const copy = { ...settings };
    readSnapshotConfig(Object.freeze(settings));
    expect(settings).toEqual(copy);
  });
});

describe('loading', () => {
  it('loads the storage SDK only when a connection string is checked, so the HTTP function starts without it', () => {
    // A fresh process on the build (globalSetup makes dist/): jest's own module registry would
    // not show what Node loads.
    const script = `
      const loaded = () =>
        Object.keys(require.cache).some((file) => /[\\\\/]@azure[\\\\/]storage-blob[\\\\/]/.test(file));
      const config = require('./dist/shared/config');
      const steps = { onRequire: loaded() };
      config.readSnapshotConfig(${JSON.stringify({ ...CLI, SNAPSHOT_STORAGE__accountName: 'acct' })});
      steps.afterIdentityStorage = loaded();
      config.readSnapshotConfig(${JSON.stringify({ ...CLI, SNAPSHOT_STORAGE: 'UseDevelopmentStorage=true' })});
      steps.afterConnectionString = loaded();
      process.stdout.write(JSON.stringify(steps));
    `;
    const output = execFileSync(process.execPath, ['-e', script], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({
      onRequire: false,
      afterIdentityStorage: false,
      afterConnectionString: true,
    });
  });
});
