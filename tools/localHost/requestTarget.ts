import { quote } from '../../shared/common/logSafe';

/**
 * The request target with the value of every `code` query parameter (the function key, as
 * Azure takes it) replaced: what the host logs or quotes back must never carry a key.
 */
export function redactKey(target: string | undefined): string | undefined {
  return target?.replace(/([?&;]code=)[^&#]*/gi, '$1[redacted]');
}

/** A request the local host refuses with 400 before any function sees it; says why. */
export class RefusedRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedRequest';
  }
}

/**
 * `Host` as RFC 9110 allows it: uri-host [":" port], where uri-host is an IP literal in
 * brackets or a reg-name / IPv4 address (unreserved, sub-delims and percent-escapes). No
 * userinfo, path or whitespace.
 */
const HOST_HEADER = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::\d{0,5})?$/;

/**
 * The URL a request asked for, from its request target and `Host` header, as a function sees
 * it. Only the origin form (`/path?query`) is served; a malformed `Host` or a path that is not
 * validly percent-encoded is the caller's mistake, a RefusedRequest, never a failure of ours.
 */
export function requestUrl(target: string, hostHeader: string | undefined): URL {
  if (hostHeader === undefined || !HOST_HEADER.test(hostHeader)) {
    throw new RefusedRequest(`The Host header ${quote(hostHeader)} is not a valid host[:port].`);
  }
  if (!target.startsWith('/')) {
    throw new RefusedRequest(`The request target ${quote(redactKey(target))} must be a path.`);
  }
  let url: URL;
  try {
    url = new URL(`http://${hostHeader}${target}`);
  } catch {
    throw new RefusedRequest(`The Host header ${quote(hostHeader)} is not a valid host[:port].`);
  }
  try {
    decodeURIComponent(url.pathname);
  } catch {
    throw new RefusedRequest(`The URL path ${quote(url.pathname)} is not validly percent-encoded.`);
  }
  return url;
}
