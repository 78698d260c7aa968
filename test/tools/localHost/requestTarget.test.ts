import { RefusedRequest, requestUrl } from '../../../tools/localHost/requestTarget';

describe('the URL a request asked for', () => {
  it.each([
    [
      'a name and port',
      '/api/x?period=D7',
      'localhost:7071',
      'http://localhost:7071/api/x?period=D7',
    ],
    ['an IPv4 address', '/api/x', '127.0.0.1:7071', 'http://127.0.0.1:7071/api/x'],
    ['an IPv6 literal', '/api/x', '[::1]:7071', 'http://[::1]:7071/api/x'],
    ['no port', '/api/x', 'example.test', 'http://example.test/api/x'],
    [
      'a path starting with two slashes, kept as a path',
      '//evil.test/x',
      'localhost',
      'http://localhost//evil.test/x',
    ],
    ['a percent-encoded path', '/api/a%20b', 'localhost', 'http://localhost/api/a%20b'],
  ])('reads %s', (_case, target, host, expected) => {
    expect(requestUrl(target, host).href).toBe(expected);
  });

  it.each([
    ['a Host with a space', '/api/x', 'exa mple.test', /Host header "exa mple\.test"/],
    ['a Host with a tab, shown escaped', '/api/x', 'a\tb', /Host header "a\\tb"/],
    ['a Host with a C1 control, shown escaped', '/api/x', 'a\u0085b', /Host header "a\\u0085b"/],
    ['a Host with userinfo', '/api/x', 'user@evil.test', /Host header "user@evil\.test"/],
    ['a Host with a path', '/api/x', 'evil.test/x', /Host header/],
    ['a Host with a port out of range', '/api/x', 'localhost:99999', /Host header/],
    ['an empty Host', '/api/x', '', /Host header ""/],
    ['no Host at all', '/api/x', undefined, /Host header \(none\)/],
    ['an absolute-form target', 'http://evil.test/x', 'localhost', /request target "http:/],
    [
      'an undecodable path',
      '/api/%E0%A4%A',
      'localhost',
      /URL path "\/api\/%E0%A4%A" is not validly percent-encoded/,
    ],
    ['a lone percent sign', '/api/100%', 'localhost', /not validly percent-encoded/],
  ])('refuses %s, saying why', (_case, target, host, reason) => {
    expect(() => requestUrl(target, host)).toThrow(RefusedRequest);
    expect(() => requestUrl(target, host)).toThrow(reason);
  });

  it('quotes at most 200 characters of a huge Host', () => {
    let message = '';
    try {
      requestUrl('/', `${'h'.repeat(5000)} x`);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`"${'h'.repeat(200)}"…[+4802 chars]`);
  });
});
