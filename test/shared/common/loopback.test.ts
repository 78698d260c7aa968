import { isLoopbackHost } from '../../../shared/common/loopback';

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'LocalHost',
    '127.0.0.1',
    '127.0.0.0',
    '127.1.2.3',
    '127.255.255.255',
    '::1',
    '[::1]',
  ])('treats %s as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    '',
    'example.com',
    'graph.microsoft.com',
    '10.0.0.1',
    '192.168.1.1',
    '0.0.0.0',
    '126.255.255.255',
    '128.0.0.1',
    '::',
    '::2',
    '[::2]',
    'fe80::1',
    '127.0.0.1.nip.io',
    '127.example.com',
    '127.0.0',
    '127.0.0.1.5',
    '127.0.0.256',
    'localhost.example.com',
    'mylocalhost',
    'sub.localhost',
  ])('does not treat %p as loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it.each([
    ['http://127.0.0.1:8080/x', true],
    ['http://localhost/x', true],
    ['http://LocalHost:7071/', true],
    ['http://[::1]:10000/', true],
    ['http://[0:0:0:0:0:0:0:1]/', true],
    ['http://127.1/', true],
    ['http://2130706433/', true],
    ['http://0x7f000001/', true],
    ['http://[::ffff:127.0.0.1]/', false],
    ['http://example.com/', false],
    ['http://127.0.0.1.example.com/', false],
    ['http://user@127.0.0.1.example.com/', false],
    ['http://127.0.0.1@example.com/', false],
  ])(
    'classifies the hostname of the URL %s (as parsed by URL) as loopback: %s',
    (url, expected) => {
      expect(isLoopbackHost(new URL(url).hostname)).toBe(expected);
    },
  );
});
