import { createHash } from 'node:crypto';
import { COMMON_HEADERS, ifNoneMatchHits, weakEtag } from '../../../shared/http/headers';

describe('COMMON_HEADERS', () => {
  it('stops a browser from sniffing a body as another type', () => {
    expect(COMMON_HEADERS).toEqual({ 'X-Content-Type-Options': 'nosniff' });
  });
});

describe('weakEtag', () => {
  it('is a weak, quoted tag of the first 32 base64url characters of the parts’ sha256', () => {
    const sha = createHash('sha256').update('a\nb\n').update('body').digest('base64url');
    expect(weakEtag('a\nb\n', Buffer.from('body'))).toBe(`W/"${sha.slice(0, 32)}"`);
  });

  it('hashes the parts in order, as one text', () => {
    expect(weakEtag('ab', 'c')).toBe(weakEtag('a', 'bc'));
    expect(weakEtag('ab', 'c')).not.toBe(weakEtag('c', 'ab'));
  });
});

describe('ifNoneMatchHits', () => {
  const ETAG = '"abc123"';

  it.each([null, undefined, ''])('misses when the header is absent (%p)', (header) => {
    expect(ifNoneMatchHits(header, ETAG)).toBe(false);
  });

  it.each([
    ['the same tag', '"abc123"', ETAG, true],
    ['a different tag', '"abc124"', ETAG, false],
    ['a tag differing in case', '"ABC123"', ETAG, false],
    ['an unquoted tag of the same value', 'abc123', ETAG, false],
    ['a tag within a comma-separated list', '"x", "abc123", "y"', ETAG, true],
    ['a tag within a list, whatever the spacing', '"x","y" ,  "abc123"  ', ETAG, true],
    ['a list without the tag', '"x", "y"', ETAG, false],
    ['the weak form of a strong tag', 'W/"abc123"', ETAG, true],
    ['the weak form within a list', '"x", W/"abc123"', ETAG, true],
    ['the same weak tag', 'W/"abc123"', 'W/"abc123"', true],
    ['the strong form of a weak tag', '"abc123"', 'W/"abc123"', true],
    ['another weak tag', 'W/"other"', ETAG, false],
    ['* alone', '*', ETAG, true],
    ['* with spaces', '  *  ', ETAG, true],
    ['* within a list', '"x", *', ETAG, true],
  ])('given %s (%s for %s): %p', (_case, header, etag, hits) => {
    expect(ifNoneMatchHits(header, etag)).toBe(hits);
  });
});
