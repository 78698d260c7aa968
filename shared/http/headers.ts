import { createHash } from 'node:crypto';

/**
 * What every endpoint's headers share: the headers on every answer, the weak ETag and
 * If-None-Match.
 */

/**
 * Headers every answer carries, success or problem: `nosniff` stops a browser from reading a
 * body as another type than the one declared (an echoed value rendered as HTML, say).
 */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
};

/**
 * A weak ETag over what defines a body (the parts, hashed in order), not the body's bytes: equal
 * tags mean equal data, so a revalidation can answer 304 whatever else (fetchedAt) changed.
 */
export function weakEtag(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return `W/"${hash.digest('base64url').slice(0, 32)}"`;
}

/** RFC 9110 If-None-Match: a list of (possibly weak) tags, or `*`. */
export function ifNoneMatchHits(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag));
}
