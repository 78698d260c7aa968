import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../shared/common/errors';
import { createServer, AddressInfo } from 'node:net';
import {
  bypassProxyForLoopback,
  ensureLocalSettings,
  loadLocalSettings,
} from '../../tools/localSettings';
import { azuriteConnectionString } from '../support/azurite';
import { thrownBy } from '../support/errors';
import { projectRoot } from '../support/processes';

let folder: string;
beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'settings-'))));
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const write = (content: string) => writeFileSync(join(folder, 'local.settings.json'), content);

describe('local settings', () => {
  it('uses the environment alone when there is no file', () => {
    expect(loadLocalSettings(folder, { A: '1' })).toEqual({ settings: { A: '1' } });
  });

  it('reads Values, with environment variables winning, and stringifies scalars', () => {
    write(
      JSON.stringify({
        IsEncrypted: false,
        Values: { A: 'file', B: 'file', C: 5, D: true, E: null },
      }),
    );
    const { settings, file } = loadLocalSettings(folder, { B: 'env' });
    expect(settings).toEqual({ A: 'file', B: 'env', C: '5', D: 'true' });
    expect(file).toBe(join(folder, 'local.settings.json'));
  });

  it.each([
    ['{ broken', /local.settings.json: is not valid JSON/],
    ['{"Values": []}', /"Values" must be an object/],
    ['{"Values": "x"}', /"Values" must be an object/],
  ])('rejects %s with a ConfigError naming the file', (content, message) => {
    write(content);
    expect(() => loadLocalSettings(folder, {})).toThrow(ConfigError);
    expect(() => loadLocalSettings(folder, {})).toThrow(message);
  });

  it('never quotes the file when it is not JSON, since the text may be a secret', () => {
    write('{ "Values": { "AZURE_CLIENT_SECRET": Abc~SuperSecretValue123 } }');
    const error = thrownBy(ConfigError, () => loadLocalSettings(folder, {}));
    expect(error.message).toBe(
      'local.settings.json: is not valid JSON (check the quotes and commas around each value).',
    );
  });

  it('creates the file from the sample only when missing', () => {
    expect(ensureLocalSettings(folder, projectRoot)).toBe(true);
    const sample = readFileSync(join(projectRoot, 'local.settings.sample.json'), 'utf8');
    expect(readFileSync(join(folder, 'local.settings.json'), 'utf8')).toBe(sample);
    write('{"Values":{"KEEP":"me"}}');
    expect(ensureLocalSettings(folder, projectRoot)).toBe(false);
    expect(existsSync(join(folder, 'local.settings.json'))).toBe(true);
    expect(loadLocalSettings(folder, {}).settings).toEqual({ KEEP: 'me' });
  });

  it('ships a sample that holds no secret and names the timer schedule', () => {
    const sample = JSON.parse(
      readFileSync(join(projectRoot, 'local.settings.sample.json'), 'utf8'),
    ) as {
      Values: Record<string, string>;
    };
    expect(sample.Values.AZURE_CLIENT_SECRET).toBe('');
    expect(sample.Values.GRAPH_ACCESS_TOKEN).toBeUndefined();
    expect(sample.Values.SNAPSHOT_SCHEDULE).toBe('0 0 6 * * *');
  });
});

describe('loopback traffic and proxies', () => {
  it('adds loopback to NO_PROXY, keeping what was there', () => {
    const env: NodeJS.ProcessEnv = { NO_PROXY: 'corp.example' };
    bypassProxyForLoopback(env);
    expect(env.NO_PROXY).toBe('corp.example,127.0.0.1,localhost,::1');
    expect(env.no_proxy).toBe('127.0.0.1,localhost,::1');
    bypassProxyForLoopback(env);
    expect(env.NO_PROXY).toBe('corp.example,127.0.0.1,localhost,::1');
  });

  it('keeps the storage SDK off a configured proxy for Azurite, which it would otherwise use', async () => {
    const connections: string[] = [];
    const proxy = createServer((socket) => {
      connections.push('connected');
      socket.destroy();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const saved = { ...process.env };
    const createContainer = (name: string) => {
      let storage!: typeof import('@azure/storage-blob');
      // A fresh SDK reads the proxy settings anew.
      jest.isolateModules(() => (storage = jest.requireActual('@azure/storage-blob')));
      return storage.BlobServiceClient.fromConnectionString(azuriteConnectionString(), {
        retryOptions: { maxTries: 1, tryTimeoutInMs: 2000 },
      })
        .getContainerClient(name)
        .createIfNotExists();
    };
    try {
      Object.assign(process.env, { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl });
      delete process.env.NO_PROXY;
      delete process.env.no_proxy;
      await expect(createContainer('proxied')).rejects.toThrow();
      expect(connections.length).toBeGreaterThan(0);

      connections.length = 0;
      bypassProxyForLoopback();
      await createContainer('not-proxied');
      expect(connections).toEqual([]);
    } finally {
      for (const key of Object.keys(process.env)) delete process.env[key];
      Object.assign(process.env, saved);
      proxy.close();
    }
  });
});
