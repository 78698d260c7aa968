import { GraphBadResponseError } from '../../../shared/common/errors';
import { thrownBy } from '../../support/errors';
import {
  MAX_REDIRECTS,
  REDIRECT_STATUSES,
  redirectTarget,
} from '../../../shared/graph/redirectRules';

const GRAPH = new URL(
  'https://graph.microsoft.com/v1.0/reports/getSkypeForBusinessPeerToPeerActivityMinuteCounts(period=%27D7%27)',
);
const LOCAL = new URL('http://127.0.0.1:8080/v1.0/reports/x');

/** Runs `follow` and returns the GraphBadResponseError it must throw. */
function redirectError(follow: () => unknown): GraphBadResponseError {
  const error = thrownBy(GraphBadResponseError, follow);
  expect(error.kind).toBe('bad-upstream-response');
  return error;
}

describe('redirect constants', () => {
  it('follows at most 3 redirects', () => {
    expect(MAX_REDIRECTS).toBe(3);
  });

  it.each([301, 302, 303, 307, 308])('treats %i as a redirect', (status) => {
    expect(REDIRECT_STATUSES.has(status)).toBe(true);
  });

  it.each([200, 300, 304, 305, 306, 400])('does not treat %i as a redirect', (status) => {
    expect(REDIRECT_STATUSES.has(status)).toBe(false);
  });
});

describe('redirectTarget', () => {
  it.each([
    'https://reports.office.com/data/download/abc?sig=secret',
    'https://example.blob.core.windows.net/x.csv?sv=2024&sig=secret',
    'https://10.1.2.3/file',
    'https://graph.microsoft.com:8443/file',
  ])('follows https to any host: %s', (location) => {
    const target = redirectTarget(location, GRAPH);
    expect(target).toBeInstanceOf(URL);
    expect(target.href).toBe(new URL(location).href);
  });

  it('follows an https redirect from a plain-http loopback source', () => {
    expect(redirectTarget('https://download.example/x', LOCAL).href).toBe(
      'https://download.example/x',
    );
  });

  it.each([
    'http://127.0.0.1:9000/download?sig=1',
    'http://127.8.9.10/download',
    'http://localhost:9000/download',
    'http://LOCALHOST/download',
    'http://[::1]:9000/download',
  ])('follows plain http from a loopback stand-in to loopback: %s', (location) => {
    expect(redirectTarget(location, LOCAL).href).toBe(new URL(location).href);
  });

  it('refuses plain http to loopback when real Graph sends it there', () => {
    const error = redirectError(() => redirectTarget('http://127.0.0.1:2375/x', GRAPH));
    expect(error.message).toContain('http://127.0.0.1:2375');
  });

  it.each([
    ['http://download.example/x', 'http://download.example'],
    ['http://10.0.0.1/x', 'http://10.0.0.1'],
    ['http://128.0.0.1/x', 'http://128.0.0.1'],
    ['http://127.0.0.1.nip.io/x', 'http://127.0.0.1.nip.io'],
    ['http://localhost.example.com:8080/x', 'http://localhost.example.com:8080'],
    ['http://[::2]/x', 'http://[::2]'],
    ['ftp://download.example/x', 'ftp://download.example'],
    ['ws://127.0.0.1/x', 'ws://127.0.0.1'],
    ['file:///etc/passwd', 'file://'],
  ])('refuses %s, naming %s', (location, named) => {
    const error = redirectError(() => redirectTarget(location, GRAPH));
    expect(error.message).toContain(`redirected the download to ${named},`);
    expect(error.message).toContain('only https (or http on loopback)');
  });

  it('names the host but never the path, query or credentials of a refused URL', () => {
    const location =
      'http://user:p4ss@files.example:8080/pre/authenticated.csv?sv=2024&sig=S3CR3T#frag';
    const error = redirectError(() => redirectTarget(location, GRAPH));
    expect(error.message).toContain('http://files.example:8080');
    for (const secret of [
      'user',
      'p4ss',
      '/pre/authenticated.csv',
      'sv=2024',
      'S3CR3T',
      '?',
      'frag',
    ]) {
      expect(error.message).not.toContain(secret);
    }
  });

  it.each([null, ''])('rejects a redirect without a Location (%p)', (location) => {
    const error = redirectError(() => redirectTarget(location, GRAPH));
    expect(error.message).toContain('without a Location header');
  });

  it.each(['http://[::1', 'https://exa mple.com/?sig=S3CR3T', 'http://:80/?sig=S3CR3T'])(
    'rejects the unreadable Location %s without repeating it',
    (location) => {
      const error = redirectError(() => redirectTarget(location, GRAPH));
      expect(error.message).toContain('unreadable Location');
      expect(error.message).not.toContain('S3CR3T');
    },
  );

  it('resolves an absolute-path Location against the source URL', () => {
    expect(redirectTarget('/download/file.csv?sig=1', GRAPH).href).toBe(
      'https://graph.microsoft.com/download/file.csv?sig=1',
    );
  });

  it('resolves a relative-path Location against the source URL', () => {
    expect(redirectTarget('download?sig=1', GRAPH).href).toBe(
      'https://graph.microsoft.com/v1.0/reports/download?sig=1',
    );
  });

  it('resolves a protocol-relative Location with the scheme of the source URL', () => {
    expect(redirectTarget('//download.example/x', GRAPH).href).toBe('https://download.example/x');
    const error = redirectError(() => redirectTarget('//download.example/x', LOCAL));
    expect(error.message).toContain('http://download.example');
  });

  it('follows a relative Location on a plain-http loopback source', () => {
    expect(redirectTarget('/files/1.csv', LOCAL).href).toBe('http://127.0.0.1:8080/files/1.csv');
  });

  it('does not modify the source URL', () => {
    const from = new URL(GRAPH.href);
    redirectTarget('/elsewhere', from);
    expect(from.href).toBe(GRAPH.href);
  });
});
